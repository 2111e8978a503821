"""Interface texts in Polish and English."""

from __future__ import annotations

from indicators.formatting import format_number  # noqa: F401  (pages import it from here)

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
    "play_help": {
        "pl": "Przechodzi przez kolejne lata na tej samej mapie.",
        "en": "Steps through the years on the same map.",
    },
    "classification": {"pl": "Klasyfikacja i kolory", "en": "Classes and colours"},
    "method": {"pl": "Metoda podziału", "en": "Classification"},
    "method_quantiles": {"pl": "kwantyle (równe liczebności)", "en": "quantiles (equal counts)"},
    "method_natural_breaks": {"pl": "naturalne przerwy (Fisher-Jenks)", "en": "natural breaks (Fisher-Jenks)"},
    "method_equal_interval": {"pl": "równe przedziały", "en": "equal intervals"},
    "method_std_mean": {"pl": "odchylenia standardowe od średniej", "en": "standard deviations from the mean"},
    "method_user_defined": {"pl": "własne progi", "en": "your own breaks"},
    "classes": {"pl": "Liczba klas", "en": "Number of classes"},
    "breaks": {"pl": "Progi klas (rosnąco, np. 10; 20,5; 30)", "en": "Class breaks (increasing, e.g. 10; 20.5; 30)"},
    "bad_breaks": {
        "pl": "Nie rozumiem progów: podaj liczby rosnąco, oddzielone średnikiem.",
        "en": "Could not read the breaks: give increasing numbers separated by semicolons.",
    },
    "fixed": {"pl": "Te same progi dla wszystkich lat", "en": "Same breaks for every year"},
    "fixed_help": {
        "pl": "Kolory można wtedy porównywać między latami.",
        "en": "Colours can then be compared between years.",
    },
    "palette": {"pl": "Paleta", "en": "Palette"},
    "palette_blues": {"pl": "niebieska", "en": "blues"},
    "palette_yl_gn_bu": {"pl": "żółto-zielono-niebieska", "en": "yellow-green-blue"},
    "palette_purples": {"pl": "fioletowa", "en": "purples"},
    "reference": {"pl": "Skala rozbieżna wokół", "en": "Diverging scale around"},
    "reference_none": {"pl": "— brak (skala sekwencyjna)", "en": "— none (sequential scale)"},
    "reference_avg": {"pl": "średniej pokazanych jednostek", "en": "the average of the shown units"},
    "reference_unit": {"pl": "wartości wybranej jednostki", "en": "the value of a chosen unit"},
    "reference_unit_pick": {"pl": "Jednostka odniesienia", "en": "Reference unit"},
    "reference_help": {
        "pl": "Czerwony = gorzej, niebieski = lepiej, zgodnie z kierunkiem wskaźnika.",
        "en": "Red = worse, blue = better, by the indicator's direction.",
    },
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
    "rank_help": {
        "pl": "1 = najlepiej wg kierunku wskaźnika (dla neutralnych: najwyżej).",
        "en": "1 = best by the indicator's direction (highest for neutral ones).",
    },
    "change_since": {"pl": "Zmiana od {year}", "en": "Change since {year}"},
    "change_5": {"pl": "Zmiana w 5 lat", "en": "Change over 5 years"},
    "average_shown": {"pl": "Średnia pokazanych jednostek", "en": "Average of the shown units"},
    "parent": {"pl": "Jednostka nadrzędna", "en": "Parent unit"},
    "proposals_in_unit": {"pl": "Wnioski w tej jednostce", "en": "Proposals in this unit"},
    "no_proposals_here": {"pl": "Brak wniosków w tej jednostce.", "en": "No proposals in this unit."},
    "table": {"pl": "Tabela danych mapy", "en": "The table behind the map"},
    "download": {"pl": "Pobierz", "en": "Download"},
    "png_hint": {
        "pl": "Mapa jako PNG: ikona aparatu nad mapą (z legendą i tytułem).",
        "en": "The map as PNG: the camera icon above the map (with legend and title).",
    },
    "not_on_map": {
        "pl": "Wnioski bez punktu na mapie (ogólnomiejskie lub bez lokalizacji): {n}",
        "en": "Proposals without a point on the map (city-wide or not located): {n}",
    },
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
    "lsr_page": {"pl": "Obszar LSR", "en": "LSR area"},
    "revit_page": {"pl": "Rewitalizacja", "en": "Revitalisation"},
    "proposals_page": {"pl": "Wnioski mieszkańców", "en": "Residents' proposals"},
    "lsr_title": {"pl": "Kreator obszaru LSR", "en": "LSR coverage builder"},
    "lsr_intro": {
        "pl": "Wybierz jednostki obszaru Lokalnej Strategii Rozwoju — klikając mapę albo z listy. Liczba "
        "mieszkańców, powierzchnia, spójność i zgodność z wybranym profilem reguł liczą się na bieżąco.",
        "en": "Choose the units of the Local Development Strategy area — by clicking the map or from the list. "
        "Population, area, coherence and the rule profile's verdict update as you go.",
    },
    "profile": {"pl": "Profil reguł", "en": "Rule profile"},
    "population_year": {"pl": "Rok danych o ludności", "en": "Population year"},
    "lsr_members": {"pl": "Jednostki w obszarze", "en": "Member units"},
    "lsr_pick": {"pl": "Wybierz jednostki…", "en": "Choose units…"},
    "lsr_pick_hint": {
        "pl": "Kliknij jednostki na mapie albo wybierz je z listy.",
        "en": "Click units on the map or pick them from the list.",
    },
    "population": {"pl": "Ludność", "en": "Population"},
    "area_km2": {"pl": "Powierzchnia [km²]", "en": "Area [km²]"},
    "pieces": {"pl": "Części (spójność)", "en": "Pieces (coherence)"},
    "verdict_ok": {"pl": "Reguły spełnione", "en": "The rules hold"},
    "verdict_fail": {"pl": "Reguły niespełnione", "en": "The rules do not hold"},
    "legal_source": {"pl": "Podstawa prawna", "en": "Legal source"},
    "in_area": {"pl": "w obszarze", "en": "in the area"},
    "outside_area": {"pl": "poza obszarem", "en": "outside"},
    "click_to_toggle": {
        "pl": "Kliknięcie jednostki dodaje ją do obszaru albo ją z niego usuwa.",
        "en": "Clicking a unit adds it to the area or takes it out.",
    },
    "save_export": {"pl": "Zapis i eksport", "en": "Save and export"},
    "area_name": {"pl": "Nazwa obszaru", "en": "Area name"},
    "lsr_default_name": {"pl": "Obszar LSR", "en": "LSR area"},
    "area_id": {"pl": "Identyfikator", "en": "Identifier"},
    "period": {"pl": "Okres programowania", "en": "Programming period"},
    "save_area": {"pl": "Zapisz jako obszar programowy", "en": "Save as a programme area"},
    "area_saved": {
        "pl": "Zapisano obszar „{id}”: jest teraz warstwą na mapie.",
        "en": "Saved area '{id}': it is now a map overlay.",
    },
    "revit_title": {"pl": "Obszar zdegradowany i obszar rewitalizacji", "en": "Degraded area and revitalisation area"},
    "revit_intro": {
        "pl": "Ustawa o rewitalizacji (2015): jednostka jest zdegradowana, gdy ma koncentrację problemów "
        "społecznych i co najmniej jeden problem gospodarczy, środowiskowy, przestrzenno-funkcjonalny lub"
        " techniczny (art. 9). Obszar rewitalizacji: najwyżej 20% powierzchni i 30% mieszkańców gminy "
        "(art. 10 ust. 2).",
        "en": "Revitalisation Act 2015: a unit is degraded when social problems concentrate there together with"
        " at least one economic, environmental, spatial-functional or technical problem (art. 9). The "
        "revitalisation area may cover at most 20% of the gmina's area and 30% of its residents (art. "
        "10(2)).",
    },
    "revit_none": {
        "pl": "Delimitacja potrzebuje gminy podzielonej na jednostki (np. urbanistyczne) ze wskaźnikami.",
        "en": "Delimitation needs a gmina divided into units (e.g. urban units) with indicators.",
    },
    "revit_whole": {"pl": "Gmina", "en": "Gmina"},
    "min_social": {"pl": "Min. liczba problemów społecznych", "en": "Min. number of social problems"},
    "min_social_help": {
        "pl": "Ile wskaźników społecznych musi wskazywać problem, by mówić o koncentracji (art. 9 ust. 1).",
        "en": "How many social indicators must flag a problem for it to be concentrated (art. 9(1)).",
    },
    "criteria": {"pl": "Kryteria", "en": "Criteria"},
    "criteria_help": {
        "pl": "Jeden wiersz na wskaźnik: rodzaj problemu i reguła. worse_than_average — gorzej niż średnia "
        "gminy; worse_by_percent — gorzej o podany procent; threshold — poza podanym progiem. „Gorzej” "
        "wynika z kierunku wskaźnika w katalogu.",
        "en": "One row per indicator: the kind of problem and the rule. worse_than_average — worse than the "
        "gmina average; worse_by_percent — worse by the given percentage; threshold — beyond the given "
        "threshold. 'Worse' follows the indicator's direction in the catalogue.",
    },
    "use": {"pl": "Użyj", "en": "Use"},
    "problem_group": {"pl": "Rodzaj problemu", "en": "Problem"},
    "rule": {"pl": "Reguła", "en": "Rule"},
    "rule_value": {"pl": "Wartość (% lub próg)", "en": "Value (% or threshold)"},
    "rule_value_help": {
        "pl": "Procent dla worse_by_percent, próg dla threshold.",
        "en": "Percent for worse_by_percent, the threshold for threshold.",
    },
    "degraded_units": {"pl": "Jednostki zdegradowane", "en": "Degraded units"},
    "revit_area": {
        "pl": "Obszar rewitalizacji (spośród zdegradowanych)",
        "en": "Revitalisation area (among degraded units)",
    },
    "area_share": {"pl": "Udział w powierzchni gminy", "en": "Share of the gmina's area"},
    "population_share": {"pl": "Udział w liczbie mieszkańców", "en": "Share of the residents"},
    "revit_pick_hint": {
        "pl": "Wybierz jednostki obszaru rewitalizacji spośród zdegradowanych.",
        "en": "Choose the revitalisation area among the degraded units.",
    },
    "revit_area_short": {"pl": "Obszar rewitalizacji", "en": "Revitalisation area"},
    "degraded_short": {"pl": "Obszar zdegradowany", "en": "Degraded area"},
    "not_degraded": {"pl": "pozostałe", "en": "other units"},
    "click_to_toggle_degraded": {
        "pl": "Kliknięcie jednostki zdegradowanej dodaje ją do obszaru rewitalizacji albo ją usuwa.",
        "en": "Clicking a degraded unit adds it to the revitalisation area or takes it out.",
    },
    "delimitation_table": {
        "pl": "Tabela delimitacji: jednostka × wskaźnik",
        "en": "Delimitation table: unit × indicator",
    },
    "delimitation_hint": {
        "pl": "Zdegradowana = co najmniej {n} problem(y) społeczne i co najmniej jeden inny.",
        "en": "Degraded = at least {n} social problem(s) and at least one other.",
    },
    "problem": {"pl": "problem", "en": "problem"},
    "yes": {"pl": "tak", "en": "yes"},
    "no": {"pl": "nie", "en": "no"},
    "save_areas": {"pl": "Zapisz jako obszary programowe", "en": "Save as programme areas"},
    "areas_saved": {
        "pl": "Zapisano obszar zdegradowany i obszar rewitalizacji.",
        "en": "Saved the degraded and revitalisation areas.",
    },
    "proposals_title": {"pl": "Wnioski mieszkańców", "en": "Residents' proposals"},
    "proposals_none": {
        "pl": "W magazynie nie ma wniosków mieszkańców.",
        "en": "The store has no residents' proposals.",
    },
    "filters": {"pl": "Filtry", "en": "Filters"},
    "search_text": {"pl": "Szukaj w tytule i opisie", "en": "Search titles and descriptions"},
    "goal_filter_help": {"pl": "Cel obejmuje swoje cele szczegółowe.", "en": "A goal includes its sub-goals."},
    "edition": {"pl": "Edycja", "en": "Edition"},
    "unit": {"pl": "Jednostka", "en": "Unit"},
    "cost_range": {"pl": "Koszt", "en": "Cost"},
    "proposals_count": {"pl": "Pokazano {n} z {total} wniosków.", "en": "Showing {n} of {total} proposals."},
    "heard_none": {"pl": "bez wniosków", "en": "no proposals"},
    "proposals_map_sub": {
        "pl": "jednostki wg liczby wniosków; punkty wg statusu",
        "en": "units by number of proposals; points by status",
    },
    "proposals_per_unit": {"pl": "Wnioski w jednostkach", "en": "Proposals per unit"},
    "units_not_heard": {
        "pl": "{n} jednostek bez żadnego wniosku: {names}",
        "en": "{n} units without a single proposal: {names}",
    },
    "proposals_n": {"pl": "Wnioski", "en": "Proposals"},
    "cost_total": {"pl": "Koszt łączny [zł]", "en": "Total cost [PLN]"},
    "selected_n": {"pl": "Wybrane", "en": "Selected"},
    "cost_per_resident": {"pl": "Koszt na mieszkańca [zł]", "en": "Cost per resident [PLN]"},
    "per_1000": {"pl": "Wnioski na 1000 mieszk.", "en": "Proposals per 1,000 residents"},
    "goal_mix": {"pl": "Cele (liczba)", "en": "Goals (count)"},
    "proposals_per_goal": {"pl": "Wnioski według celów", "en": "Proposals by goal"},
    "share_selected": {"pl": "Udział wybranych", "en": "Share selected"},
    "proposals_list": {"pl": "Lista wniosków", "en": "Proposals"},
    "not_precise": {"pl": "Wnioski bez dokładnej lokalizacji", "en": "Proposals not precisely located"},
    "not_precise_hint": {
        "pl": "Ogólnomiejskie, bez współrzędnych albo w punkcie wspólnym z innymi: nie ma ich na mapie jako punktów.",
        "en": "City-wide, without coordinates, or on a point shared with others: not shown as points on the map.",
    },
    "compare_page": {"pl": "Porównanie", "en": "Compare"},
    "compare_title": {"pl": "Porównanie jednostek", "en": "Compare units"},
    "compare_intro": {
        "pl": "Wybierz 2–6 jednostek (z listy albo klikając mapę) i grupę porównawczą. Zielone: lepiej niż "
        "średnia grupy, czerwone: gorzej — zgodnie z kierunkiem wskaźnika.",
        "en": "Choose 2–6 units (from the list or by clicking the map) and a comparison group. Green: better "
        "than the group average, red: worse — following the indicator's direction.",
    },
    "group": {"pl": "Grupa porównawcza", "en": "Comparison group"},
    "group_all": {"pl": "wszystkie jednostki poziomu", "en": "all units of the level"},
    "group_area": {"pl": "członkowie obszaru", "en": "members of the area"},
    "group_type": {"pl": "gminy typu", "en": "gminy of type"},
    "group_size": {"pl": "klasa wielkości", "en": "size class"},
    "group_county_cities": {"pl": "miasta na prawach powiatu", "en": "cities with county rights"},
    "grp_urban": {"pl": "miejskie", "en": "urban"},
    "grp_rural": {"pl": "wiejskie", "en": "rural"},
    "grp_urban_rural": {"pl": "miejsko-wiejskie", "en": "urban-rural"},
    "grp_lt5k": {"pl": "poniżej 5 tys. mieszk.", "en": "under 5,000 residents"},
    "grp_5k_20k": {"pl": "5–20 tys. mieszk.", "en": "5,000–20,000 residents"},
    "grp_20k_50k": {"pl": "20–50 tys. mieszk.", "en": "20,000–50,000 residents"},
    "grp_50k_100k": {"pl": "50–100 tys. mieszk.", "en": "50,000–100,000 residents"},
    "grp_100kplus": {"pl": "100 tys. mieszk. i więcej", "en": "100,000 residents and more"},
    "index_settings": {"pl": "Indeks syntetyczny", "en": "Composite index"},
    "normalisation": {"pl": "Normalizacja", "en": "Normalisation"},
    "norm_minmax": {"pl": "min–max (0–1)", "en": "min–max (0–1)"},
    "norm_zscore": {"pl": "standaryzacja (z)", "en": "z-score"},
    "change_span": {"pl": "Zmiana w ciągu (lat)", "en": "Change over (years)"},
    "max_missing": {"pl": "Maks. udział brakujących wskaźników", "en": "Max. share of missing indicators"},
    "compare_pick": {"pl": "Jednostki do porównania (2–6)", "en": "Units to compare (2–6)"},
    "compare_group_size": {
        "pl": "Grupa porównawcza: {group}, {n} jednostek.",
        "en": "Comparison group: {group}, {n} units.",
    },
    "chosen": {"pl": "wybrane", "en": "chosen"},
    "in_group": {"pl": "w grupie", "en": "in the group"},
    "outside_group": {"pl": "poza grupą", "en": "outside the group"},
    "compare_hint": {"pl": "Wybierz co najmniej dwie jednostki.", "en": "Choose at least two units."},
    "compare_values": {"pl": "Wartości wskaźników", "en": "Indicator values"},
    "compare_values_hint": {
        "pl": "W komórce: wartość (miejsce wśród jednostek grupy z danymi; jednostka spoza grupy — miejsce, które "
        "zajęłaby w grupie), różnica od średniej grupy (bez jednostek spoza niej).",
        "en": "In each cell: value (rank among the group's units with data; for a unit outside the group, the rank it "
        "would take in it), difference from the group's average (without units from outside it).",
    },
    "domain_scores": {"pl": "Wyniki w wymiarach indeksu", "en": "Index scores by domain"},
    "overall": {"pl": "ogółem", "en": "overall"},
    "score_breakdown": {
        "pl": "Skąd te wyniki: wartości i wartości znormalizowane",
        "en": "Where the scores come from: values and normalised values",
    },
    "time_series": {"pl": "Szeregi czasowe", "en": "Time series"},
    "group_average": {"pl": "średnia grupy", "en": "group average"},
    "level_change": {"pl": "Poziom i zmiana", "en": "Level and change"},
    "level_change_hint": {
        "pl": "Oś pozioma: wynik ogółem teraz; pionowa: zmiana wyniku od {start} r. ({span} lat). Linie: "
        "mediana grupy i brak zmiany.",
        "en": "Across: the overall score now; up: its change since {start} ({span} years). Lines: the group's "
        "median and no change.",
    },
    "score_now": {"pl": "Wynik ogółem {year}", "en": "Overall score {year}"},
    "score_change": {"pl": "Zmiana wyniku w {span} lat", "en": "Change over {span} years"},
    "synthetic_mark": {
        "pl": "DANE SYNTETYCZNE — nie są to prawdziwe liczby",
        "en": "SYNTHETIC DATA — not real figures",
    },
    "rank_of": {"pl": "{rank}. z {of}", "en": "{rank} of {of}"},
    "rank_of_outside": {
        "pl": "{rank}. wśród {of} z grupy + ta jednostka spoza niej",
        "en": "{rank} among the group's {of} + this unit from outside it",
    },
    "q_strong_improving": {"pl": "silna i poprawiająca się", "en": "strong and improving"},
    "q_strong_declining": {"pl": "silna, ale pogarszająca się", "en": "strong but declining"},
    "q_weak_improving": {"pl": "słaba, ale poprawiająca się", "en": "weak but improving"},
    "q_weak_declining": {"pl": "słaba i pogarszająca się", "en": "weak and declining"},
    "hotspots": {"pl": "Tryb skupisk (lokalne I Morana)", "en": "Hotspot mode (local Moran's I)"},
    "hotspots_help": {
        "pl": "Zamiast klas wartości: skupiska wysokich i niskich wartości oraz jednostki odstające, z testem "
        "permutacyjnym (999 permutacji) i sąsiedztwem typu queen z granic jednostek.",
        "en": "Instead of value classes: clusters of high and low values and outliers, tested by 999 "
        "permutations, with queen contiguity from the unit boundaries.",
    },
    "significance": {"pl": "Poziom istotności", "en": "Significance level"},
    "hotspots_sub": {"pl": "skupiska, p ≤ {p}", "en": "hotspots, p ≤ {p}"},
    "hs_high_high": {"pl": "wysokie wśród wysokich", "en": "high among high"},
    "hs_low_low": {"pl": "niskie wśród niskich", "en": "low among low"},
    "hs_high_low": {"pl": "wysokie wśród niskich", "en": "high among low"},
    "hs_low_high": {"pl": "niskie wśród wysokich", "en": "low among high"},
    "hs_not_significant": {"pl": "nieistotne", "en": "not significant"},
    "hs_no_neighbours": {"pl": "bez sąsiadów z danymi", "en": "no neighbours with data"},
    "group_saved": {"pl": "zapisana grupa", "en": "saved group"},
    "save_group": {
        "pl": "Zapisz wybrane jednostki jako grupę porównawczą",
        "en": "Save the chosen units as a comparison group",
    },
    "group_name": {"pl": "Nazwa grupy", "en": "Group name"},
    "group_name_hint": {"pl": "np. miasta podobne do naszego", "en": "e.g. cities like ours"},
    "save_group_button": {"pl": "Zapisz grupę", "en": "Save the group"},
    "group_saved_msg": {
        "pl": "Zapisano grupę „{name}”: jest teraz na liście grup porównawczych.",
        "en": "Saved the group '{name}': it is now in the list of comparison groups.",
    },
    "indicator_weights": {"pl": "Wagi wskaźników w indeksie", "en": "Indicator weights in the index"},
    "weight": {"pl": "Waga", "en": "Weight"},
    "hotspots_legend": {"pl": "lokalne I Morana", "en": "local Moran's I"},
}


def t(key: str, lang: str) -> str:
    """The text for ``key`` in ``lang`` (Polish when a translation is missing)."""
    entry = TEXTS[key]
    return entry.get(lang) or entry["pl"]


def decimals_for(values: list[float]) -> int:
    """Decimal places that tell class bounds apart without noise."""
    span = max((abs(v) for v in values if v == v), default=0.0)
    return 0 if span >= 1000 else 1 if span >= 10 else 2
