"""Signing in through Streamlit's st.login (OpenID Connect) against a provider the test starts on 127.0.0.1, in
Chromium: a viewer sees no save button and no sources, an analyst saves a group (audited under their e-mail), an
admin deletes it; a forged or expired ID token signs nobody in; signing out works."""

from __future__ import annotations

import shutil

import pytest

from tests.oidc_provider import Provider, secrets_toml
from tests.test_browser import IDLE, _free_port, _query, _serving, browser, store  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.browser
SIGNED_IN = "Zalogowano: {email}"


@pytest.fixture(scope="module")
def signed_app(store, tmp_path_factory):  # noqa: F811
    root = tmp_path_factory.mktemp("sign-in")
    db = root / "atlas.duckdb"
    shutil.copy(store, db)
    with Provider() as idp:
        port = _free_port()
        secrets = root / "secrets.toml"
        secrets.write_text(secrets_toml(idp.url, f"http://127.0.0.1:{port}"), "utf-8")
        with _serving(db, extra=("--secrets", str(secrets)), port=port) as url:
            yield url, idp, db


def _sign_in(browser, url: str, email: str):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    page.get_by_role("button", name="Zaloguj się").click()
    page.get_by_role("button", name=email).click()  # the provider's page: choose the account
    return context, page


def test_a_viewer_reads_but_cannot_save(browser, signed_app):  # noqa: F811
    url, idp, _db = signed_app
    idp.mode = "ok"
    context, page = _sign_in(browser, url, "widz@example.org")
    try:
        page.get_by_text(SIGNED_IN.format(email="widz@example.org")).wait_for(timeout=60_000)
        page.get_by_text("Katalog wskaźników").first.wait_for(timeout=60_000)
        page.wait_for_function(IDLE, timeout=60_000)
        assert page.get_by_text("Źródła i przebiegi ładowania").count() == 0  # sources and rejects: not for viewers
        page.goto(f"{url}/compare?level=urban_unit&units=9861011-01,9861011-05&year=2024")
        page.get_by_text("Wartości wskaźników").first.wait_for(timeout=60_000)
        page.wait_for_function(IDLE, timeout=60_000)
        assert page.get_by_text("Zapisz wybrane jednostki jako grupę porównawczą").count() == 0
        page.get_by_role("button", name="Wyloguj się").click()
        page.get_by_role("button", name="Zaloguj się").wait_for(timeout=60_000)
        assert page.get_by_text("Katalog wskaźników").count() == 0
    finally:
        context.close()


def test_an_analyst_saves_and_an_admin_deletes(browser, signed_app):  # noqa: F811
    url, idp, db = signed_app
    idp.mode = "ok"
    context, page = _sign_in(browser, url, "jan@um.example.pl")
    try:
        page.get_by_text(SIGNED_IN.format(email="jan@um.example.pl")).wait_for(timeout=60_000)
        page.goto(f"{url}/compare?level=urban_unit&units=9861011-01,9861011-05&year=2024")
        page.get_by_text("Zapisz wybrane jednostki jako grupę porównawczą").click(timeout=60_000)
        page.get_by_label("Nazwa grupy").fill("Grupa Jana")
        page.get_by_label("Nazwa grupy").press("Enter")
        page.get_by_role("button", name="Zapisz grupę").click(timeout=60_000)
        page.get_by_text("Zapisano grupę").wait_for(timeout=60_000)
    finally:
        context.close()
    assert _query(db, "SELECT who, action FROM audit WHERE object_id = 'grupa-jana'") == (
        "jan@um.example.pl",
        "save",
    )
    context, page = _sign_in(browser, url, "anna.nowak@um.example.pl")
    try:
        page.get_by_text(SIGNED_IN.format(email="anna.nowak@um.example.pl")).wait_for(timeout=60_000)
        page.get_by_text("Zapisane przez użytkowników").wait_for(timeout=60_000)
        page.get_by_role("button", name="Usuń").click(timeout=60_000)
        page.get_by_text("usunięto").first.wait_for(state="attached", timeout=60_000)  # the audit table shows it
    finally:
        context.close()
    deleted = _query(db, "SELECT who FROM audit WHERE object_id = 'grupa-jana' AND action = 'delete'")
    assert deleted == ("anna.nowak@um.example.pl",)
    assert _query(db, "SELECT count(*) FROM unit_groups WHERE group_id = 'grupa-jana'") == (0,)


@pytest.mark.parametrize("mode", ["forged", "expired"])
def test_a_forged_or_expired_token_signs_nobody_in(browser, signed_app, mode):  # noqa: F811
    url, idp, _db = signed_app
    idp.mode = mode
    try:
        context, page = _sign_in(browser, url, "anna.nowak@um.example.pl")
        try:
            page.get_by_role("button", name="Zaloguj się").wait_for(timeout=60_000)  # back, still signed out
            assert page.get_by_text("Zalogowano:").count() == 0
        finally:
            context.close()
    finally:
        idp.mode = "ok"
