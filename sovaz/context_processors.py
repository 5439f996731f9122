from django.conf import settings
from django.http import HttpRequest

from discussions.selectors import unread_notification_count
from sovaz.accounts import permissions


def site(request: HttpRequest) -> dict:
    user = request.user
    return {
        "SITE_URL": settings.SITE_URL,
        "user_is_official": permissions.is_official(user),
        "user_is_secretariat": permissions.is_secretariat(user),
        "user_is_moderator": permissions.is_moderator(user),
        "user_is_legislator": permissions.is_legislator(user),
        "user_can_create_draft": bool(permissions.editor_agency_ids(user)),
        "user_is_voter": bool(permissions.voter_agency_ids(user)),
        # A callable, so that only pages that show the count pay its query.
        "unread_notifications": lambda: unread_notification_count(user),
    }
