from django.core.management.base import BaseCommand

from api.services import api_token_create


class Command(BaseCommand):
    help = "Issue an API token for a machine client; the token is printed once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--name", required=True, help="Who will use it.")

    def handle(self, *args, name: str, **options) -> None:
        token, clear = api_token_create(name=name, actor=None)
        self.stdout.write(clear)
        self.stderr.write(f"Token {token.prefix}… for {token.name}: keep it secret.")
