"""The demo's people and agencies. Every app adds its own part in `<app>/demo.py`."""

from sovaz.accounts.models import Agency, Membership, User

DEMO_PASSWORD = "sovaz-demo-2026"  # noqa: S105 - published in the README, demo accounts only

AGENCIES = [
    ("minjust", "Adliya vazirligi", "Министерство юстиции", "Ministry of Justice", "ministry"),
    (
        "minfin",
        "Iqtisodiyot va moliya vazirligi",
        "Министерство экономики и финансов",
        "Ministry of Economy and Finance",
        "ministry",
    ),
    (
        "mindigital",
        "Raqamli texnologiyalar vazirligi",
        "Министерство цифровых технологий",
        "Ministry of Digital Technologies",
        "ministry",
    ),
    (
        "minhealth",
        "Sog‘liqni saqlash vazirligi",
        "Министерство здравоохранения",
        "Ministry of Health",
        "ministry",
    ),
    (
        "ecology",
        "Ekologiya, atrof-muhitni muhofaza qilish va iqlim o‘zgarishi vazirligi",
        "Министерство экологии, охраны окружающей среды и изменения климата",
        "Ministry of Ecology, Environmental Protection and Climate Change",
        "ministry",
    ),
    (
        "competition",
        "Raqobatni rivojlantirish va iste'molchilar huquqlarini himoya qilish qo‘mitasi",
        "Комитет по развитию конкуренции и защите прав потребителей",
        "Committee for the Development of Competition and Protection of Consumer Rights",
        "committee",
    ),
    (
        "tashkent",
        "Toshkent shahar hokimligi",
        "Хокимият города Ташкента",
        "Tashkent City Administration",
        "regional",
    ),
]

# (email, full name, kind, site roles, [(agency code, role)])
PEOPLE = [
    ("admin@sovaz.uz", "Administrator", "official", {"is_staff": True, "is_superuser": True}, []),
    ("editor@minjust.uz", "Aziz Rahimov", "official", {}, [("minjust", "editor")]),
    ("editor@mindigital.uz", "Nodira Yusupova", "official", {}, [("mindigital", "editor")]),
    ("voter@minjust.uz", "Bobur Toshmatov", "official", {}, [("minjust", "voter")]),
    ("voter@minfin.uz", "Gulnora Ismoilova", "official", {}, [("minfin", "voter")]),
    ("voter@mindigital.uz", "Sardor Aliyev", "official", {}, [("mindigital", "voter")]),
    ("voter@minhealth.uz", "Malika Nazarova", "official", {}, [("minhealth", "voter")]),
    ("voter@ecology.uz", "Jahongir Qodirov", "official", {}, [("ecology", "voter")]),
    ("voter@competition.uz", "Otabek Saidov", "official", {}, [("competition", "voter")]),
    ("voter@tashkent.uz", "Zarina Ergasheva", "official", {}, [("tashkent", "voter")]),
    ("secretariat@sovaz.uz", "Kamola Mirzayeva", "official", {"is_secretariat": True}, []),
    ("moderator@sovaz.uz", "Rustam Xolmatov", "official", {"is_moderator": True}, []),
    ("deputy@parliament.uz", "Shahnoza Abdullayeva", "official", {"is_legislator": True}, []),
    ("citizen@example.uz", "Dilnoza Karimova", "citizen", {}, []),
    ("olga@example.uz", "Ольга Петрова", "citizen", {}, []),
    ("info@texnopark.uz", "Texnopark MChJ", "business", {"organisation": "Texnopark MChJ"}, []),
]


def load(stdout=None) -> None:
    agencies = {}
    for code, uz, ru, en, kind in AGENCIES:
        agencies[code], _ = Agency.objects.update_or_create(
            code=code, defaults={"name_uz": uz, "name_ru": ru, "name_en": en, "kind": kind}
        )
    for email, name, kind, flags, roles in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, full_name=name, kind=kind, **flags
            )
        for code, role in roles:
            Membership.objects.get_or_create(user=user, agency=agencies[code], role=role)
    if stdout:
        stdout.write(f"  people and agencies: {len(PEOPLE)} users, {len(AGENCIES)} agencies")
