"""GUS BDL API v1 client: paging, the published rate limits, retries, an on-disk cache, and TERYT mapping.

This module only talks to the API and maps its answers; :mod:`etl.pipeline.bdl` puts them into the store.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from etl.codes import bdl_unit_to_teryt
from etl.connectors.http import FetchError, backoff
from etl.texts import say

__all__ = ["BdlClient", "FetchError", "bdl_unit_to_teryt", "observations_from_results"]

DEFAULT_BASE_URL = "https://bdl.stat.gov.pl/api/v1"
PAGE_SIZE = 100  # the API's maximum
CLIENT_ID_ENV = "BDL_CLIENT_ID"

#: attrId -> (flag stored with the observation, whether the value is usable). Missing values are never 0.
ATTR_FLAGS: dict[int, tuple[str | None, bool]] = {
    0: (None, True),
    1: (None, True),
    3: ("incomplete", True),
    4: ("no_data_or_confidential", False),
    7: ("below_presentation_precision", True),
    9: ("preliminary", True),
    11: ("methodology_change", True),
    13: ("methodology_change_incomplete", True),
    14: ("no_data_or_confidential", False),
    15: ("no_data", False),
    50: ("not_yet_available", False),
    91: ("no_data_or_confidential", False),
    94: ("meaningful_zero", True),
}


@dataclass
class BdlClient:
    """A polite client: at most ``rate`` requests per second (5 anonymous, 10 with an ``X-ClientId`` key)."""

    base_url: str = DEFAULT_BASE_URL
    client_id: str | None = field(default_factory=lambda: os.environ.get(CLIENT_ID_ENV) or None)
    cache_dir: Path | None = None
    timeout_s: float = 30.0
    max_retries: int = 5
    backoff_s: float | None = None  # first wait between tries; None: etl.settings.retry_backoff_s
    rate: float = 0.0  # requests per second; 0: 10 with a client id, else 5
    cache_max_age_s: float = 24 * 3600  # a cached answer older than this is fetched again
    requests_made: int = 0

    def __post_init__(self) -> None:
        if not self.rate:
            self.rate = 10.0 if self.client_id else 5.0
        self._lock = threading.Lock()
        self._last = 0.0
        headers = {"Accept": "application/json"}
        if self.client_id:
            headers["X-ClientId"] = self.client_id
        self._http = httpx.Client(timeout=self.timeout_s, headers=headers)

    def close(self) -> None:
        self._http.close()

    # -- transport -------------------------------------------------------------------------------------

    def _wait_turn(self) -> None:
        with self._lock:
            gap = 1.0 / self.rate - (time.monotonic() - self._last)
            if gap > 0:
                time.sleep(gap)
            self._last = time.monotonic()

    def _cache_file(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"{hashlib.sha256(url.encode()).hexdigest()}.json"

    def get_json(self, url: str) -> dict[str, Any]:
        """GET ``url`` (absolute) as JSON, from the cache when present; retries 429 and 5xx with back-off."""
        cached = self._cache_file(url)
        if cached is not None and cached.exists() and time.time() - cached.stat().st_mtime < self.cache_max_age_s:
            return json.loads(cached.read_text("utf-8"))
        wait = backoff(self.backoff_s)
        for attempt in range(1, self.max_retries + 1):
            self._wait_turn()
            self.requests_made += 1
            try:
                response = self._http.get(url)
            except httpx.TimeoutException:
                problem = f"no answer within {self.timeout_s:g} s"
            except httpx.TransportError as exc:
                raise FetchError(say("bdl_unreachable", url=self.base_url, error=exc.__class__.__name__)) from exc
            else:
                if response.status_code == 200:
                    try:
                        payload = response.json()
                    except ValueError:
                        raise FetchError(say("bdl_not_json", url=url)) from None
                    if cached is not None:
                        cached.parent.mkdir(parents=True, exist_ok=True)
                        cached.write_text(json.dumps(payload, ensure_ascii=False), "utf-8")
                    return payload
                if response.status_code == 429 or response.status_code >= 500:
                    problem = f"HTTP {response.status_code}"
                    wait.note(response)
                else:
                    raise FetchError(say("bdl_refused", url=url, status=response.status_code, text=response.text[:200]))
            if attempt < self.max_retries:
                wait.wait()
        raise FetchError(say("bdl_kept_failing", url=url, problem=problem, tries=self.max_retries))

    # -- endpoints -------------------------------------------------------------------------------------

    @property
    def api_version(self) -> str:
        """The API version in the base URL (``v1``), recorded with every fetch."""
        parts = [p for p in httpx.URL(self.base_url).path.split("/") if p]
        return next((p for p in reversed(parts) if p[:1] == "v" and p[1:].isdigit()), "unknown")

    def variable(self, variable_id: int, lang: str = "pl") -> dict[str, Any]:
        """A variable's metadata: ``{id, subjectId, n1, n2, level, measureUnitName, years}``."""
        return self.get_json(self._url(f"variables/{variable_id}", {"format": "json", "lang": lang}))

    def subject(self, subject_id: str, lang: str = "pl") -> dict[str, Any]:
        """A subject (the group a variable belongs to): ``{id, name, parentId, ...}``."""
        return self.get_json(self._url(f"subjects/{subject_id}", {"format": "json", "lang": lang}))

    def search_variables(self, text: str, *, lang: str = "pl", max_pages: int = 3) -> list[dict[str, Any]]:
        """Variables whose name contains ``text`` (at most ``max_pages`` pages of 100)."""
        found: list[dict[str, Any]] = []
        for n, page in enumerate(self.pages("variables/search", {"name": text, "lang": lang}), start=1):
            found.extend(page["results"])
            if n >= max_pages:
                break
        return found

    def units(self, level: int) -> list[dict[str, Any]]:
        """All units of a BDL level (2 voivodeships, 5 powiaty, 6 gminy): ``{id, name, parentId, level}``."""
        results: list[dict[str, Any]] = []
        for page in self.pages("units", {"level": level}):
            results.extend(page["results"])
        return results

    def _url(self, path: str, params: dict[str, Any]) -> str:
        query = httpx.QueryParams({k: v for k, v in params.items() if v is not None})
        return f"{self.base_url.rstrip('/')}/{path.lstrip('/')}?{query}"

    def pages(self, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every page of a list endpoint, following ``links.next`` until the last page."""
        url: str | None = self._url(path, {**params, "format": "json", "page-size": PAGE_SIZE, "page": 0})
        seen: set[str] = set()
        while url and url not in seen:
            seen.add(url)
            payload = self.get_json(url)
            if not isinstance(payload, dict) or "results" not in payload:
                raise FetchError(say("bdl_no_results", url=url))
            yield payload
            links = payload.get("links") or {}
            url = links.get("next") if links.get("next") != links.get("self") else None

    def data_by_variable(
        self, variable_id: int, *, unit_level: int, parent_id: str | None = None, years: list[int] | None = None
    ) -> list[dict[str, Any]]:
        """All unit results of one variable: ``[{id, name, values: [{year, val, attrId}]}]``."""
        params = {"unit-level": unit_level, "unit-parent-id": parent_id, "year": years or None}
        results: list[dict[str, Any]] = []
        for page in self.pages(f"data/by-variable/{variable_id}", params):
            results.extend(page["results"])
        return results


def observations_from_results(results: list[dict[str, Any]], indicator_id: str) -> list[dict[str, Any]]:
    """Rows for the observations table; a value the API marks as missing gets no number (never 0)."""
    rows = []
    for unit in results:
        teryt = bdl_unit_to_teryt(str(unit.get("id", "")))
        if teryt is None:
            continue
        for value in unit.get("values", []):
            flag, usable = ATTR_FLAGS.get(int(value.get("attrId", 1)), (f"attr_{value.get('attrId')}", True))
            rows.append(
                {
                    "unit_code": teryt,
                    "indicator_id": indicator_id,
                    "year": int(value["year"]),
                    "value": float(value["val"]) if usable and value.get("val") is not None else None,
                    "flag": flag,
                }
            )
    return rows
