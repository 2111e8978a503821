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
}


def t(key: str, lang: str) -> str:
    """The text for ``key`` in ``lang`` (Polish when a translation is missing)."""
    entry = TEXTS[key]
    return entry.get(lang) or entry["pl"]
