"""Who may do what, and user content that is never silently overwritten: roles from claims, actions that refuse,
versions, audit, delete, restore, and ``ldatlas load`` keeping all of it."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from dashboard import actions
from dashboard.access import Access, AccessDenied, role_for
from etl import store
from etl.cli import app
from etl.store.user_content import AlreadySaved

RULES = {
    "admin": ["anna.nowak@um.example.pl"],
    "analyst": ["domain:um.example.pl", "group:planisci", "claim:department=Wydział Rozwoju"],
}
A, B, C = "9861011-01", "9861011-02", "9861011-05"


@pytest.mark.parametrize(
    "claims, role",
    [
        ({"email": "anna.nowak@um.example.pl"}, "admin"),
        ({"email": "Anna.Nowak@UM.example.pl"}, "admin"),  # e-mail addresses compare without case
        ({"email": "anna.nowak@um.example.pl", "email_verified": False}, "analyst"),  # unverified: no named rule
        ({"email": "jan@um.example.pl"}, "analyst"),
        ({"email": "jan@gmail.com", "groups": ["planisci"]}, "analyst"),
        ({"email": "jan@gmail.com", "roles": ["planisci"]}, "analyst"),
        ({"email": "x@y.pl", "department": "Wydział Rozwoju"}, "analyst"),
        ({"email": "jan@um.example.pl.evil.com"}, "viewer"),  # a domain must end the address
        ({"email": "jan@gmail.com"}, "viewer"),
        ({}, "viewer"),
    ],
)
def test_roles_come_from_claims(claims, role):
    assert role_for(claims, RULES) == role


def test_rights_by_role_and_mode():
    assert Access("admin", "a", "signed-in").can("delete")
    assert Access("analyst", "a", "signed-in").can("save") and not Access("analyst", "a", "signed-in").can("delete")
    assert not Access("viewer", "v", "signed-in").can("save")
    assert not Access("admin", "", "public").can("save")  # a public dashboard never writes, whatever the role
    assert not Access("", "", "signed-out").can("sources")
    assert Access("admin", "local user", "single-user").can("delete")


@pytest.fixture
def db(hostile_demo_db, tmp_path):
    copy = tmp_path / "demo.duckdb"
    shutil.copy(hostile_demo_db, copy)
    return copy


def _rows(db, sql, params=None):
    con = store.connect(db, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_a_viewer_cannot_save_even_by_calling_the_action(db):
    viewer = Access("viewer", "v@um.example.pl", "signed-in")
    with pytest.raises(AccessDenied):
        actions.save_group(viewer, db, "para", "Para", [A, B])
    with pytest.raises(AccessDenied):
        actions.save_area(viewer, db, "lsr-x", "X", "lsr", [A])
    analyst = Access("analyst", "jan@um.example.pl", "signed-in")
    actions.save_group(analyst, db, "para", "Para", [A, B])
    with pytest.raises(AccessDenied):
        actions.delete_group(analyst, db, "para")
    assert _rows(db, "SELECT count(*) FROM unit_groups WHERE group_id = 'para'") == [(2,)]


def test_saving_again_asks_keeps_versions_and_audits(db):
    jan = Access("analyst", "jan@um.example.pl", "signed-in")
    ewa = Access("analyst", "ewa@um.example.pl", "signed-in")
    admin = Access("admin", "anna.nowak@um.example.pl", "signed-in")
    assert actions.save_area(jan, db, "lsr-2028", "LSR Jana", "lsr", [A, B]) == 1
    with pytest.raises(AlreadySaved) as refused:
        actions.save_area(ewa, db, "lsr-2028", "LSR Ewy", "lsr", [C])
    assert refused.value.who == "jan@um.example.pl"
    assert _rows(db, "SELECT name FROM areas WHERE id = 'lsr-2028'") == [("LSR Jana",)]  # untouched
    assert actions.save_area(ewa, db, "lsr-2028", "LSR Ewy", "lsr", [C], replace=True) == 2
    assert _rows(db, "SELECT unit_code FROM area_members WHERE area_id = 'lsr-2028'") == [(C,)]
    actions.delete_area(admin, db, "lsr-2028")
    assert _rows(db, "SELECT count(*) FROM areas WHERE id = 'lsr-2028'") == [(0,)]
    assert actions.restore_area(admin, db, "lsr-2028", 1) == 3  # Jan's version back, as version 3
    assert _rows(db, "SELECT name FROM areas WHERE id = 'lsr-2028'") == [("LSR Jana",)]
    assert sorted(_rows(db, "SELECT unit_code FROM area_members WHERE area_id = 'lsr-2028'")) == [(A,), (B,)]
    audit = _rows(db, "SELECT who, action, version FROM audit WHERE object_id = 'lsr-2028' ORDER BY happened_at")
    assert audit == [
        ("jan@um.example.pl", "save", 1),
        ("ewa@um.example.pl", "replace", 2),
        ("anna.nowak@um.example.pl", "delete", None),
        ("anna.nowak@um.example.pl", "restore", 3),
    ]


def test_a_load_keeps_what_users_saved_and_its_history(db):
    from etl.tools.demo import demo_workspace_path

    jan = Access("analyst", "jan@um.example.pl", "signed-in")
    actions.save_group(jan, db, "para", "Para", [A, B])
    actions.save_area(jan, db, "lsr-2028", "LSR Jana", "lsr", [A, B])
    result = CliRunner().invoke(app, ["load", str(demo_workspace_path()), "--db", str(db), "--force"])
    assert result.exit_code == 0, result.output
    assert _rows(db, "SELECT count(*) FROM unit_groups WHERE group_id = 'para'") == [(2,)]
    assert _rows(db, "SELECT name FROM areas WHERE id = 'lsr-2028'") == [("LSR Jana",)]
    assert _rows(db, "SELECT count(*) FROM audit") == [(2,)]


def test_history_and_restore_from_the_command_line(db):
    jan = Access("analyst", "jan@um.example.pl", "signed-in")
    actions.save_group(jan, db, "para", "Para", [A, B])
    actions.save_group(jan, db, "para", "Para", [A, C], replace=True)
    runner = CliRunner()
    shown = runner.invoke(app, ["history", "--db", str(db)])
    assert shown.exit_code == 0 and "jan@um.example.pl" in shown.output and "replace" in shown.output
    back = runner.invoke(app, ["restore", "group", "para", "--version", "1", "--db", str(db)])
    assert back.exit_code == 0, back.output
    assert sorted(_rows(db, "SELECT unit_code FROM unit_groups WHERE group_id = 'para'")) == [(A,), (B,)]
    wrong = runner.invoke(app, ["restore", "group", "para", "--version", "9", "--db", str(db)])
    assert wrong.exit_code != 0 and "No version 9" in wrong.output


def _listening(port: int) -> list[str]:
    """Local addresses with a socket listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = open(table).read().splitlines()[1:]  # noqa: SIM115
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A = LISTEN
                found.append(address if len(address) == width else "?")
    return found


@pytest.mark.browser
def test_serve_listens_on_loopback_only_by_default(hostile_demo_db):
    import socket

    from tests.test_browser import _serving

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with _serving(hostile_demo_db, port=port):
        addresses = _listening(port)
    assert addresses and all(a == "0100007F" for a in addresses), addresses  # 127.0.0.1, nothing else


def test_a_public_dashboard_offers_no_save_and_refuses_writes(hostile_demo_db, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    copy = tmp_path / "demo.duckdb"
    shutil.copy(hostile_demo_db, copy)
    monkeypatch.setenv("LDATLAS_PUBLIC", "1")

    def script(db: str) -> None:
        import os

        os.environ["LDATLAS_DB"] = db
        from dashboard.state import language
        from dashboard.views import compare

        compare.page(language())

    at = AppTest.from_function(script, args=(str(copy),), default_timeout=90)
    at.query_params["units"] = f"{A},{B}"
    at.run()
    assert not at.exception
    assert not [e for e in at.expander if "Zapisz" in e.label] and not [b for b in at.button if "Zapisz" in b.label]
    from dashboard.state import access

    assert access().mode == "public" and not access().can("save")
    with pytest.raises(AccessDenied):
        actions.save_group(access(), copy, "para", "Para", [A, B])
