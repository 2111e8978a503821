"""The wait between HTTP tries: doubling from the setting, longer when the server asks, never past the cap."""

from __future__ import annotations

import httpx

from etl import settings
from etl.connectors import http


def test_backoff_doubles_honours_retry_after_and_is_capped(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(http.time, "sleep", slept.append)
    monkeypatch.setattr(settings, "retry_backoff_s", 1.0)
    monkeypatch.setattr(settings, "retry_max_wait_s", 60.0)
    wait = http.backoff()
    wait.wait()
    wait.wait()
    wait.note(httpx.Response(429, headers={"Retry-After": "30"}))
    wait.wait()
    wait.note(httpx.Response(503, headers={"Retry-After": "3600"}))
    wait.wait()
    wait.note(httpx.Response(503, headers={"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}))  # a date: ignored
    assert slept == [1.0, 2.0, 30.0, 60.0]
    assert http.backoff(0.5).next_s == 0.5  # a caller's own first wait wins over the setting
