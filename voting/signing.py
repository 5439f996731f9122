"""The server's Ed25519 key: signs vote receipts; its public half is published.

The key comes from settings.VOTING_SIGNING_KEY (the environment variable of that name: base64 of
the raw 32-byte private key). Without it (an embedded or development install) one is generated
into var/voting_ed25519.key (mode 0600) on first use; production (HTTPS=true) must set it.
"""

import base64
import binascii
import functools
import os

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _key_file():
    return settings.BASE_DIR / "var" / "voting_ed25519.key"


def _raw_from_env() -> bytes | None:
    value = getattr(settings, "VOTING_SIGNING_KEY", "").strip()
    if not value:
        return None
    try:
        raw = base64.b64decode(value, validate=True)
    except binascii.Error:
        raise ImproperlyConfigured("VOTING_SIGNING_KEY must be base64") from None
    if len(raw) != 32:
        raise ImproperlyConfigured("VOTING_SIGNING_KEY must be 32 bytes (base64 of a raw key)")
    return raw


def _raw_from_file() -> bytes:
    if getattr(settings, "HTTPS", False):
        raise ImproperlyConfigured("VOTING_SIGNING_KEY must be set in production")
    path = _key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        # O_EXCL: two processes starting at once keep one key, not two.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(base64.b64encode(raw).decode())
    return base64.b64decode(path.read_text().strip())


@functools.cache
def private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_raw_from_env() or _raw_from_file())


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_pem() -> str:
    return (
        public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def public_key_b64() -> str:
    raw = public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def sign(message: str) -> str:
    """Base64 Ed25519 signature of the UTF-8 bytes of `message` (a receipt's entry hash)."""
    return base64.b64encode(private_key().sign(message.encode())).decode()


def verify(message: str, signature_b64: str, public_b64: str | None = None) -> bool:
    key = (
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64))
        if public_b64
        else public_key()
    )
    try:
        key.verify(base64.b64decode(signature_b64), message.encode())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
