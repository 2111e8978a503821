"""The deployment examples in docs/deploy/ parse, and agree with each other and with the command line."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from etl import store

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "docs" / "deploy"


def _env() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / "atlas.env").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            assert re.fullmatch(r"[A-Z_]+", key), line
            (parsed,) = shlex.split(value)  # one shell word: `set -a; . atlas.env` and systemd read the same
            values[key] = parsed
    return values


def test_the_environment_names_a_lake_without_a_password_in_it():
    env = _env()
    where = store.locate(env["LDATLAS_DB"], env["LDATLAS_DATA_PATH"])
    assert where.is_lake and where.data_path == "/srv/atlas/data/"
    assert "password" not in env["LDATLAS_DB"] and env["PGPASSWORD"]


def test_the_systemd_unit_serves_the_store_on_loopback_per_instance_port():
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read(DEPLOY / "ldatlas@.service", "utf-8")
    assert {"Unit", "Service", "Install"} <= set(unit.sections())
    service = unit["Service"]
    assert service["EnvironmentFile"] == "/etc/ldatlas/atlas.env"
    command = shlex.split(service["ExecStart"])
    assert command[0].endswith("/ldatlas") and command[1] == "serve"
    options = dict(zip(command[2::2], command[3::2], strict=True))
    assert options["--db"] == "${LDATLAS_DB}" and options["--port"] == "%i" and options["--host"] == "127.0.0.1"
    # the options exist on the real command
    help_text = subprocess.run(
        [sys.executable, "-m", "etl.cli", "serve", "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "200"},
    ).stdout
    for option in options:
        assert option in help_text
    found = subprocess.run(["systemd-analyze", "--version"], capture_output=True, text=True)
    if found.returncode == 0:  # systemd's own parser, where the machine has it: no unknown keys or sections
        checked = subprocess.run(
            ["systemd-analyze", "verify", "--man=no", str(DEPLOY / "ldatlas@.service")], capture_output=True, text=True
        )
        assert "Unknown key" not in checked.stderr and "Unknown section" not in checked.stderr, checked.stderr


def _nginx_blocks(text: str) -> list[str]:
    """Every statement, with comments removed; fails on unbalanced braces or a directive without ';'."""
    text = re.sub(r"#[^\n]*", "", text)
    depth, statements, current = 0, [], ""
    for char in text:
        if char == "{":
            depth += 1
            statements.append(current.strip() + " {")
            current = ""
        elif char == "}":
            assert not current.strip(), f"directive without ';': {current.strip()}"
            depth -= 1
            assert depth >= 0
            current = ""
        elif char == ";":
            statements.append(current.strip())
            current = ""
        else:
            current += char
    assert depth == 0 and not current.strip()
    return statements


def test_the_nginx_site_is_sticky_passes_websockets_and_reaches_the_instances():
    statements = _nginx_blocks((DEPLOY / "nginx-atlas.conf").read_text("utf-8"))
    assert "upstream atlas_dashboards {" in statements
    assert any(s in ("ip_hash", "hash $remote_addr consistent") for s in statements)  # sticky sessions
    assert "proxy_set_header Upgrade $http_upgrade" in statements
    assert "proxy_set_header Connection $connection_upgrade" in statements
    assert "proxy_http_version 1.1" in statements
    assert "proxy_pass http://atlas_dashboards" in statements
    ports = {int(s.rsplit(":", 1)[1]) for s in statements if s.startswith("server 127.0.0.1:")}
    assert ports == {8501, 8502}  # the two instances the unit's comment enables
    assert "ldatlas@8501 ldatlas@8502" in (DEPLOY / "ldatlas@.service").read_text("utf-8")
