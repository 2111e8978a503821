"""The profile as one self-contained HTML page (``ldatlas report --out profile.html``): the same texts and numbers
as the PDF, charts inline as SVG, every text from the data escaped; print it from a browser or put it on a site."""

from __future__ import annotations

from html import escape
from typing import Any

STYLE = """
body { font-family: "Libertinus Serif", Georgia, serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .2rem .4rem; vertical-align: top; } th { background: #f3f3f3; }
td.n { text-align: right; white-space: nowrap; } .small { font-size: .8rem; color: #444; }
.synthetic { color: #b00020; font-weight: bold; text-align: right; } figure { margin: 1rem 0; text-align: center; }
figure svg { max-width: 100%; height: auto; } .spark svg { width: 5rem; height: 1.2rem; }
@media print { body { margin: 0; } h2 { break-after: avoid; } }
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _table(headers: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td{' class=n' if i in numeric else ''}>{cell}</td>" for i, cell in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(data: dict[str, Any], charts: dict[str, str]) -> str:
    """``data`` from :func:`etl.report.document.document_data`; ``charts``: file name -> SVG (our own drawings)."""
    L = data["labels"]  # noqa: N806  (as the Typst template names it)
    out = [f'<!doctype html><html lang="{_e(data["lang"])}"><head><meta charset="utf-8">']
    out.append(f"<title>{_e(data['title'])}</title><style>{STYLE}</style></head><body>")
    if data["synthetic"]:
        out.append(f'<p class="synthetic">{_e(data["synthetic_mark"])}</p>')
    out.append(f"<h1>{_e(data['title'])}</h1><p>{_e(data['subtitle'])}</p>")
    out.append(f"<p>{_e(data['compared'])} {_e(data['population'])}</p>")
    if data["outside_note"]:
        out.append(f"<p>{_e(data['outside_note'])}</p>")
    out.append(f"<h2>1. {_e(L['sec_place'])}</h2>")
    out.append(f"<figure>{charts['map.svg']}<figcaption>{_e(data['map_caption'])}</figcaption></figure>")
    areas = "".join(f"<li>{_e(a[0])} ({_e(a[1])}; {_e(a[2])})</li>" for a in data["areas"])
    out.append(f"<p><b>{_e(L['areas'])}.</b> " + (f"<ul>{areas}</ul>" if areas else _e(L["areas_none"])) + "</p>")
    out.append(f"<h2>2. {_e(L['sec_scores'])}</h2>")
    rows = [
        [
            _e(r["label"]),
            _e(r["score"]),
            _e(r["rank"]),
            _e(r["quartile"]),
            _e(f"{r['rank_before']} ({r['quartile_before']})"),
            _e(r["change"]),
        ]
        for r in data["scores"]
    ]
    headers = [
        L["col_domain"],
        L["col_score"],
        L["col_rank"],
        L["col_quartile"],
        data["before_heading"],
        data["change_heading"],
    ]
    out.append(_table(headers, rows, {1, 2, 4, 5}))
    out.append(f'<p class="small">{_e(L["quartile_note"])} {_e(data["quadrant_text"])}</p>')
    if data["has_level_change"]:
        out.append(
            f"<figure>{charts['level_change.svg']}<figcaption>{_e(data['level_change_caption'])}</figcaption></figure>"
        )
    out.append(f"<h2>3. {_e(L['sec_strengths'])}</h2><p>{_e(data['strengths_note'])}</p>")
    for key, none in (("strengths", "strengths_none"), ("weaknesses", "weaknesses_none")):
        items = "".join(f"<li><b>{_e(s['name'])}:</b> {_e(s['line'])}</li>" for s in data[key])
        out.append(f"<p><b>{_e(L[key])}</b></p>" + (f"<ol>{items}</ol>" if items else f"<p>{_e(L[none])}</p>"))
    out.append(f"<h2>4. {_e(L['sec_indicators'])}</h2>")
    headers = [
        L[k]
        for k in (
            "col_indicator",
            "col_value",
            "col_unit",
            "col_rank",
            "col_quartile",
            "col_average",
            "col_difference",
            "col_trend",
            "col_direction",
        )
    ]
    for domain in data["domains"]:
        out.append(f"<h3>{_e(domain['label'])}</h3>")
        rows = [
            [
                _e(r["name"]),
                _e(r["value"]),
                _e(r["unit"]),
                _e(r["rank"]),
                _e(r["quartile"]),
                _e(r["average"]) + (f'<br><span class="small">({_e(r["ratio"])})</span>' if r["ratio"] else ""),
                _e(r["difference"]),
                f'<span class="spark">{charts[r["spark"]]}</span>' if r["spark"] else "",
                _e(r["direction"]),
            ]
            for r in domain["rows"]
        ]
        out.append(_table(headers, rows, {1, 3, 5, 6}))
    out.append(f"<h2>5. {_e(L['sec_proposals'])}</h2>")
    proposals = data["proposals"]
    if proposals["state"] == "some":
        out.append(
            _table(
                ["", ""],
                [
                    [_e(L["proposals_count"]), _e(proposals["count"])],
                    [_e(L["proposals_cost"]), _e(proposals["cost"])],
                    [_e(L["proposals_per_1000"]), _e(proposals["per1000"])],
                ],
                {1},
            )
        )
        for key, label in (("by_status", "by_status"), ("by_goal", "by_goal")):
            items = "".join(f"<li>{_e(a)}: {_e(b)}</li>" for a, b in proposals[key])
            out.append(f"<p><b>{_e(L[label])}</b></p><ul>{items}</ul>")
    else:
        out.append(f"<p>{_e(L['proposals_none' if proposals['state'] == 'none' else 'proposals_not_loaded'])}</p>")
    out.append(f"<h2>6. {_e(L['sec_method'])}</h2>")
    out += [f"<p>{_e(line)}</p>" for line in data["method"]]
    out.append(f"<p><b>{_e(L['members'])}</b> ({len(data['members'])}): {_e(', '.join(data['members']))}</p>")
    sources = "".join(f"<li>{_e(s)} ({_e(L['licence'])}: {_e(lic)})</li>" for s, lic in data["sources"])
    out.append(f"<p><b>{_e(L['sources'])}.</b></p><ul>{sources}</ul><p>{_e(data['version_line'])}</p>")
    out.append(f'<p class="small">{_e(data["footer"])}</p></body></html>')
    return "\n".join(out)
