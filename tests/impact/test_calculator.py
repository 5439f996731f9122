"""The Standard Cost Model against cases computed by hand."""

from decimal import Decimal

import pytest

from impact import calculator
from impact.calculator import CalculatorError, npv, obligation_cost, summarise, to_decimal


def test_cost_counts_external_on_every_occurrence(obligation):
    # (50,000 UZS/h x 2 h + 10,000 UZS) x 1,000 businesses x 4 times a year
    cost = obligation_cost(obligation())
    assert cost.per_occurrence == Decimal("110000.00")
    assert cost.annual == Decimal("440000000.00")


def test_cost_with_half_hour_and_no_external(obligation):
    # 20,000 UZS/h x 0.5 h x 200,000 citizens x once a year
    cost = obligation_cost(
        obligation(group="citizen", tariff=Decimal("20000"), time=Decimal("0.5"),
                   population=200_000, frequency=Decimal("1"), external=Decimal("0"))
    )  # fmt: skip
    assert cost.annual == Decimal("2000000000.00")


def test_cost_with_an_obligation_every_five_years(obligation):
    # (30,000 x 10 + 500,000) x 50 x 0.2 = 800,000 x 10 = 8,000,000
    cost = obligation_cost(
        obligation(tariff=Decimal("30000"), time=Decimal("10"), population=50,
                   frequency=Decimal("0.2"), external=Decimal("500000"))
    )  # fmt: skip
    assert cost.annual == Decimal("8000000.00")


def test_cost_at_the_largest_inputs_is_exact(obligation):
    # (10^7 x 10^4 + 10^12) x 10^8 x 8,760 = 1.1 x 10^12 x 8.76 x 10^11 = 963,600,000,000 x 10^12
    cost = obligation_cost(
        obligation(tariff=calculator.MAX_TARIFF, time=calculator.MAX_TIME,
                   population=calculator.MAX_POPULATION, frequency=calculator.MAX_FREQUENCY,
                   external=calculator.MAX_EXTERNAL)
    )  # fmt: skip
    assert cost.annual == Decimal("963600000000000000000000.00")


def test_npv_discounts_from_the_end_of_year_one():
    # 1,000,000 x (1/1.1 + 1/1.21 + 1/1.331) = 909,090.909 + 826,446.281 + 751,314.801
    assert npv(Decimal("1000000"), Decimal("10"), 3) == Decimal("2486851.99")


def test_npv_of_one_year_is_one_discounted_year():
    # 1,100 / 1.1 = 1,000: year 0 is not counted, so even one year is discounted once.
    assert npv(Decimal("1100"), Decimal("10"), 1) == Decimal("1000.00")


def test_npv_at_zero_rate_is_years_times_annual():
    assert npv(Decimal("123.45"), Decimal("0"), 7) == Decimal("864.15")


def test_npv_at_a_fractional_rate():
    # 2,000,000 / 1.075 + 2,000,000 / 1.075^2 = 1,860,465.116 + 1,730,665.224 = 3,591,130.34
    assert npv(Decimal("2000000"), Decimal("7.5"), 2) == Decimal("3591130.34")


def test_summary_totals_each_group_and_the_npv(obligation):
    summary = summarise(
        [
            obligation(),  # business: 440,000,000
            obligation(group="business", tariff=Decimal("10000"), time=Decimal("1"),
                       population=10, frequency=Decimal("1"), external=Decimal("0")),  # 100,000
            obligation(group="citizen", tariff=Decimal("20000"), time=Decimal("0.5"),
                       population=100, frequency=Decimal("2"), external=Decimal("500")),
        ],  # citizen: (10,000 + 500) x 100 x 2 = 2,100,000
        rate=Decimal("10"),
        years=2,
    )  # fmt: skip
    assert summary.by_group == {
        "business": Decimal("440100000.00"),
        "citizen": Decimal("2100000.00"),
        "public": Decimal("0.00"),
    }
    assert summary.annual_total == Decimal("442200000.00")
    # 442,200,000 / 1.1 + 442,200,000 / 1.21 = 402,000,000 + 365,454,545.45
    assert summary.npv == Decimal("767454545.45")


def test_summary_of_no_obligations_is_zero():
    summary = summarise([], rate=Decimal("5"), years=10)
    assert summary.annual_total == Decimal("0.00")
    assert summary.npv == Decimal("0.00")


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"tariff": Decimal("-1")}, "tariff", "negative"),
        ({"tariff": Decimal("10000000.01")}, "tariff", "too_large"),
        ({"time": Decimal("-0.5")}, "time", "negative"),
        ({"time": Decimal("10001")}, "time", "too_large"),
        ({"population": -3}, "population", "negative"),
        ({"population": 100_000_001}, "population", "too_large"),
        ({"frequency": Decimal("8761")}, "frequency", "too_large"),
        ({"frequency": Decimal("-1")}, "frequency", "negative"),
        ({"external": Decimal("-100")}, "external", "negative"),
        ({"name": "   "}, "name", "required"),
        ({"group": "aliens"}, "group", "bad_group"),
    ],
)
def test_bad_obligation_inputs_are_refused_with_the_field_named(fields, field, code, obligation):
    with pytest.raises(CalculatorError) as info:
        obligation_cost(obligation(**fields))
    assert (info.value.field, info.value.code) == (field, code)
    assert info.value.message


@pytest.mark.parametrize(
    ("rate", "years", "field"),
    [("-0.01", 5, "rate"), ("100.01", 5, "rate"), ("5", 0, "years"), ("5", 101, "years")],
)
def test_bad_discounting_is_refused(rate, years, field):
    with pytest.raises(CalculatorError) as info:
        npv(Decimal(100), Decimal(rate), years)
    assert info.value.field == field


def test_the_limits_themselves_are_allowed():
    assert npv(Decimal(100), Decimal("100"), 100) > 0
    assert npv(Decimal(100), Decimal("0"), 1) == Decimal("100.00")


@pytest.mark.parametrize("text", ["abc", "", "NaN", "Infinity", "1e", "--1"])
def test_text_that_is_not_a_number_is_refused(text):
    with pytest.raises(CalculatorError) as info:
        to_decimal(text, "tariff")
    assert info.value.code == "not_a_number"


def test_numbers_are_read_with_a_comma_or_spaces():
    assert to_decimal("1 234,50", "tariff") == Decimal("1234.50")


def test_floats_are_refused_because_they_are_not_exact():
    with pytest.raises(TypeError):
        to_decimal(0.1, "tariff")
