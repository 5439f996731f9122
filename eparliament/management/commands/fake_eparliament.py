from django.core.management.base import BaseCommand
from django.template.loader import render_to_string

from eparliament.demo import demo_secret
from eparliament.fake_receiver import ReceiverServer


def _page(server: ReceiverServer) -> str:
    messages = sorted(server.inbox.messages.values(), key=lambda a: a.at, reverse=True)
    return render_to_string(
        "eparliament/fake_receiver.html",
        {
            "messages": messages,
            "arrivals": len(server.inbox.arrivals),
            "rejected": [a for a in server.inbox.arrivals if not a.verified][-20:],
        },
    )


class Command(BaseCommand):
    help = (
        "Run a stand-in e-parliament on 127.0.0.1 that verifies deliveries (Standard Webhooks) "
        "and shows what arrived."
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
