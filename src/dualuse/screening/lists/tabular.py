"""Reading delimited files strictly: every row with its line number, broken quoting or a
short (truncated) row raised as an :class:`InputError` naming the file and line."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from dualuse.errors import InputError

csv.field_size_limit(16 * 1024 * 1024)


def csv_rows(
    text: str,
    source: str,
    *,
    width: int | None = None,
    delimiter: str = ",",
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line, fields)`` for each non-blank row; ``line`` is where the row starts.

    A row whose field count differs from ``width`` is rejected: in a file with a fixed
    layout that means a truncated or damaged row, not data to guess at.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 1
    while True:
        start = line
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(
                f"broken CSV ({exc}); the file may be truncated or damaged",
                source=source,
                location=f"line {reader.line_num or start}",
            ) from exc
        line = reader.line_num + 1
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if width is not None and len(row) != width:
            raise InputError(
                f"row has {len(row)} fields, expected {width}; the file may be truncated "
                "or not in this format",
                source=source,
                location=f"line {start}",
            )
        yield start, row
