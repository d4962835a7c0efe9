"""The CN8 aggregation behind the monthly series, on four engines with one answer.

Input: CN8 export rows ``cn8, reporter, partner, month, value_eur`` (the member-state
file of ``SOURCES.md`` §4, or synthetic Parquet of the same shape). Output: EUR sums keyed
``(partner ISO-2, reporter, month, group)`` for the groups ``sanctioned`` (every row),
``chpl`` (HS6 on the CHPL), ``stable`` (CN8 not recoded in 2022) per member state, and
``hs4:NNNN`` per EU-27 (reporter ``EU27``). Aggregate reporter rows are dropped, labels
are mapped to codes through small tables built once in Python, so every engine runs the
same plan: one group-by at (partner, reporter, month, HS4) with two filtered sums, then the
small roll-ups.

Engines: ``python`` (the reference, :mod:`load` row by row), ``duckdb`` (one machine),
``spark`` (a cluster; tested on ``local[2]``), ``pandas`` (file by file). A label the maps
do not know, a missing or negative value: an :class:`InputError` with the count and an
example, never a silently smaller sum.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dualuse.diversion.trade import load
from dualuse.errors import InputError
from dualuse.reference.countries import normalize_country

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

Key = tuple[str, str, str, str]
Result = dict[Key, float]
MEMBERS = (
    "Austria", "Belgium (incl. Luxembourg 'LU' -> 1998)", "Bulgaria", "Croatia", "Cyprus",
    "Czechia", "Denmark", "Estonia", "Finland",
    "France (incl. Saint Barthélemy 'BL' -> 2012; incl. French Guiana 'GF', Guadeloupe 'GP', "
    "Martinique 'MQ', Réunion 'RE' from 1997; incl. Mayotte 'YT' from 2014)",
    "Germany (incl. German Democratic Republic 'DD' from 1991)", "Greece", "Hungary",
    "Ireland (Eire)", "Italy (incl. San Marino 'SM' -> 1993)", "Latvia", "Lithuania",
    "Luxembourg", "Malta", "Netherlands", "Poland", "Portugal", "Romania", "Slovakia",
    "Slovenia", "Spain (incl. Canary Islands 'XB' from 1997)", "Sweden",
)  # fmt: skip
"""The 27 reporter labels as Comext prints them."""


@dataclass(frozen=True, slots=True)
class Spec:
    chpl: frozenset[str]
    """HS6 codes of the CHPL."""
    recoded: frozenset[str]
    """CN8 codes first seen in 2022 or last seen in 2021."""
    partners: dict[str, str]
    """Partner label -> ISO-2."""
    reporters: dict[str, str]
    """Reporter label -> member state; aggregate labels map to ``""`` (dropped)."""


def label_maps(partners: Iterable[str], reporters: Iterable[str]) -> tuple[dict[str, str], ...]:
    """Label -> code tables for the distinct labels of a data set; unknown is an error."""
    pmap = {}
    for label in partners:
        code = normalize_country(label) or normalize_country(load.member(label))
        if code is None:
            raise InputError(f"unknown partner country {label!r}", source="partner")
        pmap[label] = code
    rmap = {r: "" if load.is_aggregate(r) else load.member(r) for r in reporters}
    return pmap, rmap


def _roll_up(rows: Iterable[Sequence[Any]]) -> Result:
    """(partner, reporter, month, hs4, all, chpl, stable) rows to the result keys."""
    out: dict[Key, float] = defaultdict(float)
    for partner, reporter, month, hs4, total, chpl, stable in rows:
        out[(partner, reporter, month, "sanctioned")] += float(total)
        if chpl:
            out[(partner, reporter, month, "chpl")] += float(chpl)
        if stable:
            out[(partner, reporter, month, "stable")] += float(stable)
        out[(partner, "EU27", month, f"hs4:{hs4}")] += float(total)
    return dict(out)


def _result(rows: Iterable[Sequence[Any]]) -> Result:
    """:data:`ROLL_UP` rows to the keys of :func:`_roll_up`."""
    out: Result = {}
    for partner, reporter, month, hs4, total, chpl, stable, by_heading in rows:
        if by_heading:
            out[(partner, "EU27", month, f"hs4:{hs4}")] = float(total)
            continue
        out[(partner, reporter, month, "sanctioned")] = float(total)
        if chpl:
            out[(partner, reporter, month, "chpl")] = float(chpl)
        if stable:
            out[(partner, reporter, month, "stable")] = float(stable)
    return out


def python_engine(path: Path, spec: Spec) -> Result:
    rows: dict[tuple[str, str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for cell in load.read_cn8(path, members=True):
        sums = rows[(cell.partner, cell.reporter, cell.month, cell.cn8[:4])]
        sums[0] += cell.value
        if cell.cn8[:6] in spec.chpl:
            sums[1] += cell.value
        if cell.cn8 not in spec.recoded:
            sums[2] += cell.value
    return _roll_up((*k, *v) for k, v in rows.items())


SQL = """
SELECT p.code AS partner, r.member AS reporter, t.month, substr(t.cn8, 1, 4) AS hs4,
       sum(t.value_eur) AS total,
       coalesce(sum(t.value_eur) FILTER (WHERE c.hs6 IS NOT NULL), 0) AS chpl,
       coalesce(sum(t.value_eur) FILTER (WHERE x.cn8 IS NULL), 0) AS stable
FROM rows t
JOIN pmap p ON t.partner = p.label
JOIN rmap r ON t.reporter = r.label AND r.member <> ''
LEFT JOIN chpl c ON substr(t.cn8, 1, 6) = c.hs6
LEFT JOIN recoded x ON t.cn8 = x.cn8
GROUP BY ALL
"""
ROLL_UP = """
SELECT partner, reporter, month, hs4, sum(total) AS total, sum(chpl) AS chpl,
       sum(stable) AS stable, grouping(reporter) AS by_heading
FROM base
GROUP BY GROUPING SETS ((partner, reporter, month), (partner, month, hs4))
"""
"""The small roll-ups of :data:`SQL` (kept as table ``base``), done by the engine in one
pass. (A UNION ALL of four aggregates over the temporary table hung DuckDB 1.5.6 on 20
million rows; grouping sets did not.)"""
CHECK = """
SELECT count(*) FILTER (WHERE p.code IS NULL) AS unknown_partner,
       count(*) FILTER (WHERE r.member IS NULL) AS unknown_reporter,
       count(*) FILTER (WHERE t.value_eur IS NULL OR t.value_eur < 0) AS bad_value,
       any_value(t.partner) FILTER (WHERE p.code IS NULL) AS partner_example,
       any_value(t.reporter) FILTER (WHERE r.member IS NULL) AS reporter_example
FROM rows t LEFT JOIN pmap p ON t.partner = p.label LEFT JOIN rmap r ON t.reporter = r.label
"""


def _check(counts: Sequence[Any], source: str) -> None:
    unknown_partner, unknown_reporter, bad_value, partner_ex, reporter_ex = counts
    problems = []
    if unknown_partner:
        problems.append(f"{unknown_partner} rows with an unknown partner (e.g. {partner_ex!r})")
    if unknown_reporter:
        problems.append(f"{unknown_reporter} rows with an unknown reporter (e.g. {reporter_ex!r})")
    if bad_value:
        problems.append(f"{bad_value} rows with a missing or negative value_eur")
    if problems:
        raise InputError("; ".join(problems), source=source)


COLUMN_TYPES = {
    "cn8": "VARCHAR", "reporter": "VARCHAR", "partner": "VARCHAR", "month": "VARCHAR",
    "value_eur": "DOUBLE",
}  # fmt: skip


def _relation(con: Any, paths: Sequence[Path]) -> Any:
    """The rows as a DuckDB relation (no SQL text built from paths)."""
    names = [str(p) for p in paths]
    if all(p.suffix == ".parquet" for p in paths):
        return con.read_parquet(names)
    return con.read_csv(names, header=True, dtype=COLUMN_TYPES)


def duckdb_engine(
    paths: Sequence[Path], spec: Spec, *, threads: int | None = None, memory: str | None = None
) -> Result:
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        if memory:
            con.execute("SET memory_limit = ?", [memory])
        _relation(con, paths).create_view("rows")
        for name, _columns, values in _tables(spec):
            con.execute(DDL[name])
            if values:
                con.execute(INSERT[name], [list(column) for column in zip(*values, strict=True)])
        counts = con.execute(CHECK).fetchone()
        assert counts is not None
        _check(counts, ", ".join(map(str, paths)))
        con.execute("CREATE TEMP TABLE base AS " + SQL)
        return _result(con.execute(ROLL_UP).fetchall())
    finally:
        con.close()


DDL = {
    "pmap": "CREATE TABLE pmap (label VARCHAR, code VARCHAR)",
    "rmap": "CREATE TABLE rmap (label VARCHAR, member VARCHAR)",
    "chpl": "CREATE TABLE chpl (hs6 VARCHAR)",
    "recoded": "CREATE TABLE recoded (cn8 VARCHAR)",
}
INSERT = {
    "pmap": "INSERT INTO pmap SELECT unnest(?), unnest(?)",
    "rmap": "INSERT INTO rmap SELECT unnest(?), unnest(?)",
    "chpl": "INSERT INTO chpl SELECT unnest(?)",
    "recoded": "INSERT INTO recoded SELECT unnest(?)",
}
"""One statement per table, the columns as list parameters (``executemany`` would run one
statement per row)."""


def _tables(spec: Spec) -> list[tuple[str, list[str], list[tuple[str, ...]]]]:
    """The small lookup tables: name, column names, rows."""
    return [
        ("pmap", ["label", "code"], sorted(spec.partners.items())),
        ("rmap", ["label", "member"], sorted(spec.reporters.items())),
        ("chpl", ["hs6"], [(c,) for c in sorted(spec.chpl)]),
        ("recoded", ["cn8"], [(c,) for c in sorted(spec.recoded)]),
    ]


def spark_engine(spark: SparkSession, paths: Sequence[Path], spec: Spec) -> Result:
    """The same SQL on Spark (``FILTER`` and ``GROUP BY ALL`` spelled out)."""
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType

    names = [str(p) for p in paths]
    if all(p.suffix == ".parquet" for p in paths):
        frame = spark.read.parquet(*names)
    else:
        struct = StructType(
            [StructField(c, StringType()) for c in ("cn8", "reporter", "partner", "month")]
            + [StructField("value_eur", DoubleType())]
        )
        frame = spark.read.csv(names, header=True, schema=struct)
    frame.createOrReplaceTempView("rows")
    for name, columns, values in _tables(spec):
        schema = ", ".join(f"{c} string" for c in columns)
        spark.createDataFrame(values, schema=schema).createOrReplaceTempView(name)
    check = CHECK
    for column, key in (("partner", "p.code"), ("reporter", "r.member")):
        check = check.replace(
            f"any_value(t.{column}) FILTER (WHERE {key} IS NULL)",
            f"first(CASE WHEN {key} IS NULL THEN t.{column} END, true)",
        )
    _check(spark.sql(check).collect()[0], ", ".join(names))
    base = spark.sql(SQL.replace("GROUP BY ALL", "GROUP BY 1, 2, 3, 4")).cache()
    base.createOrReplaceTempView("base")
    try:
        return _result(tuple(row) for row in spark.sql(ROLL_UP).toLocalIterator())
    finally:
        base.unpersist()


def pandas_engine(paths: Sequence[Path], spec: Spec) -> Result:
    """File by file (one file's rows in memory at a time), partial sums combined."""
    import pandas as pd

    chpl, recoded = spec.chpl, spec.recoded
    parts = []
    for path in paths:
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path, dtype={"cn8": str, "reporter": str, "partner": str,
                                             "month": str, "value_eur": float})  # fmt: skip
        partner = frame["partner"].map(spec.partners)
        reporter = frame["reporter"].map(spec.reporters)
        value = frame["value_eur"]
        if partner.isna().any() or reporter.isna().any() or value.isna().any() or (value < 0).any():
            first = frame[partner.isna() | reporter.isna() | value.isna() | (value < 0)].iloc[0]
            raise InputError(
                f"unknown label or bad value in row {first.to_dict()}", source=str(path)
            )
        cn8 = frame["cn8"]
        keep = reporter != ""
        part = pd.DataFrame(
            {
                "partner": partner[keep], "reporter": reporter[keep],
                "month": frame["month"][keep], "hs4": cn8[keep].str.slice(0, 4),
                "total": value[keep],
                "chpl": value[keep].where(cn8[keep].str.slice(0, 6).isin(chpl), 0.0),
                "stable": value[keep].where(~cn8[keep].isin(recoded), 0.0),
            }
        )  # fmt: skip
        parts.append(part.groupby(["partner", "reporter", "month", "hs4"], sort=False).sum())
    combined = pd.concat(parts)
    groups = combined.groupby(level=[0, 1, 2], sort=False).sum()
    out: Result = {}
    for column, group in (("total", "sanctioned"), ("chpl", "chpl"), ("stable", "stable")):
        values = groups[column]
        if group != "sanctioned":
            values = values[values != 0]
        out.update({(*k, group): float(v) for k, v in zip(values.index, values, strict=True)})
    heads = combined["total"].groupby(level=[0, 2, 3], sort=False).sum()
    for key, v in zip(heads.index, heads, strict=True):
        p, m, h = key
        out[(p, "EU27", m, f"hs4:{h}")] = float(v)
    return out


def spec_for(paths: Sequence[Path], chpl: Iterable[str], recoded: Iterable[str]) -> Spec:
    """The spec for a data set: its distinct labels mapped once (DuckDB reads them)."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    try:
        rows = _relation(con, paths)
        partners = [r[0] for r in rows.select("partner").distinct().fetchall()]
        reporters = [r[0] for r in rows.select("reporter").distinct().fetchall()]
    finally:
        con.close()
    pmap, rmap = label_maps([p for p in partners if p], [r for r in reporters if r])
    return Spec(frozenset(chpl), frozenset(recoded), pmap, rmap)


def real_spec(shared: Path) -> tuple[list[Path], Spec]:
    """The member-state CN8 file of the shared data and its spec."""
    from dualuse.diversion.trade.series import Panel, _headings_and_chpl

    panel = Panel()
    _headings_and_chpl(panel, shared)
    paths = [shared / load.CN8_MEMBERS]
    return paths, spec_for(paths, load.read_chpl(shared / load.CHPL), panel.recoded)
