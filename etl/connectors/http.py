"""What every connector's HTTP loop shares: the wait between tries (doubling, or what the server asks).

Timing comes from :mod:`etl.settings` (``retry_backoff_s``, ``retry_max_wait_s``), read when a loop starts, so
tests of retries set it to milliseconds instead of sleeping.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import httpx

from etl import settings
from etl.errors import AtlasError


class FetchError(AtlasError):
    """The service could not be reached or answered something unusable; the message says what to do."""


@dataclass
class Backoff:
    """Waits between tries: ``first_s``, doubling each time, longer when the server says so (``Retry-After``),
    never longer than ``cap_s``."""

    first_s: float
    cap_s: float
    next_s: float = field(init=False)

    def __post_init__(self) -> None:
        self.next_s = self.first_s

    def note(self, response: httpx.Response) -> None:
        """Take the server's ``Retry-After`` (seconds) into account for the next wait."""
        retry_after = response.headers.get("Retry-After", "")
        if retry_after.replace(".", "", 1).isdigit():
            self.next_s = max(self.next_s, float(retry_after))

    def wait(self) -> None:
        time.sleep(min(self.next_s, self.cap_s))
        self.next_s *= 2


def backoff(first_s: float | None = None) -> Backoff:
    """A new :class:`Backoff` from the settings (or from ``first_s`` when a caller sets its own)."""
    first = settings.retry_backoff_s if first_s is None else first_s
    return Backoff(first, settings.retry_max_wait_s)
