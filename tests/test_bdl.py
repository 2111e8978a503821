"""The BDL client against a local server on 127.0.0.1 replaying responses in the API's real shape
(the project's own small fixtures, modelled on recorded live responses)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from etl.connectors.bdl import BdlClient, FetchError, bdl_unit_to_teryt, observations_from_results

UNITS = [  # three gminy of powiat bocheński (BDL ids) across two pages of one result each... and a third
    {
        "id": "011212001011",
        "name": "Bochnia (1)",
        "values": [{"year": "2023", "val": 29421, "attrId": 1}, {"year": "2024", "val": 29100, "attrId": 9}],
    },
    {
        "id": "011212001022",
        "name": "Bochnia (2)",
        "values": [{"year": "2023", "val": 0, "attrId": 4}, {"year": "2024", "val": 20500, "attrId": 1}],
    },
    {"id": "011212001032", "name": "Drwinia (2)", "values": [{"year": "2024", "val": 6400, "attrId": 1}]},
]


class Replay(BaseHTTPRequestHandler):
    script: dict[str, list[str]] = {}  # behaviour per variable id, consumed request by request
    calls: list[str] = []

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):  # noqa: N802
        url = urlparse(self.path)
        Replay.calls.append(self.path)
        variable = url.path.rsplit("/", 1)[-1]
        queue = Replay.script.get(variable, [])
        behaviour = queue.pop(0) if queue else "ok"
        if behaviour == "429":
            self.send_response(429)
            self.send_header("Retry-After", "0")
            self.end_headers()
            return
        if behaviour == "500":
            self.send_response(500)
            self.end_headers()
            return
        if behaviour == "sleep":
            time.sleep(1.5)
        if behaviour == "garbage":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"<html>maintenance</html>")
            return
        query = parse_qs(url.query)
        page, size = int(query.get("page", ["0"])[0]), 2  # the server pages by 2 to exercise paging
        base = f"http://127.0.0.1:{self.server.server_port}{url.path}"
        last = (len(UNITS) - 1) // size
        links = {"first": f"{base}?page=0", "self": f"{base}?page={page}", "last": f"{base}?page={last}"}
        if page < last:
            links["next"] = f"{base}?page={page + 1}"
        body = {
            "totalRecords": len(UNITS),
            "page": page,
            "pageSize": size,
            "links": links,
            "results": UNITS[page * size : (page + 1) * size],
        }
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    Replay.script, Replay.calls = {}, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/api/v1"
    server.shutdown()


def _client(api, tmp_path, **kw):
    return BdlClient(base_url=api, cache_dir=tmp_path / "cache", backoff_s=0.01, rate=1000, **kw)


def test_unit_ids_to_teryt():
    assert bdl_unit_to_teryt("011212001011") == "1201011"
    assert bdl_unit_to_teryt("011212012000") == "1212"  # a powiat
    assert bdl_unit_to_teryt("011200000000") == "12"
    assert bdl_unit_to_teryt("000000000000") is None
    assert bdl_unit_to_teryt("010000000000") is None
    assert bdl_unit_to_teryt("011210000000") is None  # a subregion


def test_pages_are_followed_and_flags_mapped(api, tmp_path):
    client = _client(api, tmp_path)
    results = client.data_by_variable(60, unit_level=6, parent_id="011212000000", years=[2023, 2024])
    assert [r["id"] for r in results] == [u["id"] for u in UNITS]
    first = Replay.calls[0]
    assert "page-size=100" in first and "unit-level=6" in first and "year=2023&year=2024" in first
    rows = observations_from_results(results, "population")
    by_key = {(r["unit_code"], r["year"]): r for r in rows}
    assert by_key[("1201011", 2024)] == {
        "unit_code": "1201011",
        "indicator_id": "population",
        "year": 2024,
        "value": 29100.0,
        "flag": "preliminary",
    }
    missing = by_key[("1201022", 2023)]
    assert missing["value"] is None and missing["flag"] == "no_data_or_confidential"  # not stored as 0


def test_cache_means_a_rerun_does_not_refetch(api, tmp_path):
    _client(api, tmp_path).data_by_variable(60, unit_level=6)
    made = len(Replay.calls)
    again = _client(api, tmp_path)
    again.data_by_variable(60, unit_level=6)
    assert len(Replay.calls) == made and again.requests_made == 0


def test_429_then_success_and_a_500_are_retried(api, tmp_path):
    Replay.script = {"61": ["429", "500", "ok"]}
    results = _client(api, tmp_path).data_by_variable(61, unit_level=6)
    assert len(results) == 3


def test_persistent_500_gives_up_with_a_clear_message(api, tmp_path):
    Replay.script = {"62": ["500"] * 10}
    with pytest.raises(FetchError, match=r"kept failing .* \(HTTP 500\) after 3 tries"):
        _client(api, tmp_path, max_retries=3).data_by_variable(62, unit_level=6)


def test_malformed_body_and_timeout(api, tmp_path):
    Replay.script = {"63": ["garbage"], "64": ["sleep"] * 5}
    with pytest.raises(FetchError, match="not JSON"):
        _client(api, tmp_path).data_by_variable(63, unit_level=6)
    with pytest.raises(FetchError, match="no answer within 0.3 s"):
        _client(api, tmp_path, timeout_s=0.3, max_retries=2).data_by_variable(64, unit_level=6)


def test_no_network_is_one_clear_sentence(tmp_path):
    client = BdlClient(base_url="http://127.0.0.1:9/api/v1", backoff_s=0.01, rate=1000)
    with pytest.raises(FetchError, match="Could not reach the GUS BDL API"):
        client.data_by_variable(60, unit_level=6)


def test_rate_limit_is_respected(api, tmp_path):
    client = BdlClient(base_url=api, rate=20)  # no cache
    started = time.monotonic()
    for _ in range(5):
        client.get_json(f"{api}/data/by-variable/60?page=0")
    assert time.monotonic() - started >= 4 / 20 * 0.95  # 5 requests at 20/s take at least 0.2 s
    assert BdlClient().rate == 5.0 and BdlClient(client_id="key").rate == 10.0
