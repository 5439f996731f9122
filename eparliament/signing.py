"""Standard Webhooks (v1, HMAC-SHA256) signatures for deliveries to the e-parliament.

The signed content is ``f"{webhook_id}.{timestamp}.{body}"``; the key is the base64-decoded
secret without its ``whsec_`` prefix; the header value is ``v1,<base64 signature>``. During a
secret rotation every active secret signs, and the signatures are separated by a space, so a
receiver holding either secret accepts the message.
"""

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"


class InvalidSecret(ValueError):
    pass


def secret_generate() -> str:
    """A new random endpoint secret in the `whsec_<base64>` form (24 random bytes)."""
    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key of a `whsec_` secret; raises InvalidSecret if it is not valid base64."""
    raw = secret.removeprefix(PREFIX)
    try:
        key = base64.b64decode(raw, validate=True)
    except ValueError:
        raise InvalidSecret("the secret must be 'whsec_' followed by base64") from None
    if not key:
        raise InvalidSecret("the secret is empty")
    return key


def sign(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """One `v1,<base64>` signature of `body` sent as message `msg_id` at `timestamp`."""
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def headers(*, secrets: list[str], msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers, signed with every secret in `secrets` (rotation)."""
    if not secrets:
        raise InvalidSecret("at least one secret is needed")
    signature = " ".join(
        sign(secret=s, msg_id=msg_id, timestamp=timestamp, body=body) for s in secrets
    )
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }
