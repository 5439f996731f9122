import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from drafts.models import Draft
from tests.conftest import SAMPLE_TEXT, SAMPLE_TEXT_V2, client_for
from tests.drafts.conftest import naughty_strings

pytestmark = pytest.mark.django_db


def _create_payload(agency, **extra):
    data = {
        "agency": agency.pk,
        "number": "ID-2026-0900",
        "title": "Raqamli imzo to‘g‘risida",
        "kind": "law",
        "summary": "Qisqacha",
        "impact_level": "low",
        "language": "uz",
        "source_format": "text",
        "text": SAMPLE_TEXT,
    }
    data.update(extra)
    return data


# Home and list ------------------------------------------------------------------------------


def test_home_counts_open_voting_and_decided_drafts(make_draft, citizen):
    make_draft(discussion=True, title="Ochiq loyiha")
    make_draft()  # drafting: not public, not counted
    response = client_for(citizen).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["counts"] == {"open": 1, "voting": 0, "decided": 0}
    assert "Ochiq loyiha" in response.text
    assert "days left to comment" in response.text


def test_list_shows_public_drafts_only_to_the_public(make_draft, citizen):
    make_draft(discussion=True, title="Public one")
    make_draft(title="Secret one")
    response = client_for(citizen).get(reverse("drafts:list"))
    assert "Public one" in response.text
    assert "Secret one" not in response.text


def test_list_shows_agency_members_their_own_drafts_in_drafting(make_draft, agency_voter):
    make_draft(title="Secret one")
    response = client_for(agency_voter).get(reverse("drafts:list"))
    assert "Secret one" in response.text


def test_list_hides_other_agencies_drafts_in_drafting(make_draft, other_editor):
    make_draft(title="Secret one")
    assert "Secret one" not in client_for(other_editor).get(reverse("drafts:list")).text


@pytest.mark.parametrize("persona", ["secretariat", "moderator", "legislator"])
def test_list_shows_staff_every_draft(make_draft, persona, request):
    make_draft(title="Secret one")
    user = request.getfixturevalue(persona)
    assert "Secret one" in client_for(user).get(reverse("drafts:list")).text


def test_list_filters_by_status_kind_agency_and_open(make_draft, other_agency, secretariat):
    make_draft(discussion=True, title="Open law", kind="law")
    make_draft(title="Drafted order", kind="order")
    client = client_for(secretariat)
    url = reverse("drafts:list")

    def titles(**params):
        return [d.title for d in client.get(url, params).context["page"].object_list]

    assert titles(status="drafting") == ["Drafted order"]
    assert titles(kind="law") == ["Open law"]
    assert titles(open="1") == ["Open law"]
    assert titles(agency=other_agency.pk) == []
    assert set(titles(status="no-such-status")) == {"Open law", "Drafted order"}


def test_list_searches_number_title_and_summary(make_draft, secretariat):
    make_draft(title="Plastik qadoqlar", number="PQ-2026-77", summary="Atrof-muhit")
    make_draft(title="Boshqa")
    client = client_for(secretariat)
    for query in ("plastik", "PQ-2026", "atrof"):
        page = client.get(reverse("drafts:list"), {"q": query}).context["page"]
        assert [d.title for d in page.object_list] == ["Plastik qadoqlar"]


def test_list_paginates_with_a_bounded_number_of_queries(
    make_draft, secretariat, django_assert_max_num_queries
):
    for _ in range(25):
        make_draft()
    client = client_for(secretariat)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("drafts:list"), {"q": "Elektron", "page": "2"})
    assert len(response.context["page"].object_list) == 5
    assert "page=1" in response.text and "q=Elektron" in response.text


def test_home_uses_a_bounded_number_of_queries(make_draft, citizen, django_assert_max_num_queries):
    for _ in range(10):
        make_draft(discussion=True)
    client = client_for(citizen)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("home")).status_code == 200


def test_list_search_survives_hostile_input(client, make_draft):
    make_draft(discussion=True)
    failures = []
    for query in naughty_strings():
        params = {"q": query, "page": query, "agency": query, "status": query}
        response = client.get(reverse("drafts:list"), params)
        if response.status_code != 200:
            failures.append((query, response.status_code))
    assert failures == []


# Draft, versions, history ------------------------------------------------------------------


def test_draft_page_shows_toc_and_linkable_articles(make_draft, citizen):
    draft = make_draft(discussion=True)
    response = client_for(citizen).get(draft.get_absolute_url())
    assert response.status_code == 200
    text = response.text
    assert '<a href="#art_2">2-modda. Asosiy tushunchalar</a>' in text
    assert '<section class="article" id="art_2" data-wid="art_2">' in text
    assert 'id="art_2__para_1" data-wid="art_2__para_1"' in text
    assert 'class="anchor" href="#art_2"' in text
    assert "Tashkent time" in text
    assert "Publish a new version" not in text  # no editor actions for a citizen


def test_draft_page_shows_dates_in_tashkent_time(make_draft, citizen):
    draft = make_draft(discussion=True)
    Draft.objects.filter(pk=draft.pk).update(
        discussion_starts_at=timezone.datetime(2026, 3, 1, 19, 0, tzinfo=timezone.UTC),
    )
    # 19:00 UTC is midnight of the next day in Tashkent (UTC+5); the period is shown in days.
    assert "2 March 2026 – " in client_for(citizen).get(draft.get_absolute_url()).text


def test_draft_page_shows_editor_actions_to_its_editor(make_draft, agency_editor):
    draft = make_draft()
    text = client_for(agency_editor).get(draft.get_absolute_url()).text
    assert reverse("drafts:publish", args=[draft.pk]) in text
    assert reverse("drafts:edit", args=[draft.pk]) in text
    assert 'value="open_discussion"' in text
    assert 'value="withdraw"' in text


def test_draft_page_escapes_the_text_of_the_act(make_draft, agency_editor):
    hostile = SAMPLE_TEXT.replace("Asosiy tushunchalar", "<script>alert(1)</script>")
    draft = make_draft(text=hostile, title="<img src=x onerror=alert(1)>")
    text = client_for(agency_editor).get(draft.get_absolute_url()).text
    assert "<script>alert(1)" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img src=x" not in text


def test_draft_page_shows_the_discussion_panel(make_draft, citizen):
    draft = make_draft(discussion=True)
    response = client_for(citizen).get(draft.get_absolute_url())
    assert 'id="comments"' in response.text


def test_version_page_shows_an_earlier_text(make_draft, citizen):
    draft = make_draft(v2=SAMPLE_TEXT_V2, discussion=True)
    response = client_for(citizen).get(reverse("drafts:version", args=[draft.pk, 1]))
    assert response.status_code == 200
    assert "uch oy" in response.text and "olti oy" not in response.text
    assert "This is an earlier version" in response.text


def test_unknown_version_number_is_404(make_draft, citizen):
    draft = make_draft(discussion=True)
    assert client_for(citizen).get(reverse("drafts:version", args=[draft.pk, 9])).status_code == 404


def test_history_lists_versions_and_metadata_changes_with_reasons(
    make_draft, agency_editor, django_assert_max_num_queries
):
    from drafts import services

    draft = make_draft(v2=SAMPLE_TEXT_V2)
    services.draft_update(
        draft=draft, actor=agency_editor, reason="Sarlavha aniqlashtirildi", title="Yangi nom"
    )
    client = client_for(agency_editor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("drafts:history", args=[draft.pk]))
    text = response.text
    assert "Revised" in text and "First version" in text
    assert "?from=1&amp;to=2" in text
    assert "Sarlavha aniqlashtirildi" in text
    assert "Yangi nom" in text and agency_editor.full_name in text


# Diff --------------------------------------------------------------------------------------


def test_diff_shows_counts_and_word_changes_inline(make_draft, citizen):
    draft = make_draft(v2=SAMPLE_TEXT_V2, discussion=True)
    response = client_for(citizen).get(
        reverse("drafts:diff", args=[draft.pk]), {"from": 1, "to": 2}
    )
    assert response.status_code == 200
    assert response.context["diff"].counts["added"] == 1
    assert "<del>uch</del><ins>olti</ins>" in response.text.replace("\n", "")
    assert "1 article added" in response.text
    assert "Asosiy tushunchalar" not in response.text  # unchanged articles hidden by default


def test_diff_whole_text_and_side_by_side(make_draft, citizen):
    draft = make_draft(v2=SAMPLE_TEXT_V2, discussion=True)
    url = reverse("drafts:diff", args=[draft.pk])
    response = client_for(citizen).get(url, {"from": 1, "to": 2, "mode": "side", "show": "all"})
    assert "Asosiy tushunchalar" in response.text
    assert 'class="diff-side"' in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"from": "abc"},
        {"to": "7"},
        {"from": "x", "to": "2"},
        {"from": "1", "to": "7"},
        {"from": "-1", "to": "1"},
        {"from": "99999999999999999999", "to": "1"},
        {"from": "1\x00", "to": "2"},
    ],
)
def test_diff_with_bad_versions_is_400_with_a_message(make_draft, citizen, params):
    draft = make_draft(v2=SAMPLE_TEXT_V2, discussion=True)
    response = client_for(citizen).get(reverse("drafts:diff", args=[draft.pk]), params)
    assert response.status_code == 400
    assert response.context["messages_list"]


def test_diff_without_versions_compares_the_two_latest(make_draft, citizen):
    draft = make_draft(v2=SAMPLE_TEXT_V2, discussion=True)
    response = client_for(citizen).get(reverse("drafts:diff", args=[draft.pk]))
    assert response.status_code == 200
    assert (response.context["old"].number, response.context["new"].number) == (1, 2)
    assert response.context["diff"].counts["added"] == 1


def test_diff_with_only_from_compares_it_with_the_latest(make_draft, citizen):
    draft = make_draft(v2=SAMPLE_TEXT_V2, discussion=True)
    response = client_for(citizen).get(reverse("drafts:diff", args=[draft.pk]), {"from": "1"})
    assert response.status_code == 200
    assert (response.context["old"].number, response.context["new"].number) == (1, 2)


def test_diff_of_a_draft_with_one_version_says_there_is_nothing_to_compare(
    make_draft, agency_editor
):
    draft = make_draft()
    response = client_for(agency_editor).get(reverse("drafts:diff", args=[draft.pk]))
    assert response.status_code == 200
    assert "nothing to compare" in response.text
    assert response.context["old"] == response.context["new"]


def test_diff_with_an_unknown_mode_falls_back_to_inline(make_draft, citizen):
    draft = make_draft(v2=SAMPLE_TEXT_V2, discussion=True)
    url = reverse("drafts:diff", args=[draft.pk])
    response = client_for(citizen).get(url, {"from": 1, "to": 2, "mode": "sideways"})
    assert response.status_code == 200
    assert response.context["mode"] == "inline"


def test_diff_of_two_thousand_articles_renders_whole_text(make_draft, agency_editor):
    # Its speed is measured in bench/bench_diff.py, not here.
    old = "\n".join(f"{i}-modda. Sarlavha {i}\nMatn {i} bo‘yicha qoida.\n" for i in range(1, 2001))
    new = old.replace("Matn 500 ", "Yangi matn 500 ").replace("Sarlavha 7\n", "Sarlavha yetti\n")
    draft = make_draft(text=old, v2=new)
    client = client_for(agency_editor)
    url = reverse("drafts:diff", args=[draft.pk])
    response = client.get(url, {"from": 1, "to": 2, "show": "all"})
    assert response.status_code == 200
    assert response.context["diff"].counts["changed"] == 2
    assert response.content.count(b'class="diff-article') >= 2000


# Editor pages ------------------------------------------------------------------------------


def test_editor_creates_a_draft_from_pasted_text(agency, agency_editor):
    response = client_for(agency_editor).post(reverse("drafts:create"), _create_payload(agency))
    draft = Draft.objects.get(number="ID-2026-0900")
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    assert draft.versions.get().article_count == 3


def test_editor_creates_a_draft_from_an_uploaded_markdown_file(agency, agency_editor):
    text = "# 1-bob. Umumiy\n\n## 1-modda. Maqsad\nMaqsad\nshu.\n"
    upload = SimpleUploadedFile("loyiha.md", text.encode(), content_type="text/markdown")
    payload = _create_payload(agency, text="", upload=upload)
    response = client_for(agency_editor).post(reverse("drafts:create"), payload)
    assert response.status_code == 302
    version = Draft.objects.get().versions.get()
    assert version.source_format == "markdown"
    assert version.structure["body"][0]["children"][0]["children"][0]["text"] == "Maqsad shu."


def test_editor_creates_a_draft_from_a_word_document(agency, agency_editor):
    import docx

    document = docx.Document()
    for line in SAMPLE_TEXT.split("\n"):
        document.add_paragraph(line)
    data = io.BytesIO()
    document.save(data)
    upload = SimpleUploadedFile("loyiha.docx", data.getvalue())
    response = client_for(agency_editor).post(
        reverse("drafts:create"), _create_payload(agency, text="", upload=upload)
    )
    assert response.status_code == 302
    version = Draft.objects.get().versions.get()
    assert (version.source_format, version.article_count) == ("docx", 3)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.pdf", b"%PDF", "Upload a .txt, .md or .docx file."),
        ("x.txt", "1-modda. Salom".encode("cp1251") + b"\xff", "not UTF-8"),
        ("x.docx", b"not a zip", "could not be read as a Word document"),
    ],
)
def test_bad_uploads_are_refused_with_a_message(
    agency, agency_editor, row_counts, name, content, message
):
    before = row_counts()
    upload = SimpleUploadedFile(name, content)
    response = client_for(agency_editor).post(
        reverse("drafts:create"), _create_payload(agency, text="", upload=upload)
    )
    assert response.status_code == 400
    assert message in response.text
    assert row_counts() == before


def test_malformed_text_rerenders_the_form_with_400_and_writes_nothing(
    agency, agency_editor, row_counts
):
    before = row_counts()
    response = client_for(agency_editor).post(
        reverse("drafts:create"), _create_payload(agency, text="Faqat matn, moddasiz.")
    )
    assert response.status_code == 400
    assert "No article found" in response.text
    assert row_counts() == before


def test_duplicate_number_is_refused_with_400(make_draft, agency, agency_editor, row_counts):
    make_draft(number="ID-2026-0900")
    before = row_counts()
    response = client_for(agency_editor).post(reverse("drafts:create"), _create_payload(agency))
    assert response.status_code == 400
    assert "already exists" in response.text
    assert row_counts() == before


def test_editor_cannot_create_a_draft_for_another_agency(agency_editor, other_agency, row_counts):
    before = row_counts()
    response = client_for(agency_editor).post(
        reverse("drafts:create"), _create_payload(other_agency)
    )
    assert response.status_code == 400  # not among the choices offered to this editor
    assert row_counts() == before


def test_hostile_titles_are_stored_exactly_or_refused(agency, agency_editor):
    client = client_for(agency_editor)
    failures = []
    for n, title in enumerate(naughty_strings()[::3]):
        number = f"HS-{n}"
        payload = _create_payload(agency, title=title, number=number)
        response = client.post(reverse("drafts:create"), payload)
        draft = Draft.objects.filter(number=number).first()
        if response.status_code == 400 and draft is None:
            continue  # refused with the form (e.g. a NUL character or an empty title)
        if response.status_code != 302 or draft.title != title.strip():
            failures.append((title, response.status_code))
        elif client.get(draft.get_absolute_url()).status_code != 200:
            failures.append((title, "page"))
    assert failures == []


def test_publish_page_is_prefilled_with_the_latest_text(make_draft, agency_editor):
    draft = make_draft(v2=SAMPLE_TEXT_V2)
    response = client_for(agency_editor).get(reverse("drafts:publish", args=[draft.pk]))
    assert "olti oy" in response.text


def test_editor_publishes_a_new_version(make_draft, agency_editor):
    draft = make_draft()
    response = client_for(agency_editor).post(
        reverse("drafts:publish", args=[draft.pk]),
        {"text": SAMPLE_TEXT_V2, "source_format": "text", "change_reason": "Muddat uzaytirildi"},
    )
    assert response.status_code == 302
    version = draft.versions.latest()
    assert (version.number, version.change_reason) == (2, "Muddat uzaytirildi")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"text": SAMPLE_TEXT_V2, "change_reason": ""}, "This field is required"),
        ({"text": SAMPLE_TEXT, "change_reason": "Hech narsa"}, "nothing to publish"),
        ({"text": "1-modda.\n", "change_reason": "Buzuq"}, "has no text"),
        ({"text": "", "change_reason": "Bo‘sh"}, "Paste the text"),
    ],
)
def test_bad_publications_are_400_and_write_nothing(
    make_draft, agency_editor, row_counts, payload, message
):
    draft = make_draft()
    before = row_counts()
    response = client_for(agency_editor).post(
        reverse("drafts:publish", args=[draft.pk]), {"source_format": "text", **payload}
    )
    assert response.status_code == 400
    assert message in response.text
    assert row_counts() == before


def test_editor_edits_metadata_with_a_reason_kept_in_history(make_draft, agency_editor):
    draft = make_draft()
    response = client_for(agency_editor).post(
        reverse("drafts:edit", args=[draft.pk]),
        {
            "title": "Yangi nom",
            "kind": "law",
            "summary": "",
            "impact_level": "high",
            "language": "uz",
            "reason": "Ta'sir darajasi qayta baholandi",
        },
    )
    assert response.status_code == 302
    record = draft.history.latest()
    assert (record.title, record.impact_level) == ("Yangi nom", "high")
    assert record.history_change_reason == "Ta'sir darajasi qayta baholandi"
    assert record.history_user == agency_editor


def test_metadata_edit_without_reason_is_400(make_draft, agency_editor, row_counts):
    draft = make_draft()
    before = row_counts()
    response = client_for(agency_editor).post(
        reverse("drafts:edit", args=[draft.pk]),
        {"title": "Yangi", "kind": "law", "impact_level": "low", "language": "uz", "reason": ""},
    )
    assert response.status_code == 400
    assert row_counts() == before


def test_editor_opens_the_discussion_with_dates(make_draft, agency_editor):
    draft = make_draft(impact_level="low")
    today = timezone.localdate()
    response = client_for(agency_editor).post(
        reverse("drafts:status", args=[draft.pk]),
        {"action": "open_discussion", "starts_on": today, "ends_on": today + timedelta(days=12)},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Draft.Status.DISCUSSION and draft.is_open_for_comment()
    assert timezone.localtime(draft.discussion_ends_at).date() == today + timedelta(days=13)


def test_too_short_discussion_is_400_with_the_rule_and_writes_nothing(
    make_draft, agency_editor, row_counts
):
    draft = make_draft(impact_level="high")
    before = row_counts()
    today = timezone.localdate()
    response = client_for(agency_editor).post(
        reverse("drafts:status", args=[draft.pk]),
        {"action": "open_discussion", "starts_on": today, "ends_on": today + timedelta(days=5)},
    )
    assert response.status_code == 400
    assert "at least 20 days" in response.text
    assert row_counts() == before
    draft.refresh_from_db()
    assert draft.status == Draft.Status.DRAFTING


@pytest.mark.parametrize(
    "payload",
    [
        {"action": "open_discussion", "starts_on": "2026-01-01", "ends_on": "9999-12-31"},
        {"action": "open_discussion", "starts_on": "bad", "ends_on": "2026-02-30"},
        {"action": "fly_to_the_moon"},
        {},
    ],
)
def test_bad_status_requests_are_400(make_draft, agency_editor, row_counts, payload):
    draft = make_draft()
    before = row_counts()
    response = client_for(agency_editor).post(reverse("drafts:status", args=[draft.pk]), payload)
    assert response.status_code == 400
    assert row_counts() == before


def test_unknown_transition_is_400_with_a_message(make_draft, agency_editor, row_counts):
    draft = make_draft(discussion=True)
    before = row_counts()
    today = timezone.localdate()
    response = client_for(agency_editor).post(
        reverse("drafts:status", args=[draft.pk]),
        {"action": "open_discussion", "starts_on": today, "ends_on": today + timedelta(days=30)},
    )
    assert response.status_code == 400
    assert re.search(r"cannot move to", response.text)
    assert row_counts() == before


def test_editor_withdraws_with_a_reason(make_draft, agency_editor):
    draft = make_draft(discussion=True)
    response = client_for(agency_editor).post(
        reverse("drafts:status", args=[draft.pk]),
        {"action": "withdraw", "reason": "Qayta ishlashga qaytarildi"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Draft.Status.WITHDRAWN
    assert draft.history.latest().history_change_reason == "Qayta ishlashga qaytarildi"


def test_withdrawing_a_withdrawn_draft_is_400(make_draft, agency_editor):
    draft = make_draft()
    client = client_for(agency_editor)
    url = reverse("drafts:status", args=[draft.pk])
    assert client.post(url, {"action": "withdraw", "reason": "Bir"}).status_code == 302
    response = client.post(url, {"action": "withdraw", "reason": "Ikki"})
    assert response.status_code == 400
    assert "cannot move to" in response.text


def test_status_actions_accept_only_post(make_draft, agency_editor):
    draft = make_draft()
    response = client_for(agency_editor).get(reverse("drafts:status", args=[draft.pk]))
    assert response.status_code == 405


def test_draft_page_queries_do_not_grow_with_comments(
    make_draft, citizen, business, django_assert_max_num_queries
):
    from discussions.services import comment_create

    draft = make_draft(v2=SAMPLE_TEXT_V2, discussion=True)
    client = client_for(citizen)
    with CaptureQueriesContext(connection) as few:
        assert client.get(draft.get_absolute_url()).status_code == 200
    version = draft.versions.get(number=2)
    for n in range(30):
        comment_create(
            draft=draft,
            version=version,
            author=business if n % 2 else citizen,
            body=f"Taklif {n}",
            send_email=False,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(draft.get_absolute_url()).status_code == 200


def test_version_page_of_the_latest_version_does_not_call_it_earlier(make_draft, citizen):
    draft = make_draft(v2=SAMPLE_TEXT_V2, discussion=True)
    response = client_for(citizen).get(reverse("drafts:version", args=[draft.pk, 2]))
    assert "This is an earlier version" not in response.text


def test_word_documents_that_unpack_too_large_are_refused(agency, agency_editor, monkeypatch):
    import docx

    from drafts import docx as drafts_docx

    document = docx.Document()
    document.add_paragraph("1-modda. Maqsad")
    data = io.BytesIO()
    document.save(data)
    monkeypatch.setattr(drafts_docx, "MAX_UNPACKED_BYTES", 1000)
    upload = SimpleUploadedFile("bomb.docx", data.getvalue())
    response = client_for(agency_editor).post(
        reverse("drafts:create"), _create_payload(agency, text="", upload=upload)
    )
    assert response.status_code == 400
    assert "too large" in response.text


def test_editor_writes_are_rate_limited(make_draft, agency_editor, settings):
    from django.core.cache import cache

    cache.clear()
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "write": "1/60"}
    draft = make_draft()
    client = client_for(agency_editor)
    url = reverse("drafts:edit", args=[draft.pk])
    payload = {"title": "A", "kind": "law", "impact_level": "low", "language": "uz", "reason": "r"}
    assert client.post(url, payload).status_code == 302
    response = client.post(url, {**payload, "title": "B"})
    assert response.status_code == 429
    assert "Retry-After" in response.headers


# Dates in every language ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "uz", "en"])
def test_the_open_discussion_dates_are_iso_in_every_language(
    make_draft, agency_editor, language, settings
):
    from django.utils import translation

    from drafts.forms import OpenDiscussionForm

    draft = make_draft()
    initial = {"starts_on": date(2026, 11, 25), "ends_on": date(2026, 12, 9)}
    with translation.override(language):
        html = str(OpenDiscussionForm(initial=initial))
        page = client_for(agency_editor).get(
            draft.get_absolute_url(), headers={"accept-language": language}
        )
    assert 'value="2026-11-25"' in html and 'value="2026-12-09"' in html
    assert f'<html lang="{language}"' in page.text
    today = timezone.localdate().isoformat()
    assert f'name="starts_on" value="{today}"' in page.text
    assert not re.search(r'type="date"[^>]*value="\d\d\.', page.text)


@pytest.mark.parametrize("language", ["ru", "uz"])
def test_posting_iso_dates_opens_the_discussion_in_ru_and_uz(make_draft, agency_editor, language):
    from django.utils import translation

    from drafts.forms import OpenDiscussionForm

    today = timezone.localdate()
    last = today + timedelta(days=14)
    with translation.override(language):
        form = OpenDiscussionForm({"starts_on": today.isoformat(), "ends_on": last.isoformat()})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["ends_on"] == last
    draft = make_draft()
    response = client_for(agency_editor).post(
        reverse("drafts:status", args=[draft.pk]),
        {
            "action": "open_discussion",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=12)).isoformat(),
        },
        headers={"accept-language": language},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Draft.Status.DISCUSSION
