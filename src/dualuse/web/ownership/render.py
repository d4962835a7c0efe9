"""The analyst page for ownership: pasted FtM entities (or BODS statements, GLEIF
records), a rule and a date; the parties blocked through ownership with the arithmetic
and every path, the parties the data cannot decide, and the data-quality findings.

Server-rendered, no scripts; every value from the user or the data is escaped. The
layout pieces are the network page's (one look for the analyst pages).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from dualuse.web.network.render import Form, _area, _input, _page, one

RULES = ("ofac", "eu", "uk")
FORMATS = ("ftm", "bods", "gleif")


def _select(form: Form, name: str, label: str, values: Sequence[str]) -> str:
    chosen = one(form, name, values[0])
    options = "".join(
        f'<option value="{v}"{" selected" if v == chosen else ""}>{v}</option>' for v in values
    )
    return f'<label>{escape(label)} <select name="{name}" id="{name}">{options}</select></label>'


def ownership_form(form: Form) -> str:
    return (
        '<form method="post" action="/v1/ownership/page"><fieldset><legend>Graph</legend>'
        + _area(form, "records", "Entities (JSON lines)")
        + _select(form, "format", "format", FORMATS)
        + _area(form, "listed", "Listed party ids (BODS/GLEIF; one per line)")
        + "</fieldset><fieldset><legend>Rule</legend>"
        + _select(form, "rule", "rule", RULES)
        + _input(form, "as_of", "as of", "", "date")
        + '</fieldset><button type="submit" id="submit" accesskey="a">Evaluate</button></form>'
    )


def _stakes(path: Sequence[Mapping[str, Any]]) -> str:
    return " → ".join(
        escape(f"{s.get('owner', '?')} {s.get('percentage', '?')}% of {s.get('asset', '?')}")
        for s in path
    )


def ownership_answer(report: Mapping[str, Any]) -> str:
    parts = [
        f'<p id="rule"><b>{escape(str(report["rule"]))}</b> ({escape(str(report["test"]))}) '
        f'as of {escape(str(report["as_of"]))}. <span class="muted">'
        f"{escape(str(report['citation']))}</span></p>"
    ]
    rows = []
    for item in report["blocked"]:
        paths = "".join(
            f"<li>{' → '.join(escape(x) for x in p)}</li>" for p in item.get("paths", [])
        )
        stakes = "".join(f"<li>{_stakes(p)}</li>" for p in item.get("path_stakes", []))
        rows.append(
            f'<tr data-id="{escape(item["id"], quote=True)}"><td>{escape(item["id"])}</td>'
            f"<td>{escape(item.get('name') or '')}</td>"
            f"<td>{item['aggregate_percentage']:g}%</td>"
            f"<td>{escape(item.get('arithmetic', ''))}</td><td><ul>{paths}</ul>"
            f"<ul class='muted'>{stakes}</ul></td></tr>"
        )
    parts.append(
        f'<h2>Blocked through ownership ({len(rows)})</h2><table id="blocked"><tr><th>id</th>'
        "<th>name</th><th>aggregate</th><th>arithmetic</th><th>paths from listed parties"
        f"</th></tr>{''.join(rows)}</table>"
    )
    unknown = "".join(
        f'<tr data-id="{escape(u["id"], quote=True)}"><td>{escape(u["id"])}</td>'
        f"<td>{escape(u.get('name') or '')}</td><td>{escape(u.get('reason', ''))}</td></tr>"
        for u in report["unknown"]
    )
    parts.append(
        f'<h2>Cannot be decided: review ({len(report["unknown"])})</h2><table id="unknown">'
        f"<tr><th>id</th><th>name</th><th>why</th></tr>{unknown}</table>"
    )
    findings = "".join(
        f"<li>{escape(str(f.get('code', '')))}: {escape(str(f.get('message', '')))}</li>"
        for f in report["findings"][:100]
    )
    if findings:
        parts.append(f'<h2>Data-quality findings</h2><ul id="findings">{findings}</ul>')
    return f'<div id="answer">{"".join(parts)}</div>'


def ownership_page(form: Form, report: Mapping[str, Any] | None, error: str | None) -> str:
    return _page(
        "Ownership: the 50 % rules",
        "Parties blocked through ownership by listed parties (OFAC 50 Percent Rule, EU "
        "best practices, OFSI's ownership test), with the arithmetic and the paths; "
        "parties the data cannot decide are for review, never clear. docs/diversion.md.",
        ownership_form(form),
        error,
        ownership_answer(report) if report else "",
    )
