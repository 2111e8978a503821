"""Downloading public files (GISCO, PRG): cached, resumable, verified.

A download goes to ``<cache>/<key>/<file name>.part`` and is renamed only once it is complete and verified, so a
half-downloaded file is never used. An interrupted download resumes with an HTTP ``Range`` request (validated by
``If-Range`` against the server's ETag or Last-Modified), or starts again when the server cannot resume. Verified:
the size the server announced and, when known, the SHA-256 checksum. The cache keeps each file with a small
``.meta.json`` (URL, size, checksum, when fetched), so a second run does not download again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx

from etl.connectors.http import FetchError, backoff
from etl.texts import say

CHUNK = 1 << 20


@dataclass(frozen=True)
class Downloaded:
    path: Path
    url: str
    size: int
    sha256: str
    from_cache: bool
    fetched_at: str

    def provenance(self) -> dict[str, object]:
        return {"url": self.url, "size": self.size, "sha256": self.sha256, "fetched_at": self.fetched_at}


def is_url(text: str) -> bool:
    return urlparse(text).scheme in ("http", "https")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_path(url: str, cache_dir: Path) -> Path:
    """Where ``url`` is kept: one folder per URL, the file under its own name."""
    name = Path(unquote(urlparse(url).path)).name or "download"
    return cache_dir / hashlib.sha256(url.encode()).hexdigest()[:16] / name


def _meta_file(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


def _cached(path: Path, url: str, expected_sha256: str | None) -> Downloaded | None:
    meta_file = _meta_file(path)
    if not (path.exists() and meta_file.exists()):
        return None
    meta = json.loads(meta_file.read_text("utf-8"))
    if meta.get("url") != url or path.stat().st_size != meta.get("size"):
        return None
    if expected_sha256 and meta.get("sha256") != expected_sha256.lower():
        return None
    return Downloaded(path, url, meta["size"], meta["sha256"], True, meta.get("fetched_at", ""))


def _gave_up(url: str, problem: str, what: str) -> FetchError:
    return FetchError(
        f"Could not download {what} from {url} ({problem}). Check the network connection and try again (the "
        "part already downloaded is kept and resumed), or download the file yourself and pass its path; "
        "the store was not changed."
    )


def download(
    url: str,
    cache_dir: Path,
    *,
    what: str = "the file",
    expected_sha256: str | None = None,
    refresh: bool = False,
    timeout_s: float = 60.0,
    max_retries: int = 4,
    backoff_s: float | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
    client: httpx.Client | None = None,
) -> Downloaded:
    """Fetch ``url`` into the cache (or take it from there) and return where it is.

    Resumes a partial download left by an earlier attempt; retries timeouts, dropped connections, HTTP 429 and
    5xx with back-off, resuming each time from what is on disk. Raises :class:`FetchError` with one sentence
    saying what was tried and what to do when it cannot finish, or when the file is not what was announced.
    """
    path = cache_path(url, cache_dir)
    if not refresh and (hit := _cached(path, url, expected_sha256)) is not None:
        return hit
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part_meta = _meta_file(part)
    validator = json.loads(part_meta.read_text("utf-8")).get("validator") if part_meta.exists() else None
    if refresh or not part.exists() or not validator:
        part.unlink(missing_ok=True)  # nothing to resume against: start afresh
    own_client = client is None
    # identity: byte ranges then count the file's own bytes, not a compressed transfer's
    http = client or httpx.Client(timeout=timeout_s, follow_redirects=True, headers={"Accept-Encoding": "identity"})
    wait, problem, total = backoff(backoff_s), "", None
    try:
        for attempt in range(1, max_retries + 1):
            have = part.stat().st_size if part.exists() else 0
            headers = {"Range": f"bytes={have}-", "If-Range": validator} if have and validator else {}
            try:
                with http.stream("GET", url, headers=headers) as response:
                    status = response.status_code
                    if status == 416 and have:  # nothing left to send: the part may already be whole
                        total = _range_total(response.headers.get("Content-Range", "")) or have
                        break
                    if status in (200, 206):
                        if status == 200 and have:
                            part.unlink()  # the server sends the whole file again (or it changed)
                            have = 0
                        total = _announced_total(response, have)
                        validator = response.headers.get("ETag") or response.headers.get("Last-Modified")
                        part_meta.write_text(json.dumps({"url": url, "validator": validator}), "utf-8")
                        with open(part, "ab") as out:
                            for chunk in response.iter_bytes():  # as it arrives: a dropped connection loses nothing
                                out.write(chunk)
                                have += len(chunk)
                                if on_progress:
                                    on_progress(have, total)
                        if total is None or have >= total:
                            break
                        problem = f"the connection closed after {have:,} of {total:,} bytes"
                    elif status == 429 or status >= 500:
                        problem = f"HTTP {status}"
                        wait.note(response)
                    else:
                        raise FetchError(say("dl_refused", what=what, url=url, status=status))
            except httpx.TimeoutException:
                problem = f"no answer within {timeout_s:g} s"
            except httpx.ConnectError as exc:  # no network, no such host, nothing listening: retrying won't help
                raise _gave_up(url, f"cannot connect: {exc}" if str(exc) else "cannot connect", what) from exc
            except (httpx.TransportError, httpx.StreamError) as exc:
                problem = f"{exc.__class__.__name__}: {exc}" if str(exc) else exc.__class__.__name__
            if attempt == max_retries:
                raise _gave_up(url, f"{problem}, after {max_retries} tries", what)
            wait.wait()
    finally:
        if own_client:
            http.close()

    size = part.stat().st_size
    if total is not None and size != total:
        part.unlink()
        part_meta.unlink(missing_ok=True)
        raise FetchError(say("dl_short", what=what, url=url, size=size, total=total))
    checksum = sha256_of(part)
    if expected_sha256 and checksum != expected_sha256.lower():
        part.unlink()
        part_meta.unlink(missing_ok=True)
        raise FetchError(say("dl_checksum", what=what, url=url, got=checksum[:12], expected=expected_sha256[:12]))
    part.replace(path)
    part_meta.unlink(missing_ok=True)
    fetched_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    _meta_file(path).write_text(
        json.dumps({"url": url, "size": size, "sha256": checksum, "fetched_at": fetched_at}), "utf-8"
    )
    return Downloaded(path, url, size, checksum, False, fetched_at)


def _range_total(content_range: str) -> int | None:
    """The full size in ``bytes 100-199/1000`` (None when the server does not say)."""
    total = content_range.rpartition("/")[2].strip()
    return int(total) if total.isdigit() else None


def _announced_total(response: httpx.Response, have: int) -> int | None:
    if response.status_code == 206:
        return _range_total(response.headers.get("Content-Range", ""))
    length = response.headers.get("Content-Length", "")
    # a compressed transfer announces the compressed length: it says nothing about the file's size
    if length.isdigit() and not response.headers.get("Content-Encoding"):
        return int(length) + have
    return None


def local_or_download(source: str, cache_dir: Path, **kwargs) -> tuple[Path, dict[str, object]]:
    """A path the user gave (checked to exist) or a URL downloaded into the cache; with its provenance."""
    if is_url(source):
        got = download(source, cache_dir, **kwargs)
        return got.path, got.provenance()
    path = Path(source).expanduser()
    if not path.exists():
        raise FetchError(say("dl_no_file", path=str(path)))
    checksum = sha256_of(path)
    expected = kwargs.get("expected_sha256")
    if expected and checksum != expected.lower():
        raise FetchError(say("dl_file_checksum", file=path.name, got=checksum[:12], expected=expected[:12]))
    return path, {"path": str(path.resolve()), "size": path.stat().st_size, "sha256": checksum}
