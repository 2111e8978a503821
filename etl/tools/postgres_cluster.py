"""A throwaway PostgreSQL server on 127.0.0.1 for the DuckLake tests and benchmarks (Debian's ``postgresql``).

``with PostgresCluster() as pg: store = pg.lake("atlas", data_path)`` initialises a cluster in a temporary
folder, starts it on a free loopback port (no Unix socket in a shared folder, no password: trust on loopback
only), and removes everything when the block ends. As root it runs the server as the ``postgres`` user, as
PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from etl.store.location import Store


def bin_dir() -> Path:
    """Debian's PostgreSQL programs (``/usr/lib/postgresql/N/bin``), the newest version installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise RuntimeError(
            "PostgreSQL is not installed: `apt-get install postgresql` (`make test` and .ci/run do it as root)."
        )
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresCluster:
    """A PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 only."""

    def __init__(self) -> None:
        self.bin = bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="ldatlas-pg-"))
        self.port = free_port()
        self._as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True, cwd=self.root)

    def start(self) -> PostgresCluster:
        if self._as_root:
            self.root.chmod(0o755)
            shutil.chown(self.root, "postgres")
        data = self.root / "data"
        self._run("initdb", "-D", str(data), "-A", "trust", "-U", "atlas", "-E", "UTF8", "--no-sync")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c max_connections=200"
        self._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(self.root / "server.log"), "-w", "start")
        return self

    def create_database(self, name: str) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "atlas", name)

    def drop_database(self, name: str) -> None:
        self._run("dropdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "atlas", "--if-exists", "--force", name)

    def target(self, name: str) -> str:
        """The ``--db`` value of a DuckLake whose catalog is database ``name``."""
        return f"ducklake:postgres:dbname={name} host=127.0.0.1 port={self.port} user=atlas"

    def lake(self, name: str, data_path: Path | str) -> Store:
        """A fresh database ``name`` and the DuckLake store on it, its files in ``data_path``."""
        self.create_database(name)
        return Store(self.target(name), str(data_path).rstrip("/") + "/")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # never started, or already gone
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
