"""Akoma Ntoso 3.0 documents of a bundle (see /work/shared/akn/README.md). Pure: no database.

Every function takes the bundle dict of eparliament.bundle_json (already cleaned of characters
XML cannot carry) and returns UTF-8 XML bytes. `validate()` checks a document against the
OASIS schema and that every `#id` pointer resolves; nothing leaves SOVAZ without passing it.
"""

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from lxml import etree

from eparliament.bundle_json import clean_text

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
SV_NS = "https://sovaz.uz/ns/akn/1.0"
COUNTRY = "uz"
LANG3 = {"uz": "uzb", "ru": "rus", "en": "eng"}
TAGS = {"chapter": "chapter", "article": "article", "paragraph": "paragraph"}
_SLUG = re.compile(r"[^a-z0-9]+")
_REF_ATTRS = "//@by|//@as|//@refersTo|//@source|//@choice|//@outcome|//@href"

WORKFLOW_EVENTS = {
    "submitted": ("evSubmitted", "Submitted", None),
    "discussion_opened": ("evDiscussion", "Public discussion", "opened"),
    "discussion_closed": ("evDiscussion", "Public discussion", "closed"),
    "voting_opened": ("evAgencyVoting", "Agency voting", "opened"),
    "voting_closed": ("evAgencyVoting", "Agency voting", "closed"),
}
CHOICES = {
    "approve": "Approve",
    "approve_remarks": "Approve with remarks",
    "object": "Object",
    "abstain": "Abstain",
}
OUTCOMES = {
    "approved": "Approved",
    "rejected": "Rejected",
    "no_quorum": "No quorum",
    "accepted": "Accepted",
    "partly": "Partly accepted",
    "noted": "Noted",
    "unanswered": "Not answered",
    "opened": "Opened",
    "closed": "Closed",
}


# ---------------------------------------------------------------- schema and validation


# The official OASIS schema (CC-BY 4.0) ships with the app so that every clone can validate;
# AKN_XSD points elsewhere to try another copy.
BUNDLED_XSD = Path(__file__).resolve().parent / "schemas" / "akn" / "akomantoso30.xsd"


def xsd_path() -> Path:
    return Path(getattr(settings, "AKN_XSD", None) or os.environ.get("AKN_XSD") or BUNDLED_XSD)


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    """The compiled OASIS schema, once per process (compiling takes a few tenths of a second)."""
    return etree.XMLSchema(etree.parse(str(xsd_path()), parser=safe_parser()))


def safe_parser() -> etree.XMLParser:
    """A parser that resolves no entities and never touches the network (XXE-safe)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def validate(xml: bytes) -> list[str]:
    """What makes `xml` unfit to send (schema errors, dangling `#id` pointers); [] if nothing."""
    try:
        doc = etree.fromstring(xml, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed: {exc}"]
    try:
        xsd = schema()
    except (OSError, etree.XMLSchemaParseError) as exc:
        return [f"the Akoma Ntoso schema cannot be loaded from {xsd_path()}: {exc}"]
    problems = []
    if not xsd.validate(doc):
        problems = [f"line {e.line}: {e.message}" for e in xsd.error_log]
    ids = set(doc.xpath("//@eId"))
    refs = {r[1:] for a in doc.xpath(_REF_ATTRS) for r in a.split() if r.startswith("#")}
    problems += [f"dangling reference #{ref}" for ref in sorted(refs - ids)]
    return problems


# ---------------------------------------------------------------- IRIs and helpers


def _slug(value: str) -> str:
    return _SLUG.sub("-", value.lower()).strip("-") or "x"


def work_iri(bundle: dict[str, Any], kind: str = "bill", suffix: str = "") -> str:
    draft = bundle["draft"]
    return f"/akn/{COUNTRY}/{kind}/{draft['submitted_on']}/{_slug(draft['number'])}{suffix}"


def expression_iri(bundle: dict[str, Any]) -> str:
    return f"{work_iri(bundle)}/{_lang(bundle)}@{bundle['version']['date']}"


def _lang(bundle: dict[str, Any]) -> str:
    return LANG3.get(bundle["draft"]["language"], "und")


def _agency_eid(code: str) -> str:
    return "ag_" + _SLUG.sub("_", code.lower())


def _date(iso: str) -> str:
    return iso[:10]


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str):
    child = etree.SubElement(parent, f"{{{NS}}}{tag}", {k: clean_text(v) for k, v in attrs.items()})
    if text:
        child.text = clean_text(text)
    return child


def _paras(parent: etree._Element, text: str) -> None:
    """One <p> per non-empty line of `text`, at least one."""
    lines = [line for line in text.splitlines() if line.strip()] or [""]
    for line in lines:
        _el(parent, "p", line)


def _root(name: str, tag: str = "doc") -> tuple[etree._Element, etree._Element]:
    root = etree.Element(f"{{{NS}}}akomaNtoso", nsmap={None: NS, "sv": SV_NS})
    doc = _el(root, tag, name=name)
    return root, doc


def _identification(
    meta: etree._Element,
    bundle: dict[str, Any],
    *,
    work: str,
    work_date: str,
    expression: str,
    expression_date: str,
    date_name: str,
    author: str,
    version_number: int | None = None,
) -> None:
    ident = _el(meta, "identification", source="#portal")
    w = _el(ident, "FRBRWork")
    _el(w, "FRBRthis", value=f"{work}/!main")
    _el(w, "FRBRuri", value=work)
    _el(w, "FRBRdate", date=work_date, name=date_name)
    _el(w, "FRBRauthor", href=author)
    _el(w, "FRBRcountry", value=COUNTRY)
    e = _el(ident, "FRBRExpression")
    _el(e, "FRBRthis", value=f"{expression}/!main")
    _el(e, "FRBRuri", value=expression)
    _el(e, "FRBRdate", date=expression_date, name="version")
    _el(e, "FRBRauthor", href=author)
    if version_number is not None:
        _el(e, "FRBRversionNumber", value=str(version_number))
    _el(e, "FRBRlanguage", language=_lang(bundle))
    m = _el(ident, "FRBRManifestation")
    _el(m, "FRBRthis", value=f"{expression}/!main.xml")
    _el(m, "FRBRuri", value=f"{expression}.akn")
    _el(m, "FRBRdate", date=_date(bundle["generated_at"]), name="exported")
    _el(m, "FRBRauthor", href="#portal")


def _references(meta: etree._Element, bundle: dict[str, Any], extra=()) -> etree._Element:
    refs = _el(meta, "references", source="#portal")
    for tag, eid, href, show in extra:
        _el(refs, tag, eId=eid, href=href, showAs=show)
    _el(refs, "TLCOrganization", eId="portal", href="/ontology/organization/sovaz", showAs="SOVAZ")
    agencies = {bundle["draft"]["agency"]["code"]: bundle["draft"]["agency"]}
    for vote in (bundle.get("round") or {}).get("votes", []):
        agencies.setdefault(vote["agency"]["code"], vote["agency"])
    lang = bundle["draft"]["language"]
    for code, agency in sorted(agencies.items()):
        _el(
            refs,
            "TLCOrganization",
            eId=_agency_eid(code),
            href=f"/ontology/organization/{_slug(code)}",
            showAs=agency.get(f"name_{lang}") or agency["name_uz"],
        )
    return refs


def _concept(refs: etree._Element, key: str, label: str) -> None:
    _el(refs, "TLCConcept", eId=key, href=f"/ontology/concept/{key}", showAs=label)


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# ---------------------------------------------------------------- the bill


def _node(parent: etree._Element, node: dict[str, Any]) -> None:
    el = _el(parent, TAGS[node["type"]], eId=node["eId"], wId=node["wId"])
    if node.get("num"):
        _el(el, "num", node["num"])
    if node.get("heading"):
        _el(el, "heading", node["heading"])
    children = node.get("children") or []
    if children:
        if node.get("text"):
            _paras(_el(el, "intro"), node["text"])
        for child in children:
            _node(el, child)
    else:
        _paras(_el(el, "content"), node.get("text", ""))


def bill(bundle: dict[str, Any]) -> bytes:
    """The voted version as a `bill`: FRBR, lifecycle, workflow, preface and body."""
    draft, version = bundle["draft"], bundle["version"]
    author = "#" + _agency_eid(draft["agency"]["code"])
    root, doc = _root("draft" + draft["kind"].capitalize(), tag="bill")
    doc.set("contains", "originalVersion" if version["number"] == 1 else "singleVersion")
    meta = _el(doc, "meta")
    _identification(
        meta,
        bundle,
        work=work_iri(bundle),
        work_date=draft["submitted_on"],
        expression=expression_iri(bundle),
        expression_date=version["date"],
        date_name="submitted",
        author=author,
        version_number=version["number"],
    )
    lifecycle = _el(meta, "lifecycle", source="#portal")
    _el(
        lifecycle,
        "eventRef",
        eId="eref_1",
        date=draft["submitted_on"],
        source="#original",
        type="generation",
        refersTo="#evSubmitted",
    )
    extra = [("original", "original", f"{work_iri(bundle)}/{_lang(bundle)}@", "Version 1")]
    if version["number"] > 1:
        _el(
            lifecycle,
            "eventRef",
            eId="eref_2",
            date=version["date"],
            source="#voted_version",
            type="amendment",
            refersTo="#evRevised",
        )
        extra.append(
            ("passiveRef", "voted_version", expression_iri(bundle), f"Version {version['number']}")
        )
    workflow = _el(meta, "workflow", source="#portal") if bundle["workflow"] else None
    events: dict[str, str] = {"evSubmitted": "Submitted", "evRevised": "Revised"}
    concepts: dict[str, str] = {}
    for i, step in enumerate(bundle["workflow"], start=1):
        event, label, outcome = WORKFLOW_EVENTS[step["event"]]
        events[event] = label
        by = "#" + _agency_eid(step["by"]) if step["by"] != "portal" else "#portal"
        attrs = {"eId": f"step_{i}", "date": step["at"], "by": by, "refersTo": f"#{event}"}
        if outcome:
            attrs["outcome"] = f"#{outcome}"
            concepts[outcome] = OUTCOMES[outcome]
        _el(workflow, "step", **attrs)  # type: ignore[arg-type]
    refs = _references(meta, bundle, extra)
    for eid, label in events.items():
        _el(refs, "TLCEvent", eId=eid, href=f"/ontology/event/{eid[2:].lower()}", showAs=label)
    for key, label in concepts.items():
        _concept(refs, key, label)
    proprietary = _el(meta, "proprietary", source="#portal")
    etree.SubElement(
        proprietary,
        f"{{{SV_NS}}}draft",
        id=str(draft["id"]),
        status=draft["status"],
        textHash=version["text_hash"],
        publicComments=str(bundle["comments"]["public_count"]),
    )
    preface = _el(doc, "preface")
    _el(_el(preface, "longTitle"), "p").append(_inline("docTitle", draft["title"]))
    p = _el(preface, "p")
    p.append(_inline("docNumber", draft["number"]))
    p.append(
        _inline(
            "docProponent",
            draft["agency"].get("name_" + draft["language"]) or draft["agency"]["name_uz"],
            refersTo=author,
        )
    )
    p.append(_inline("docDate", version["date"], date=version["date"]))
    p.append(_inline("docStage", draft["status"]))
    structure = version["structure"]
    if structure.get("preamble"):
        _paras(_el(doc, "preamble"), structure["preamble"])
    body = _el(doc, "body")
    for node in structure["body"]:
        _node(body, node)
    return _serialise(root)


def _inline(tag: str, text: str, **attrs: str) -> etree._Element:
    el = etree.Element(f"{{{NS}}}{tag}", {k: clean_text(v) for k, v in attrs.items()})
    el.text = clean_text(text)
    el.tail = " "
    return el


# ---------------------------------------------------------------- documents of the round


def _doc_meta(doc, bundle: dict[str, Any], suffix: str, date_name: str, date: str):
    meta = _el(doc, "meta")
    work = work_iri(bundle, "doc", suffix)
    expression = f"{work}/{_lang(bundle)}@{date}"
    _identification(
        meta,
        bundle,
        work=work,
        work_date=date,
        expression=expression,
        expression_date=date,
        date_name=date_name,
        author="#portal",
    )
    return meta


def voting_result(bundle: dict[str, Any]) -> bytes:
    """`doc name="votingResult"`: counts in the parliamentary analysis, one row per agency."""
    rnd = bundle["round"]
    closed = _date(rnd["closed_at"])
    root, doc = _root("votingResult")
    meta = _doc_meta(doc, bundle, f"-vote-{rnd['id']}", "votingClosed", closed)
    voting = _el(
        _el(_el(meta, "analysis", source="#portal"), "parliamentary"),
        "voting",
        eId="vot_1",
        href=expression_iri(bundle),
        outcome=f"#{rnd['outcome']}",
    )
    _el(voting, "quorum", eId="vot_1__quorum", value=str(rnd["eligible"]), refersTo="#eligible")
    for key, value in rnd["counts"].items():
        _el(voting, "count", eId=f"vot_1__{key}", value=str(value), refersTo=f"#{key}")
    _el(voting, "count", eId="vot_1__turnout", value=str(rnd["turnout"]), refersTo="#turnout")
    refs = _references(meta, bundle)
    for key, label in CHOICES.items():
        _concept(refs, key, label)
    _concept(refs, rnd["outcome"], OUTCOMES.get(rnd["outcome"], rnd["outcome"]))
    _concept(refs, "eligible", "Invited agencies")
    _concept(refs, "turnout", "Agencies that voted")
    main = _el(doc, "mainBody")
    _paras(main, f"Rule: {rnd['rule']}. Outcome: {OUTCOMES.get(rnd['outcome'], rnd['outcome'])}.")
    table = _el(main, "table", eId="table_1")
    _header(table, ["Agency", "Vote", "Remarks"])
    lang, expression = bundle["draft"]["language"], expression_iri(bundle)
    for vote in rnd["votes"]:
        agency, eid = vote["agency"], "#" + _agency_eid(vote["agency"]["code"])
        tr = _el(table, "tr")
        _el(
            _el(_el(tr, "td"), "p"),
            "organization",
            agency.get(f"name_{lang}") or agency["name_uz"],
            refersTo=eid,
        )
        _el(
            _el(_el(tr, "td"), "p"),
            "vote",
            CHOICES[vote["choice"]],
            by=eid,
            choice=f"#{vote['choice']}",
        )
        remarks = _el(tr, "td")
        _paras(remarks, vote["remarks"])
        if vote["article_wids"]:
            p = _el(remarks, "p")
            for wid in vote["article_wids"]:
                _el(p, "ref", wid, href=f"{expression}/~{wid}").tail = " "
    return _serialise(root)


def _header(table, labels: list[str]) -> None:
    tr = _el(table, "tr")
    for label in labels:
        _el(_el(tr, "th"), "p", label)


def disposition_table(bundle: dict[str, Any]) -> bytes:
    """`doc name="dispositionTable"`: every public comment with the agency's answer."""
    date = _date(bundle["generated_at"])
    root, doc = _root("dispositionTable")
    meta = _doc_meta(doc, bundle, "-dispositions", "exported", date)
    refs = _references(meta, bundle)
    _concept(refs, "portal_users", "Public commenters")
    main = _el(doc, "mainBody")
    rows = bundle["dispositions"]
    if not rows:
        _el(main, "p", "No public comments.")
        return _serialise(root)
    table = _el(main, "table", eId="table_1")
    _header(table, ["Comment", "Provision", "Author", "Text", "Outcome", "Reasoning"])
    expression = expression_iri(bundle)
    for row in rows:
        tr = _el(table, "tr")
        _el(_el(tr, "td"), "p", str(row["comment_id"]))
        provision = _el(_el(tr, "td"), "p")
        if row["anchor_wid"]:
            _el(provision, "ref", row["anchor_wid"], href=f"{expression}/~{row['anchor_wid']}")
        else:
            provision.text = row["anchor_kind"]
        _el(_el(tr, "td"), "p", row["author_kind"])
        _paras(_el(tr, "td"), row["text"])
        _el(_el(tr, "td"), "p", OUTCOMES.get(row["outcome"], row["outcome"]))
        _paras(_el(tr, "td"), row["reasoning"])
    return _serialise(root)


def impact_summary(bundle: dict[str, Any]) -> bytes:
    """`doc name="impactAssessment"`: totals and the cost of each obligation."""
    impact = bundle["impact"]
    date = _date(bundle["generated_at"])
    root, doc = _root("impactAssessment")
    meta = _doc_meta(doc, bundle, "-impact", "exported", date)
    _references(meta, bundle)
    main = _el(doc, "mainBody")
    currency = impact.get("currency", "UZS")
    _el(main, "p", f"Impact level: {impact.get('impact_level', '')}.")
    _el(main, "p", f"Annual cost: {impact.get('annual_total', '')} {currency}.")
    _el(
        main,
        "p",
        f"Net present value over {impact.get('years', '')} years at "
        f"{impact.get('discount_rate', '')}: {impact.get('npv', '')} {currency}.",
    )
    obligations = impact.get("obligations") or []
    if obligations:
        table = _el(main, "table", eId="table_1")
        _header(table, ["Obligation", "Group", "Population", "Annual cost"])
        for row in obligations:
            tr = _el(table, "tr")
            for value in (row["name"], row["group"], str(row["population"]), row["annual_cost"]):
                _el(_el(tr, "td"), "p", str(value))
    return _serialise(root)


def documents(bundle: dict[str, Any]) -> dict[str, bytes]:
    """Every document of the bundle, by name (the names are part of the published format)."""
    result = {"bill": bill(bundle)}
    if bundle.get("round"):
        result["votingResult"] = voting_result(bundle)
    result["dispositionTable"] = disposition_table(bundle)
    if bundle.get("impact"):
        result["impactAssessment"] = impact_summary(bundle)
    return result
