# ruff: noqa: E501  (the assessments' own sentences are long; Cyrillic text is intended)
"""Demo impact assessments: a complete assessment with a few costed obligations per demo draft.

Idempotent: a draft that already has an assessment is left as it is. Builds on `drafts.demo`
(drafts are found by number) and writes through impact.services as the draft's editor, so
each assessment starts with a proper revision history.
"""

from decimal import Decimal

from drafts.models import Draft
from impact import services
from impact.calculator import ObligationInput
from sovaz.accounts.models import Membership

D = Decimal

# number: (checklist answers, discount rate, years, [obligations])
ASSESSMENTS = {
    "ID-2026-0142": (
        {
            "problem": "Fuqarolar va tadbirkorlar davlat xizmatlari uchun har yili o‘rtacha 6 soatni navbatlarda va qog‘oz ma’lumotnomalarni yig‘ishga sarflaydi; bir xil hujjatlar turli idoralar tomonidan qayta-qayta so‘raladi.",
            "objectives": "2028-yilgacha asosiy 120 ta davlat xizmatining 90 foizini elektron shaklda ko‘rsatish; idoralararo so‘rovlar orqali qog‘oz ma’lumotnomalarni 70 foizga qisqartirish.",
            "options": "1) Tartibga solmaslik: idoralar o‘z portallarini rivojlantiradi — xarajat ko‘p, natija notekis. 2) Ixtiyoriy yagona portal — qamrov past. 3) Qonun bilan yagona portal va idoralararo so‘rov majburiyati (tanlangan variant).",
            "legal_basis": "O‘zbekiston Respublikasi Konstitutsiyasi, «Elektron hukumat to‘g‘risida»gi Qonun, Prezidentning «Raqamli O‘zbekiston — 2030» strategiyasi to‘g‘risidagi farmoni.",
            "government_level": "Respublika darajasi: xizmatlar reyestri va idoralararo integratsiya markazlashgan holda yuritiladi; mahalliy hokimliklar xizmat ko‘rsatish nuqtalarini ta’minlaydi.",
            "costs_benefits": "Portal va integratsiya uchun byudjet xarajati 3 yilda taxminan 180 mlrd so‘m. Fuqarolar va tadbirkorlarning vaqt tejami yiliga 1,2 trln so‘mdan ortiq baholanadi (quyidagi xarajatlar modeli bilan solishtiring).",
            "affected": "Barcha fuqarolar (ayniqsa qishloq joylarida yashovchilar va nogironligi bo‘lgan shaxslar), kichik tadbirkorlar, 42 ta davlat organi. Internetga kirishi cheklanganlar uchun davlat xizmatlari markazlarida yordamchi operatorlar saqlanadi.",
            "clarity": "Qonun loyihasi oddiy tilda yozilgan; har bir xizmat uchun reglament va foydalanuvchi qo‘llanmasi portalda e’lon qilinadi.",
            "consultation": "regulation.gov.uz portalida muhokama, 3 ta hududiy davra suhbati, Tadbirkorlar palatasi bilan uchrashuv; 1 200 dan ortiq taklif kelib tushdi.",
            "compliance": "Raqamli texnologiyalar vazirligi har chorakda xizmatlarning elektron ulushi va ko‘rib chiqish muddatlari bo‘yicha ochiq hisobot e’lon qiladi; muddatni buzgan idoralar mas’uliyatga tortiladi.",
        },
        D("12"),
        10,
        [
            ObligationInput(
                name="Portalda ro‘yxatdan o‘tish va identifikatsiya",
                group="citizen",
                group_label="18 yoshdan katta fuqarolar",
                tariff=D("18000"),
                time=D("0.5"),
                population=2_000_000,
                frequency=D("1"),
                external=D("0"),
            ),
            ObligationInput(
                name="Elektron ariza uchun hujjatlarni skanerlash",
                group="business",
                group_label="kichik tadbirkorlar",
                tariff=D("35000"),
                time=D("1.5"),
                population=150_000,
                frequency=D("3"),
                external=D("5000"),
            ),
            ObligationInput(
                name="Idoralararo so‘rovlarga javob berish",
                group="public",
                group_label="42 ta davlat organi",
                tariff=D("45000"),
                time=D("0.25"),
                population=42,
                frequency=D("5000"),
                external=D("0"),
            ),
        ],
    ),
    "ID-2026-0117": (
        {
            "problem": "Yiliga 2 mlrd dan ortiq yupqa polietilen paket ishlatiladi; ularning 5 foizidan kami qayta ishlanadi, qolgani poligonlar va suv havzalarini ifloslantiradi.",
            "objectives": "Uch yilda yupqa paketlar iste’molini 60 foizga, plastik butilkalarning poligonga tushishini 40 foizga kamaytirish.",
            "options": "1) Tartibga solmaslik. 2) Faqat xabardorlik kampaniyasi. 3) Bepul paketlarni taqiqlash va butilkalar uchun depozit tizimi (tanlangan variant). 4) To‘liq taqiq — tadbirkorlar uchun keskin, rad etildi.",
            "legal_basis": "«Chiqindilar to‘g‘risida»gi va «Tabiatni muhofaza qilish to‘g‘risida»gi qonunlar.",
            "costs_benefits": "Chakana savdo uchun hisobot va depozit hisobi xarajatlari quyidagi modelda; foyda — chiqindilarni tashish va poligon xarajatlarining kamayishi, yiliga taxminan 90 mlrd so‘m.",
            "affected": "Chakana savdo korxonalari (ayniqsa kichik do‘konlar), ichimlik ishlab chiqaruvchilar, xaridorlar; o‘tish davri kichik do‘konlar uchun 12 oy.",
            "government_level": "Respublika darajasi: bir xil qoidalar bozorni bo‘lib yubormaydi.",
            "clarity": "Qaror loyihasiga savdo korxonalari uchun amaliy qo‘llanma ilova qilinadi.",
            "consultation": "Portalda muhokama va ishlab chiqaruvchilar uyushmasi bilan ikki uchrashuv.",
            "compliance": "Ekologiya inspeksiyasi yiliga tanlab tekshiradi; depozit operatori oylik hisobot beradi.",
        },
        D("10"),
        5,
        [
            ObligationInput(
                name="Depozit butilkalar hisobini yuritish",
                group="business",
                group_label="ichimlik ishlab chiqaruvchilar",
                tariff=D("40000"),
                time=D("4"),
                population=600,
                frequency=D("12"),
                external=D("150000"),
            ),
            ObligationInput(
                name="Paketlar sotilishi haqida choraklik hisobot",
                group="business",
                group_label="chakana savdo korxonalari",
                tariff=D("30000"),
                time=D("1"),
                population=45_000,
                frequency=D("4"),
                external=D("0"),
            ),
        ],
    ),
    "ID-2026-0158": (
        {
            "problem": "Получение лицензии на аптеку занимает до 30 дней и требует 14 документов, многие из которых уже есть у государственных органов.",
            "objectives": "Сократить срок до 10 дней и перечень документов до 5; перевести учёт рецептурных препаратов в электронную форму.",
            "options": "1) Оставить как есть. 2) Только сократить сроки. 3) Сократить документы, сроки и ввести электронный учёт (выбранный вариант).",
            "legal_basis": "Закон «О лицензировании, разрешительных и уведомительных процедурах», Закон «О лекарственных средствах и фармацевтической деятельности».",
            "costs_benefits": "Экономия заявителей — около 20 часов на лицензию; затраты аптек на электронный учёт показаны в модели ниже.",
            "affected": "Около 9 000 аптек и 300 новых заявителей в год; пациенты выигрывают от прозрачного учёта рецептурных препаратов.",
            "government_level": "Республиканский уровень: лицензирование и реестр препаратов ведёт министерство.",
            "clarity": "Положение сопровождается перечнем документов и образцами заявлений.",
            "consultation": "Обсуждение на портале и встреча с Ассоциацией фармацевтов.",
            "compliance": "Агентство по развитию фармотрасли ежеквартально публикует сроки рассмотрения; электронный учёт проверяется автоматически.",
        },
        D("14"),
        5,
        [
            ObligationInput(
                name="Электронная заявка на лицензию",
                group="business",
                group_label="новые аптеки",
                tariff=D("45000"),
                time=D("6"),
                population=300,
                frequency=D("1"),
                external=D("375000"),
            ),
            ObligationInput(
                name="Электронный учёт рецептурных препаратов",
                group="business",
                group_label="действующие аптеки",
                tariff=D("30000"),
                time=D("0.5"),
                population=9000,
                frequency=D("52"),
                external=D("0"),
            ),
        ],
    ),
    "ID-2026-0163": (
        {
            "problem": "Ruxsatnoma olish uchun tadbirkor 5 ta idoraga murojaat qiladi; raqamli ekranlar tunda aholining dam olishiga xalaqit beradi.",
            "objectives": "Ruxsatnomani «Yagona darcha» orqali 15 kunda berish; turar-joy yonidagi ekranlar uchun tungi tartib.",
            "legal_basis": "«Reklama to‘g‘risida»gi Qonun va «Mahalliy davlat hokimiyati to‘g‘risida»gi Qonun.",
            "options": "Tartibga solmaslik; faqat tungi tartib; ruxsatnoma va tungi tartib birgalikda (tanlangan).",
            "costs_benefits": "Tadbirkorlar uchun murojaatlar soni kamayadi; ekran egalari uchun tungi tartib xarajati kichik.",
            "affected": "Toshkentdagi 1 200 ga yaqin reklama tarqatuvchi va ekranlar yonida yashovchi aholi.",
            "government_level": "Mahalliy daraja: reklama joylashuvi shahar hokimligi vakolatida.",
            "clarity": "Ruxsatnoma tartibi va talablar portalda e’lon qilinadi.",
            "consultation": "Portalda muhokama va tumanlar bo‘yicha fuqarolar yig‘inlari.",
            "compliance": "Shahar reklama inspeksiyasi shikoyatlar bo‘yicha tekshiradi.",
        },
        D("10"),
        3,
        [
            ObligationInput(
                name="Elektron ruxsatnoma arizasi",
                group="business",
                group_label="reklama tarqatuvchilar",
                tariff=D("35000"),
                time=D("2"),
                population=1200,
                frequency=D("1"),
                external=D("100000"),
            ),
        ],
    ),
    "ID-2026-0171": (
        {
            "problem": "Ishonchnoma yoki nusxani tasdiqlash uchun fuqaro notarial idoraga shaxsan borishi kerak; chekka tumanlarda bu bir kunni oladi.",
            "objectives": "Oddiy notarial harakatlarni videoaloqa va elektron raqamli imzo orqali masofadan bajarish.",
            "legal_basis": "«Notariat to‘g‘risida»gi Qonun va «Elektron raqamli imzo to‘g‘risida»gi Qonun.",
            "options": "Tartibga solmaslik; faqat nusxalarni tasdiqlash; uch turdagi harakatni masofadan bajarish (tanlangan).",
            "costs_benefits": "Fuqarolar yo‘l va navbatga ketadigan vaqtni tejaydi; notariuslar uchun videoaloqa xarajati kichik.",
            "affected": "Yiliga 400 mingga yaqin ishonchnoma va nusxa tasdiqlovchi fuqarolar, 1 100 notarius.",
            "government_level": "Respublika darajasi: notariat Adliya vazirligi vakolatida.",
            "clarity": "Tartib va talablar Yagona interaktiv davlat xizmatlari portalida e’lon qilinadi.",
            "consultation": "Portalda muhokama va Notarial palata bilan uchrashuv.",
            "compliance": "Adliya organlari elektron notarial reyestr orqali tekshiradi.",
        },
        D("10"),
        3,
        [
            ObligationInput(
                name="Masofaviy notarial harakat uchun videoaloqa",
                group="citizen",
                group_label="fuqarolar",
                tariff=D("12000"),
                time=D("0.5"),
                population=400_000,
                frequency=D("1"),
                external=D("0"),
            ),
        ],
    ),
}


def load(stdout=None) -> None:
    created = 0
    for number, (answers, rate, years, obligations) in ASSESSMENTS.items():
        draft = Draft.objects.filter(number=number).select_related("agency").first()
        if draft is None or hasattr(draft, "assessment"):
            continue
        membership = (
            Membership.objects.filter(agency=draft.agency, role=Membership.Role.EDITOR)
            .select_related("user")
            .order_by("id")
            .first()
        )
        if membership is None:
            continue
        editor = membership.user
        services.assessment_revise(
            draft=draft,
            actor=editor,
            reason="Birinchi tahrir" if draft.language != "ru" else "Первая редакция",
            discount_rate=rate,
            years=years,
            **answers,
        )
        for obligation in obligations:
            services.obligation_add(draft=draft, actor=editor, obligation=obligation)
        created += 1
    if stdout:
        stdout.write(f"  impact: {created} assessments created")
