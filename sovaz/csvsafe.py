"""CSV for people who open it in a spreadsheet: one cell rule for every download.

A spreadsheet runs a cell that starts with = + - @ (or a tab, CR or LF before one) as a formula
("CSV injection"), so such cells get a leading apostrophe. Lists and dicts are written as JSON.
"""

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    elif hasattr(value, "isoformat"):
        text = value.isoformat()
    else:
        text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(
    header: Iterable[Any], rows: Iterable[Iterable[Any]], *, bom: bool = True
) -> Iterator[str]:
    """The CSV text one line at a time; the BOM makes spreadsheets read it as UTF-8."""
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield ("\ufeff" if bom else "") + writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])
