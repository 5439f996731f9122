"""A refused request is one line in the log; a server error keeps its traceback."""

import logging
import sys

from sovaz.logfilters import RefusalsWithoutTraceback


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("refused")
    except PermissionError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "x", (), exc_info)
    record.status_code = status
    return record


def test_a_refusal_is_logged_without_its_traceback():
    record = _record(403)
    assert RefusalsWithoutTraceback().filter(record)
    assert record.exc_info is None
    assert "Traceback" not in logging.Formatter().format(record)


def test_a_server_error_keeps_its_traceback():
    record = _record(500)
    assert RefusalsWithoutTraceback().filter(record)
    assert "Traceback" in logging.Formatter().format(record)
