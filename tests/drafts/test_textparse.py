import os
import unicodedata

import pytest
from django.conf import settings

from drafts.textparse import (
    MAX_ARTICLES,
    MAX_CHARS,
    ParseError,
    article_count,
    canonical_text,
    find_node,
    iter_nodes,
    parse_text,
    structure_hash,
)

# ParseError messages go through gettext, which needs settings; under pytest-django they are
# configured already, and without it (-p no:django) plain English is all these tests need.
if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    settings.configure(USE_I18N=False)


def articles(structure: dict) -> list[dict]:
    return [n for n in iter_nodes(structure) if n["type"] == "article"]


def chapters(structure: dict) -> list[dict]:
    return [n for n in structure["body"] if n["type"] == "chapter"]


def texts(article: dict) -> list[str]:
    return [p["text"] for p in article["children"]]


def parse_error(text: str, fmt: str = "text") -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse_text(text, fmt)
    return caught.value


@pytest.mark.parametrize(
    ("line", "num", "heading"),
    [
        ("Chapter 1. General provisions", "1", "General provisions"),
        ("CHAPTER I", "I", ""),
        ("chapter iv.", "iv", ""),
        ("1-bob. Umumiy qoidalar", "1", "Umumiy qoidalar"),
        ("I bob", "I", ""),
        ("II BOB. Yakuniy qoidalar", "II", "Yakuniy qoidalar"),
        ("1-боб. Умумий қоидалар", "1", "Умумий қоидалар"),
        ("Глава 1. Общие положения", "1", "Общие положения"),
        ("ГЛАВА III", "III", ""),
    ],
)
def test_every_chapter_heading_form_is_recognised(line: str, num: str, heading: str) -> None:
    structure = parse_text(f"{line}\nArticle 1. Scope\nText.")
    [chapter] = chapters(structure)
    assert (chapter["num"], chapter["heading"]) == (num, heading)
    assert chapter["eId"] == f"chp_{num.lower()}"
    assert articles(structure)[0]["eId"] == "art_1"


@pytest.mark.parametrize(
    ("line", "num", "heading"),
    [
        ("Article 5. Scope", "5", "Scope"),
        ("ARTICLE 5", "5", ""),
        ("article 5.", "5", ""),
        ("5-modda. Qo'llanilish sohasi", "5", "Qo'llanilish sohasi"),
        ("5 - MODDA", "5", ""),
        ("5-модда. Қўлланиш соҳаси", "5", "Қўлланиш соҳаси"),
        ("Статья 5. Сфера применения", "5", "Сфера применения"),
        ("СТАТЬЯ 5", "5", ""),
    ],
)
def test_every_article_heading_form_is_recognised(line: str, num: str, heading: str) -> None:
    [article] = articles(parse_text(f"{line}\nThe text."))
    assert (article["num"], article["heading"]) == (num, heading)
    assert article["eId"] == article["wId"] == "art_5"
    assert texts(article) == ["The text."]


def test_sentence_citing_an_article_is_not_a_heading() -> None:
    structure = parse_text(
        "Article 1. Scope\nArticle 5 of this Law applies.\n5-moddasida aytilgan."
    )
    assert article_count(structure) == 1
    assert texts(articles(structure)[0]) == [
        "Article 5 of this Law applies.",
        "5-moddasida aytilgan.",
    ]


def test_word_that_looks_roman_is_not_a_chapter_number() -> None:
    structure = parse_text("Chapter civil matters\nArticle 1.\nText.")
    assert chapters(structure) == []
    assert structure["preamble"] == "Chapter civil matters"


def test_text_before_the_first_heading_is_the_preamble() -> None:
    text = "LAW OF THE REPUBLIC\n\nOn e-government.\n\nChapter 1. General\nArticle 1.\nText."
    assert parse_text(text)["preamble"] == "LAW OF THE REPUBLIC\n\nOn e-government."


def test_act_without_chapters_holds_articles_in_the_body() -> None:
    structure = parse_text("Article 1. One\nFirst.\nArticle 2. Two\nSecond.")
    assert [n["type"] for n in structure["body"]] == ["article", "article"]
    assert structure["preamble"] == ""


def test_chapter_title_on_the_next_line_becomes_its_heading() -> None:
    structure = parse_text("CHAPTER I\nGENERAL PROVISIONS\n\nArticle 1.\nText.")
    assert chapters(structure)[0]["heading"] == "GENERAL PROVISIONS"


def test_articles_are_numbered_through_the_act_not_per_chapter() -> None:
    text = "Chapter 1.\nArticle 1.\nA.\nChapter 2.\nArticle 2.\nB.\nArticle 3.\nC."
    structure = parse_text(text)
    assert [a["eId"] for a in articles(structure)] == ["art_1", "art_2", "art_3"]
    assert [len(c["children"]) for c in chapters(structure)] == [1, 2]


@pytest.mark.parametrize("marker", ["1.", "1)", "(1)"])
def test_numbered_paragraph_markers_give_the_number(marker: str) -> None:
    second = marker.replace("1", "2")
    [article] = articles(parse_text(f"Article 1.\n{marker} First.\n{second} Second."))
    assert [(p["num"], p["text"]) for p in article["children"]] == [
        ("1", "First."),
        ("2", "Second."),
    ]
    assert [p["eId"] for p in article["children"]] == ["art_1__para_1", "art_1__para_2"]


def test_plain_text_lines_are_separate_unnumbered_paragraphs() -> None:
    [article] = articles(parse_text("Article 1.\nOne line.\nAnother line.\n\nThird block."))
    assert texts(article) == ["One line.", "Another line.", "Third block."]
    assert [p["num"] for p in article["children"]] == ["", "", ""]
    assert [p["eId"] for p in article["children"]] == [
        "art_1__para_1",
        "art_1__para_2",
        "art_1__para_3",
    ]


def test_article_whose_text_is_one_block_gets_one_unnumbered_paragraph() -> None:
    [article] = articles(parse_text("Article 7. Entry into force\nThis Law enters into force."))
    [paragraph] = article["children"]
    assert (paragraph["num"], paragraph["eId"], paragraph["heading"]) == ("", "art_7__para_1", "")
    assert paragraph["children"] == []


def test_unnumbered_paragraph_never_takes_a_numbered_siblings_eid() -> None:
    [article] = articles(parse_text("Article 1.\nIntro line.\n1. First.\n2. Second."))
    eids = [p["eId"] for p in article["children"]]
    assert eids == ["art_1__para_1_2", "art_1__para_1", "art_1__para_2"]


def test_repeated_paragraph_numbers_get_unique_eids() -> None:
    [article] = articles(
        parse_text("Article 1.\n1. The body shall:\n1) plan;\n2) report.\n2. Done.")
    )
    eids = [p["eId"] for p in article["children"]]
    assert len(set(eids)) == len(eids) == 4


def test_markdown_headings_make_chapters_and_articles() -> None:
    text = "# Chapter 2. General\n\n## Article 5. Scope\n\nBody text.\n\n## Definitions\n\nMore."
    structure = parse_text(text, "markdown")
    [chapter] = chapters(structure)
    assert (chapter["num"], chapter["heading"], chapter["eId"]) == ("2", "General", "chp_2")
    first, second = chapter["children"]
    assert (first["num"], first["heading"], first["eId"]) == ("5", "Scope", "art_5")
    assert (second["num"], second["heading"], second["eId"]) == ("", "Definitions", "art_2")


def test_markdown_joins_continuation_lines_and_splits_on_blank_lines() -> None:
    text = (
        "## Article 1.\n1. First line\ncontinues here.\n2. Second.\n\n"
        "A block\nof two lines.\n\nLast."
    )
    [article] = articles(parse_text(text, "markdown"))
    assert texts(article) == [
        "First line continues here.",
        "Second.",
        "A block of two lines.",
        "Last.",
    ]
    assert [p["num"] for p in article["children"]] == ["1", "2", "", ""]


def test_markdown_deeper_heading_is_ordinary_text() -> None:
    [article] = articles(parse_text("## Article 1.\n### Not a heading", "markdown"))
    assert texts(article) == ["### Not a heading"]


def test_line_endings_and_trailing_spaces_are_normalised() -> None:
    crlf = parse_text("Article 1. Scope  \r\nText.\t \r\rArticle 2.\rMore.")
    assert crlf == parse_text("Article 1. Scope\nText.\n\nArticle 2.\nMore.")


def test_text_is_composed_to_nfc() -> None:
    decomposed = "Article 1.\nCafe\u0301 va o\u0306"
    [article] = articles(parse_text(decomposed))
    assert texts(article) == [unicodedata.normalize("NFC", "Cafe\u0301 va o\u0306")]
    assert texts(article) == ["Café va ŏ"]


def test_uzbek_apostrophes_are_kept_exactly_as_written() -> None:
    variants = "o‘zbek g‘oya o'zbek g'oya oʻzbek gʻoya ma’lumot maʼno"
    [article] = articles(parse_text(f"1-modda. Qo‘llanilish sohasi\n{variants}"))
    assert article["heading"] == "Qo‘llanilish sohasi"
    assert texts(article) == [variants]


def test_lead_sample_parses_into_two_chapters_and_three_articles() -> None:
    text = (
        "Ushbu qonunning maqsadi.\n\n1-bob. Umumiy qoidalar\n\n1-modda. Maqsad\nMatn.\n\n"
        "2-modda. Asosiy tushunchalar\n1. Elektron xizmat — xizmat.\n2. Foydalanuvchi — shaxs.\n\n"
        "2-bob. Yakuniy qoidalar\n\n3-modda. Kuchga kirishi\nUshbu Qonun e’lon qilingan kundan."
    )
    structure = parse_text(text)
    assert [c["eId"] for c in chapters(structure)] == ["chp_1", "chp_2"]
    assert [a["eId"] for a in articles(structure)] == ["art_1", "art_2", "art_3"]
    assert structure["preamble"] == "Ushbu qonunning maqsadi."


def test_fresh_parse_has_wid_equal_to_eid_and_unique_eids() -> None:
    structure = parse_text("Chapter I.\nArticle 1.\n1. A.\n2. B.\nArticle 2.\nC.")
    eids = [n["eId"] for n in iter_nodes(structure)]
    assert len(set(eids)) == len(eids)
    assert all(n["eId"] == n["wId"] for n in iter_nodes(structure))


@pytest.mark.parametrize("text", ["", "   \n\t\n", "\ufeff"])
def test_empty_text_is_rejected(text: str) -> None:
    error = parse_error(text)
    assert error.line is None
    assert "empty" in error.message


def test_text_without_articles_is_rejected() -> None:
    error = parse_error("Chapter 1. General\nSome words but no article.")
    assert "No article" in error.message


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b", "\x1b"])
def test_control_character_is_rejected_with_its_line(char: str) -> None:
    error = parse_error(f"Article 1.\nFine.\r\nBad{char}here.")
    assert error.line == 3
    assert error.message.startswith("Line 3 contains a control character")


def test_tabs_are_allowed() -> None:
    assert texts(articles(parse_text("Article 1.\n\tIndented\ttext."))[0]) == ["Indented\ttext."]


def test_duplicate_article_number_is_rejected_with_its_line() -> None:
    error = parse_error("Article 1.\nA.\nArticle 2.\nB.\n\nArticle 1.\nC.")
    assert error.line == 6
    assert "Line 6: article 1 appears twice" in error.message


def test_duplicate_chapter_number_is_rejected_with_its_line() -> None:
    error = parse_error("Chapter 1.\nArticle 1.\nA.\nChapter 1.\nArticle 2.\nB.")
    assert (error.line, "Line 4" in error.message) == (4, True)


def test_article_without_text_is_rejected_with_its_line() -> None:
    error = parse_error("Article 1.\nA.\nArticle 2. Repealed\n\nArticle 3.\nC.")
    assert error.line == 3
    assert "Line 3: article 2 has no text" in error.message


def test_last_article_without_text_is_rejected() -> None:
    assert parse_error("Article 1.\nA.\nArticle 2.\n\n").line == 3


def test_chapter_after_loose_articles_is_rejected() -> None:
    error = parse_error("Article 1.\nA.\nChapter 1.\nArticle 2.\nB.")
    assert error.line == 3
    assert "Line 3" in error.message


def test_text_longer_than_the_limit_is_rejected() -> None:
    error = parse_error("Article 1.\n" + "x" * MAX_CHARS)
    assert error.line is None
    assert "longer than" in error.message


def test_more_articles_than_the_limit_is_rejected() -> None:
    text = "".join(f"Article {n}.\nT.\n" for n in range(1, MAX_ARTICLES + 2))
    error = parse_error(text)
    assert error.line == 2 * MAX_ARTICLES + 1
    assert "more than 20,000 articles" in error.message


def test_unknown_format_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="Unknown format"):
        parse_text("Article 1.\nA.", "docx")


def test_parse_error_is_a_value_error() -> None:
    assert issubclass(ParseError, ValueError)


def test_canonical_text_renders_headings_and_labelled_paragraphs() -> None:
    structure = parse_text("Preamble.\n\n1-bob. Umumiy\n5-modda. Soha\n1) Bir.\n2) Ikki.\nUch.")
    assert canonical_text(structure) == (
        "Preamble.\n\nChapter 1. Umumiy\nArticle 5. Soha\n1. Bir.\n2. Ikki.\nUch.\n"
    )


def test_canonical_text_of_a_numbered_act_parses_back_to_the_same_structure() -> None:
    structure = parse_text("Intro.\n\nCHAPTER II\nTitle\nСтатья 3. Сфера\n(1) Один.\nДва.")
    assert parse_text(canonical_text(structure)) == structure


def test_hash_is_stable_and_ignores_layout_but_not_wording() -> None:
    one = parse_text("Article 1. Scope\r\nText.   \r\n")
    two = parse_text("\n\nArticle 1.   Scope\n\nText.")
    assert structure_hash(one) == structure_hash(two)
    assert structure_hash(one) == structure_hash(parse_text("Article 1. Scope\nText."))
    assert len(structure_hash(one)) == 64
    assert structure_hash(one) != structure_hash(parse_text("Article 1. Scope\nText!"))


def test_hash_ignores_wids() -> None:
    structure = parse_text("Article 1.\nText.")
    renamed = {**structure, "body": [{**structure["body"][0], "wId": "art_99"}]}
    assert structure_hash(renamed) == structure_hash(structure)


def test_iter_nodes_walks_in_document_order() -> None:
    structure = parse_text("Chapter 1.\nArticle 1.\n1. A.\n2. B.\nChapter 2.\nArticle 2.\nC.")
    assert [n["eId"] for n in iter_nodes(structure)] == [
        "chp_1",
        "art_1",
        "art_1__para_1",
        "art_1__para_2",
        "chp_2",
        "art_2",
        "art_2__para_1",
    ]


def test_find_node_looks_up_by_wid() -> None:
    structure = parse_text("Article 1.\n1. A.\n2. B.")
    assert find_node(structure, "art_1__para_2")["text"] == "B."
    assert find_node(structure, "art_9") is None


def test_article_count_counts_articles_in_every_chapter() -> None:
    text = "".join(f"Chapter {c}.\nArticle {c}0.\nA.\nArticle {c}1.\nB.\n" for c in range(1, 4))
    assert article_count(parse_text(text)) == 6
