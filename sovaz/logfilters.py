"""Logging filters shared by the settings."""

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """A refused request (a 4xx: no permission, not found, bad input) is logged as one line.

    Django logs a PermissionDenied with its traceback, which is the refusal's own, not a fault's:
    in a terminal it buried the real errors. Server errors (5xx) keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
