"""The reasons SOVAZ itself writes into a draft's history, in one language, shown in the reader's.

A reason is stored with the record it explains (the draft's history, a version), so it was
stored in the language of whoever caused it: a draft created from an Uzbek page said "Loyiha
yaratildi" to every reader. These reasons are now stored as their English source text and
translated when shown (`shown`), like any other label; a reason a person typed is shown as
typed. Records written before keep their text.
"""

import re

from django.utils.translation import gettext, gettext_noop, override

DRAFT_CREATED = gettext_noop("Draft created")
FIRST_VERSION = gettext_noop("First version")
VERSION_PUBLISHED = gettext_noop("Version %(number)s published")
DISCUSSION_OPENED = gettext_noop("Opened for public discussion")
VOTING_OPENED = gettext_noop("Agency voting opened")
VOTING_CLOSED = gettext_noop("Agency voting closed: %(outcome)s")
SENT_TO_PARLIAMENT = gettext_noop("The e-parliament acknowledged the result of the agency voting")

ALL = [
    DRAFT_CREATED,
    FIRST_VERSION,
    VERSION_PUBLISHED,
    DISCUSSION_OPENED,
    VOTING_OPENED,
    VOTING_CLOSED,
    SENT_TO_PARLIAMENT,
]


def stored(message: str, **params: object) -> str:
    """The reason to store: English whatever the language of the request (parameters that are
    translatable labels are given lazily, so they are English too)."""
    with override("en"):
        return message % {name: str(value) for name, value in params.items()} if params else message


def _pattern(message: str) -> re.Pattern[str]:
    parts = re.split(r"%\((\w+)\)s", message)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(regex)


_PATTERNS = [(_pattern(message), message) for message in ALL]


def shown(reason: str) -> str:
    """A stored reason in the active language: a system reason translated (its parameters
    too, where they are labels), anything else as it was written."""
    for pattern, message in _PATTERNS:
        match = pattern.fullmatch(reason)
        if match:
            params = {name: gettext(value) for name, value in match.groupdict().items()}
            return gettext(message) % params if params else gettext(message)
    return reason
