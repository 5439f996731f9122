# ruff: noqa: E501  (the acts' own lines are long; Cyrillic text is intended)
"""Demo drafts: four acts in Uzbek and Russian, each with a history of real revisions.

Idempotent by draft number: a draft that exists is left as it is. Builds on `sovaz.demo`
(agencies and the editors of mindigital and minjust); the editors of the ecology, health and
Tashkent bodies are added here, with the same demo password.
"""

import re
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from drafts import reasons, services
from drafts.models import Draft
from sovaz.accounts.models import Agency, Membership, User
from sovaz.audit.models import ActionLog
from sovaz.audit.services import action_log_for
from sovaz.demo import DEMO_PASSWORD

NOTARY_V1 = """Notarial harakatlarni elektron shaklda amalga oshirish maqsadida buyuraman:

1-bob. Umumiy qoidalar

1-modda. Qo‘llanish sohasi
Ushbu Nizom notariuslar tomonidan masofaviy notarial harakatlarni amalga oshirish tartibini belgilaydi.

2-modda. Masofaviy notarial harakatlar
1. Ishonchnoma, nusxaning to‘g‘riligini tasdiqlash va imzoning haqiqiyligini tasdiqlash masofadan amalga oshirilishi mumkin.
2. Shaxs videoaloqa va elektron raqamli imzo orqali identifikatsiya qilinadi.

2-bob. Yakuniy qoidalar

3-modda. Hujjatlarni saqlash
Elektron notarial hujjatlar Yagona notarial axborot tizimida kamida 75 yil saqlanadi.
"""

NOTARY_V2 = (
    NOTARY_V1.replace("kamida 75 yil", "doimiy")
    + """
4-modda. Shaxsni qo‘shimcha tekshirish
Notarius shubha tug‘ilganda shaxsni Yagona identifikatsiya tizimi orqali qo‘shimcha tekshiradi.
"""
)

EXTRA_EDITORS = [
    ("editor@ecology.uz", "Feruza Xasanova", "ecology"),
    ("editor@minhealth.uz", "Игорь Ким", "minhealth"),
    ("editor@tashkent.uz", "Sherzod Umarov", "tashkent"),
]

EGOV_V1 = """Ushbu Qonun elektron davlat xizmatlarini ko‘rsatish sohasidagi munosabatlarni tartibga soladi.

1-bob. Umumiy qoidalar

1-modda. Ushbu Qonunning maqsadi
Ushbu Qonunning maqsadi elektron davlat xizmatlarini ko‘rsatish sohasidagi munosabatlarni tartibga solishdan iborat.

2-modda. Asosiy tushunchalar
Ushbu Qonunda quyidagi asosiy tushunchalar qo‘llaniladi:
1. elektron davlat xizmati — davlat organi tomonidan axborot-kommunikatsiya texnologiyalari vositasida ko‘rsatiladigan xizmat;
2. Yagona interaktiv davlat xizmatlari portali — elektron davlat xizmatlarini ko‘rsatishning yagona kirish nuqtasi;
3. foydalanuvchi — elektron davlat xizmatidan foydalanuvchi jismoniy yoki yuridik shaxs.

3-modda. Elektron davlat xizmatlarini ko‘rsatish prinsiplari
Elektron davlat xizmatlari ochiqlik, qulaylik, tenglik va shaxsga doir ma’lumotlar xavfsizligi prinsiplari asosida ko‘rsatiladi.

2-bob. Elektron davlat xizmatlarini ko‘rsatish tartibi

4-modda. Ariza berish
1. Foydalanuvchi arizani Yagona interaktiv davlat xizmatlari portali orqali elektron shaklda beradi.
2. Ariza elektron raqamli imzo bilan tasdiqlanadi.

5-modda. Arizani ko‘rib chiqish muddati
Ariza o‘n besh ish kuni ichida ko‘rib chiqiladi.

6-modda. Xizmat uchun to‘lov
Elektron davlat xizmati uchun to‘lov qog‘oz shaklidagi xizmat uchun belgilangan to‘lovdan oshmasligi kerak.

3-bob. Yakuniy qoidalar

7-modda. Nizolarni hal etish
Elektron davlat xizmatlarini ko‘rsatish sohasidagi nizolar qonunchilikda belgilangan tartibda hal etiladi.

8-modda. Qonunning kuchga kirishi
Ushbu Qonun rasmiy e’lon qilingan kundan e’tiboran uch oy o‘tgach kuchga kiradi.
"""

# Version 2: a shorter review period, a new article on personal data, the fee article removed.
EGOV_V2 = (
    EGOV_V1.replace("o‘n besh ish kuni", "o‘n ish kuni")
    .replace(
        "6-modda. Xizmat uchun to‘lov\nElektron davlat xizmati uchun to‘lov qog‘oz shaklidagi xizmat uchun belgilangan to‘lovdan oshmasligi kerak.\n\n",
        "6-modda. Shaxsga doir ma’lumotlarni himoya qilish\n1. Davlat organlari foydalanuvchining shaxsga doir ma’lumotlarini faqat xizmat ko‘rsatish uchun zarur hajmda qayta ishlaydi.\n2. Foydalanuvchi o‘z ma’lumotlaridan kim va qachon foydalanganini portal orqali ko‘rish huquqiga ega.\n\n",
    )
    .replace(
        "2. Ariza elektron raqamli imzo bilan tasdiqlanadi.",
        "2. Ariza elektron raqamli imzo yoki mobil identifikatsiya vositasi bilan tasdiqlanadi.\n3. Arizaga davlat axborot tizimlarida mavjud hujjatlarni ilova qilish talab etilmaydi.",
    )
)

# Version 3: the article on personal data moves up into chapter 1, the principles gain
# technological neutrality, proactive services are added, and the entry into force is extended.
EGOV_V3 = """Ushbu Qonun elektron davlat xizmatlarini ko‘rsatish sohasidagi munosabatlarni tartibga soladi.

1-bob. Umumiy qoidalar

1-modda. Ushbu Qonunning maqsadi
Ushbu Qonunning maqsadi elektron davlat xizmatlarini ko‘rsatish sohasidagi munosabatlarni tartibga solishdan iborat.

2-modda. Asosiy tushunchalar
Ushbu Qonunda quyidagi asosiy tushunchalar qo‘llaniladi:
1. elektron davlat xizmati — davlat organi tomonidan axborot-kommunikatsiya texnologiyalari vositasida ko‘rsatiladigan xizmat;
2. Yagona interaktiv davlat xizmatlari portali — elektron davlat xizmatlarini ko‘rsatishning yagona kirish nuqtasi;
3. foydalanuvchi — elektron davlat xizmatidan foydalanuvchi jismoniy yoki yuridik shaxs.

3-modda. Elektron davlat xizmatlarini ko‘rsatish prinsiplari
Elektron davlat xizmatlari ochiqlik, qulaylik, tenglik, texnologik betaraflik va shaxsga doir ma’lumotlar xavfsizligi prinsiplari asosida ko‘rsatiladi.

4-modda. Shaxsga doir ma’lumotlarni himoya qilish
1. Davlat organlari foydalanuvchining shaxsga doir ma’lumotlarini faqat xizmat ko‘rsatish uchun zarur hajmda qayta ishlaydi.
2. Foydalanuvchi o‘z ma’lumotlaridan kim va qachon foydalanganini portal orqali ko‘rish huquqiga ega.

2-bob. Elektron davlat xizmatlarini ko‘rsatish tartibi

5-modda. Ariza berish
1. Foydalanuvchi arizani Yagona interaktiv davlat xizmatlari portali orqali elektron shaklda beradi.
2. Ariza elektron raqamli imzo yoki mobil identifikatsiya vositasi bilan tasdiqlanadi.
3. Arizaga davlat axborot tizimlarida mavjud hujjatlarni ilova qilish talab etilmaydi.

6-modda. Arizani ko‘rib chiqish muddati
Ariza o‘n ish kuni ichida ko‘rib chiqiladi.

7-modda. Proaktiv xizmatlar
Davlat organlari hayotiy vaziyat yuzaga kelganda (bola tug‘ilishi, pensiya yoshiga yetish) xizmatni foydalanuvchining arizasisiz, o‘z tashabbusi bilan ko‘rsatadi.

3-bob. Yakuniy qoidalar

8-modda. Nizolarni hal etish
Elektron davlat xizmatlarini ko‘rsatish sohasidagi nizolar qonunchilikda belgilangan tartibda hal etiladi.

9-modda. Qonunning kuchga kirishi
Ushbu Qonun rasmiy e’lon qilingan kundan e’tiboran olti oy o‘tgach kuchga kiradi.
"""

PLASTIC_V1 = """Atrof-muhitni plastik chiqindilardan muhofaza qilish maqsadida Vazirlar Mahkamasi qaror qiladi:

1-modda. Cheklovlar
2027-yil 1-yanvardan boshlab savdo shoxobchalarida qalinligi 50 mikrondan kam bo‘lgan polietilen paketlarni bepul berish taqiqlansin.

2-modda. Qayta ishlanadigan qadoqlar
Ishlab chiqaruvchilar qadoqlarning kamida 20 foizini qayta ishlanadigan materiallardan tayyorlashi shart.

3-modda. Nazorat
Ushbu qarorning ijrosi ustidan nazorat Ekologiya, atrof-muhitni muhofaza qilish va iqlim o‘zgarishi vazirligi zimmasiga yuklansin.

4-modda. Javobgarlik
Ushbu qaror talablarini buzganlik uchun qonunchilikda belgilangan tartibda javobgarlik belgilanadi.
"""

# Version 2: a transition period, a higher recycled share, and the deposit scheme (new article).
PLASTIC_V2 = (
    PLASTIC_V1.replace("2027-yil 1-yanvardan", "2027-yil 1-iyuldan")
    .replace("kamida 20 foizini", "2028-yildan boshlab kamida 30 foizini")
    .replace(
        "3-modda. Nazorat",
        "3-modda. Depozit tizimi\n1. Plastik butilkalar uchun depozit-qaytarish tizimi joriy etilsin.\n2. Depozit miqdori Vazirlar Mahkamasi tomonidan har yili belgilanadi.\n\n4-modda. Nazorat",
    )
    .replace("4-modda. Javobgarlik", "5-modda. Javobgarlik")
)

PHARMACY_V1 = """В соответствии с Законом Республики Узбекистан «О лицензировании, разрешительных и уведомительных процедурах» приказываю:

Глава 1. Общие положения

Статья 1. Предмет регулирования
Настоящее Положение определяет порядок лицензирования фармацевтической деятельности в части розничной реализации лекарственных средств.

Статья 2. Лицензирующий орган
Лицензирование осуществляет Агентство по развитию фармацевтической отрасли.

Глава 2. Порядок выдачи лицензии

Статья 3. Документы для получения лицензии
1. Заявление соискателя лицензии.
2. Копия документа, подтверждающего право на помещение аптеки.
3. Сведения о квалификации провизоров.

Статья 4. Срок рассмотрения
Заявление рассматривается в течение двадцати рабочих дней.

Статья 5. Лицензионные требования
Аптека должна располагаться в помещении площадью не менее 40 квадратных метров.
"""

# Version 2: documents already in state systems are no longer asked for, the period is
# shortened, a requirement on electronic records is added, and the area rule is relaxed.
PHARMACY_V2 = (
    PHARMACY_V1.replace(
        "2. Копия документа, подтверждающего право на помещение аптеки.\n",
        "",
    )
    .replace("3. Сведения о квалификации", "2. Сведения о квалификации")
    .replace("двадцати рабочих дней", "десяти рабочих дней")
    .replace(
        "не менее 40 квадратных метров",
        "не менее 30 квадратных метров, в сельской местности — не менее 18 квадратных метров",
    )
    + "\nСтатья 6. Электронный учёт\nАптека ведёт учёт рецептурных лекарственных средств в электронной системе «Электронный рецепт».\n"
)

TASHKENT_V1 = """Toshkent shahrida tashqi reklamani joylashtirish tartibini takomillashtirish maqsadida:

1-modda. Qo‘llanilish sohasi
Ushbu qaror Toshkent shahri hududida tashqi reklama vositalarini joylashtirishga nisbatan qo‘llaniladi.

2-modda. Taqiqlangan joylar
Tarixiy obidalar, maktablar va shifoxonalardan 50 metr masofada tashqi reklama joylashtirish taqiqlanadi.

3-modda. Ruxsatnoma berish
Tashqi reklamani joylashtirishga ruxsatnoma tuman hokimligi tomonidan o‘ttiz kun ichida beriladi.

4-modda. Raqamli ekranlar
Raqamli reklama ekranlarining yorqinligi kechki soat 22:00 dan keyin kamaytiriladi.
"""

# Version 2: permits move online with a shorter deadline; the digital-screens rule moves up
# before the permit article and gets a quiet period.
TASHKENT_V2 = """Toshkent shahrida tashqi reklamani joylashtirish tartibini takomillashtirish maqsadida:

1-modda. Qo‘llanilish sohasi
Ushbu qaror Toshkent shahri hududida tashqi reklama vositalarini joylashtirishga nisbatan qo‘llaniladi.

2-modda. Taqiqlangan joylar
Tarixiy obidalar, maktablar, bog‘chalar va shifoxonalardan 100 metr masofada tashqi reklama joylashtirish taqiqlanadi.

3-modda. Raqamli ekranlar
1. Raqamli reklama ekranlarining yorqinligi kechki soat 22:00 dan keyin kamaytiriladi.
2. Soat 23:00 dan 06:00 gacha turar-joy binolari yonidagi ekranlar o‘chiriladi.

4-modda. Ruxsatnoma berish
Tashqi reklamani joylashtirishga ruxsatnoma “Yagona darcha” orqali elektron shaklda o‘n besh kun ichida beriladi.
"""

# number: (agency, editor, kind, impact, language, title, summary, [(text, reason)], plan)
# plan: "open" (in discussion now), "ended" (discussion over, awaiting the vote), "drafting".
DRAFTS = [
    (
        "ID-2026-0142",
        "mindigital",
        "editor@mindigital.uz",
        Draft.Kind.LAW,
        Draft.ImpactLevel.HIGH,
        Draft.Language.UZ,
        "Elektron davlat xizmatlari to‘g‘risida",
        "Qonun loyihasi elektron davlat xizmatlarini ko‘rsatish tartibini, foydalanuvchilarning "
        "huquqlarini va shaxsga doir ma’lumotlarni himoya qilishni belgilaydi.",
        [
            (EGOV_V1, "Birinchi tahrir"),
            (
                EGOV_V2,
                "Vazirliklar takliflari asosida: ko‘rib chiqish muddati qisqartirildi, "
                "to‘lov haqidagi modda chiqarildi, shaxsga doir ma’lumotlar haqida modda qo‘shildi",
            ),
            (
                EGOV_V3,
                "Shaxsga doir ma’lumotlar haqidagi modda 1-bobga ko‘chirildi, proaktiv "
                "xizmatlar qo‘shildi, kuchga kirish muddati olti oyga uzaytirildi",
            ),
        ],
        "open",
    ),
    (
        "ID-2026-0117",
        "ecology",
        "editor@ecology.uz",
        Draft.Kind.RESOLUTION,
        Draft.ImpactLevel.MEDIUM,
        Draft.Language.UZ,
        "Plastik qadoqlardan foydalanishni kamaytirish chora-tadbirlari to‘g‘risida",
        "Vazirlar Mahkamasi qarori loyihasi yupqa polietilen paketlarni bepul berishni "
        "taqiqlaydi va plastik butilkalar uchun depozit tizimini joriy etadi.",
        [
            (PLASTIC_V1, "Birinchi tahrir"),
            (PLASTIC_V2, "Tadbirkorlar takliflari: o‘tish davri, depozit tizimi qo‘shildi"),
        ],
        "ended",
    ),
    (
        "ID-2026-0158",
        "minhealth",
        "editor@minhealth.uz",
        Draft.Kind.ORDER,
        Draft.ImpactLevel.MEDIUM,
        Draft.Language.RU,
        "Об утверждении Положения о порядке лицензирования фармацевтической деятельности",
        "Проект приказа упрощает получение лицензии на открытие аптеки: сокращает перечень "
        "документов и срок рассмотрения, вводит электронный учёт рецептурных препаратов.",
        [
            (PHARMACY_V1, "Первая редакция"),
            (
                PHARMACY_V2,
                "Учтены замечания Агентства: сокращены документы и сроки, "
                "добавлена статья об электронном учёте",
            ),
        ],
        "drafting",
    ),
    (
        "ID-2026-0163",
        "tashkent",
        "editor@tashkent.uz",
        Draft.Kind.LOCAL,
        Draft.ImpactLevel.LOW,
        Draft.Language.UZ,
        "Toshkent shahrida tashqi reklamani joylashtirish tartibi to‘g‘risida",
        "Hokim qarori loyihasi tashqi reklama uchun ruxsatnomani elektron shaklga o‘tkazadi va "
        "raqamli ekranlar uchun tungi tartibni belgilaydi.",
        [
            (TASHKENT_V1, "Birinchi tahrir"),
            (
                TASHKENT_V2,
                "Ruxsatnoma “Yagona darcha”ga o‘tkazildi, raqamli ekranlar uchun "
                "tungi tartib qo‘shildi",
            ),
        ],
        # Ended, so that the voting demo can open a round on it (a round never cuts a public
        # discussion short).
        "ended",
    ),
    (
        "ID-2026-0171",
        "minjust",
        "editor@minjust.uz",
        Draft.Kind.ORDER,
        Draft.ImpactLevel.LOW,
        Draft.Language.UZ,
        "Notarial harakatlarni masofadan amalga oshirish tartibi to‘g‘risidagi Nizomni tasdiqlash haqida",
        "Vazirlik buyrug‘i loyihasi ishonchnoma va nusxalarni tasdiqlashni videoaloqa va "
        "elektron raqamli imzo orqali notariusga bormasdan amalga oshirishga ruxsat beradi.",
        [
            (NOTARY_V1, "Birinchi tahrir"),
            (
                NOTARY_V2,
                "Notarial palata takliflari: hujjatlar doimiy saqlanadi, tekshiruv qo‘shildi",
            ),
        ],
        # Ended, with no round yet: the secretariat can open one (the other ended drafts
        # are voted on by the voting demo).
        "ended",
    ),
]


def _editors() -> None:
    for email, name, code in EXTRA_EDITORS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, full_name=name, kind=User.Kind.OFFICIAL
            )
        agency = Agency.objects.get(code=code)
        Membership.objects.get_or_create(user=user, agency=agency, role=Membership.Role.EDITOR)


def _build(number, code, email, kind, impact, language, title, summary, versions, plan) -> Draft:
    editor = User.objects.get(email=email)
    first_text, _reason = versions[0]
    draft = services.draft_create(
        author=editor,
        agency=Agency.objects.get(code=code),
        title=title,
        kind=kind,
        number=number,
        text=first_text,
        summary=summary,
        impact_level=impact,
        language=language,
    )
    for text, reason in versions[1:]:
        services.version_publish(draft=draft, author=editor, text=text, change_reason=reason)
    # The story of the demo: versions came out a week or two apart, not all this second.
    now = timezone.now()
    count = len(versions)
    days = services.minimum_discussion_days(impact)
    # A discussion that has run its course began after its last version came out.
    before = days + 4 if plan == "ended" else 0
    for number in range(1, count + 1):
        draft.versions.filter(number=number).update(
            created_at=now - timedelta(days=8 * (count - number) + 6 + before)
        )
    if plan in ("open", "ended"):
        # The impact demo (loaded after this one) writes the assessments; don't wait for it.
        with override_settings(IMPACT_ASSESSMENT_REQUIRED=False):
            services.draft_open_discussion(
                draft=draft,
                actor=editor,
                starts_at=now,
                ends_at=now + timedelta(days=days + 1),
            )
        # Demo only: the service opens a discussion from today on; date the period as if it
        # had opened five days ago (still open) or had run its course two days ago (ended).
        # Both at midnight (Tashkent), as a period set through the form is: the end is the
        # midnight after the last day, which the pages call "until <last day> inclusive".
        if plan == "open":
            starts, ends = now - timedelta(days=5), now + timedelta(days=max(days - 5, 20))
        else:
            starts, ends = now - timedelta(days=days + 2), now - timedelta(days=2)
        starts, ends = _midnight_before(starts), _midnight_before(ends)
        Draft.objects.filter(pk=draft.pk).update(
            discussion_starts_at=starts, discussion_ends_at=ends, published_at=starts
        )
    _backdate_log(draft)
    _backdate_history(draft)
    return draft


def _midnight_before(moment):
    """The start of the moment's day on the site's clock."""
    return timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)


def _backdate_log(draft: Draft) -> None:
    """Demo only: date the draft's action log like its versions and discussion, for reports."""
    draft.refresh_from_db()
    dates = {v.number: v.created_at for v in draft.versions.all()}
    for entry in action_log_for(draft):
        when = None
        if entry.code == "drafts.draft.created":
            when = dates[1]
        elif entry.code == "drafts.version.published":
            when = dates.get(entry.data.get("version"))
        elif entry.code == "drafts.draft.status_changed" and entry.data.get("to") == "discussion":
            when = draft.discussion_starts_at
        if when is not None:
            ActionLog.objects.filter(pk=entry.pk).update(created_at=when)


def _backdate_history(draft: Draft) -> None:
    """Demo only: the draft's history says what the action log says. Records are dated like the
    versions and the discussion, and carry the discussion period as the demo dated it (the
    update above bypasses history), so that the next real change shows only itself."""
    draft.refresh_from_db()
    dates = {v.number: v.created_at for v in draft.versions.all()}
    for record in draft.history.all():
        reason = record.history_change_reason or ""
        when = None
        if reason == reasons.DRAFT_CREATED:
            when = dates[1]
        elif match := re.fullmatch(r"Version (\d+) published", reason):
            when = dates.get(int(match.group(1)))
        elif reason == reasons.DISCUSSION_OPENED:
            when = draft.discussion_starts_at
        fields = {"history_date": when} if when else {}
        if record.discussion_starts_at is not None:
            fields |= {
                "discussion_starts_at": draft.discussion_starts_at,
                "discussion_ends_at": draft.discussion_ends_at,
                "published_at": draft.published_at,
            }
        if fields:
            draft.history.filter(history_id=record.history_id).update(**fields)


def load(stdout=None) -> None:
    _editors()
    created = 0
    for number, *rest in DRAFTS:
        if Draft.objects.filter(number=number).exists():
            continue
        _build(number, *rest)
        created += 1
    if stdout:
        stdout.write(f"  drafts: {created} created, {len(DRAFTS) - created} already there")
