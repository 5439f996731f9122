"""Names of channel-layer groups. The one place they are spelled."""


def draft_group(draft_id: int) -> str:
    return f"live.draft.{int(draft_id)}"
