"""The JSON bundle of a closed round: cleaning and canonical bytes. Pure: no database access.

The bundle is a plain dict (built by eparliament.selectors from the database, or by a benchmark
from generated data) following the published schema `eparliament/schemas/bundle-v1.json`.
The Akoma Ntoso documents (eparliament.akn) are rendered from the same dict, so the JSON and
the XML always carry the same content.
"""

import json
import re
from typing import Any

SCHEMA = "https://sovaz.uz/schemas/eparliament/bundle-v1.json"
SCHEMA_VERSION = 1

# What XML 1.0 cannot carry: C0 controls other than tab, LF and CR, lone surrogates and the
# non-characters U+FFFE/U+FFFF. Each is replaced by U+FFFD, the same way every time, so that
# the JSON and the XML say the same thing and both stay valid.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def clean_text(value: str) -> str:
    """`value` with every character XML cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub(REPLACEMENT, value)


def clean(value: Any) -> Any:
    """A deep copy of JSON-ready `value` with every string (keys included) cleaned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def dumps(value: Any) -> bytes:
    """Canonical UTF-8 JSON: sorted keys, no spaces, non-ASCII kept, so equal data ⇔ equal bytes."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def envelope(*, kind: str, bundle: dict[str, Any], documents: dict[str, str]) -> bytes:
    """The body POSTed to the e-parliament: the bundle plus its Akoma Ntoso documents."""
    return dumps({"type": kind, "schema": SCHEMA, "bundle": bundle, "akn": documents})
