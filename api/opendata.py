"""The open-data download: everything public, as CSV and JSON files in one ZIP (in memory).

CSV cells that a spreadsheet would run as a formula (starting with = + - @ or a tab/CR) get a
leading apostrophe; the JSON files carry every value exactly.
"""

import io
import json
import zipfile
from collections.abc import Callable, Iterable
from typing import Any

from api import selectors, serializers
from sovaz.csvsafe import csv_lines


def _csv(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    fields = list(rows[0])
    return "".join(csv_lines(fields, ([row[f] for f in fields] for row in rows), bom=False))


def tables() -> dict[str, list[dict[str, Any]]]:
    def rows(qs: Iterable, serialize: Callable[[Any], dict]) -> list[dict[str, Any]]:
        return [serialize(obj) for obj in qs]

    closed = selectors.rounds().prefetch_related("votes__agency")
    return {
        "drafts": rows(selectors.drafts().order_by("pk"), serializers.draft_data),
        "versions": rows(selectors.versions().order_by("pk"), serializers.version_data),
        "comments": rows(selectors.comments().order_by("pk"), serializers.comment_data),
        "dispositions": rows(selectors.dispositions().order_by("pk"), serializers.disposition_data),
        "rounds": rows(closed.order_by("pk"), serializers.round_data),
        "votes": [
            serializers.vote_data(vote)
            for rnd in closed.filter(status="closed").order_by("pk")
            for vote in rnd.votes.all()
        ],
    }


def build_zip() -> bytes:
    buffer = io.BytesIO()
    data = tables()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in data.items():
            archive.writestr(f"{name}.csv", _csv(rows))
            archive.writestr(f"{name}.json", json.dumps(rows, ensure_ascii=False, indent=1))
        archive.writestr(
            "README.txt",
            "SOVAZ open data: drafts, versions, public comments, dispositions, voting rounds "
            "and votes (closed rounds only). The JSON files are exact; in the CSV files a cell "
            "that starts with = + - or @ has an apostrophe in front.\n",
        )
    return buffer.getvalue()
