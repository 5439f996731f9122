"""ASGI entry point: HTTP through Django, websockets through Channels.

Every socket route sits behind the allowed-hosts Origin check and the session, so a page on
another site cannot open a socket with a visitor's cookies.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sovaz.settings")
django.setup(set_prefix=False)  # as get_asgi_application() does, before importing consumers

from sovaz.handlers import SyncChainASGIHandler  # noqa: E402

django_asgi_app = SyncChainASGIHandler()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from sovaz.routing import websocket_urlpatterns  # noqa: E402
from sovaz.sockets import SocketAuthMiddlewareStack  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            SocketAuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
