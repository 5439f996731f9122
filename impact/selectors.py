from drafts.models import Draft


def assessment_problems(draft: Draft) -> list[str]:
    """What the draft's impact assessment still lacks before it may open for discussion.

    An empty list means complete. (Filled in by the impact assessment capability.)
    """
    return []
