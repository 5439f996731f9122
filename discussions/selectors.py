from drafts.models import Draft


def unanswered_count(draft: Draft) -> int:
    """Comments on the draft that the drafting agency has not yet answered."""
    return 0
