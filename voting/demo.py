"""Demo voting: one closed round with a published result and one open round, on the demo drafts.

Builds on sovaz.demo (the voters and the secretariat) and drafts.demo (the drafts). Idempotent:
a draft that already had a round is left as it is.
"""

from datetime import timedelta

from django.utils import timezone, translation

from drafts.models import Draft
from drafts.textparse import iter_nodes
from sovaz.accounts.models import Agency, User
from voting import services
from voting.models import Round

SECRETARIAT = "secretariat@sovaz.uz"
OVERRIDE = "Demo: the secretariat proceeds while the agency finishes its answers."

# (draft number, invited agency codes, [(agency code, choice, remarks, article index)], close)
ROUNDS = [
    (
        "ID-2026-0117",
        ["minjust", "minfin", "mindigital", "minhealth", "competition", "tashkent"],
        [
            ("minjust", "approve", "", None),
            (
                "minfin",
                "approve_remarks",
                "Depozit miqdorini har yili emas, uch yilda bir marta belgilash taklif etiladi.",
                2,
            ),
            ("mindigital", "approve", "", None),
            ("minhealth", "abstain", "Sog‘liqni saqlash sohasiga taalluqli emas.", None),
            (
                "competition",
                "object",
                "1-moddadagi taqiq kichik savdo shoxobchalari uchun o‘tish davrisiz raqobatni "
                "cheklaydi.",
                0,
            ),
            (
                "tashkent",
                "approve_remarks",
                "Shahar hududida qaytarish punktlari uchun joy ajratish tartibini qo‘shish kerak.",
                2,
            ),
        ],
        True,
    ),
    (
        "ID-2026-0163",
        ["minjust", "minfin", "mindigital", "ecology", "competition"],
        [
            ("minfin", "approve", "", None),
            (
                "mindigital",
                "approve_remarks",
                "Ruxsatnoma arizasini mobil ilova orqali ham qabul qilishni nazarda tutish kerak.",
                0,
            ),
        ],
        False,
    ),
]


def _voter(code: str) -> User:
    return User.objects.get(email=f"voter@{code}.uz")


def _build(number: str, invited: list[str], votes: list, close: bool, secretariat: User) -> str:
    draft = Draft.objects.filter(number=number).first()
    if draft is None or Round.objects.filter(draft=draft).exists():
        return ""
    if draft.status != Draft.Status.DISCUSSION:
        return ""
    agencies = {a.code: a for a in Agency.objects.filter(code__in=invited)}
    voting_round = services.round_open(
        draft=draft,
        actor=secretariat,
        agencies=list(agencies.values()),
        deadline=timezone.now() + timedelta(days=4),
        rule="two_thirds_quorum_simple_majority",
        override_reason=OVERRIDE,
    )
    articles = [
        n["wId"] for n in iter_nodes(voting_round.version.structure) if n["type"] == "article"
    ]
    for code, choice, remarks, article in votes:
        services.vote_cast(
            voting_round=voting_round,
            agency=agencies[code],
            actor=_voter(code),
            choice=choice,
            remarks=remarks,
            article_wids=[articles[article]] if article is not None and articles else [],
        )
    if close:
        voting_round = services.round_close(voting_round=voting_round, actor=secretariat)
        # The rest of load_demo's output is English; the data itself keeps the site's language.
        with translation.override("en"):
            return f"{number}: closed, {voting_round.get_outcome_display()}"
    return f"{number}: open until {timezone.localtime(voting_round.deadline):%d.%m %H:%M}"


def load(stdout=None) -> None:
    secretariat = User.objects.filter(email=SECRETARIAT).first()
    if secretariat is None:
        return
    done = [_build(*row, secretariat=secretariat) for row in ROUNDS]
    if stdout:
        made = [line for line in done if line]
        stdout.write(f"  voting: {'; '.join(made) if made else 'rounds already loaded'}")
