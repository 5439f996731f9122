"""Demo: the stand-in e-parliament as an endpoint, and the export of the demo's closed round."""

import base64
import hashlib
import hmac
import os

from django.conf import settings

from eparliament.models import Endpoint, Export

# The port of the stand-in receiver, as `make run` (run_all) starts it: RECEIVER_PORT or 8001.
RECEIVER_PORT = int(os.environ.get("RECEIVER_PORT") or 8001)
FAKE_URL = f"http://127.0.0.1:{RECEIVER_PORT}/"
FAKE_NAME = "Stand-in e-parliament (local)"


def demo_secret() -> str:
    """The shared secret of the local stand-in receiver, derived from SECRET_KEY (no literal)."""
    key = hmac.new(settings.SECRET_KEY.encode(), b"sovaz.fake-eparliament", hashlib.sha256)
    return "whsec_" + base64.b64encode(key.digest()[:24]).decode()


def load(stdout=None) -> None:
    from eparliament import services

    endpoint = Endpoint.objects.filter(url=FAKE_URL).first()
    if endpoint is None:
        # A loopback address is refused unless allowed; this one is the local stand-in.
        endpoint = services.endpoint_create(
            actor=None, name=FAKE_NAME, url=FAKE_URL, allow_private=True, secret=demo_secret()
        )
    # The demo loaded before with another RECEIVER_PORT: nothing listens there any more.
    Endpoint.objects.filter(name=FAKE_NAME, active=True).exclude(url=FAKE_URL).update(active=False)
    try:
        from voting.models import Round
    except ImportError:
        return
    for rnd in Round.objects.filter(status=Round.Status.CLOSED).select_related("draft", "version"):
        if not Export.objects.filter(round=rnd).exists():
            services.export_round_closed(round=rnd)
    # Rounds closed by the voting demo before this endpoint existed are queued for it now.
    services.export_queue_for(endpoint=endpoint)
    # A demo database from before acknowledgements moved drafts: its delivered results count now.
    services.drafts_send_acknowledged()
    if stdout is not None:
        stdout.write(f"e-parliament: {Export.objects.count()} exports, endpoint {endpoint.url}")
