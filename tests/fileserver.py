"""A local file server on 127.0.0.1 for connector tests: serves bytes with ETag and byte ranges, and can be told
to misbehave the way real servers do (drop the connection mid-file, answer 429 or 500, not answer at all)."""

from __future__ import annotations

import hashlib
import io
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FileServer:
    """``files``: URL path -> bytes. ``faults``: URL path -> actions used up one per request:
    ``"drop:N"`` (announce the whole file, send N bytes, close), ``"500"``, ``"429"``, ``"sleep:S"``."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.faults: dict[str, list[str]] = {}
        self.requests: list[tuple[str, str | None]] = []  # (path, Range header)
        self.ranges = True
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802
                path = self.path.split("?")[0]
                server.requests.append((path, self.headers.get("Range")))
                action = server.faults.get(path, []).pop(0) if server.faults.get(path) else "ok"
                if action.startswith("sleep:"):
                    time.sleep(float(action.split(":")[1]))
                    action = "ok"
                if action in ("500", "429"):
                    return self._plain(int(action), b"busy")
                body = server.files.get(path)
                if body is None:
                    return self._plain(404, b"not found")
                etag = '"' + hashlib.md5(body).hexdigest() + '"'
                start, status = 0, 200
                wanted = self.headers.get("Range", "")
                if server.ranges and wanted.startswith("bytes=") and self.headers.get("If-Range") in (None, etag):
                    start = int(wanted[6:].split("-")[0])
                    if start >= len(body):
                        self.send_response(416)
                        self.send_header("Content-Range", f"bytes */{len(body)}")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    status = 206
                part = body[start:]
                self.send_response(status)
                self.send_header("Content-Length", str(len(part)))
                self.send_header("ETag", etag)
                self.send_header("Access-Control-Allow-Origin", "*")  # map tiles are fetched cross-origin
                if server.ranges:
                    self.send_header("Accept-Ranges", "bytes")
                if status == 206:
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                self.end_headers()
                if action.startswith("drop:"):
                    self.wfile.write(part[: int(action.split(":")[1])])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(part)

            def _plain(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):  # a client that gave up (timeout test): expected
                pass

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> FileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@contextmanager
def basemap_tiles(attribution: str) -> Iterator[tuple[FileServer, dict[str, str]]]:
    """A tile basemap on 127.0.0.1 (one green tile for every address) and the environment that configures it for
    ``ldatlas serve``: yields (the server, its requests in ``.requests``; the environment)."""
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (256, 256), (120, 200, 120)).save(png, format="PNG")
    with FileServer() as tiles:
        tiles.files["/tile.png"] = png.getvalue()
        yield (
            tiles,
            {
                "LDATLAS_BASEMAP_URL": tiles.url + "/tile.png?z={z}&x={x}&y={y}",
                "LDATLAS_BASEMAP_ATTRIBUTION": attribution,
            },
        )
