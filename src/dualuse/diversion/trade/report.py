"""A self-contained HTML report an analyst can hand on: the findings with their numbers,
charts embedded as data URIs, methods, caveats, package dates with citations, sources."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment

from dualuse.diversion.trade import charts
from dualuse.diversion.trade.packages import PACKAGES
from dualuse.diversion.trade.series import Panel

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>EU exports to Russia's neighbours: anomalies after February 2022</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222;line-height:1.4}
table{border-collapse:collapse;font-size:13px;margin:0.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}
th{background:#f3f3f3} td.l,th.l{text-align:left}
img{max-width:100%} .note{color:#666;font-size:12px} .yes{color:#c0392b;font-weight:bold}
</style></head><body>
<h1>EU exports to Russia's neighbours: anomalies after February 2022</h1>
<p class="note">Generated {{ generated }} by dualuse from Eurostat Comext (DS-045409) and
national import statistics. Figures in EUR. No figure here is estimated by hand.</p>

<h2>Findings</h2>
<ul>
{% for line in headlines %}<li>{{ line }}</li>{% endfor %}
</ul>

<h2>Sanctioned against other goods (difference-in-differences)</h2>
<p>{{ did.method }}</p>
<table><tr><th class="l">Partner</th><th>Extra growth</th><th>95 % CI (clustered)</th>
<th>95 % CI (bootstrap)</th><th>Placebo date (Mar 2021)</th><th>Obs.</th><th>Members</th></tr>
{% for r in did.results %}<tr><td class="l">{{ r.partners|join("+") }}</td>
<td>{{ "%+.1f"|format(r.estimate.percent) }} %</td>
<td>{{ r.estimate.ci95_percent[0] }} … {{ r.estimate.ci95_percent[1] }} %</td>
<td>{{ r.estimate.bootstrap_ci95_percent[0] }} … {{ r.estimate.bootstrap_ci95_percent[1] }} %</td>
{% set pl = r.placebo_2021_03 %}
<td>{{ "%+.1f"|format(pl.percent) }} % ({{ pl.ci95_percent[0] }} … {{ pl.ci95_percent[1] }})</td>
<td>{{ r.estimate.n_obs }}</td><td>{{ r.estimate.n_clusters }}</td></tr>{% endfor %}
</table>
<p>EBRD: "{{ did.ebrd.quote|replace("**", "") }}"; "{{ did.ebrd.russia_quote|replace("**", "") }}"
({{ did.ebrd.source }}). {{ did.ebrd.comparability }}</p>
<img alt="DiD estimates" src="data:image/png;base64,{{ images.did }}">
<img alt="CCA3 event path" src="data:image/png;base64,{{ images.event }}">

<h2>Monthly flows with the sanction packages marked</h2>
<img alt="Groups per partner" src="data:image/png;base64,{{ images.groups }}">
<img alt="Total exports 2019-2024" src="data:image/png;base64,{{ images.totals }}">

<h2>Surges (HS4 headings of sanctioned goods)</h2>
<p>{{ surge_rule }}. {{ surge_summary.heading_surges }} of {{ surge_summary.headings_tested }}
heading series surge; the break test fires (p &lt; 0.01) at March 2022 for
{{ surge_summary.break_at_2022_03_p_below_0_01 }} of them and at the placebo date March 2021
for {{ surge_summary.break_at_placebo_2021_03_p_below_0_01 }}.
Largest by money beyond the placebo goods' growth:</p>
<table><tr><th class="l">Partner</th><th class="l">Heading</th><th>Before €/month</th>
<th>After €/month</th><th>× growth</th><th>× placebo</th><th>Excess €/month</th><th>z</th>
<th>Chow p</th><th class="l">QLR break</th><th class="l">Flags</th></tr>
{% for s in surges %}<tr><td class="l">{{ s.partner }}</td>
<td class="l">{{ s.group }} <span class="note">{{ s.label[:60] }}</span></td>
<td>{{ "{:,.0f}".format(s.pre_mean_eur) }}</td><td>{{ "{:,.0f}".format(s.post_mean_eur) }}</td>
<td>{{ s.ratio and "%.1f"|format(s.ratio) or "new" }}</td>
<td>{{ "%.2f"|format(s.placebo_ratio) }}</td>
<td>{{ "{:,.0f}".format(s.excess_eur_per_month) }}</td><td>{{ "%.1f"|format(s.robust_z) }}</td>
<td>{{ "%.1g"|format(s.chow_p) }}</td><td class="l">{{ s.qlr_break }}</td>
<td class="l">{{ s.flags|join(", ") }}</td></tr>{% endfor %}
</table>
<h3>Product groups</h3>
<table><tr><th class="l">Partner</th><th class="l">Group</th><th>× growth</th><th>× placebo</th>
<th>z</th><th>Chow p</th><th class="l">QLR break</th></tr>
{% for s in groups %}<tr><td class="l">{{ s.partner }}</td><td class="l">{{ s.group }}</td>
<td>{{ "%.2f"|format(s.ratio) }}</td><td>{{ "%.2f"|format(s.placebo_ratio) }}</td>
<td>{{ "%.1f"|format(s.robust_z) }}</td><td>{{ "%.1g"|format(s.chow_p) }}</td>
<td class="l">{{ s.qlr_break }}</td></tr>{% endfor %}
</table>

<h2>Mirror gaps: EU-reported exports not recorded as partner imports</h2>
<table><tr><th class="l">Partner</th>{% for y in mirror_years %}<th>{{ y }}</th>{% endfor %}
<th class="l">Above 2019-21 range</th></tr>
{% for m in mirrors %}<tr><td class="l">{{ m.partner }}</td>
{% for y in mirror_years %}<td>{{ m.share.get(y, "") }}</td>{% endfor %}
<td class="l">{{ m.years_above_pre_range|join(", ") }}</td></tr>{% endfor %}
</table>
<img alt="Mirror gaps" src="data:image/png;base64,{{ images.gaps }}">
<p class="note">{{ mirror_caveats|join("; ") }}. Armenia 2023 is incomplete and left out.</p>

<h2>Sanctions dates marked</h2>
<ul>{% for p in packages %}<li>{{ p.day }}: {{ p.label }} ({{ p.citation }})</li>{% endfor %}</ul>

<h2>Data quality</h2>
<ul>{% for f in findings %}<li><code>{{ f.code }}</code> {{ f.message }}</li>{% endfor %}</ul>

<h2>Sources</h2>
<ul>{% for s in sources %}<li>{{ s }}</li>{% endfor %}</ul>
</body></html>
"""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def render(
    panel: Panel,
    did: dict[str, Any],
    surges: list[dict[str, Any]],
    surge_summary: dict[str, Any],
    mirrors: list[dict[str, Any]],
    *,
    top: int = 30,
) -> str:
    partners = ["ru", "am", "kz", "kg", "ge", "uz"]
    heads = sorted(
        (s for s in surges if s["surge"] and s["group"].startswith("hs4:")),
        key=lambda s: -(s["excess_eur_per_month"] or 0),
    )[:top]
    groups = [s for s in surges if not s["group"].startswith("hs4:")]
    cca3 = next((r for r in did["results"] if len(r["partners"]) > 1), did["results"][0])
    images = {
        "groups": _b64(charts.groups_chart(panel, partners, ("sanctioned", "other", "chpl"))),
        "totals": _b64(charts.groups_chart(panel, partners, ("total",))),
        "did": _b64(charts.did_chart(did["results"], did["ebrd"]["percent"])),
        "event": _b64(
            charts.event_chart(
                cca3["event_path"],
                "Sanctioned minus other goods, "
                + "+".join(cca3["partners"])
                + ", relative to the pre-2022 mean",
            )
        ),
        "gaps": _b64(charts.gap_chart(mirrors)),
    }
    years = sorted({y["year"] for m in mirrors for y in m["years"]})
    mirror_rows = [
        {
            "partner": m["partner"],
            "share": {y["year"]: _share(y) for y in m["years"]},
            "years_above_pre_range": m["years_above_pre_range"],
        }
        for m in mirrors
    ]
    env = Environment(autoescape=True)
    return env.from_string(TEMPLATE).render(
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        headlines=headlines(did, heads, surge_summary, mirrors),
        did=did,
        images=images,
        surges=heads,
        groups=groups,
        surge_rule=surge_summary["rule"],
        surge_summary=surge_summary,
        mirrors=mirror_rows,
        mirror_years=years,
        mirror_caveats=mirrors[0]["caveats"] if mirrors else [],
        packages=PACKAGES,
        findings=[f.to_json() for f in panel.findings],
        sources=sorted(set(panel.sources)),
    )


def _share(year: dict[str, Any]) -> str:
    text = f"{100 * year['unrecorded_share']:.0f} %"
    return text + (" (incomplete)" if year["incomplete"] else "")


def headlines(
    did: dict[str, Any], heads: list[dict[str, Any]], summary: dict[str, Any],
    mirrors: list[dict[str, Any]],
) -> list[str]:  # fmt: skip
    out = []
    for r in did["results"]:
        e = r["estimate"]
        low, high = e["ci95_percent"]
        out.append(
            f"{'+'.join(r['partners'])}: EU exports of sanctioned goods grew {e['percent']:+.1f} % "
            f"relative to other goods after Feb 2022 (95 % CI {low:+.1f} … {high:+.1f} %)"
        )
    out.append(f"EBRD reference: {did['ebrd']['quote'].replace('**', '')}.")
    if heads:
        h = heads[0]
        out.append(
            f"Largest heading surge by money: {h['partner']} {h['group']}, "
            f"€{h['pre_mean_eur']:,.0f} → €{h['post_mean_eur']:,.0f} per month"
        )
    out.append(
        f"{summary['heading_surges']} heading × partner surges; break test at March 2022 "
        f"p < 0.01 in {summary['break_at_2022_03_p_below_0_01']} series against "
        f"{summary['break_at_placebo_2021_03_p_below_0_01']} at the placebo date"
    )
    for m in mirrors:
        if m["years_above_pre_range"]:
            out.append(
                f"{m['partner']}: share of EU exports not recorded as imports above its 2019-21 "
                f"range in {', '.join(map(str, m['years_above_pre_range']))}"
            )
    return out
