"""Template glue across apps: the draft's tabs link to every capability that hangs off it."""

from django import template

from drafts.models import Draft
from voting.models import Round
from voting.permissions import can_open_round
from voting.selectors import latest_round
from voting.services import discussion_running_message

register = template.Library()


@register.simple_tag(takes_context=True)
def draft_round(context, draft: Draft) -> Round | None:
    """The draft's latest voting round, read once per page."""
    cache = context.render_context.setdefault("sovaz_draft_round", {})
    if draft.pk not in cache:
        cache[draft.pk] = latest_round(draft)
    return cache[draft.pk]


@register.simple_tag(takes_context=True)
def may_open_round(context, draft: Draft) -> bool:
    """Whether the draft's header offers "Open a voting round": to the secretariat, once the
    announced discussion has ended (the form itself still explains why it refuses earlier)."""
    return can_open_round(context["request"].user, draft) and not discussion_running_message(draft)
