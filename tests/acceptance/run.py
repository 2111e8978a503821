"""Acceptance on real public data beside the project (../shared/data): loads through workspace files with the
real CLI and checks what a planner would check. Prints 'N passed, N failed' and exits non-zero on a failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from etl import store  # noqa: E402

results: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    results.append((name, ok, detail))
    print(f"[{'PASS' if ok else 'FAIL'}] {name}{(': ' + detail) if detail else ''}", flush=True)


def ldatlas(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], capture_output=True, text=True, cwd=ROOT)


def load(workspace: str, db: Path) -> None:
    started = time.perf_counter()
    proc = ldatlas("load", str(HERE / workspace), "--db", str(db))
    print(proc.stdout)
    if proc.returncode != 0:
        print(proc.stderr)
    check(f"ldatlas load {workspace}", proc.returncode == 0, f"{time.perf_counter() - started:.1f} s")


def prg_zip(shared: Path, folder: Path) -> Path:
    """A zip laid out as GUGiK publishes PRG (A01/A02/A03 shapefiles in EPSG:2180, WINDOWS-1250, no .cpg),
    made from the real PRG extracts beside the project: all 16 voivodeships, warmińsko-mazurskie's powiaty and gminy."""
    import zipfile

    import geopandas as gpd

    layers = {
        "A01_Granice_wojewodztw": shared / "pl_admin_waszkiewiczja" / "wojewodztwa.geojson",
        "A02_Granice_powiatow": shared / "dariolas_prg_geojson" / "warminsko_mazurskie_powiaty_wgs.geojson",
        "A03_Granice_gmin": shared / "dariolas_prg_geojson" / "warminsko_mazurskie_gminy_wgs.geojson",
    }
    out = folder / "prg"
    out.mkdir()
    archive = folder / "00_jednostki_administracyjne.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name, source in layers.items():
            frame = gpd.read_file(source).rename(columns=str.upper).rename(columns={"GEOMETRY": "geometry"})
            frame = frame.set_geometry("geometry").set_crs("EPSG:4326", allow_override=True).to_crs("EPSG:2180")
            frame[["JPT_KOD_JE", "JPT_NAZWA_", "geometry"]].to_file(out / f"{name}.shp", encoding="cp1250")
            (out / f"{name}.cpg").unlink(missing_ok=True)
            for part in sorted(out.glob(f"{name}.*")):
                z.write(part, f"PRG_jednostki_administracyjne_2025/{part.name}")
    return archive


def prg_acceptance(shared: Path, tmp: Path) -> None:
    archive = prg_zip(shared, tmp)
    db = tmp / "prg.duckdb"
    started = time.perf_counter()
    proc = ldatlas("fetch", "prg", str(archive), "--db", str(db))
    check(
        "ldatlas fetch prg (PRG-style zip from real extracts)",
        proc.returncode == 0,
        f"{time.perf_counter() - started:.1f} s {proc.stderr[-300:]}",
    )
    if proc.returncode != 0:
        return
    con = store.connect(db, read_only=True)
    counts = dict(con.execute("SELECT level, count(*) FROM units GROUP BY 1").fetchall())
    check(
        "PRG: 16 voivodeships, 21 powiaty, 116 gminy",
        counts == {"voivodeship": 16, "powiat": 21, "gmina": 116},
        str(counts),
    )
    orphans = con.execute(
        "SELECT count(*) FROM units WHERE level <> 'voivodeship' AND (parent_code IS NULL OR "
        "parent_code <> left(code, CASE level WHEN 'gmina' THEN 4 ELSE 2 END))"
    ).fetchone()[0]
    check(
        "PRG: every gmina's parent is its powiat, every powiat's its voivodeship (TERYT)",
        orphans == 0,
        f"{orphans} without",
    )
    names = con.execute("SELECT name FROM units WHERE code IN ('28', '2815083')  ORDER BY code").fetchall()
    check(
        "PRG: WINDOWS-1250 names right (warmińsko-mazurskie, Morąg)",
        [n for (n,) in names] == ["warmińsko-mazurskie", "Morąg - gmina miejsko-wiejska"],
        ", ".join(n for (n,) in names),
    )
    con.close()


def gisco_acceptance(shared: Path, tmp: Path) -> None:
    """``ldatlas fetch gisco`` over HTTP on a national scale: a file in GISCO's LAU shape (all 2,477 gminy as
    LAU_ID/GISCO_ID/LAU_NAME, plus Lithuania's municipalities) served from 127.0.0.1, then Poland taken from it."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    import geopandas as gpd
    import pandas as pd

    pl = gpd.read_file(shared / "pl_admin_zbychuk" / "gminy.geojson")
    pl = gpd.GeoDataFrame(
        {"GISCO_ID": "PL_" + pl["id"], "CNTR_CODE": "PL", "LAU_ID": pl["id"], "LAU_NAME": pl["name"], "POP_2021": None},
        geometry=pl.geometry,
        crs="EPSG:4326",
    )
    lt = gpd.read_file(shared / "lt_municipalities_leakymirror" / "LTU.geojson")
    lt = gpd.GeoDataFrame(
        {
            "GISCO_ID": [f"LT_{i:02d}" for i in range(len(lt))],
            "CNTR_CODE": "LT",
            "LAU_ID": [f"{i:02d}" for i in range(len(lt))],
            "LAU_NAME": "?",
            "POP_2021": 1000.0,
        },
        geometry=lt.geometry,
        crs="EPSG:4326",
    )
    folder = tmp / "gisco" / "lau" / "geojson"
    folder.mkdir(parents=True)
    pd.concat([pl, lt]).to_file(folder / "LAU_RG_01M_2021_4326.geojson", driver="GeoJSON")
    handler = functools.partial(
        type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *a: None}), directory=str(tmp / "gisco")
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    db = tmp / "gisco.duckdb"
    try:
        started = time.perf_counter()
        proc = ldatlas(
            "fetch",
            "gisco",
            "--country",
            "PL",
            "--level",
            "lau",
            "--year",
            "2021",
            "--db",
            str(db),
            "--base-url",
            f"http://127.0.0.1:{server.server_port}",
            "--cache",
            str(tmp / "cache"),
        )
        check(
            "ldatlas fetch gisco (LAU-shaped file over HTTP)",
            proc.returncode == 0,
            f"{time.perf_counter() - started:.1f} s {proc.stderr[-300:]}",
        )
    finally:
        server.shutdown()
    if proc.returncode != 0:
        return
    con = store.connect(db, read_only=True)
    n, ids, torun = con.execute(
        "SELECT count(*), (SELECT count(*) FROM unit_ids WHERE scheme = 'gisco'), "
        "max(name) FILTER (WHERE code = '0463011') FROM units WHERE level = 'gmina'"
    ).fetchone()
    check(
        "GISCO: 2,477 gminy from the PL features only, GISCO_ID kept, Toruń 0463011 by name",
        (n, ids, torun) == (2477, 2477, "Toruń"),
        f"{n}, {ids}, {torun}",
    )
    con.close()


def crosswalk_and_code_forms_acceptance(shared: Path, tmp: Path) -> None:
    """Lithuania's 60 municipalities from a file with names only, coded through the shipped crosswalk, and a statistics
    table keyed by Statistics Lithuania's English names; all 380 powiaty with GUS BDL's 7-digit codes."""
    import csv

    folder = tmp / "lt"
    folder.mkdir()
    crosswalk = (ROOT / "etl" / "crosswalks" / "lt-municipalities.csv").read_text("utf-8").splitlines()
    english = [r["name"] for r in csv.DictReader(crosswalk, delimiter=";") if r["language"] == "en"]
    # written the way an export often comes: English names, some without diacritics, odd spacing
    rows = [
        f"{name.replace('Š', 'S').replace('ū', 'u') if i % 2 else name};{1000 + i}" for i, name in enumerate(english)
    ]
    (folder / "stats.csv").write_text("Municipality;Residents\n" + "\n".join(rows) + "\n", "utf-8")
    (folder / "lt.toml").write_text(
        '[workspace]\nname = "Lietuva"\nlanguage = "lt"\nlevels = ["municipality"]\n\n'
        '[level_names.municipality]\npl = "samorząd"\nen = "municipality"\n\n'
        '[[indicators]]\nid = "population"\nname_pl = "Ludność"\nname_en = "Population"\nunit = "osoby"\n'
        'domain = "social"\ndirection = "neutral"\n\n'
        f'[[boundaries]]\nid = "savivaldybes"\npath = "{shared / "lt_municipalities_leakymirror" / "LTU.geojson"}"\n'
        'level = "municipality"\ncode = "name"\nname = "name"\ncrosswalk = "lt-municipalities"\n\n'
        '[[tables]]\nid = "stats"\npath = "stats.csv"\nlevel = "municipality"\ncode = "Municipality"\n'
        'crosswalk = "lt-municipalities"\nindicator = "population"\nyear = 2024\nvalue = "Residents"\n',
        "utf-8",
    )
    db = folder / "lt.duckdb"
    proc = ldatlas("load", str(folder / "lt.toml"), "--db", str(db))
    print(proc.stdout, proc.stderr)
    check("Lithuania: load through the lt-municipalities crosswalk", proc.returncode == 0)
    con = store.connect(db, read_only=True)
    units = con.execute("SELECT count(*), count(DISTINCT code) FROM units WHERE code LIKE 'LT-%'").fetchone()
    check("Lithuania: all 60 municipalities coded LT-01..LT-60 from their names", units == (60, 60), str(units))
    matched = con.execute("SELECT count(*) FROM observations WHERE indicator_id = 'population'").fetchone()[0]
    rejected = con.execute("SELECT count(*) FROM rejects").fetchone()[0]
    check(
        "Lithuania: every English-named row matched (60 values, 0 rejects)",
        (matched, rejected) == (60, 0),
        f"{matched} values, {rejected} rejects",
    )
    vilnius = con.execute("SELECT name FROM units WHERE code = 'LT-57'").fetchone()
    check("Lithuania: LT-57 is Vilniaus m. sav.", vilnius == ("Vilniaus m. sav.",), str(vilnius))
    con.close()

    # the shipped district crosswalks against GUGiK's register of units (TERYT, name, area) beside the project
    register = {
        r["teryt"]: r["nazwa"]
        for r in csv.DictReader(
            (shared / "gus_tables_nypd" / "gugik_powierzchnia_jst.csv").read_text("utf-8-sig").splitlines()
        )
    }
    districts = {t: n for t, n in register.items() if len(t) == 7 and t[6] in "89"}
    from etl.sources.crosswalks import builtin

    wrong = []
    for walk_id in ("warszawa-dzielnice", "krakow-delegatury", "lodz-delegatury"):
        walk = builtin(walk_id)
        for key, code in walk.codes.items():
            official = districts.get(code, "")
            if not official or walk.lookup(official) != code:
                wrong.append(f"{walk_id}: {walk.names[key]} -> {code} ({official or 'not in the register'})")
    shipped = {
        c for w in ("warszawa-dzielnice", "krakow-delegatury", "lodz-delegatury") for c in builtin(w).codes.values()
    }
    check(
        "district crosswalks: every code is a district of GUGiK's register under that name, and all 27 are there",
        not wrong and shipped == set(districts),
        f"{len(shipped)} codes; {'; '.join(wrong[:3])}",
    )

    powiaty = shared / "pl_admin_zbychuk" / "powiaty.geojson"
    import pyogrio

    codes = [str(c).zfill(4) for c in pyogrio.read_dataframe(powiaty, read_geometry=False)["terytid"]]
    # BDL's 7-digit powiat form, half of it with the leading zero lost as a spreadsheet does
    lines = [f"{(c + '000').lstrip('0') if i % 2 else c + '000'};{i + 1}" for i, c in enumerate(codes)]
    (folder / "bdl.csv").write_text("Kod;Wartosc\n" + "\n".join(lines) + "\n", "utf-8")
    (folder / "pl.toml").write_text(
        '[workspace]\nname = "Powiaty"\nlevels = ["powiat"]\n\n'
        '[[indicators]]\nid = "x"\nname_pl = "X"\nname_en = "X"\nunit = "osoby"\ndomain = "social"\n'
        'direction = "neutral"\n\n'
        f'[[boundaries]]\nid = "powiaty"\npath = "{powiaty}"\nlevel = "powiat"\ncode = "terytid"\nname = "name"\n\n'
        '[[tables]]\nid = "bdl"\npath = "bdl.csv"\nlevel = "powiat"\ncode = "Kod"\nindicator = "x"\nyear = 2024\n'
        'value = "Wartosc"\n',
        "utf-8",
    )
    db = folder / "pl.duckdb"
    proc = ldatlas("load", str(folder / "pl.toml"), "--db", str(db))
    print(proc.stdout, proc.stderr)
    con = store.connect(db, read_only=True)
    found = con.execute("SELECT count(*) FROM observations").fetchone()[0] if proc.returncode == 0 else 0
    check(
        "BDL 7-digit powiat codes (half with the lost zero) match all 380 powiaty",
        found == 380 == len(codes),
        f"{found} of {len(codes)}",
    )
    con.close()


#: Centre the large map (MAP: its element) on [lon, lat] at a zoom; then [feature number, class] of what the tiles
#: draw there (null when nothing is drawn).
AT_POINT = """async ([lon, lat, zoom]) => { const map = (MAP).atlasMap;
  await new Promise((done) => { map.once('idle', done); map.jumpTo({center: [lon, lat], zoom}); });
  const found = map.queryRenderedFeatures(map.project([lon, lat]), {layers: ['fill']})[0];
  return found ? [found.id, found.state.c ?? 0] : null; }"""


def large_level_acceptance(shared: Path, tmp: Path) -> None:
    """100,000 synthetic units clipped to the real gminy's outline, loaded with the CLI and served: a value from the
    table reaches its unit's colour on the map in Chromium (classes computed here from the CSV itself)."""
    import numpy as np
    import pandas as pd
    import pyogrio
    import shapely
    from playwright.sync_api import sync_playwright
    from pyproj import Transformer

    from etl.tools.dashboard_bench import MAP_ELEMENT, SHOWN, _free_port, healthy, launch
    from etl.tools.scale_bench import _write_level
    from etl.tools.synthetic import poland_outline
    from indicators.classify import classify

    folder = tmp / "large"
    folder.mkdir()
    _write_level(folder, poland_outline(shared / "pl_admin_zbychuk" / "gminy.geojson"), 100_000)
    db = folder / "large.duckdb"
    started = time.perf_counter()
    proc = ldatlas("load", str(folder / "ws.toml"), "--db", str(db))
    check(
        "100,000 units: ldatlas load",
        proc.returncode == 0,
        f"{time.perf_counter() - started:.1f} s {proc.stderr[-400:]}",
    )
    if proc.returncode != 0:
        return
    table = pd.read_csv(folder / "dane.csv", sep=";", decimal=",", dtype={"kod": str})
    shown = table[(table["wskaznik"] == "unemployment") & (table["rok"] == 2024)].sort_values("kod")
    expected = classify(shown["wartosc"].to_numpy(dtype=float), method="quantiles", k=5).class_of + 1
    values = shown["wartosc"].to_numpy(dtype=float)
    ids = sorted(
        {
            *np.random.default_rng(3).choice(len(shown), 200, replace=False).tolist(),
            int(values.argmin()),
            int(values.argmax()),
        }
    )
    cells = pyogrio.read_dataframe(folder / "rejony.gpkg").sort_values("kod")
    points = shapely.point_on_surface(cells.geometry.to_numpy()[ids[:20]])
    lon, lat = Transformer.from_crs(2180, 4326, always_xy=True).transform(shapely.get_x(points), shapely.get_y(points))
    inside = {i: [float(x), float(y)] for i, x, y in zip(ids[:20], lon, lat, strict=True)}
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "etl.cli", "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        healthy(f"http://127.0.0.1:{port}", 120)
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            started = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/map?level=rejon&ind=unemployment&year=2024&lang=pl")
            page.wait_for_function(f"() => ({SHOWN})() >= 1", timeout=300_000, polling=200)
            painted = time.perf_counter() - started
            got = page.evaluate(  # the class (1 = lowest, 0 = no data) the map holds for each feature number
                f"(ids) => {{ const c = {MAP_ELEMENT}; return c ? ids.map((id) =>"
                " c.atlasMap.getFeatureState({source: 'units', sourceLayer: 'units', id}).c ?? 0) : null; }",
                ids,
            )
            under = []  # what the tiles draw at a point inside each of 20 units: [feature number, its class]
            for i in ids[:20]:
                under.append(page.evaluate(AT_POINT.replace("MAP", MAP_ELEMENT), [*inside[i], 11]))
            browser.close()
    finally:
        server.terminate()
        server.wait(15)
    wrong = [i for i, c in zip(ids, got or [], strict=False) if c != expected[i]]
    misplaced = [i for i, found in zip(ids[:20], under, strict=True) if found != [i, int(expected[i])]]
    check(
        "100,000 units: the vector tiles draw each unit where it is, in its class (20 units, zoomed in on each)",
        not misplaced,
        f"{len(misplaced)} of 20 differ"
        + (f", e.g. unit #{misplaced[0]}: {under[ids.index(misplaced[0])]}" if misplaced else ""),
    )
    check(
        f"100,000 units: the table's 2024 values colour the map in Chromium ({len(ids)} units, the lowest and highest"
        " among them)",
        got is not None and len(got) == len(ids) and not wrong,
        f"first visit drawn in {painted:.1f} s; {len(wrong)} differ" + (f", e.g. unit #{wrong[0]}" if wrong else ""),
    )


def main() -> int:
    shared = os.environ.get("LDATLAS_SHARED_DATA") or str(ROOT.parent / "shared" / "data")
    os.environ["LDATLAS_SHARED_DATA"] = shared
    with tempfile.TemporaryDirectory() as tmp:
        csv_db = Path(tmp) / "poland_csv.duckdb"
        load("poland_csv.toml", csv_db)
        con = store.connect(csv_db, read_only=True)
        gminy = con.execute("SELECT count(*) FROM units WHERE level = 'gmina'").fetchone()[0]
        check("all 2,477 gminy loaded", gminy == 2477, str(gminy))
        missing = con.execute(
            "SELECT count(*) FROM units u WHERE level = 'gmina' AND NOT EXISTS (SELECT 1 FROM observations o "
            "WHERE o.unit_code = u.code AND o.indicator_id = 'population' AND o.year = 2024)"
        ).fetchone()[0]
        check("every gmina has a 2024 population (CSV)", missing == 0, f"{missing} without")
        total = con.execute(
            "SELECT sum(value) FROM observations WHERE indicator_id = 'population' AND year = 2024"
        ).fetchone()[0]
        check("population 2024 sums to 37,489,087 (CSV)", total == 37_489_087, f"{total:,.0f}")
        toruń = con.execute(
            "SELECT value FROM observations WHERE unit_code = '0463011' AND indicator_id = 'population'"
        ).fetchone()
        check("Toruń 0463011 has 193,717 residents", toruń is not None and toruń[0] == 193_717, str(toruń))
        osiedla = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE parent_code = '0264011') FROM units WHERE level = 'urban_unit'"
        ).fetchone()
        check("48 Wrocław osiedla, all with Wrocław 0264011 as parent", osiedla == (48, 48), str(osiedla))
        invalid = con.execute(
            "SELECT count(*) FILTER (WHERE NOT ST_IsValid(u.geom)), count(*) FILTER (WHERE NOT ST_IsValid(d.geom)), "
            "count(*) FILTER (WHERE u.geom IS NULL OR d.geom IS NULL) "
            "FROM units u LEFT JOIN unit_display d USING (code)"
        ).fetchone()
        check("all geometries (stored and display) valid", invalid == (0, 0, 0), str(invalid))
        lonlat = con.execute(
            "SELECT min(ST_XMin(geom)), max(ST_XMax(geom)), min(ST_YMin(geom)), max(ST_YMax(geom)) FROM units"
        ).fetchone()
        check(
            "geometry in lon/lat order over Poland",
            14 < lonlat[0] < lonlat[1] < 24.2 and 49 < lonlat[2] < lonlat[3] < 55,
            str(lonlat),
        )
        derived = con.execute(
            "SELECT count(*), median(abs(d.value / g.value - 1)) FROM observations d JOIN observations g "
            "ON g.unit_code = d.unit_code AND g.year = d.year AND g.indicator_id = 'births_per_1000' "
            "WHERE d.indicator_id = 'births_per_1000_atlas' AND g.value > 0"
        ).fetchone()
        check(
            "derived births per 1,000 (births ÷ population, in SQL) agree with GUS's own rate for all gminy "
            "(median difference < 1%; GUS divides by the mid-year population)",
            derived[0] == 2477 and derived[1] < 0.01,
            f"{derived[0]} gminy, median {derived[1]:.2%}",
        )
        from indicators.composite import group_members
        from indicators.hotspots import local_moran

        cities = group_members(con, "gmina", "county_cities")
        check(
            "66 cities with county rights (TERYT powiat 61-99), Warszawa 1465011 among them",
            len(cities) == 66 and "1465011" in cities,
            str(len(cities)),
        )
        report = Path(tmp) / "torun.pdf"
        made = ldatlas(
            "report",
            "--db",
            str(csv_db),
            "--unit",
            "0463011",
            "--group",
            "county_cities",
            "--lang",
            "en",
            "--out",
            str(report),
        )
        from pypdf import PdfReader

        text = (
            " ".join(" ".join(p.extract_text().split()) for p in PdfReader(report).pages)
            if made.returncode == 0
            else ""
        )
        check(
            "development profile of Toruń 0463011 among the 66 cities with county rights: a PDF whose text gives its "
            "2024 population 193,717 and ranks out of 66",
            "Toruń: development profile" in text and "Population (2024): 193,717" in text and " of 66" in text,
            made.stderr.strip()[-300:] or f"{len(text)} characters",
        )
        rows = con.execute(
            "SELECT u.code, u.geom, o.value FROM units u LEFT JOIN observations o ON o.unit_code = "
            "u.code AND o.indicator_id = 'births_per_1000' AND o.year = 2024 WHERE u.level = 'gmina'"
        ).fetchall()
        import shapely

        started = time.perf_counter()
        spots = local_moran(
            [r[0] for r in rows], shapely.from_wkb([bytes(r[1]) for r in rows]), [r[2] for r in rows], permutations=199
        )
        counts = spots["class"].value_counts().to_dict()
        check(
            "hotspots of births per 1,000 over all 2,477 gminy: clusters found, every gmina classed",
            len(spots) == 2477 and counts.get("high_high", 0) > 0 and counts.get("low_low", 0) > 0,
            f"{counts} in {time.perf_counter() - started:.1f} s",
        )
        area = con.execute("SELECT sum(area_km2) FROM units WHERE level = 'gmina'").fetchone()[0]
        check("gminy cover about 312,700 km²", abs(area - 312_700) < 1000, f"{area:,.0f} km²")
        con.close()
        before = csv_db.read_bytes()
        proc = ldatlas("load", str(HERE / "poland_csv.toml"), "--db", str(csv_db))
        check(
            "re-run with unchanged files changes nothing",
            proc.returncode == 0 and csv_db.read_bytes() == before,
            proc.stdout.strip()[:80],
        )
        proc = ldatlas("info", "--db", str(csv_db), "--json")
        info = json.loads(proc.stdout)
        check(
            "info --json shape",
            set(info)
            == {"units", "indicators", "observations", "proposals", "areas", "rejects", "saved_groups", "saved_areas"}
            and info["units"] == {"gmina": 2477, "urban_unit": 48}
            and info["saved_groups"] == info["saved_areas"] == 0,
            proc.stdout.strip(),
        )

        from etl.store.groups import save_group

        data_before = csv_db.read_bytes()
        try:  # Warszawa, Kraków, Wrocław
            save_group(csv_db, "duze-miasta", "Duże miasta", ["1465011", "1261011", "0264011"])
            saved = ""
        except Exception as exc:  # noqa: BLE001 (reported as a failed check)
            saved = str(exc)
        groups = ldatlas("info", "--db", str(csv_db), "--json")
        check(
            "a group saved on the national store leaves the loaded data untouched and is counted",
            not saved and csv_db.read_bytes() == data_before and json.loads(groups.stdout)["saved_groups"] == 1,
            saved or groups.stdout.strip()[-60:],
        )
        reload = ldatlas("load", str(HERE / "poland_csv.toml"), "--db", str(csv_db), "--force")
        kept = store.connect(csv_db, read_only=True)
        members = kept.execute("SELECT count(*) FROM unit_groups WHERE group_id = 'duze-miasta'").fetchone()[0]
        kept.close()
        check("a forced reload keeps the saved group", reload.returncode == 0 and members == 3, str(members))

        xls_db = Path(tmp) / "poland_xls.duckdb"
        load("poland_xls.toml", xls_db)
        con = store.connect(xls_db, read_only=True)
        missing, total = con.execute(
            "SELECT 2477 - count(*), sum(value) FROM observations WHERE indicator_id = 'population' AND year = 2024"
        ).fetchone()
        check("every gmina has a 2024 population (original .xls)", missing == 0, f"{missing} without")
        check("population 2024 sums to 37,489,087 (original .xls)", total == 37_489_087, f"{total:,.0f}")
        con.close()

        torun_db = Path(tmp) / "torun.duckdb"
        load("torun_proposals.toml", torun_db)
        con = store.connect(torun_db, read_only=True)
        n = con.execute("SELECT count(*) FROM proposals").fetchone()[0]
        check("all 377 Toruń projects stored", n == 377, str(n))
        fallback = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE NOT precisely_located) FROM proposals "
            "WHERE ST_X(geom) = 18.54637 AND ST_Y(geom) = 53.0313"
        ).fetchone()
        check(
            "the 24 city-wide projects on one fallback point are flagged not precisely located",
            fallback == (24, 24),
            str(fallback),
        )
        statuses = dict(con.execute("SELECT status, count(*) FROM proposals GROUP BY 1").fetchall())
        check(
            "selected / not selected mapped (163 selected, 214 rejected)",
            statuses == {"selected": 163, "rejected": 214},
            str(statuses),
        )
        in_torun = con.execute("SELECT count(*) FROM proposals WHERE unit_code = '0463011'").fetchone()[0]
        check("projects assigned to gmina Toruń 0463011 (369 of 377 fall inside it)", in_torun == 369, str(in_torun))
        con.close()

        prg_acceptance(Path(shared), Path(tmp))
        gisco_acceptance(Path(shared), Path(tmp))
        crosswalk_and_code_forms_acceptance(Path(shared), Path(tmp))
        large_level_acceptance(Path(shared), Path(tmp))

    passed = sum(ok for _, ok, _ in results)
    failed = len(results) - passed
    print(f"acceptance: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
