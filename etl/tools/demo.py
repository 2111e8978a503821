"""The built-in demo workspace: a fictional city and its functional urban area, generated deterministically.

Everything here is synthetic and labelled so. The generator writes an ordinary workspace (workspace.toml plus
GeoJSON and CSV files in Polish conventions), the same format a city writes for its own data, into
``workspaces/demo/``. Regenerate with ``python -m etl.tools.demo`` (same seed, same files).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Point, Polygon

SEED = 2024
YEARS = list(range(2013, 2025))
CENTRE_2180 = (541_000.0, 470_600.0)  # central Poland; the places are fictional
REPO_DEMO = Path(__file__).resolve().parents[2] / "workspaces" / "demo"

CITY = ("9861011", "Nadrzecze")
URBAN_UNITS = [
    # name, profile: (centrality, industry, suburban growth, affluence, age)
    ("Stare Miasto", (1.0, 0.1, 0.0, 0.25, 0.9)),
    ("Śródmieście", (0.9, 0.1, 0.1, 0.6, 0.7)),
    ("Przedmieście Wschodnie", (0.7, 0.3, 0.1, 0.3, 0.7)),
    ("Zakole", (0.6, 0.1, 0.3, 0.7, 0.5)),
    ("Kolonia Fabryczna", (0.5, 1.0, 0.0, 0.2, 0.6)),
    ("Huta", (0.4, 0.9, 0.1, 0.25, 0.55)),
    ("Nowe Osiedle", (0.5, 0.2, 0.4, 0.5, 0.4)),
    ("Bielany", (0.5, 0.1, 0.3, 0.8, 0.5)),
    ("Podgórze", (0.4, 0.3, 0.3, 0.45, 0.5)),
    ("Zielone Wzgórze", (0.2, 0.0, 0.9, 0.85, 0.2)),
    ("Przystań", (0.3, 0.2, 0.5, 0.6, 0.35)),
    ("Kępa", (0.2, 0.1, 0.7, 0.7, 0.25)),
    ("Dworcowa", (0.7, 0.5, 0.0, 0.3, 0.6)),
    ("Lipowe Pole", (0.2, 0.1, 1.0, 0.75, 0.15)),
    ("Wrzosowisko", (0.1, 0.0, 0.8, 0.65, 0.2)),
    ("Stawki", (0.3, 0.6, 0.2, 0.35, 0.5)),
    ("Łęgi", (0.1, 0.2, 0.6, 0.5, 0.3)),
]
# name, TERYT type (1 urban, 2 rural, 3 urban-rural), powiat: W(est) or E(ast), profile
GMINY = [
    ("Borowiec", "2", (0.3, 0.1, 0.9, 0.7, 0.3)),
    ("Dębnica", "3", (0.3, 0.3, 0.6, 0.5, 0.4)),
    ("Jabłonowo", "2", (0.2, 0.0, 0.7, 0.6, 0.35)),
    ("Kamionka", "2", (0.1, 0.4, 0.2, 0.3, 0.6)),
    ("Lipniki", "2", (0.1, 0.0, 0.1, 0.3, 0.75)),
    ("Modrzewie", "3", (0.2, 0.2, 0.4, 0.45, 0.5)),
    ("Olszyny", "2", (0.1, 0.0, 0.0, 0.2, 0.85)),
    ("Podlesie", "2", (0.2, 0.0, 0.8, 0.75, 0.3)),
    ("Rudnik", "1", (0.4, 0.8, 0.1, 0.35, 0.6)),
    ("Sosnowice", "2", (0.1, 0.1, 0.2, 0.3, 0.65)),
    ("Topolany", "3", (0.2, 0.2, 0.5, 0.5, 0.4)),
    ("Wierzbno", "2", (0.1, 0.0, 0.3, 0.35, 0.6)),
    ("Zalesie", "2", (0.2, 0.0, 0.9, 0.8, 0.25)),
    ("Grabowo", "2", (0.1, 0.0, 0.0, 0.25, 0.8)),
    ("Jeziorna", "3", (0.2, 0.1, 0.5, 0.55, 0.45)),
    ("Krzewina", "2", (0.1, 0.1, 0.1, 0.3, 0.7)),
    ("Łąkowo", "2", (0.2, 0.0, 0.6, 0.6, 0.35)),
    ("Miłoradz", "1", (0.4, 0.5, 0.1, 0.4, 0.55)),
    ("Osiny", "2", (0.1, 0.0, 0.2, 0.3, 0.7)),
    ("Brzeziny Małe", "2", (0.1, 0.2, 0.3, 0.35, 0.6)),
]


@dataclass(frozen=True)
class IndicatorSpec:
    id: str
    name_pl: str
    name_en: str
    unit: str
    domain: str
    direction: str
    description: str
    decimals: int
    aggregate: str  # how the city gmina gets its value from its urban units: 'sum' or 'mean' (population-weighted)
    derived: tuple[str, str, str] | None = None  # (kind, of, per): computed by the Atlas, not written to the files


#: Lithuanian names of the demo's indicators and goals (the interface's third language).
NAMES_LT = {
    "population": "Gyventojų skaičius (gruodžio 31 d.)",
    "residents_65_plus": "65 metų ir vyresni gyventojai",
    "businesses": "Ūkio subjektai REGON registre",
    "area_km2": "Plotas",
    "density": "Gyventojų tankis",
    "share_65_plus": "65 metų ir vyresnių gyventojų dalis",
    "share_0_17": "0–17 metų gyventojų dalis",
    "unemployment": "Registruoti bedarbiai, % darbingo amžiaus gyventojų",
    "social_assistance": "Socialinę paramą gaunančių namų ūkių gyventojai 1000 gyventojų",
    "births_per_1000": "Gyvi gimusieji 1000 gyventojų",
    "net_migration_per_1000": "Neto migracija 1000 gyventojų",
    "crime_per_1000": "Užregistruoti nusikaltimai 1000 gyventojų",
    "exam_score": "Vidutinis 8 klasės matematikos egzamino rezultatas",
    "preschool_coverage": "3–5 metų vaikai ikimokyklinio ugdymo įstaigose",
    "businesses_per_1000": "Ūkio subjektai REGON registre 1000 gyventojų",
    "new_businesses_per_1000": "Naujai įregistruoti ūkio subjektai 1000 gyventojų",
    "pit_per_capita": "GPM pajamos vienam gyventojui",
    "vacant_premises": "Tuščios pirmo aukšto komercinės patalpos",
    "price_m2": "Būsto kvadratinio metro kainos mediana",
    "pm10": "Vidutinė metinė KD10 koncentracija",
    "green_share": "Žaliųjų plotų dalis",
    "dwellings_per_1000": "Būstai 1000 gyventojų",
    "new_dwellings_per_1000": "Pastatyti būstai 1000 gyventojų",
    "pre1945_share": "Iki 1945 m. pastatyti gyvenamieji pastatai",
    "sewer_share": "Prie nuotekų tinklo prijungti gyventojai",
    "transit_access": "Gyventojai 500 m atstumu nuo stotelės",
    "own_revenue_per_capita": "Nuosavos pajamos vienam gyventojui",
    "investment_share": "Investicijų išlaidos, % visų išlaidų",
    "eu_funds_per_capita": "ES lėšos vienam gyventojui",
    "ngo_per_10000": "Fondai ir asociacijos 10 000 gyventojų",
    "pb_turnout": "Dalyvaujamojo biudžeto aktyvumas",
}
GOALS_LT = {
    "1": "Strateginiai tikslai: darnus miestas",
    "1.1": "Aplinkai draugiškas miestas",
    "1.2": "Ekonominis konkurencingumas",
    "1.3": "Pilietinė tapatybė",
    "2": "Strateginiai tikslai: bendruomenė",
    "2.1": "Viešųjų paslaugų kokybė",
    "2.2": "Socialinis dialogas",
}

INDICATORS = [
    IndicatorSpec(
        "population",
        "Ludność (stan na 31 grudnia)",
        "Population (31 December)",
        "osoby",
        "social",
        "neutral",
        "Residents registered at 31 December.",
        0,
        "sum",
    ),
    IndicatorSpec(
        "residents_65_plus",
        "Ludność w wieku 65+",
        "Residents aged 65+",
        "osoby",
        "social",
        "neutral",
        "Residents aged 65 and over at 31 December.",
        0,
        "sum",
    ),
    IndicatorSpec(
        "businesses",
        "Podmioty gospodarki narodowej w rejestrze REGON",
        "Businesses in REGON",
        "podmioty",
        "economic",
        "neutral",
        "Entities in the REGON register at 31 December.",
        0,
        "sum",
    ),
    IndicatorSpec(
        "area_km2",
        "Powierzchnia",
        "Area",
        "km²",
        "environmental-spatial",
        "neutral",
        "Area computed from the boundary.",
        2,
        "sum",
    ),
    IndicatorSpec(
        "density",
        "Gęstość zaludnienia",
        "Population density",
        "os./km²",
        "environmental-spatial",
        "neutral",
        "Residents per km².",
        0,
        "ratio",
    ),
    IndicatorSpec(
        "share_65_plus",
        "Udział osób w wieku 65+",
        "Share of residents aged 65+",
        "%",
        "social",
        "lower_is_better",
        "Residents aged 65 and over, % of all residents.",
        1,
        "mean",
        ("share", "residents_65_plus", "population"),
    ),
    IndicatorSpec(
        "share_0_17",
        "Udział osób w wieku 0–17",
        "Share of residents aged 0–17",
        "%",
        "social",
        "higher_is_better",
        "Residents aged 0–17, % of all residents.",
        1,
        "mean",
    ),
    IndicatorSpec(
        "unemployment",
        "Udział bezrobotnych w ludności w wieku produkcyjnym",
        "Registered unemployed, % of working-age residents",
        "%",
        "social",
        "lower_is_better",
        "Registered unemployed as a share of residents aged 18–64.",
        1,
        "mean",
    ),
    IndicatorSpec(
        "social_assistance",
        "Osoby w gospodarstwach korzystających z pomocy społecznej na 1000 mieszk.",
        "Residents in households on social assistance per 1,000",
        "‰",
        "social",
        "lower_is_better",
        "Beneficiaries of environmental social assistance per 1,000 residents.",
        1,
        "mean",
    ),
    IndicatorSpec(
        "births_per_1000",
        "Urodzenia żywe na 1000 ludności",
        "Live births per 1,000 residents",
        "‰",
        "social",
        "higher_is_better",
        "Live births per 1,000 residents.",
        1,
        "mean",
    ),
    IndicatorSpec(
        "net_migration_per_1000",
        "Saldo migracji na 1000 ludności",
        "Net migration per 1,000 residents",
        "‰",
        "social",
        "higher_is_better",
        "Net registered migration per 1,000 residents.",
        1,
        "mean",
    ),
    IndicatorSpec(
        "crime_per_1000",
        "Przestępstwa stwierdzone na 1000 mieszk.",
        "Recorded crimes per 1,000",
        "‰",
        "social",
        "lower_is_better",
        "Crimes recorded by the police per 1,000 residents.",
        1,
        "mean",
    ),
    IndicatorSpec(
        "exam_score",
        "Średni wynik egzaminu ósmoklasisty z matematyki",
        "Average grade-8 exam score in mathematics",
        "%",
        "social",
        "higher_is_better",
        "Mean score of the grade-8 mathematics exam, % of points.",
        1,
        "mean",
    ),
    IndicatorSpec(
        "preschool_coverage",
        "Dzieci w wieku 3–5 lat objęte wychowaniem przedszkolnym",
        "Children aged 3–5 in pre-school",
        "%",
        "social",
        "higher_is_better",
        "Share of children aged 3–5 attending pre-school.",
        1,
        "mean",
    ),
    IndicatorSpec(
        "businesses_per_1000",
        "Podmioty gospodarki narodowej w rejestrze REGON na 1000 mieszk.",
        "Businesses in REGON per 1,000 residents",
        "‰",
        "economic",
        "higher_is_better",
        "Entities in the REGON register per 1,000 residents.",
        1,
        "mean",
        ("per_1000", "businesses", "population"),
    ),
    IndicatorSpec(
        "new_businesses_per_1000",
        "Nowo zarejestrowane podmioty na 1000 mieszk.",
        "Newly registered businesses per 1,000 residents",
        "‰",
        "economic",
        "higher_is_better",
        "Entities newly entered in REGON in the year per 1,000 residents.",
        2,
        "mean",
    ),
    IndicatorSpec(
        "pit_per_capita",
        "Dochody z udziału w PIT na mieszkańca",
        "PIT revenue per resident",
        "zł",
        "economic",
        "higher_is_better",
        "The municipality's share of personal income tax per resident.",
        0,
        "mean",
    ),
    IndicatorSpec(
        "vacant_premises",
        "Udział pustostanów w lokalach użytkowych parteru",
        "Vacant ground-floor commercial premises",
        "%",
        "economic",
        "lower_is_better",
        "Share of ground-floor commercial premises standing empty (city survey).",
        1,
        "mean",
    ),
    IndicatorSpec(
        "price_m2",
        "Mediana ceny 1 m² mieszkania",
        "Median dwelling price per m²",
        "zł/m²",
        "economic",
        "neutral",
        "Median transaction price per m² of dwellings.",
        0,
        "mean",
    ),
    IndicatorSpec(
        "pm10",
        "Średnioroczne stężenie PM10",
        "Annual mean PM10 concentration",
        "µg/m³",
        "environmental-spatial",
        "lower_is_better",
        "Modelled annual mean PM10.",
        1,
        "mean",
    ),
    IndicatorSpec(
        "green_share",
        "Udział terenów zieleni",
        "Share of green areas",
        "%",
        "environmental-spatial",
        "higher_is_better",
        "Parks, forests and other green areas, % of the area.",
        1,
        "mean",
    ),
    IndicatorSpec(
        "dwellings_per_1000",
        "Mieszkania na 1000 mieszk.",
        "Dwellings per 1,000 residents",
        "‰",
        "environmental-spatial",
        "higher_is_better",
        "Dwelling stock per 1,000 residents.",
        0,
        "mean",
    ),
    IndicatorSpec(
        "new_dwellings_per_1000",
        "Mieszkania oddane do użytkowania na 1000 mieszk.",
        "Dwellings completed per 1,000 residents",
        "‰",
        "environmental-spatial",
        "higher_is_better",
        "Dwellings completed in the year per 1,000 residents.",
        1,
        "mean",
    ),
    IndicatorSpec(
        "pre1945_share",
        "Udział budynków mieszkalnych sprzed 1945 r.",
        "Residential buildings built before 1945",
        "%",
        "environmental-spatial",
        "lower_is_better",
        "Share of residential buildings built before 1945.",
        1,
        "mean",
    ),
    IndicatorSpec(
        "sewer_share",
        "Ludność korzystająca z sieci kanalizacyjnej",
        "Residents connected to sewers",
        "%",
        "environmental-spatial",
        "higher_is_better",
        "Share of residents connected to sewers.",
        1,
        "mean",
    ),
    IndicatorSpec(
        "transit_access",
        "Mieszkańcy w zasięgu 500 m od przystanku",
        "Residents within 500 m of a stop",
        "%",
        "environmental-spatial",
        "higher_is_better",
        "Share of residents living within 500 m of a public-transport stop.",
        1,
        "mean",
    ),
    IndicatorSpec(
        "own_revenue_per_capita",
        "Dochody własne na mieszkańca",
        "Own revenue per resident",
        "zł",
        "institutional",
        "higher_is_better",
        "Own revenue of the municipality per resident.",
        0,
        "mean",
    ),
    IndicatorSpec(
        "investment_share",
        "Udział wydatków inwestycyjnych w wydatkach ogółem",
        "Investment spending, % of total spending",
        "%",
        "institutional",
        "higher_is_better",
        "Capital spending as a share of total spending.",
        1,
        "mean",
    ),
    IndicatorSpec(
        "eu_funds_per_capita",
        "Środki z UE na mieszkańca",
        "EU funds per resident",
        "zł",
        "institutional",
        "higher_is_better",
        "EU funds spent in the year per resident.",
        0,
        "mean",
    ),
    IndicatorSpec(
        "ngo_per_10000",
        "Fundacje i stowarzyszenia na 10 tys. mieszk.",
        "Foundations and associations per 10,000 residents",
        "na 10 tys.",
        "institutional",
        "higher_is_better",
        "Registered foundations and associations per 10,000 residents.",
        1,
        "mean",
    ),
    IndicatorSpec(
        "pb_turnout",
        "Frekwencja w budżecie obywatelskim",
        "Participatory budget turnout",
        "%",
        "institutional",
        "higher_is_better",
        "Residents who voted in the participatory budget, %.",
        1,
        "mean",
    ),
]


# --- geometry ---------------------------------------------------------------------------------------------


def _blob(rng: np.random.Generator, centre: tuple[float, float], radius: float, wobble: float, n: int = 72) -> Polygon:
    """An irregular, roughly round polygon."""
    angles = np.linspace(0, 2 * math.pi, n, endpoint=False)
    phases = rng.uniform(0, 2 * math.pi, 4)
    r = radius * (1 + wobble * sum(np.sin(k * angles + phases[k - 2]) / k for k in range(2, 6)))
    return Polygon(np.column_stack([centre[0] + r * np.cos(angles), centre[1] + r * np.sin(angles)]))


def _displace(coords: np.ndarray, amplitude: float, seed_phases: np.ndarray) -> np.ndarray:
    """A smooth displacement field: the same point always moves the same way, so shared borders stay shared."""
    x, y = coords[:, 0] / 2500.0, coords[:, 1] / 2500.0
    p = seed_phases
    dx = np.sin(x * 1.3 + p[0]) * np.cos(y * 0.9 + p[1]) + 0.5 * np.sin(x * 3.1 + y * 2.3 + p[2])
    dy = np.cos(x * 0.8 + p[3]) * np.sin(y * 1.4 + p[4]) + 0.5 * np.cos(x * 2.7 - y * 3.3 + p[5])
    return coords + amplitude * np.column_stack([dx, dy]) / 1.5


def _voronoi(points: list[Point], clip: Polygon) -> list[Polygon]:
    cells = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=clip.buffer(5000))
    by_seed = []
    for point in points:
        cell = next(c for c in shapely.get_parts(cells) if c.contains(point))
        by_seed.append(cell.intersection(clip))
    return by_seed


def generate_geometry(rng: np.random.Generator) -> tuple[list[Polygon], list[Polygon]]:
    """Gmina polygons (the city first) and urban-unit polygons, in EPSG:2180, as one exact coverage."""
    cx, cy = CENTRE_2180
    region = _blob(rng, (cx, cy), 30_000, 0.25)
    seeds = [Point(cx, cy)]
    for k in range(len(GMINY)):
        ring = 12_000 if k % 2 == 0 else 22_000
        angle = 2 * math.pi * k / len(GMINY) + rng.uniform(-0.12, 0.12)
        radius = ring * rng.uniform(0.85, 1.15)
        seeds.append(Point(cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    gminy = _voronoi(seeds, region)
    city = gminy[0]
    unit_seeds: list[Point] = []
    inner = city.buffer(-600)
    attempts = 0
    while len(unit_seeds) < len(URBAN_UNITS):
        # denser towards the centre; the profile's centrality decides how far out a unit sits
        centrality = URBAN_UNITS[len(unit_seeds)][1][0]
        r = (0.15 + 0.85 * (1 - centrality)) * 5000 * rng.uniform(0.8, 1.1)
        a = rng.uniform(0, 2 * math.pi)
        p = Point(cx + r * math.cos(a), cy + r * math.sin(a))
        spacing = 1000 if attempts < 2000 else 500
        attempts += 1
        if inner.contains(p) and all(p.distance(q) > spacing for q in unit_seeds):
            unit_seeds.append(p)
    units = _voronoi(unit_seeds, city)

    # one noded linework for every border, made wiggly by one displacement field, then polygonized again
    lines = shapely.unary_union([g.boundary for g in gminy[1:]] + [u.boundary for u in units])
    lines = shapely.segmentize(lines, 250.0)
    phases = rng.uniform(0, 2 * math.pi, 6)
    lines = shapely.transform(lines, lambda c: _displace(c, 650.0, phases))
    lines = shapely.set_precision(lines, 1.0)
    faces = list(shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))))
    originals = units + gminy[1:]
    owner = []
    for face in faces:
        overlaps = [face.intersection(o).area for o in originals]
        owner.append(int(np.argmax(overlaps)))
    pieces: list[list[Polygon]] = [[] for _ in originals]
    for face, k in zip(faces, owner, strict=True):
        pieces[k].append(face)
    shapes = [shapely.union_all(p) if len(p) > 1 else p[0] for p in pieces]
    unit_shapes = shapes[: len(units)]
    city_shape = shapely.union_all(unit_shapes)
    return [city_shape] + shapes[len(units) :], unit_shapes


# --- indicators -------------------------------------------------------------------------------------------


def _profile_value(ind: str, p: tuple[float, ...], t: int, rng: np.random.Generator, urban: bool) -> float:
    """One synthetic value: a level set by the unit's profile, a trend over the years, and noise."""
    c, ind_, sub, aff, age = p
    n = rng.normal
    if ind == "share_65_plus":
        return 13 + 10 * age + t * (0.45 - 0.25 * sub) + n(0, 0.3)
    if ind == "share_0_17":
        return 14 + 8 * sub - 3 * age - t * (0.1 - 0.15 * sub) + n(0, 0.3)
    if ind == "unemployment":
        return max(0.8, (3 + 6 * (1 - aff) + (2 if not urban else 0)) * (1 - 0.06 * t) + n(0, 0.25))
    if ind == "social_assistance":
        return max(5, (25 + 90 * (1 - aff) ** 2) * (1 - 0.035 * t) + n(0, 2))
    if ind == "births_per_1000":
        return 7.5 + 5 * sub - 2 * age - 0.12 * t + n(0, 0.4)
    if ind == "net_migration_per_1000":
        return -4 + 18 * sub - 4 * c * (1 - aff) + n(0, 1.2)
    if ind == "crime_per_1000":
        return max(3, (10 + 20 * c * (1 - aff) + 6 * ind_) * (1 - 0.03 * t) + n(0, 0.8))
    if ind == "exam_score":
        return 40 + 25 * aff - 5 * (1 - c) * (0 if urban else 1) + 0.3 * t + n(0, 1.5)
    if ind == "preschool_coverage":
        return min(99.5, 70 + 15 * aff + 10 * c + 1.2 * t + n(0, 1.5))
    if ind == "businesses_per_1000":
        return (80 + 150 * c * aff + 40 * sub + (30 if urban else 0)) * (1 + 0.025 * t) + n(0, 3)
    if ind == "new_businesses_per_1000":
        return max(2, 6 + 9 * c * aff + 4 * sub + 0.15 * t + n(0, 0.6))
    if ind == "pit_per_capita":
        return (900 + 1200 * aff + (300 if urban else 0)) * (1 + 0.075 * t) + n(0, 40)
    if ind == "vacant_premises":
        return max(1, 4 + 18 * c * (1 - aff) + 3 * ind_ - 0.2 * t + n(0, 1.0))
    if ind == "price_m2":
        return (3200 + 2600 * aff + 1500 * c + (1000 if urban else -800)) * (1 + 0.07 * t) + n(0, 120)
    if ind == "pm10":
        return max(12, 24 + 22 * ind_ + 8 * c + (6 * age if not urban else 0) - 0.9 * t + n(0, 1.2))
    if ind == "green_share":
        return min(85, max(3, 12 + 35 * (1 - c) + 10 * sub - 8 * ind_ + (25 if not urban else 0) + n(0, 1.5)))
    if ind == "dwellings_per_1000":
        return 380 + 120 * c - 40 * sub + t * (2 + 9 * sub) + n(0, 4)
    if ind == "new_dwellings_per_1000":
        return max(0.2, 1.5 + 14 * sub * (0.6 + 0.05 * t) + n(0, 0.6))
    if ind == "pre1945_share":
        return max(1, 6 + 60 * c * age * (1 - sub) - 0.15 * t + n(0, 1.0))
    if ind == "sewer_share":
        return min(99.8, (98 if urban else 55 + 25 * aff + 20 * sub) + (0 if urban else 1.6 * t) + n(0, 0.5))
    if ind == "transit_access":
        return min(99, (70 + 25 * c - 10 * sub if urban else 20 + 30 * c) + 0.6 * t + n(0, 1.5))
    if ind == "own_revenue_per_capita":
        return (1800 + 1600 * aff + (700 if urban else 0)) * (1 + 0.06 * t) + n(0, 60)
    if ind == "investment_share":
        return min(45, max(4, 12 + 10 * sub + 5 * math.sin(t / 1.7) + n(0, 2)))
    if ind == "eu_funds_per_capita":
        return max(0, (150 + 300 * (1 - aff) + 200 * c) * (1.3 + math.sin((t - 3) / 2.0)) + n(0, 30))
    if ind == "ngo_per_10000":
        return max(5, 18 + 35 * c * aff + 8 * aff + 0.5 * t + n(0, 1.2))
    if ind == "pb_turnout":
        return min(45, max(2, 6 + 10 * aff + 6 * (1 - c) - 4 * ind_ + 0.4 * t + n(0, 1.0)))
    raise KeyError(ind)


def _population_path(p: tuple[float, ...], base: float, rng: np.random.Generator) -> list[float]:
    c, _ind, sub, _aff, age = p
    growth = -0.009 * c - 0.006 * age + 0.028 * sub
    values: list[float] = []
    current = base
    for _ in YEARS:
        values.append(round(current))
        current *= 1 + growth + rng.normal(0, 0.002)
    return values


def generate_values(
    rng: np.random.Generator, gmina_area: list[float], unit_area: list[float]
) -> dict[str, dict[str, list[float]]]:
    """``{unit code: {indicator id: [value per year]}}`` for urban units and gminy (the city aggregated)."""
    values: dict[str, dict[str, list[float]]] = {}
    unit_codes = urban_unit_codes()
    for k, (_name, profile) in enumerate(URBAN_UNITS):
        base_pop = 6000 + 11000 * rng.uniform(0.3, 1.0) * (0.6 + 0.6 * profile[2])
        series = {"population": _population_path(profile, base_pop, rng), "area_km2": [unit_area[k]] * len(YEARS)}
        for spec in INDICATORS:
            if spec.id not in series and spec.id != "density" and spec.id not in COUNTS:
                series[spec.id] = [_profile_value(spec.id, profile, t, rng, True) for t in range(len(YEARS))]
        _counts(series)
        values[unit_codes[k]] = series
    # the city as a whole: counts are sums, rates population-weighted means of its units
    city: dict[str, list[float]] = {}
    for spec in INDICATORS:
        if spec.id == "density":
            continue
        per_year = []
        for t in range(len(YEARS)):
            members = [values[code] for code in unit_codes]
            if spec.aggregate == "sum":
                per_year.append(sum(m[spec.id][t] for m in members))
            else:
                weights = [m["population"][t] for m in members]
                per_year.append(sum(w * m[spec.id][t] for w, m in zip(weights, members, strict=True)) / sum(weights))
        city[spec.id] = per_year
    values[CITY[0]] = city
    for k, (_name, kind, profile) in enumerate(GMINY):
        base_pop = {"1": 16000, "3": 11000, "2": 5500}[kind] * rng.uniform(0.7, 1.4) * (0.8 + 0.6 * profile[2])
        series = {"population": _population_path(profile, base_pop, rng), "area_km2": [gmina_area[k + 1]] * len(YEARS)}
        urban = kind == "1"
        for spec in INDICATORS:
            if spec.id not in series and spec.id != "density" and spec.id not in COUNTS:
                series[spec.id] = [_profile_value(spec.id, profile, t, rng, urban) for t in range(len(YEARS))]
        _counts(series)
        values[gmina_codes()[k + 1]] = series
    for series in values.values():
        series["density"] = [p / a for p, a in zip(series["population"], series["area_km2"], strict=True)]
    return values


COUNTS = {"residents_65_plus": ("share_65_plus", 100.0), "businesses": ("businesses_per_1000", 1000.0)}


def _counts(series: dict[str, list[float]]) -> None:
    """Counts behind the derived rates (which the Atlas then computes from them)."""
    for count, (rate, scale) in COUNTS.items():
        if rate in series:
            series[count] = [round(p * r / scale) for p, r in zip(series["population"], series[rate], strict=True)]


# --- codes ------------------------------------------------------------------------------------------------


def gmina_codes() -> list[str]:
    """City first (9861011, a city with powiat rights), then gminy of powiaty 9801 (west) and 9802 (east)."""
    codes = [CITY[0]]
    counters = {"9801": 0, "9802": 0}
    for k, (_name, kind, _profile) in enumerate(GMINY):
        powiat = _powiat_of(k)
        counters[powiat] += 1
        codes.append(f"{powiat}{counters[powiat]:02d}{kind}")
    return codes


def _powiat_of(k: int) -> str:
    angle = 2 * math.pi * k / len(GMINY)
    return "9801" if math.cos(angle) < 0 else "9802"


def urban_unit_codes() -> list[str]:
    return [f"{CITY[0]}-{k + 1:02d}" for k in range(len(URBAN_UNITS))]


# --- proposals and programme areas ------------------------------------------------------------------------

GOALS = [
    ("1", "Cele strategiczne: miasto zrównoważone", "Strategic goals: a sustainable city"),
    ("1.1", "Miasto przyjazne środowisku", "Eco-friendly city"),
    ("1.2", "Konkurencyjność gospodarcza", "Economic competitiveness"),
    ("1.3", "Tożsamość obywatelska", "Civic identity"),
    ("2", "Cele strategiczne: wspólnota", "Strategic goals: community"),
    ("2.1", "Jakość usług publicznych", "Quality of public services"),
    ("2.2", "Dialog społeczny", "Social dialogue"),
]
PROPOSAL_IDEAS = {
    "1.1": [
        "Nasadzenia drzew przy ulicy {street}",
        "Ogród deszczowy na skwerze {street}",
        "Łąka kwietna zamiast trawnika przy {street}",
        "Stacja naprawy rowerów przy {street}",
    ],
    "1.2": [
        "Targowisko lokalnych producentów przy {street}",
        "Strefa coworkingu w bibliotece na {street}",
        "Remont pawilonów handlowych przy {street}",
    ],
    "1.3": [
        "Mural o historii dzielnicy na {street}",
        "Festyn sąsiedzki na placu {street}",
        "Tablice o dawnych mieszkańcach ulicy {street}",
    ],
    "2.1": [
        "Plac zabaw przy szkole na {street}",
        "Siłownia plenerowa przy {street}",
        "Bezpieczne przejście dla pieszych na {street}",
        "Ławki i cień na przystanku {street}",
    ],
    "2.2": [
        "Klub seniora w świetlicy na {street}",
        "Cykl spotkań rady osiedla z mieszkańcami",
        "Punkt konsultacji społecznych przy {street}",
    ],
}
STREETS = [
    "Lipowa",
    "Kościuszki",
    "Mickiewicza",
    "Polna",
    "Kolejowa",
    "Fabryczna",
    "Ogrodowa",
    "Szkolna",
    "Nadbrzeżna",
    "Słoneczna",
    "Młyńska",
    "Parkowa",
]
STATUS_WORDS = {  # the city's own words, mapped in the workspace file
    "złożony": "submitted",
    "w ocenie": "under_evaluation",
    "pozytywnie oceniony": "accepted",
    "odrzucony": "rejected",
    "wybrany do realizacji": "selected",
    "zrealizowany": "implemented",
}


def generate_proposals(rng: np.random.Generator, units_2180: list[Polygon]) -> list[dict]:
    """About 80 proposals: mostly points inside urban units, some city-wide, some on a unit's centre."""
    to_wgs = Transformer.from_crs("EPSG:2180", "EPSG:4326", always_xy=True)
    words = list(STATUS_WORDS)
    goals = list(PROPOSAL_IDEAS)
    centre_unit = 4  # Kolonia Fabryczna: its centre is used as the location for several proposals
    rows = []
    for n in range(80):
        goal = goals[int(rng.integers(len(goals)))]
        title = PROPOSAL_IDEAS[goal][int(rng.integers(len(PROPOSAL_IDEAS[goal])))].format(
            street=STREETS[int(rng.integers(len(STREETS)))]
        )
        edition = int(rng.choice([2022, 2023, 2024]))
        word = words[int(rng.choice([0, 1, 2, 3]))] if edition == 2024 else words[int(rng.choice([2, 3, 4, 5, 4]))]
        unit = int(rng.integers(len(units_2180)))
        lon = lat = ""  # no location: a city-wide proposal
        if n % 16 == 5:
            pass
        elif n % 11 == 3:
            point = units_2180[centre_unit].representative_point()
            lon, lat = to_wgs.transform(point.x, point.y)
        else:
            poly = units_2180[unit]
            xmin, ymin, xmax, ymax = poly.bounds
            while True:
                p = Point(rng.uniform(xmin, xmax), rng.uniform(ymin, ymax))
                if poly.contains(p):
                    break
            lon, lat = to_wgs.transform(p.x, p.y)
        rows.append(
            {
                "nr": f"W{edition}-{n + 1:03d}",
                "tytul": title,
                "opis": f"Wniosek mieszkańców (dane syntetyczne). Cel: {goal}.",
                "cel": goal,
                "kategoria": {
                    "1.1": "zieleń",
                    "1.2": "gospodarka",
                    "1.3": "kultura",
                    "2.1": "infrastruktura",
                    "2.2": "społeczne",
                }[goal],
                "status": word,
                "koszt": f"{int(rng.integers(2, 60)) * 10_000}",
                "glosy": "" if word in ("złożony", "w ocenie") else str(int(rng.integers(40, 1500))),
                "edycja": str(edition),
                "wnioskodawca": ["mieszkaniec", "organizacja pozarządowa", "rada osiedla"][int(rng.integers(3))],
                "lon": "" if lon == "" else _number(float(lon), 6),
                "lat": "" if lat == "" else _number(float(lat), 6),
            }
        )
    return rows


def _lsr_members(values: dict[str, dict[str, list[float]]]) -> list[str]:
    """The poorer units (most social assistance) until the LSR area holds 60–100 thousand residents."""
    codes = sorted(urban_unit_codes(), key=lambda c: -values[c]["social_assistance"][-1])
    members, total = [], 0.0
    for code in codes:
        if total >= 60_000:
            break
        members.append(code)
        total += values[code]["population"][-1]
    return sorted(members)


# --- writing ----------------------------------------------------------------------------------------------


def _feature_collection(features: list[dict], crs: str | None = None) -> str:
    doc: dict = {"type": "FeatureCollection"}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    doc["features"] = features
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


def _geojson_geometry(geom, decimals: int) -> dict:
    return json.loads(shapely.to_geojson(shapely.set_precision(geom, 10.0**-decimals)))


def _number(value: float, decimals: int) -> str:
    """Polish notation: decimal comma, no thousands separator in data files."""
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",")


def write_demo(target: Path = REPO_DEMO, *, seed: int = SEED) -> Path:
    """Generate the demo workspace into ``target``; returns the workspace file. Same seed, same bytes."""
    rng = np.random.default_rng(seed)
    gminy_2180, units_2180 = generate_geometry(rng)
    to_wgs = Transformer.from_crs("EPSG:2180", "EPSG:4326", always_xy=True)
    gminy_wgs = [
        shapely.transform(g, lambda c: np.column_stack(to_wgs.transform(c[:, 0], c[:, 1]))) for g in gminy_2180
    ]
    gmina_area = [round(g.area / 1e6, 2) for g in gminy_2180]
    unit_area = [round(u.area / 1e6, 2) for u in units_2180]
    values = generate_values(rng, gmina_area, unit_area)

    (target / "boundaries").mkdir(parents=True, exist_ok=True)
    (target / "indicators").mkdir(parents=True, exist_ok=True)
    codes = gmina_codes()
    names = [CITY[1]] + [g[0] for g in GMINY]
    kinds = ["1"] + [g[1] for g in GMINY]
    gmina_features = [
        {
            "type": "Feature",
            "properties": {"teryt": code, "nazwa": name, "rodzaj": kind},
            "geometry": _geojson_geometry(geom, 6),
        }
        for code, name, kind, geom in zip(codes, names, kinds, gminy_wgs, strict=True)
    ]
    (target / "boundaries" / "gminy.geojson").write_text(_feature_collection(gmina_features), "utf-8")

    powiaty = {
        "9861": ("Nadrzecze (miasto na prawach powiatu)", [0]),
        "9801": ("powiat nadrzecki zachodni", []),
        "9802": ("powiat nadrzecki wschodni", []),
    }
    for k, code in enumerate(codes[1:], start=1):
        powiaty[code[:4]][1].append(k)
    powiat_features = [
        {
            "type": "Feature",
            "properties": {"teryt": code, "nazwa": name},
            "geometry": _geojson_geometry(shapely.union_all([gminy_wgs[i] for i in members]), 6),
        }
        for code, (name, members) in powiaty.items()
    ]
    (target / "boundaries" / "powiaty.geojson").write_text(_feature_collection(powiat_features), "utf-8")
    voivodeship = [
        {
            "type": "Feature",
            "properties": {"teryt": "98", "nazwa": "województwo przykładowe"},
            "geometry": _geojson_geometry(shapely.union_all(gminy_wgs), 6),
        }
    ]
    (target / "boundaries" / "wojewodztwo.geojson").write_text(_feature_collection(voivodeship), "utf-8")
    unit_features = [
        {"type": "Feature", "properties": {"nr": k + 1, "nazwa": name}, "geometry": _geojson_geometry(geom, 0)}
        for k, ((name, _profile), geom) in enumerate(zip(URBAN_UNITS, units_2180, strict=True))
    ]
    (target / "boundaries" / "jednostki_urbanistyczne_2180.geojson").write_text(
        _feature_collection(unit_features, "urn:ogc:def:crs:EPSG::2180"), "utf-8"
    )

    # urban units: long layout, Polish CSV (UTF-8 with BOM, ';', decimal comma)
    specs = {s.id: s for s in INDICATORS}
    lines = ["kod;wskaznik;rok;wartosc"]
    for code in urban_unit_codes():
        for ind_id, series in values[code].items():
            if specs[ind_id].derived:
                continue
            for year, value in zip(YEARS, series, strict=True):
                lines.append(f"{code};{ind_id};{year};{_number(value, specs[ind_id].decimals)}")
    (target / "indicators" / "jednostki_wskazniki.csv").write_text("\ufeff" + "\n".join(lines) + "\n", "utf-8")
    # gminy: wide layout, a column per indicator and a year column
    ind_ids = [s.id for s in INDICATORS if not s.derived]
    lines = ["teryt;rok;" + ";".join(ind_ids)]
    for code in codes:
        for t, year in enumerate(YEARS):
            cells = [_number(values[code][i][t], specs[i].decimals) for i in ind_ids]
            lines.append(f"{code};{year};" + ";".join(cells))
    (target / "indicators" / "gminy_wskazniki.csv").write_text("\ufeff" + "\n".join(lines) + "\n", "utf-8")

    proposals = generate_proposals(rng, units_2180)
    (target / "proposals").mkdir(parents=True, exist_ok=True)
    header = list(proposals[0])
    lines = [";".join(header)] + [";".join(p[h] for h in header) for p in proposals]
    (target / "proposals" / "wnioski.csv").write_text("\ufeff" + "\n".join(lines) + "\n", "utf-8")

    (target / "areas").mkdir(parents=True, exist_ok=True)
    cx, cy = CENTRE_2180
    degraded = shapely.Point(cx, cy).buffer(1800, quad_segs=16)
    degraded = shapely.transform(degraded, lambda c: np.column_stack(to_wgs.transform(c[:, 0], c[:, 1])))
    (target / "areas" / "obszar_zdegradowany.geojson").write_text(
        _feature_collection(
            [
                {
                    "type": "Feature",
                    "properties": {"nazwa": "Obszar zdegradowany — centrum"},
                    "geometry": _geojson_geometry(degraded, 6),
                }
            ]
        ),
        "utf-8",
    )
    (target / "typology").mkdir(parents=True, exist_ok=True)
    lines = ["kod;typ"] + [f"{code};{kind}" for code, kind in demo_typology().items()]
    (target / "typology" / "typologia_gmin.csv").write_text("\ufeff" + "\n".join(lines) + "\n", "utf-8")
    (target / "workspace.toml").write_text(_workspace_toml(_lsr_members(values)), "utf-8")
    return target / "workspace.toml"


#: The demo's own functional typology of its gminy (in the spirit of the monitor's types A–J of Polish gminy).
TYPOLOGY_CLASSES = {
    "A": ("miasto centralne", "central city", "centrinis miestas"),
    "B": ("gminy podmiejskie", "suburban gminy", "priemiestinės gminos"),
    "C": ("małe miasta – ośrodki lokalne", "small towns (local centres)", "mažieji miestai – vietos centrai"),
    "D": ("gminy rolnicze i peryferyjne", "farming and peripheral gminy", "žemės ūkio ir periferinės gminos"),
}


def demo_typology() -> dict[str, str]:
    """Each demo gmina's class: the city A; urban gminy C; gminy growing with the city B; the rest D."""
    classes = {CITY[0]: "A"}
    for code, (_name, kind, profile) in zip(gmina_codes()[1:], GMINY, strict=True):
        classes[code] = "C" if kind == "1" else "B" if profile[2] >= 0.5 else "D"
    return classes


def _toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _workspace_toml(lsr_members: list[str]) -> str:
    out = [
        "# Demo workspace of the Local Development Atlas: SYNTHETIC DATA about a fictional city.",
        "# Generated by `python -m etl.tools.demo` (deterministic). It is also an example of the workspace format:",
        "# see docs/workspace.md.",
        "",
        "[workspace]",
        'name = "Nadrzecze — dane demonstracyjne (syntetyczne)"',
        'language = "pl"',
        "synthetic = true",
        'levels = ["voivodeship", "powiat", "gmina", "urban_unit"]',
        'description = "Fikcyjne miasto Nadrzecze (17 jednostek urbanistycznych) i jego miejski obszar '
        'funkcjonalny (21 gmin). Wszystkie dane są syntetyczne."',
        "",
        "[level_names.urban_unit]",
        'pl = "jednostka urbanistyczna"',
        'en = "urban unit"',
        'lt = "urbanistinis vienetas"',
        "",
    ]
    for spec in INDICATORS:
        out += [
            "[[indicators]]",
            f"id = {_toml_str(spec.id)}",
            f"name_pl = {_toml_str(spec.name_pl)}",
            f"name_en = {_toml_str(spec.name_en)}",
            f"name_lt = {_toml_str(NAMES_LT[spec.id])}",
            f"unit = {_toml_str(spec.unit)}",
            f"domain = {_toml_str(spec.domain)}",
            f"direction = {_toml_str(spec.direction)}",
            'source = "Generator danych demonstracyjnych Atlasu (dane syntetyczne)"',
            'licence = "CC0"',
            f"description = {_toml_str(spec.description)}",
        ]
        if spec.aggregate == "sum" and not spec.derived:
            out.append('aggregate = "sum"')
        elif spec.aggregate == "mean" and not spec.derived and spec.id != "price_m2":  # a median does not average
            out += ['aggregate = "weighted_mean"', 'weight = "population"']
        if spec.derived:
            kind, of, per = spec.derived
            out += [f'derived = {{ kind = "{kind}", of = "{of}", per = "{per}" }}']
        out += [""]
    out += [
        "[[boundaries]]",
        'id = "wojewodztwo"',
        'path = "boundaries/wojewodztwo.geojson"',
        'level = "voivodeship"',
        'code = "teryt"',
        'name = "nazwa"',
        "",
        "[[boundaries]]",
        'id = "powiaty"',
        'path = "boundaries/powiaty.geojson"',
        'level = "powiat"',
        'code = "teryt"',
        'name = "nazwa"',
        'parent = "teryt"',
        "",
        "[[boundaries]]",
        'id = "gminy"',
        'path = "boundaries/gminy.geojson"',
        'level = "gmina"',
        'code = "teryt"',
        'name = "nazwa"',
        'parent = "teryt"',
        "",
        "# Urban units come in the Polish national grid (EPSG:2180); the file says so itself.",
        "[[boundaries]]",
        'id = "jednostki"',
        'path = "boundaries/jednostki_urbanistyczne_2180.geojson"',
        'level = "urban_unit"',
        'code = "nr"',
        f'code_prefix = "{CITY[0]}-"',
        "code_width = 2",
        'name = "nazwa"',
        'parent = "contains"',
        'parent_level = "gmina"',
        "",
        "# Long layout: one value per line (code; indicator; year; value), decimal comma.",
        "[[tables]]",
        'id = "jednostki_wskazniki"',
        'path = "indicators/jednostki_wskazniki.csv"',
        'layout = "long"',
        'level = "urban_unit"',
        'code = "kod"',
        'indicator_column = "wskaznik"',
        'year_column = "rok"',
        'value = "wartosc"',
        "",
        "# Wide layout: a column per indicator, a row per gmina and year.",
        "[[tables]]",
        'id = "gminy_wskazniki"',
        'path = "indicators/gminy_wskazniki.csv"',
        'layout = "wide_indicators"',
        'level = "gmina"',
        'code = "teryt"',
        'year_column = "rok"',
        "columns = { " + ", ".join(f'{s.id} = "{s.id}"' for s in INDICATORS if not s.derived) + " }",
        "",
        "# The city's strategic goals: proposals are mapped to them.",
    ]
    for code, name_pl, name_en in GOALS:
        out += [
            "[[goals]]",
            f'code = "{code}"',
            f"name_pl = {_toml_str(name_pl)}",
            f"name_en = {_toml_str(name_en)}",
            f"name_lt = {_toml_str(GOALS_LT[code])}",
            "",
        ]
    out += [
        "# Residents' proposals; statuses are the city's own words, mapped to the Atlas statuses.",
        "[[proposals]]",
        'id = "wnioski"',
        'path = "proposals/wnioski.csv"',
        'location = "lonlat"',
        'lon = "lon"',
        'lat = "lat"',
        'missing_location = "city_wide"',
        f'city_unit = "{CITY[0]}"',
        'level = "urban_unit"',
        'id_column = "nr"',
        'title = "tytul"',
        'description = "opis"',
        'goal = "cel"',
        'category = "kategoria"',
        'status = "status"',
        'cost = "koszt"',
        'votes = "glosy"',
        'edition_column = "edycja"',
        'submitter_type = "wnioskodawca"',
        "status_map = { " + ", ".join(f"{_toml_str(k)} = {_toml_str(v)}" for k, v in STATUS_WORDS.items()) + " }",
        "",
        "# Programme areas: by a list of member units, or by a polygon (members get the share of area inside).",
        "[[areas]]",
        'id = "lsr"',
        'name = "Obszar LSR Nadrzecza"',
        'kind = "lsr"',
        'programme = "Rozwój lokalny kierowany przez społeczność (RLKS)"',
        'period = "2021–2027"',
        "members = [" + ", ".join(f'"{c}"' for c in lsr_members) + "]",
        "",
        "[[areas]]",
        'id = "rewitalizacja"',
        'name = "Obszar rewitalizacji — Stare Miasto i Kolonia Fabryczna"',
        'kind = "revitalisation"',
        'programme = "Gminny Program Rewitalizacji"',
        'period = "2023–2030"',
        f'members = ["{CITY[0]}-01", "{CITY[0]}-05"]',
        "",
        "[[areas]]",
        'id = "zdegradowany"',
        'name = "Obszar zdegradowany — centrum"',
        'kind = "degraded"',
        'programme = "Gminny Program Rewitalizacji"',
        'period = "2023–2030"',
        'path = "areas/obszar_zdegradowany.geojson"',
        'level = "urban_unit"',
        "",
        "[[areas]]",
        'id = "mof"',
        'name = "Miejski Obszar Funkcjonalny Nadrzecza"',
        'kind = "functional_urban_area"',
        'programme = "Strategia ponadlokalna"',
        'period = "2021–2030"',
        "members = [" + ", ".join(f'"{c}"' for c in gmina_codes()) + "]",
        "",
        "[[typologies]]",
        'id = "typ"',
        'path = "typology/typologia_gmin.csv"',
        'level = "gmina"',
        'code = "kod"',
        'class_column = "typ"',
        'name_pl = "Typ funkcjonalny gminy (demonstracyjny)"',
        'name_en = "Functional type of gmina (demo)"',
        'name_lt = "Gminos funkcinis tipas (demonstracinis)"',
        "classes = { " + ", ".join(f"{k} = {_toml_str(v[0])}" for k, v in TYPOLOGY_CLASSES.items()) + " }",
        "classes_en = { " + ", ".join(f"{k} = {_toml_str(v[1])}" for k, v in TYPOLOGY_CLASSES.items()) + " }",
        "classes_lt = { " + ", ".join(f"{k} = {_toml_str(v[2])}" for k, v in TYPOLOGY_CLASSES.items()) + " }",
        "",
    ]
    return "\n".join(out)


def demo_workspace_path() -> Path:
    """The shipped demo workspace file (generated on the spot if the files are missing)."""
    path = REPO_DEMO / "workspace.toml"
    if path.exists():
        return path
    return write_demo(Path.home() / ".cache" / "ldatlas" / "demo")


if __name__ == "__main__":
    print(write_demo())
