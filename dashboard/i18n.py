"""Interface texts in Polish and English."""

from __future__ import annotations

LANGUAGES = {"pl": "Polski", "en": "English"}

TEXTS: dict[str, dict[str, str]] = {
    "app_title": {"pl": "Atlas Rozwoju Lokalnego", "en": "Local Development Atlas"},
    "overview": {"pl": "Przegląd danych", "en": "Data overview"},
    "map_preview": {"pl": "Podgląd mapy", "en": "Map preview"},
    "synthetic": {
        "pl": "Dane demonstracyjne: wszystkie liczby i miejsca są fikcyjne (syntetyczne).",
        "en": "Demo data: every number and place here is fictional (synthetic).",
    },
    "language": {"pl": "Język", "en": "Language"},
    "units": {"pl": "Jednostki", "en": "Units"},
    "indicators": {"pl": "Wskaźniki", "en": "Indicators"},
    "observations": {"pl": "Wartości", "en": "Values"},
    "proposals": {"pl": "Wnioski mieszkańców", "en": "Residents' proposals"},
    "areas": {"pl": "Obszary programowe", "en": "Programme areas"},
    "rejects": {"pl": "Odrzucone wiersze", "en": "Rejected rows"},
    "levels": {"pl": "Poziomy podziału", "en": "Levels"},
    "catalogue": {"pl": "Katalog wskaźników", "en": "Indicator catalogue"},
    "sources": {"pl": "Źródła i przebiegi ładowania", "en": "Sources and load runs"},
    "rejects_hint": {
        "pl": "Wiersze, których nie dało się użyć, z plikiem, wierszem, kolumną i powodem "
              "(pełna lista: `ldatlas rejects`).",
        "en": "Rows that could not be used, with file, row, column and reason (full list: `ldatlas rejects`).",
    },
    "no_rejects": {"pl": "Brak odrzuconych wierszy.", "en": "No rejected rows."},
    "empty_store": {
        "pl": "Magazyn danych jest pusty. Załaduj dane: `ldatlas load WORKSPACE.toml` albo `ldatlas demo`.",
        "en": "The store is empty. Load data with `ldatlas load WORKSPACE.toml` or `ldatlas demo`.",
    },
    "level": {"pl": "Poziom", "en": "Level"},
    "indicator": {"pl": "Wskaźnik", "en": "Indicator"},
    "year": {"pl": "Rok", "en": "Year"},
    "no_data": {"pl": "brak danych", "en": "no data"},
    "units_without_data": {"pl": "Jednostki bez danych", "en": "Units without data"},
    "store": {"pl": "Magazyn", "en": "Store"},
    "areas_hint": {
        "pl": "Ludność i powierzchnia obszarów liczone z jednostek członkowskich (ostatni rok z danymi o ludności).",
        "en": "Population and area of each area, from its member units (latest year with population data).",
    },
    "proposals_hint": {
        "pl": "Wnioski według statusu; „bez dokładnej lokalizacji”: poza jednostkami, na wspólnym punkcie "
              "albo ogólnomiejskie.",
        "en": "Proposals by status; 'not precisely located': outside every unit, on a shared point, or city-wide.",
    },
    "map": {"pl": "Mapa", "en": "Map"},
    "play": {"pl": "▶ Odtwórz lata", "en": "▶ Play years"},
    "play_help": {"pl": "Przechodzi przez kolejne lata na tej samej mapie.",
                  "en": "Steps through the years on the same map."},
    "classification": {"pl": "Klasyfikacja i kolory", "en": "Classes and colours"},
    "method": {"pl": "Metoda podziału", "en": "Classification"},
    "method_quantiles": {"pl": "kwantyle (równe liczebności)", "en": "quantiles (equal counts)"},
    "method_natural_breaks": {"pl": "naturalne przerwy (Fisher-Jenks)", "en": "natural breaks (Fisher-Jenks)"},
    "method_equal_interval": {"pl": "równe przedziały", "en": "equal intervals"},
    "method_std_mean": {"pl": "odchylenia standardowe od średniej", "en": "standard deviations from the mean"},
    "method_user_defined": {"pl": "własne progi", "en": "your own breaks"},
    "classes": {"pl": "Liczba klas", "en": "Number of classes"},
    "breaks": {"pl": "Progi klas (rosnąco, np. 10; 20,5; 30)", "en": "Class breaks (increasing, e.g. 10; 20.5; 30)"},
    "bad_breaks": {"pl": "Nie rozumiem progów: podaj liczby rosnąco, oddzielone średnikiem.",
                   "en": "Could not read the breaks: give increasing numbers separated by semicolons."},
    "fixed": {"pl": "Te same progi dla wszystkich lat", "en": "Same breaks for every year"},
    "fixed_help": {"pl": "Kolory można wtedy porównywać między latami.",
                   "en": "Colours can then be compared between years."},
    "palette": {"pl": "Paleta", "en": "Palette"},
    "palette_blues": {"pl": "niebieska", "en": "blues"},
    "palette_yl_gn_bu": {"pl": "żółto-zielono-niebieska", "en": "yellow-green-blue"},
    "palette_purples": {"pl": "fioletowa", "en": "purples"},
    "reference": {"pl": "Skala rozbieżna wokół", "en": "Diverging scale around"},
    "reference_none": {"pl": "— brak (skala sekwencyjna)", "en": "— none (sequential scale)"},
    "reference_avg": {"pl": "średniej pokazanych jednostek", "en": "the average of the shown units"},
    "reference_help": {"pl": "Czerwony = gorzej, niebieski = lepiej, zgodnie z kierunkiem wskaźnika.",
                       "en": "Red = worse, blue = better, by the indicator's direction."},
    "overlays": {"pl": "Warstwy", "en": "Layers"},
    "overlay_proposals": {"pl": "Wnioski mieszkańców", "en": "Residents' proposals"},
    "overlay_areas": {"pl": "Obszary programowe (kontury)", "en": "Programme areas (outlines)"},
    "overlay_labels": {"pl": "Nazwy jednostek", "en": "Unit names"},
    "colour_by": {"pl": "Kolor wniosków według", "en": "Colour proposals by"},
    "colour_goal": {"pl": "celu", "en": "goal"},
    "colour_status": {"pl": "statusu", "en": "status"},
    "basemap": {"pl": "Podkład mapowy (wymaga sieci)", "en": "Basemap (needs a network)"},
    "unit_panel": {"pl": "Wybrana jednostka", "en": "Selected unit"},
    "unit_pick": {"pl": "Jednostka (albo kliknij na mapie)", "en": "Unit (or click the map)"},
    "unit_none": {"pl": "— kliknij jednostkę na mapie —", "en": "— click a unit on the map —"},
    "value": {"pl": "Wartość", "en": "Value"},
    "flag": {"pl": "Oznaczenie", "en": "Flag"},
    "rank": {"pl": "Miejsce", "en": "Rank"},
    "rank_help": {"pl": "1 = najlepiej wg kierunku wskaźnika (dla neutralnych: najwyżej).",
                  "en": "1 = best by the indicator's direction (highest for neutral ones)."},
    "change_since": {"pl": "Zmiana od {year}", "en": "Change since {year}"},
    "change_5": {"pl": "Zmiana w 5 lat", "en": "Change over 5 years"},
    "average_shown": {"pl": "Średnia pokazanych jednostek", "en": "Average of the shown units"},
    "parent": {"pl": "Jednostka nadrzędna", "en": "Parent unit"},
    "proposals_in_unit": {"pl": "Wnioski w tej jednostce", "en": "Proposals in this unit"},
    "no_proposals_here": {"pl": "Brak wniosków w tej jednostce.", "en": "No proposals in this unit."},
    "table": {"pl": "Tabela danych mapy", "en": "The table behind the map"},
    "download": {"pl": "Pobierz", "en": "Download"},
    "png_hint": {"pl": "Mapa jako PNG: ikona aparatu nad mapą (z legendą i tytułem).",
                 "en": "The map as PNG: the camera icon above the map (with legend and title)."},
    "not_on_map": {"pl": "Wnioski bez punktu na mapie (ogólnomiejskie lub bez lokalizacji): {n}",
                   "en": "Proposals without a point on the map (city-wide or not located): {n}"},
    "class": {"pl": "Klasa", "en": "Class"},
    "code": {"pl": "Kod", "en": "Code"},
    "name": {"pl": "Nazwa", "en": "Name"},
    "domain_economic": {"pl": "Gospodarka", "en": "Economy"},
    "domain_social": {"pl": "Społeczeństwo", "en": "Society"},
    "domain_environmental-spatial": {"pl": "Środowisko i przestrzeń", "en": "Environment and space"},
    "domain_institutional": {"pl": "Instytucje", "en": "Institutions"},
    "direction_higher_is_better": {"pl": "im więcej, tym lepiej", "en": "higher is better"},
    "direction_lower_is_better": {"pl": "im mniej, tym lepiej", "en": "lower is better"},
    "direction_neutral": {"pl": "neutralny", "en": "neutral"},
    "source": {"pl": "Źródło", "en": "Source"},
    "licence": {"pl": "Licencja", "en": "Licence"},
    "status_submitted": {"pl": "złożony", "en": "submitted"},
    "status_under_evaluation": {"pl": "w ocenie", "en": "under evaluation"},
    "status_accepted": {"pl": "pozytywnie oceniony", "en": "accepted"},
    "status_rejected": {"pl": "odrzucony", "en": "rejected"},
    "status_selected": {"pl": "wybrany do realizacji", "en": "selected"},
    "status_implemented": {"pl": "zrealizowany", "en": "implemented"},
    "cost": {"pl": "Koszt", "en": "Cost"},
    "cost_unknown": {"pl": "koszt nieznany", "en": "cost unknown"},
    "title_col": {"pl": "Tytuł", "en": "Title"},
    "status": {"pl": "Status", "en": "Status"},
    "goal": {"pl": "Cel", "en": "Goal"},
    "no_goal": {"pl": "bez celu", "en": "no goal"},
}


def t(key: str, lang: str) -> str:
    """The text for ``key`` in ``lang`` (Polish when a translation is missing)."""
    entry = TEXTS[key]
    return entry.get(lang) or entry["pl"]


def format_number(value: float | None, lang: str, decimals: int = 1) -> str:
    """A number as the language writes it: Polish ``1 234,5`` (non-breaking space), English ``1,234.5``."""
    if value is None or value != value:
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")


def decimals_for(values: list[float]) -> int:
    """Decimal places that tell class bounds apart without noise."""
    span = max((abs(v) for v in values if v == v), default=0.0)
    return 0 if span >= 1000 else 1 if span >= 10 else 2
