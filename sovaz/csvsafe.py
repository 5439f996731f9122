"""CSV for people who open it in a spreadsheet: one cell rule for every download.

A spreadsheet runs a cell that starts with = + - @ (or a tab, CR or LF before one) as a formula
("CSV injection"), so such cells get a leading apostrophe. Lists and dicts are written as JSON.
Times are written in the site's time zone with its offset (2026-11-21T01:22:30+05:00): the
clock the pages show, and still one unambiguous instant.
"""

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    elif isinstance(value, datetime) and timezone.is_aware(value):
        text = timezone.localtime(value).isoformat(timespec="seconds")
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
