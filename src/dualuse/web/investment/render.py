"""The investment screening page: a server-rendered form and the answer as decision trees.

No scripts and nothing fetched from elsewhere; every value from the user or the data is
escaped. The form covers the facts most deals turn on; ``extra`` takes any other field of
the deal-facts JSON and is merged over the form.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from dualuse.errors import InputError
from dualuse.investment import reference as ref
from dualuse.investment.model import RIGHTS, TXN_TYPES

Form = Mapping[str, Sequence[str]]
TRI = (("", "not given"), ("yes", "yes"), ("no", "no"))
COLOURS = {
    "mandatory_declaration": "#c62828",
    "prohibited": "#c62828",
    "mandatory": "#c62828",
    "notifiable": "#ef6c00",
    "factors_present": "#ef6c00",
    "not_mandatory": "#2e7d32",
    "not_covered": "#2e7d32",
    "no_factors_identified": "#2e7d32",
    "unknown": "#757575",
}
CSS = """
body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:70rem;color:#212121}
fieldset{margin:0 0 1rem;border:1px solid #bdbdbd}
label{display:inline-block;margin:.2rem .8rem .2rem 0}
input[type=text],input[type=number],input[type=date],select{margin-left:.3rem}
textarea{width:100%;height:6rem;font-family:monospace} .error{color:#c62828;font-weight:bold}
.regime{border:1px solid #bdbdbd;padding:.5rem 1rem;margin:1rem 0}
.outcome{color:#fff;padding:.1rem .5rem;border-radius:.3rem;font-weight:bold}
ul.tree{list-style:none;padding-left:1.2rem;border-left:2px solid #e0e0e0}
li.step{margin:.3rem 0} .ans{font-weight:bold;display:inline-block;min-width:5rem}
.ans-yes{color:#2e7d32}.ans-no{color:#c62828}.ans-unknown{color:#ef6c00}.ans-info{color:#757575}
cite{display:block;color:#616161;font-size:.85em} .missing{color:#ef6c00}
table{border-collapse:collapse} td,th{border:1px solid #e0e0e0;padding:.2rem .4rem;text-align:left}
"""


def _one(form: Form, key: str) -> str:
    values = form.get(key) or [""]
    return values[0].strip()


def _tri(form: Form, key: str) -> bool | None:
    return {"yes": True, "no": False}.get(_one(form, key))


def _number(form: Form, key: str) -> float | None:
    text = _one(form, key)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise InputError(f"not a number: {text!r}", source=f"form field {key}") from None


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None and value != "":
        target[key] = value


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def _items(text: str) -> list[dict[str, str]] | None:
    if not text:
        return None
    out = []
    for part in (p.strip() for p in text.split(",")):
        if part.upper().startswith("USML:"):
            out.append({"usml": part[5:].strip().upper()})
        elif part:
            out.append({"eccn": part})
    return out


def facts_from_form(form: Form) -> dict[str, Any]:
    """The deal-facts JSON from the form fields (blank fields are left out, not guessed)."""
    inv: dict[str, Any] = {}
    _put(inv, "name", _one(form, "inv_name"))
    _put(inv, "country", _one(form, "inv_country"))
    _put(inv, "principal_place_of_business", _one(form, "inv_ppb"))
    _put(inv, "us_person", _tri(form, "inv_us_person"))
    _put(inv, "is_fund", _tri(form, "inv_is_fund"))
    _put(inv, "knows_training_compute", _tri(form, "inv_knows_compute"))
    gov_country, gov_percent = _one(form, "inv_gov_country"), _number(form, "inv_gov_percent")
    if gov_country or gov_percent is not None:
        inv["government_ownership"] = (
            [{"country": gov_country, "percent": gov_percent}] if gov_country else []
        )
    tgt: dict[str, Any] = {}
    _put(tgt, "name", _one(form, "tgt_name"))
    _put(tgt, "country", _one(form, "tgt_country"))
    _put(tgt, "us_business", _tri(form, "tgt_us_business"))
    _put(tgt, "items", _items(_one(form, "tgt_items")))
    if "tgt_activities_given" in form:
        tgt["activities"] = list(form.get("tgt_activities", []))
    uk: dict[str, Any] = {}
    if "uk_sectors_given" in form:
        uk["sectors"] = list(form.get("uk_sectors", []))
    _put(uk, "activities_in_uk", _tri(form, "uk_activities"))
    _put(uk, "supplies_goods_to_uk", _tri(form, "uk_supplies"))
    if uk:
        tgt["uk"] = uk
    txn: dict[str, Any] = {}
    _put(txn, "type", _one(form, "txn_type"))
    for key in ("stake_before", "stake_after", "voting_before", "voting_after"):
        _put(txn, key, _number(form, key))
    if "rights_given" in form:
        txn["rights"] = list(form.get("rights", []))
    _put(txn, "completed", _one(form, "completed"))
    _put(txn, "publicly_traded", _tri(form, "publicly_traded"))
    if "no_outbound_exception" in form:
        txn["outbound_exceptions"] = []
    facts: dict[str, Any] = {"investor": inv, "target": tgt, "transaction": txn}
    extra = _one(form, "extra")
    if extra:
        try:
            more = json.loads(extra)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", source="form field extra") from None
        if not isinstance(more, dict):
            raise InputError("must be a JSON object", source="form field extra")
        _merge(facts, more)
    return facts


def _text(form: Form, name: str, label: str, kind: str = "text") -> str:
    value = escape(_one(form, name), quote=True)
    return f'<label>{escape(label)}<input type="{kind}" name="{name}" value="{value}"></label>'


def _select(form: Form, name: str, label: str, options: Sequence[tuple[str, str]]) -> str:
    chosen = _one(form, name)
    opts = "".join(
        f'<option value="{escape(v, quote=True)}"{" selected" if v == chosen else ""}>'
        f"{escape(t)}</option>"
        for v, t in options
    )
    return f'<label>{escape(label)}<select name="{name}">{opts}</select></label>'


def _checks(form: Form, name: str, values: Sequence[str]) -> str:
    given = set(form.get(name, []))
    boxes = "".join(
        f'<label><input type="checkbox" name="{name}" value="{escape(v, quote=True)}"'
        f"{' checked' if v in given else ''}>{escape(v.replace('_', ' '))}</label>"
        for v in values
    )
    return f'<input type="hidden" name="{name}_given" value="1">{boxes}'


def _check(form: Form, name: str, label: str, default: bool = False) -> str:
    on = name in form or (default and not form)
    return (
        f'<label><input type="checkbox" name="{name}" value="1"{" checked" if on else ""}>'
        f"{escape(label)}</label>"
    )


def _form(form: Form) -> str:
    types = [("", "not given"), *((t, t) for t in TXN_TYPES)]
    investor = [
        _text(form, "inv_name", "name"),
        _text(form, "inv_country", "country"),
        _text(form, "inv_ppb", "principal place of business"),
        _select(form, "inv_us_person", "U.S. person", TRI),
        _text(form, "inv_gov_country", "government owner (country)"),
        _text(form, "inv_gov_percent", "government %", "number"),
        _select(form, "inv_is_fund", "investment fund", TRI),
        _select(form, "inv_knows_compute", "knows AI training compute", TRI),
    ]
    target = [
        _text(form, "tgt_name", "name"),
        _text(form, "tgt_country", "country"),
        _select(form, "tgt_us_business", "U.S. business", TRI),
        _text(form, "tgt_items", "items (ECCNs, USML:XI; comma-separated)"),
        f"<div>activities: {_checks(form, 'tgt_activities', list(ref.ACTIVITIES))}</div>",
        f"<div>UK sectors: {_checks(form, 'uk_sectors', list(ref.UK_SECTORS))}</div>",
        _select(form, "uk_activities", "activities in the UK", TRI),
        _select(form, "uk_supplies", "supplies goods or services to the UK", TRI),
    ]
    transaction = [
        _select(form, "txn_type", "type", types),
        *(
            _text(form, key, key.replace("_", " ") + " %", "number")
            for key in ("stake_before", "stake_after", "voting_before", "voting_after")
        ),
        f"<div>rights: {_checks(form, 'rights', RIGHTS)}</div>",
        _text(form, "completed", "completion date", "date"),
        _select(form, "publicly_traded", "publicly traded security", TRI),
        _check(form, "no_outbound_exception", "no other § 850.501 exception applies"),
    ]
    other = [
        f'<textarea name="extra">{escape(_one(form, "extra"))}</textarea>',
        _check(form, "screen", "screen the parties against the restricted-party lists", True),
    ]
    sets = (
        ("Investor", investor),
        ("Target", target),
        ("Transaction", transaction),
        ("Other facts (JSON, merged over the form)", other),
    )
    body = "".join(
        f"<fieldset><legend>{escape(legend)}</legend>{''.join(parts)}</fieldset>"
        for legend, parts in sets
    )
    return (
        f'<form method="post" action="/v1/invest/page" id="deal">{body}'
        '<button type="submit" id="submit">Assess</button></form>'
    )


def _tree(steps: Sequence[Mapping[str, Any]]) -> str:
    """Nest steps by level: each deeper step hangs under the step before it."""
    out, depth = ['<ul class="tree">'], 0
    for i, step in enumerate(steps):
        level = int(step["level"])
        while depth < level:
            out.append('<ul class="tree">')
            depth += 1
        while depth > level:
            out.append("</ul></li>")
            depth -= 1
        answer = escape(str(step["answer"]))
        words = escape(step["question"] or step["text"])
        detail = escape(step["text"]) if step["question"] and step["text"] else ""
        missing = ""
        if step["missing"]:
            missing = f'<div class="missing">give {escape(", ".join(step["missing"]))}</div>'
        nxt = steps[i + 1]["level"] if i + 1 < len(steps) else 0
        close = "" if int(nxt) > level else "</li>"
        out.append(
            f'<li class="step" data-step="{escape(step["step"], quote=True)}">'
            f'<span class="ans ans-{answer}">{answer}</span> {words}'
            f"{f'<div>{detail}</div>' if detail else ''}{missing}"
            f"<cite>{escape(step['citation'])}</cite>{close}"
        )
    while depth > 0:
        out.append("</ul></li>")
        depth -= 1
    out.append("</ul>")
    return "".join(out)


def _results(body: Mapping[str, Any]) -> str:
    parts = []
    for r in body["results"]:
        colour = COLOURS.get(r["outcome"], "#757575")
        gaps = "".join(f"<li>{escape(g)}</li>" for g in r["gaps"])
        parts.append(
            f'<section class="regime" id="regime-{escape(r["regime"], quote=True)}">'
            f'<h2>{escape(r["regime"])}: <span class="outcome" style="background:{colour}">'
            f'{escape(r["outcome"])}</span></h2><p class="summary">{escape(r["summary"])}</p>'
            f"{_tree(r['reasons'])}"
            f"{f'<details><summary>gaps</summary><ul>{gaps}</ul></details>' if gaps else ''}"
            "</section>"
        )
    hits = "".join(
        f"<tr><td>{escape(p['party'])}</td><td>{escape(p['name'])}</td><td>{escape(p['entry'])}</td>"
        f"<td>{escape(p['list'])}</td><td>{escape(p['part_850'] or '')}</td></tr>"
        for p in body["parties"]
    )
    if hits:
        parts.append(
            '<section id="parties"><h2>Restricted-party hits</h2><table><tr><th>party</th>'
            "<th>name</th><th>entry</th><th>list</th><th>§ "
            f"850.224(m)</th></tr>{hits}</table></section>"
        )
    warnings = "".join(f"<li>{escape(w)}</li>" for w in body["warnings"])
    if warnings:
        parts.append(f'<ul class="warnings">{warnings}</ul>')
    return "".join(parts)


def page_html(form: Form, body: Mapping[str, Any] | None, error: str | None) -> str:
    err = f'<p class="error" id="error">{escape(error)}</p>' if error else ""
    answer = f'<div id="answer">{_results(body)}</div>' if body else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>dualuse: investment screening</title>"
        f"<style>{CSS}</style></head><body><h1>Investment screening</h1>"
        "<p>CFIUS (31 CFR part 800), US outbound (31 CFR part 850), UK NSI Act 2021 and "
        "Regulation (EU) 2019/452. Blank fields are unknown facts, never defaults.</p>"
        f"{err}{_form(form)}{answer}</body></html>"
    )
