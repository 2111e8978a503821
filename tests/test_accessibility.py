"""Every page in every language in Debian's Chromium, checked by axe-core (the PyPI package axe-playwright-python
bundles it): no serious or critical WCAG violation; the page says its language (``<html lang>``); the toolbar of the
charts speaks it too. Pages are opened with something chosen, so that their tables and charts are there."""

from __future__ import annotations

import pytest

from dashboard.figures import PLOTLY_WORDS
from dashboard.i18n import t
from etl.tools.dashboard_bench import MAP_DRAWN
from indicators.translation import LANGUAGES
from tests.test_browser import IDLE, browser, server, store  # noqa: F401  (the shared fixtures)

pytestmark = pytest.mark.browser

PAGES = {  # path and query -> a text the page shows when it is done (catalogue key)
    "overview": ("", "catalogue"),
    "map": ("map?level=urban_unit&ind=unemployment&unit=9861011-05", "unit_panel"),
    "compare": ("compare?level=urban_unit&units=9861011-01,9861011-05&year=2024", "level_change"),
    "proposals": ("proposals?", "proposals_list"),
    "lsr": ("lsr?", "lsr_title"),
    "revitalisation": ("revitalisation?", "delimitation_table"),
}


#: what a contrast finding on a caption was made of, for the failure message: its colour, every ancestor's opacity
#: below 1, whether the page's readable-text style is there, and what is still animating
WHY_FADED = """() => {
  const caption = document.querySelector('[data-testid="stCaptionContainer"]');
  const faded = [];
  for (let e = caption; e; e = e.parentElement) {
    const o = getComputedStyle(e).opacity;
    if (o !== '1') faded.push(`${e.tagName}[${e.getAttribute('data-testid') || e.className}]=${o}`);
  }
  return JSON.stringify({
    caption: caption && getComputedStyle(caption).color,
    faded,
    readable_css: [...document.querySelectorAll('style')].some(s => s.textContent.includes('stCaptionContainer')),
    animations: document.getAnimations().map(a => a.animationName || a.transitionProperty || String(a)),
    state: document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state'),
  });
}"""


def _serious(result) -> bool:
    return any(v["impact"] in ("serious", "critical") for v in result.response["violations"])


def _open(browser, server, name: str, lang: str):  # noqa: F811
    path, done = PAGES[name]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    sep = "&" if "?" in path else "?"
    page.goto(f"{server}/{path}{sep}lang={lang}")
    page.get_by_text(t(done, lang), exact=False).first.wait_for(timeout=60_000)
    page.wait_for_function(f"() => document.documentElement.lang === '{lang}'", timeout=30_000)
    if name in ("map", "compare", "lsr", "revitalisation", "proposals"):
        page.wait_for_function(MAP_DRAWN, arg=1, timeout=60_000)
    page.wait_for_function(IDLE, timeout=60_000)
    return page


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violations(browser, server, name, lang):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    page = _open(browser, server, name, lang)
    try:
        result = Axe().run(page)
        for _ in range(2):  # a finding must survive the page standing still again: a real one, not a rerun
            if not _serious(result):
                break
            page.wait_for_function(IDLE, timeout=60_000)
            result = Axe().run(page)
        serious = [
            f"{v['impact']} {v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in result.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, "\n".join(serious) + "\n" + page.evaluate(WHY_FADED)
        assert result.response["passes"], "axe checked nothing"
    finally:
        page.close()


def test_the_chart_toolbar_speaks_the_language(browser, server):  # noqa: F811
    page = _open(browser, server, "map", "pl")
    try:
        page.locator(".js-plotly-plot").first.hover()
        titles = page.evaluate(
            "() => [...document.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title'))"
        )
        assert t("plotly_Zoom in", "pl") in titles and t("plotly_Pan", "pl") in titles, titles
        assert not [title for title in titles if title in PLOTLY_WORDS], titles  # Plotly's own words, translated
    finally:
        page.close()
