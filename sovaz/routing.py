"""All websocket routes, one list per app that has a socket."""

from discussions.routing import websocket_urlpatterns as discussion_routes
from live.routing import websocket_urlpatterns as live_routes
from voting.routing import websocket_urlpatterns as voting_routes

websocket_urlpatterns = [*live_routes, *discussion_routes, *voting_routes]
