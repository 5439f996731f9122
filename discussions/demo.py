# Uzbek spells o' and g' with U+2018 and U+02BB as letters; they are not typos.
"""Demo comments on the draft that is open for discussion: citizens and businesses, in Uzbek
and Russian, some on articles, some replies, a few answered by the agency. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from discussions import services
from discussions.models import Comment
from drafts.models import Draft
from drafts.textparse import iter_nodes
from sovaz.accounts.models import Membership, User
from sovaz.demo import DEMO_PASSWORD

# Extra commenters besides those of sovaz.demo: (email, name, kind, organisation).
PEOPLE = [
    ("jasur@example.uz", "Jasur Mahmudov", "citizen", ""),
    ("nigora@example.uz", "Nigora Olimova", "citizen", ""),
    ("ivan@example.uz", "Иван Смирнов", "citizen", ""),
    ("info@agrotex.uz", "Agrotex MChJ", "business", "Agrotex MChJ"),
]

# (key, author e-mail, article index or None for the whole draft, "assessment", reply-to key,
#  text, answer (outcome, reasoning) or None). Article indexes count the latest version's
#  articles from 0 and fall back to the whole draft when the text is shorter.
COMMENTS = [
    (
        "c1",
        "citizen@example.uz",
        0,
        None,
        "Loyiha juda o‘z vaqtida. Lekin **maqsad** moddasida fuqarolarning "
        "huquqlari ham aniq ko‘rsatilishi kerak, faqat davlat organlarining emas.",
        (
            "partly",
            "Maqsad moddasi fuqarolar huquqlarini ham qamrab oladigan qilib "
            "to‘ldirildi; batafsil qoidalar alohida moddada beriladi.",
        ),
    ),
    (
        "c1r1",
        "jasur@example.uz",
        None,
        "c1",
        "Qo‘shilaman. Ayniqsa qishloq joylarida yashovchilar uchun bu muhim.",
        None,
    ),
    (
        "c1r2",
        "olga@example.uz",
        None,
        "c1r1",
        "Согласна, и нужно предусмотреть помощь пожилым людям в центрах госуслуг.",
        None,
    ),
    (
        "c2",
        "olga@example.uz",
        1,
        None,
        "Предлагаю дать определение термина «электронная услуга» так, чтобы оно охватывало "
        "и услуги, оказываемые через мобильные приложения.",
        ("accepted", "Определение дополнено: мобильные приложения прямо названы в тексте."),
    ),
    (
        "c3",
        "info@texnopark.uz",
        None,
        "assessment",
        "Tartibga solish ta'sirini baholashda IT-kompaniyalar uchun integratsiya xarajatlari "
        "hisobga olinmagan. Bizning hisobimizcha, bitta tizimni ulash 40–60 mln so‘m turadi.",
        (
            "noted",
            "Hisob-kitob uchun rahmat. Xarajatlar ta'sirni baholashning keyingi "
            "tahririda ko‘rib chiqiladi.",
        ),
    ),
    (
        "c3r1",
        "info@agrotex.uz",
        None,
        "c3",
        "Kichik korxonalar uchun bu summa juda katta. O‘tish davri kamida bir yil bo‘lishi kerak.",
        None,
    ),
    (
        "c4",
        "ivan@example.uz",
        -1,
        None,
        "Срок вступления в силу слишком короткий: ведомствам и бизнесу нужно время, чтобы "
        "подготовить свои системы. Предлагаю не менее шести месяцев.",
        ("accepted", "Срок вступления в силу увеличен до шести месяцев."),
    ),
    (
        "c4r1",
        "nigora@example.uz",
        None,
        "c4",
        "Olti oy ham kam bo‘lishi mumkin, ayniqsa viloyatlardagi tashkilotlar uchun.",
        None,
    ),
    (
        "c5",
        "nigora@example.uz",
        None,
        None,
        "Loyiha matni rus tilida ham bir vaqtda e'lon qilinishi kerak — shunda muhokamada "
        "ko‘proq odam qatnasha oladi.",
        (
            "rejected",
            "Rasmiy tarjima qonun qabul qilingandan keyin e'lon qilinadi; muhokama "
            "davrida norasmiy tarjima saytda mavjud.",
        ),
    ),
    (
        "c6",
        "citizen@example.uz",
        2,
        None,
        "Shaxsga doir ma'lumotlar qaysi organ tomonidan va qancha muddat saqlanishini aniq "
        "yozish kerak:\n\n- kim saqlaydi;\n- qancha muddat;\n- qanday o‘chiriladi.",
        None,
    ),
    (
        "c6r1",
        "olga@example.uz",
        None,
        "c6",
        "Поддерживаю. Также важно право гражданина узнать, кто обращался к его данным.",
        None,
    ),
    (
        "c7",
        "info@agrotex.uz",
        1,
        None,
        "Qishloq xo‘jaligi korxonalari uchun elektron xizmatlarga o‘tish bosqichma-bosqich "
        "bo‘lishi kerak, chunki ko‘p hududlarda internet sifati past.",
        None,
    ),
    (
        "c8",
        "ivan@example.uz",
        None,
        None,
        "В целом поддерживаю законопроект. Хорошо, что обсуждение открыто и видно ответы "
        "министерства на каждое предложение.",
        None,
    ),
    ("c8r1", "jasur@example.uz", None, "c8", "Ha, javoblar ochiq bo‘lishi — eng muhimi.", None),
    (
        "c9",
        "jasur@example.uz",
        0,
        None,
        "“Davlat xizmatlarini raqamlashtirish” iborasi o‘rniga “elektron davlat xizmatlari” "
        "deb yozish aniqroq bo‘ladi.",
        None,
    ),
    (
        "c10",
        "info@texnopark.uz",
        -1,
        None,
        "> kuchga kiradi\n\nKuchga kirish sanasidan oldin texnik talablar (API standartlari) "
        "e'lon qilinishi zarur, aks holda biznes tayyorlana olmaydi.",
        None,
    ),
    (
        "c11",
        "olga@example.uz",
        None,
        "assessment",
        "В оценке воздействия не указано, сколько граждан сейчас пользуются бумажными "
        "услугами. Без этих данных трудно оценить выгоду.",
        None,
    ),
    (
        "c12",
        "nigora@example.uz",
        2,
        None,
        "Nogironligi bo‘lgan shaxslar uchun xizmatlar qulayligi (accessibility) talabi ham "
        "qo‘shilsin.",
        None,
    ),
]


# Written on the first version, so the page shows whether their article changed since.
ON_FIRST_VERSION = {"c2", "c4"}


# The plastic-packaging resolution (ID-2026-0117), whose discussion has ended: every comment
# was answered, so it went to the agencies' vote and its report shows the whole story.
ENDED_COMMENTS = {
    "ID-2026-0117": [
        (
            "p1",
            "info@agrotex.uz",
            0,
            None,
            "Kichik do‘konlar uchun o‘tish davri kamida **12 oy** bo‘lishi kerak: "
            "zaxiradagi paketlarni sotib tugatish kerak.",
            ("accepted", "O‘tish davri 12 oyga uzaytirildi (2-tahrir)."),
        ),
        (
            "p2",
            "ivan@example.uz",
            1,
            None,
            "Депозит за бутылку должен возвращаться в любом магазине, а не только там, где "
            "её купили.",
            (
                "partly",
                "Qaytarish punktlari savdo tarmoqlarida majburiy; mayda do‘konlar ixtiyoriy.",
            ),
        ),
        (
            "p3",
            "citizen@example.uz",
            None,
            None,
            "Bozorlarda qog‘oz paketlar narxi oshib ketmasligi uchun nazorat qanday bo‘ladi?",
            ("noted", "Narxlar monitoringi Raqobat qo‘mitasi bilan birgalikda olib boriladi."),
        ),
        (
            "p4",
            "nigora@example.uz",
            None,
            "assessment",
            "Baholashda ekologik foyda raqamlarda ko‘rsatilmagan.",
            ("rejected", "Ekologik foyda 3-bo‘limda tonnalarda ko‘rsatilgan."),
        ),
        (
            "p5",
            "info@texnopark.uz",
            -1,
            None,
            "Depozit tizimi uchun yagona elektron hisob tizimi kerak, aks holda hisobot "
            "yuritish qimmatga tushadi.",
            ("accepted", "Yagona elektron hisob tizimi 2-tahrirga qo‘shildi."),
        ),
    ],
}


def _people() -> dict[str, User]:
    for email, name, kind, organisation in PEOPLE:
        if not User.objects.filter(email=email).exists():
            User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                full_name=name,
                kind=kind,
                organisation=organisation,
            )
    rows = [*COMMENTS, *(row for rows in ENDED_COMMENTS.values() for row in rows)]
    emails = {row[1] for row in rows}
    return {u.email: u for u in User.objects.filter(email__in=emails)}


def load(stdout=None) -> None:
    now = timezone.now()
    people = _people()
    open_draft = Draft.objects.filter(status=Draft.Status.DISCUSSION).order_by("id").first()
    if open_draft is not None and open_draft.is_open_for_comment(now):
        _seed(open_draft, COMMENTS, people, now, stdout)
    elif stdout:
        stdout.write("  discussions: no draft open for comment; skipped")
    for number, comments in ENDED_COMMENTS.items():
        draft = Draft.objects.filter(number=number, discussion_starts_at__lte=now).first()
        if draft is not None:
            _seed(draft, comments, people, now, stdout)


def _seed(draft: Draft, comments: list, people: dict[str, User], now, stdout) -> None:
    if Comment.objects.filter(draft=draft).exists():
        if stdout:
            stdout.write(f"  discussions: demo comments on {draft.number} already loaded")
        return
    latest = draft.versions.order_by("-number").first()
    first = draft.versions.order_by("number").first()
    articles = [n["wId"] for n in iter_nodes(latest.structure) if n["type"] == "article"]
    first_articles = [n["wId"] for n in iter_nodes(first.structure) if n["type"] == "article"]
    editor = User.objects.filter(
        memberships__agency=draft.agency_id, memberships__role=Membership.Role.EDITOR
    ).first()
    # Spread the comments over the days the discussion has been open, oldest first.
    until = min(now, draft.discussion_ends_at - timedelta(minutes=1))
    span = min(until - draft.discussion_starts_at, timedelta(days=10))
    step = span / (len(comments) + 1)
    made: dict[str, Comment] = {}
    answered = 0
    for i, (key, email, article, target, text, answer) in enumerate(comments, start=1):
        at = until - span + step * i
        kwargs: dict = {}
        if target == "assessment":
            kwargs = {"anchor_kind": Comment.Anchor.ASSESSMENT}
        elif target:
            kwargs = {"parent": made[target]}
        elif article is not None and articles and -len(articles) <= article < len(articles):
            kwargs = {"anchor_kind": Comment.Anchor.PROVISION, "anchor_wid": articles[article]}
            if key in ON_FIRST_VERSION and -len(first_articles) <= article < len(first_articles):
                kwargs.update(version=first, anchor_wid=first_articles[article])
        made[key] = services.comment_create(
            draft=draft, author=people[email], body=text, now=at, send_email=False, **kwargs
        )
        if answer and editor is not None:
            services.disposition_set(
                comment=made[key],
                actor=editor,
                outcome=answer[0],
                reasoning=answer[1],
                changed_in_version=latest if answer[0] in ("accepted", "partly") else None,
                send_email=False,
            )
            answered += 1
    if stdout:
        stdout.write(f"  discussions: {len(made)} comments on {draft.number}, {answered} answered")
