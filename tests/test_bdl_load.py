"""``ldatlas fetch bdl`` / ``search bdl`` and ``[[bdl]]`` workspace sources, against a local server on 127.0.0.1
that answers in the BDL API's real shapes (the project's own small fixtures, modelled on recorded responses)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from typer.testing import CliRunner

from etl.cli import app
from etl.pipeline.load import load_workspace
from etl.workspace import read_workspace
from tests.helpers import write_workspace

# BDL ids of the four fixture gminy of powiat 0201 (TERYT = chars 3-4 + 8-12), and one gmina the store lacks
UNITS = [
    {
        "id": "050211001011",
        "name": "Łódź",
        "values": [{"year": "2023", "val": 1000, "attrId": 1}, {"year": "2024", "val": 1010, "attrId": 9}],
    },
    {
        "id": "050211001022",
        "name": "Świętochłowice",
        "values": [{"year": "2023", "val": 0, "attrId": 4}, {"year": "2024", "val": 2020, "attrId": 1}],
    },
    {"id": "050211001032", "name": "Gromadka", "values": [{"year": "2024", "val": 3030, "attrId": 1}]},
    {"id": "050211001043", "name": "Nowogrodziec", "values": [{"year": "2024", "val": 4040, "attrId": 1}]},
    {"id": "050211002011", "name": "Elsewhere", "values": [{"year": "2024", "val": 5, "attrId": 1}]},
]
VARIABLE = {
    "pl": {"id": 60, "subjectId": "P1312", "n1": "ogółem", "level": 6, "measureUnitId": 26, "measureUnitName": "osoba"},
    "en": {"id": 60, "subjectId": "P1312", "n1": "total", "level": 6, "measureUnitId": 26, "measureUnitName": "person"},
}
SUBJECT = {"pl": {"id": "P1312", "name": "Ludność wg płci"}, "en": {"id": "P1312", "name": "Population by sex"}}
POWIATY = [{"id": "050211001000", "name": "Powiat testowy", "parentId": "050211000000", "level": 5}]


class Api(BaseHTTPRequestHandler):
    calls: list[str] = []
    failing: set[str] = set()  # variable ids that always answer 500

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: object | None = None) -> None:
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data)

    def _paged(self, url, items: list) -> dict:
        query = parse_qs(url.query)
        page, size = int(query.get("page", ["0"])[0]), 2  # pages of 2 to exercise paging
        base = f"http://127.0.0.1:{self.server.server_port}{url.path}?{url.query.split('&page=')[0]}"
        last = max(0, (len(items) - 1) // size)
        links = {"self": f"{base}&page={page}", "last": f"{base}&page={last}"}
        if page < last:
            links["next"] = f"{base}&page={page + 1}"
        return {"totalRecords": len(items), "links": links, "results": items[page * size : (page + 1) * size]}

    def do_GET(self):  # noqa: N802
        Api.calls.append(self.path)
        url = urlparse(self.path)
        lang = parse_qs(url.query).get("lang", ["pl"])[0]
        parts = url.path.split("/")
        if "by-variable" in parts:
            if parts[-1] in Api.failing:
                return self._send(500)
            years = parse_qs(url.query).get("year")  # the API keeps only the years asked for
            units = [{**u, "values": [v for v in u["values"] if not years or v["year"] in years]} for u in UNITS]
            return self._send(200, self._paged(url, units))
        if parts[-2:] == ["variables", "search"]:
            name = parse_qs(url.query).get("name", [""])[0].lower()
            found = [VARIABLE[lang]] if name in "ludność wg płci population by sex" else []
            return self._send(200, self._paged(url, found))
        if parts[-2] == "variables":
            return self._send(200, {**VARIABLE[lang], "id": int(parts[-1])})
        if parts[-2] == "subjects":
            return self._send(200, SUBJECT[lang])
        if parts[-1] == "units":
            return self._send(200, self._paged(url, POWIATY))
        return self._send(404, {"errors": "no such endpoint"})


@pytest.fixture
def api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    Api.calls, Api.failing = [], set()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/api/v1"
    server.shutdown()


@pytest.fixture
def store_with_gminy(tmp_path):
    db = tmp_path / "atlas.duckdb"
    load_workspace(read_workspace(write_workspace(tmp_path, "")), db)
    return db


def _fetch(db, api, tmp_path, *extra: str):
    return CliRunner().invoke(
        app,
        [
            "fetch",
            "bdl",
            "--var",
            "60",
            "--level",
            "gmina",
            "--db",
            str(db),
            "--base-url",
            api,
            "--cache",
            str(tmp_path / "cache"),
            *extra,
        ],
    )


def test_fetch_bdl_loads_values_catalogue_and_provenance(api, tmp_path, store_with_gminy, ro):
    result = _fetch(store_with_gminy, api, tmp_path, "--years", "2023-2024")
    assert result.exit_code == 0, result.output
    con = ro(store_with_gminy)
    ind = con.execute("SELECT name_pl, name_en, unit, source, source_id FROM indicators WHERE id = 'bdl_60'").fetchone()
    assert ind[:3] == ("Ludność wg płci: ogółem", "Population by sex: total", "osoba")
    assert "variable 60" in ind[3] and ind[4] == "bdl-60-gmina"
    rows = dict(
        ((u, y), (v, f))
        for u, y, v, f in con.execute(
            "SELECT unit_code, year, value, flag FROM observations WHERE indicator_id = 'bdl_60'"
        ).fetchall()
    )
    assert rows[("0201011", 2024)] == (1010.0, "preliminary")
    assert rows[("0201022", 2023)] == (None, "no_data_or_confidential")  # missing, never 0
    assert rows[("0201043", 2024)] == (4040.0, None)
    assert len(rows) == 6
    reject = con.execute("SELECT file, row_number, column_name, reason FROM rejects").fetchall()
    assert reject == [
        (
            "BDL variable 60",
            5,
            "id",
            "unit 0202011 (Elsewhere, BDL 050211002011) is not a gmina in the store; load its boundaries first",
        )
    ]
    kind, prov = con.execute("SELECT kind, provenance FROM sources WHERE source_id = 'bdl-60-gmina'").fetchone()
    prov = json.loads(prov)
    assert kind == "fetch:bdl"
    assert prov["api_version"] == "v1" and prov["variable_id"] == 60 and prov["years"] == [2023, 2024]
    assert prov["fetched_at"][:2] == "20"
    data_calls = [c for c in Api.calls if "by-variable" in c]
    assert len(data_calls) == 3 and "year=2023&year=2024" in data_calls[0]  # 5 units in pages of 2


def test_parent_given_as_teryt_is_resolved_to_the_bdl_id(api, tmp_path, store_with_gminy):
    assert _fetch(store_with_gminy, api, tmp_path, "--parent", "0201").exit_code == 0
    assert any("unit-parent-id=050211001000" in c for c in Api.calls)


def test_a_failing_api_leaves_the_store_as_it_was(api, tmp_path, store_with_gminy):
    before = store_with_gminy.read_bytes()
    Api.failing = {"60"}
    result = CliRunner().invoke(
        app,
        [
            "fetch",
            "bdl",
            "--var",
            "60",
            "--db",
            str(store_with_gminy),
            "--base-url",
            api,
            "--cache",
            str(tmp_path / "c"),
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 1
    assert "kept failing" in result.output and "The store was not changed" in result.output
    assert "Traceback" not in result.output
    assert store_with_gminy.read_bytes() == before


def test_no_network_is_one_sentence_and_changes_nothing(tmp_path, store_with_gminy):
    before = store_with_gminy.read_bytes()
    result = CliRunner().invoke(
        app,
        [
            "fetch",
            "bdl",
            "--var",
            "60",
            "--db",
            str(store_with_gminy),
            "--base-url",
            "http://127.0.0.1:9/api/v1",
            "--cache",
            str(tmp_path / "c"),
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 1 and "Could not reach the GUS BDL API" in result.output
    assert store_with_gminy.read_bytes() == before


def test_a_workspace_load_keeps_fetched_sources(api, tmp_path, store_with_gminy, ro):
    assert _fetch(store_with_gminy, api, tmp_path).exit_code == 0
    load_workspace(read_workspace(tmp_path / "workspace.toml"), store_with_gminy, force=True)
    con = ro(store_with_gminy)
    assert con.execute("SELECT count(*) FROM observations WHERE source_id = 'bdl-60-gmina'").fetchone()[0] == 6


def test_workspace_bdl_source_is_loaded_by_load(api, tmp_path, ro):
    ws = write_workspace(
        tmp_path,
        f"""
        [[indicators]]
        id = "bdl_60"
        name_pl = "Ludność"
        name_en = "Population"
        unit = "osoby"
        domain = "social"
        direction = "neutral"

        [[bdl]]
        id = "ludnosc"
        variables = [60]
        level = "gmina"
        years = "2024"
        base_url = "{api}"
        """,
    )
    db = tmp_path / "atlas.duckdb"
    result = load_workspace(read_workspace(ws), db)
    assert {s.source_id: s.rows_loaded for s in result.sources}["ludnosc"] == 4
    con = ro(db)
    assert con.execute("SELECT name_pl, source_id FROM indicators WHERE id = 'bdl_60'").fetchone() == (
        "Ludność",
        "workspace",
    )  # the workspace's own entry wins over the API's names
    prov = json.loads(con.execute("SELECT provenance FROM sources WHERE source_id = 'ludnosc'").fetchone()[0])
    assert prov[0]["variable_id"] == 60 and prov[0]["years"] == [2024]
    con.close()
    calls = len(Api.calls)
    again = load_workspace(read_workspace(ws), db)
    assert not again.changed and len(Api.calls) == calls  # unchanged declaration: no request at all


def test_search_bdl_lists_id_name_level_unit(api, tmp_path):
    result = CliRunner().invoke(
        app, ["search", "bdl", "ludność", "--base-url", api, "--cache", str(tmp_path / "c")], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "60" in result.output and "Ludność wg płci: ogółem" in result.output and "osoba" in result.output
    nothing = CliRunner().invoke(app, ["search", "bdl", "zzz", "--base-url", api, "--cache", str(tmp_path / "c")])
    assert "No BDL variable matches 'zzz'" in nothing.output


@pytest.mark.slow
def test_fetch_bdl_into_a_lake_commits_one_snapshot_and_a_failure_none(api, tmp_path, lake):
    from etl import store
    from etl.store.lake import latest_snapshot, snapshots

    def state() -> tuple[int, int, str | None]:
        con = store.connect(lake, read_only=True)
        try:
            n = con.execute("SELECT count(*) FROM observations WHERE indicator_id = 'bdl_60'").fetchone()[0]
            return latest_snapshot(con), n, snapshots(con)[-1]["message"]
        finally:
            con.close()

    load_workspace(read_workspace(write_workspace(tmp_path, "")), lake)
    first, none, _ = state()
    assert none == 0
    result = _fetch(lake.target, api, tmp_path, "--years", "2023-2024")
    assert result.exit_code == 0, result.output
    assert state() == (first + 1, 6, "ldatlas fetch bdl")

    Api.failing = {"60"}
    failed = _fetch(lake.target, api, tmp_path / "other-cache", "--years", "2020-2021")
    assert failed.exit_code == 1 and "The store was not changed" in " ".join(failed.output.split())
    assert state() == (first + 1, 6, "ldatlas fetch bdl")
