from decimal import Decimal

import pytest

from impact.calculator import ObligationInput


@pytest.fixture(autouse=True)
def _assessment_required(settings):
    """The impact tests enforce the rule the shared fixture switches off for other apps."""
    settings.IMPACT_ASSESSMENT_REQUIRED = True
    # Personas sign in by force_login; a fast hasher keeps the many fixtures cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def obligation_input(**fields) -> ObligationInput:
    values = {
        "name": "Annual report to the tax authority",
        "group": "business",
        "tariff": Decimal("50000"),
        "time": Decimal("2"),
        "population": 1000,
        "frequency": Decimal("4"),
        "external": Decimal("10000"),
    }
    values.update(fields)
    return ObligationInput(**values)


LOW_ANSWERS = {
    "problem": "Citizens queue for paper certificates.",
    "objectives": "All certificates online by 2027.",
    "legal_basis": "Law on e-government, article 12.",
}
MEDIUM_ANSWERS = {
    **LOW_ANSWERS,
    "options": "Do nothing; voluntary portal; mandatory portal (chosen).",
    "costs_benefits": "Saves 2 hours per certificate; costs 3 bn UZS to build.",
    "affected": "All citizens who need certificates; small notaries lose fee income.",
}
ALL_ANSWERS = {
    **MEDIUM_ANSWERS,
    "government_level": "National: the registry is national.",
    "clarity": "Plain-language guide published with the act.",
    "consultation": "Two public hearings and an online survey (1,200 answers).",
    "compliance": "The ministry reports quarterly on portal uptake.",
}


@pytest.fixture
def obligation():
    """Build an information obligation: 50,000 UZS/h x 2 h + 10,000 UZS, 1,000 firms, 4 a year."""
    return obligation_input


@pytest.fixture
def answers():
    return {"low": LOW_ANSWERS, "medium": MEDIUM_ANSWERS, "high": ALL_ANSWERS}
