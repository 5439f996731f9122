from django.urls import path

from live.consumers import DraftLiveConsumer

websocket_urlpatterns = [
    path("ws/drafts/<int:draft_id>/", DraftLiveConsumer.as_asgi()),
]
