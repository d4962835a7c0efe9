"""The analyst pages: a shipment network (pasted records or a synthetic world) with its
flagged intermediaries, paths, communities and picture; and red-flag scores of pasted
company records.

Server-rendered, no scripts, nothing fetched from elsewhere; every value from the user or
the data is escaped (the picture is matplotlib's SVG, whose text is escaped by it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

Form = Mapping[str, Sequence[str]]
CSS = """
body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:80rem;color:#212121}
fieldset{margin:0 0 1rem;border:1px solid #bdbdbd}
label{display:inline-block;margin:.2rem .8rem .2rem 0}
textarea{width:100%;height:7rem;font-family:monospace} .error{color:#c62828;font-weight:bold}
table{border-collapse:collapse;margin:.5rem 0} td,th{border:1px solid #e0e0e0;padding:.2rem .4rem;
text-align:left;vertical-align:top} .flag{color:#c62828;font-weight:bold} .muted{color:#616161}
svg{max-width:100%;height:auto} .notice{background:#fff3e0;padding:.3rem .6rem}
"""


def one(form: Form, key: str, default: str = "") -> str:
    values = form.get(key) or [default]
    return values[0]


def _input(form: Form, name: str, label: str, default: str, kind: str = "text") -> str:
    value = escape(one(form, name, default), quote=True)
    return (
        f'<label>{escape(label)} <input type="{kind}" name="{name}" id="{name}" '
        f'value="{value}"></label>'
    )


def _area(form: Form, name: str, label: str) -> str:
    return (
        f'<label for="{name}">{escape(label)}</label>'
        f'<textarea name="{name}" id="{name}">{escape(one(form, name))}</textarea>'
    )


def _page(title: str, intro: str, form_html: str, error: str | None, answer: str) -> str:
    err = f'<p class="error" id="error">{escape(error)}</p>' if error else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>dualuse: {escape(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1><p>{intro}</p>{err}{form_html}{answer}</body></html>"
    )


def network_form(form: Form) -> str:
    synthetic = one(form, "source", "synthetic") == "synthetic"
    on, off = (" checked", "") if synthetic else ("", " checked")
    return (
        '<form method="post" action="/v1/network/page"><fieldset><legend>Records</legend>'
        f'<label><input type="radio" name="source" value="synthetic"{on}>'
        " a SYNTHETIC world</label> "
        + _input(form, "seed", "seed", "1", "number")
        + _input(form, "scale", "scale (at most 1)", "0.5")
        + f'<br><label><input type="radio" name="source" value="records"{off}>'
        " the records below</label><br>"
        + _area(form, "shipments", "Shipments (JSON lines)")
        + _area(form, "companies", "Company registry (FtM JSON lines, optional)")
        + "</fieldset><fieldset><legend>Analysis</legend>"
        + _input(form, "since", "sanctions date", "2022-02-24", "date")
        + _input(form, "max_hops", "longest path", "5", "number")
        + _input(form, "toward_share", "share sent on toward end users", "0.4")
        + '</fieldset><button type="submit" id="submit" accesskey="a">Analyse</button></form>'
    )


def _path(ids: Sequence[str]) -> str:
    return " → ".join(escape(x) for x in ids)


def network_answer(result: Mapping[str, Any], svg: str, notice: str | None) -> str:
    c = result["counts"]
    parts = [f'<p class="notice" id="notice">{escape(notice)}</p>' if notice else ""]
    parts.append(
        f'<p id="counts">{c["shipments"]:,} shipments ({c["skipped"]} skipped), '
        f"{c['companies']:,} companies, {c['makers']} makers, {c['targets']} end users "
        f"(RU/BY/listed), {c['candidates']} intermediaries on paths, "
        f'<span class="flag">{c["flagged"]} flagged</span>.</p>'
    )
    rows = []
    for r in result["intermediaries"]:
        if not r["flagged"]:
            continue
        reasons = "".join(f"<li>{escape(x)}</li>" for x in r["reasons"])
        shell = ", ".join(escape(x) for x in r.get("shell_flags", []))
        rows.append(
            f'<tr data-id="{escape(r["id"], quote=True)}"><td>{escape(r["id"])}</td>'
            f"<td>{escape(r['name'] or '')}</td><td>{escape((r['country'] or '').upper())}</td>"
            f"<td><ul>{reasons}</ul></td><td>{_path(r.get('example_path', []))}</td>"
            f"<td>{r['share_of_target_chpl']:.1%}</td><td>{shell}</td></tr>"
        )
    parts.append(
        '<h2>Flagged intermediaries</h2><table id="flagged"><tr><th>id</th><th>name</th>'
        "<th>country</th><th>reasons</th><th>example path</th><th>share of CHPL value "
        f"reaching end users</th><th>red flags</th></tr>{''.join(rows)}</table>"
    )
    comms = "".join(
        f"<tr><td>{x['community']}</td><td>{x['size']}</td><td>{_path(x['flagged'])}</td>"
        f"<td>{len(x['targets'])}</td><td>${x['chpl_shipped_usd']:,.0f}</td></tr>"
        for x in result.get("communities", [])[:20]
    )
    if comms:
        parts.append(
            '<h2>Communities</h2><table id="communities"><tr><th>#</th><th>companies</th>'
            f"<th>flagged</th><th>end users</th><th>CHPL shipped</th></tr>{comms}</table>"
        )
    parts.append(f'<h2>Picture</h2><div id="picture">{svg}</div>')
    findings = "".join(
        f"<li>{escape(f['code'])}: {escape(f['message'])} <span class='muted'>"
        f"{escape(f['where'])}</span></li>"
        for f in result["findings"][:50]
    )
    if findings:
        parts.append(f'<h2>Findings</h2><ul id="findings">{findings}</ul>')
    parts.append(f'<p class="muted">{escape(result["sanctions_date_basis"])}</p>')
    return f'<div id="answer">{"".join(parts)}</div>'


def network_page(
    form: Form, result: Mapping[str, Any] | None, svg: str, notice: str | None, error: str | None
) -> str:
    answer = network_answer(result, svg, notice) if result else ""
    return _page(
        "Shipment network",
        "Paths from makers of CHPL items to Russian, Belarusian or listed end users, and the "
        "intermediaries that appear after the sanctions date and pass CHPL volume on. "
        "Method and measured recall: docs/diversion.md.",
        network_form(form),
        error,
        answer,
    )


def shell_page(form: Form, result: Mapping[str, Any] | None, error: str | None) -> str:
    form_html = (
        '<form method="post" action="/v1/shell/page"><fieldset><legend>Companies</legend>'
        + _area(form, "records", "FtM JSON lines (Company, Person, Directorship; optional trade)")
        + _input(form, "as_of", "as of", "", "date")
        + f'<label><input type="checkbox" name="screen" value="1"'
        f"{' checked' if not form or one(form, 'screen') else ''}> screen names against the "
        "lists</label>"
        + '</fieldset><button type="submit" id="submit" accesskey="s">Score</button></form>'
    )
    answer = ""
    if result:
        rows = []
        for c in result["companies"]:
            flags = "".join(
                f"<li><b>{escape(f['rule'])}</b> (+{f['weight']}): {escape(f['reason'])}"
                f"<cite>{escape('; '.join(f['sources']))}</cite></li>"
                for f in c["flags"]
            )
            missing = ", ".join(escape(x["rule"]) for x in c["not_evaluated"])
            rows.append(
                f'<tr data-id="{escape(c["id"], quote=True)}"><td>{escape(c["id"])}</td>'
                f"<td>{escape(c['name'])}</td><td class='score'>{c['score']}</td>"
                f"<td>{escape(c['level'])}</td><td><ul>{flags}</ul></td>"
                f"<td class='muted'>{missing}</td></tr>"
            )
        notes = "".join(f"<li>{escape(n)}</li>" for n in result["notes"])
        answer = (
            f'<div id="answer"><p>As of {escape(result["as_of"])}. '
            f"{escape(result['weights_note'])}.</p><ul>{notes}</ul>"
            '<table id="scores"><tr><th>id</th><th>name</th><th>score</th><th>level</th>'
            f"<th>red flags</th><th>not evaluated</th></tr>{''.join(rows)}</table></div>"
        )
    return _page(
        "Shell companies: red flags",
        "Documented red flags (FinCEN-BIS, E5, G7, BIS KYC), each with its sources; the "
        "weights are the project's judgement. Missing data is never a flag.",
        form_html,
        error,
        answer,
    )
