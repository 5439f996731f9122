from typing import Any

from django.core.management.base import BaseCommand
from django.http import HttpRequest
from django.http.cookie import parse_cookie
from django.template.loader import render_to_string
from django.utils import translation

from eparliament.demo import demo_secret
from eparliament.fake_receiver import Arrival, PageRequest, ReceiverServer
from voting.models import Round

# The count keys of a bundle's round (eparliament.selectors.round_data) and their Round fields.
COUNT_FIELDS = {
    "approve": "approve_count",
    "approve_remarks": "approve_remarks_count",
    "object": "object_count",
    "abstain": "abstain_count",
}


def _language(request: PageRequest) -> str:
    """?lang= if it names a language of the site, else SOVAZ's language cookie (the same host,
    another port) or Accept-Language, as Django's LocaleMiddleware would choose."""
    asked = request.query.get("lang", [""])[0]
    if asked:
        try:
            return translation.get_supported_language_variant(asked)
        except LookupError:
            pass
    http = HttpRequest()
    http.COOKIES = parse_cookie(request.headers.get("Cookie", ""))
    http.META["HTTP_ACCEPT_LANGUAGE"] = request.headers.get("Accept-Language", "")
    return translation.get_language_from_request(http)


def _count_label(key: str) -> str:
    field = COUNT_FIELDS.get(key)
    return Round._meta.get_field(field).verbose_name if field else key


def _labelled(arrival: Arrival) -> dict[str, Any]:
    """The arrival's summary with its outcome and counts labelled as SOVAZ labels them; what
    SOVAZ does not know is shown as it came."""
    summary = arrival.summary
    outcome = summary["outcome"]
    return {
        **summary,
        "outcome": Round.Outcome(outcome).label if outcome in Round.Outcome else outcome,
        "counts": [(_count_label(key), n) for key, n in summary["counts"].items()],
    }


def _page(server: ReceiverServer, request: PageRequest) -> str:
    messages = sorted(server.inbox.messages.values(), key=lambda a: a.at, reverse=True)
    with translation.override(_language(request)):
        return render_to_string(
            "eparliament/fake_receiver.html",
            {
                "messages": [(m, _labelled(m)) for m in messages],
                "arrivals": len(server.inbox.arrivals),
                "rejected": [a for a in server.inbox.arrivals if not a.verified][-20:],
            },
        )


class Command(BaseCommand):
    help = (
        "Run a stand-in e-parliament on 127.0.0.1 that verifies deliveries (Standard Webhooks) "
        "and shows what arrived, in the language of ?lang=, the site's cookie or the browser."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument("--secret", default="", help="whsec_ secret (default: the demo's).")

    def handle(self, *args, port: int, secret: str, **options) -> None:
        server = ReceiverServer(("127.0.0.1", port), secret=secret or demo_secret(), page=_page)
        self.stdout.write(f"Fake e-parliament listening on {server.url}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
