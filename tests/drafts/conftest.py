import pytest

from drafts.models import Draft, Version
from sovaz.audit.models import ActionLog
from tests.conftest import CORPORA

BLNS = CORPORA / "naughty-strings" / "blns.txt"


def naughty_strings() -> list[str]:
    """The Big List of Naughty Strings, without its comments and blank lines."""
    lines = BLNS.read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line.strip() and not line.startswith("#")]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The personas' passwords are hashed with PBKDF2 (about a second each) unless this is set."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def row_counts():
    """Counts of every table a drafts write touches, to show that nothing was half-written."""

    def counts() -> dict[str, int]:
        return {
            "drafts": Draft.objects.count(),
            "versions": Version.objects.count(),
            "history": Draft.history.count(),
            "log": ActionLog.objects.count(),
        }

    return counts
