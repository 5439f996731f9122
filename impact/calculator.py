"""The Standard Cost Model, as pure functions over `Decimal`s (no database, no I/O).

One information obligation costs, per year::

    cost = (tariff * time + external) * population * frequency

`tariff` is the hourly cost of the people who comply (UZS/hour), `time` the hours one
occurrence takes, `external` the out-of-pocket cost of one occurrence (fees, postage, an
auditor; UZS), `population` how many businesses, citizens or public bodies must comply and
`frequency` how many times a year each of them must. This is the SCM convention: external costs
are paid on every occurrence, so they scale with population and frequency exactly as the time
does. (Read literally, the issue's "tariff * time * population * frequency + external" would
add a single lump sum; we chose the per-occurrence reading and say so on the calculator page.)

The net present value of N years of a constant annual cost at discount rate r is::

    NPV = Σ_{t=1..N} annual / (1 + r)^t

Year 0 is not included: the first cost falls due at the end of the first year after the act
enters into force. Money is rounded to whole tiyin (0.01 UZS), half up, only at the end.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Sane upper bounds; anything above is a typing mistake, not a real burden.
MAX_TARIFF = Decimal("10000000")  # UZS per hour
MAX_TIME = Decimal("10000")  # hours per occurrence
MAX_POPULATION = 100_000_000
MAX_FREQUENCY = Decimal(365 * 24)  # occurrences per year: at most hourly
MAX_EXTERNAL = Decimal("1000000000000")  # UZS per occurrence
MAX_RATE = Decimal("100")  # percent
MAX_YEARS = 100

GROUPS = ("business", "citizen", "public")
CENT = Decimal("0.01")
# Wide enough that the largest allowed inputs (about 10^26 UZS) are computed exactly.
_CONTEXT = Context(prec=60)


class CalculatorError(ValueError):
    """A bad input: `field` names it, `code` is stable, `message` is for people."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class ObligationInput:
    name: str
    group: str
    tariff: Decimal
    time: Decimal
    population: int
    frequency: Decimal
    external: Decimal = Decimal(0)
    key: str = ""
    group_label: str = ""


@dataclass(frozen=True, slots=True)
class ObligationCost:
    obligation: ObligationInput
    per_occurrence: Decimal  # tariff * time + external
    annual: Decimal


@dataclass(frozen=True, slots=True)
class Summary:
    rows: tuple[ObligationCost, ...]
    annual_total: Decimal
    by_group: dict[str, Decimal]  # every group in GROUPS, zero when none
    rate: Decimal  # percent
    years: int
    npv: Decimal


def to_decimal(value: object, field: str) -> Decimal:
    """Parse a number given as text, int or Decimal (never float: it is not exact)."""
    if isinstance(value, float):
        raise TypeError("pass numbers as str or Decimal, not float")
    try:
        number = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        raise CalculatorError(field, "not_a_number", _("Enter a number.")) from None
    if not number.is_finite():
        raise CalculatorError(field, "not_a_number", _("Enter a number."))
    return number


def _check_range(field: str, value: Decimal, high: Decimal, label: str) -> None:
    if value < 0:
        raise CalculatorError(
            field, "negative", _("%(label)s cannot be negative.") % {"label": label}
        )
    if value > high:
        raise CalculatorError(
            field,
            "too_large",
            _("%(label)s cannot be more than %(max)s.")
            % {"label": label, "max": number_format(high, force_grouping=True)},
        )


def validate_obligation(obligation: ObligationInput) -> None:
    """Raise CalculatorError for the first bad input of one obligation."""
    if not obligation.name.strip():
        raise CalculatorError("name", "required", _("Name the obligation."))
    if obligation.group not in GROUPS:
        raise CalculatorError("group", "bad_group", _("Choose who is affected."))
    _check_range("tariff", obligation.tariff, MAX_TARIFF, _("The tariff (UZS per hour)"))
    _check_range("time", obligation.time, MAX_TIME, _("The time (hours)"))
    _check_range(
        "population", Decimal(obligation.population), Decimal(MAX_POPULATION), _("The population")
    )
    if obligation.population != int(obligation.population):
        raise CalculatorError("population", "not_whole", _("The population is a whole number."))
    _check_range("frequency", obligation.frequency, MAX_FREQUENCY, _("The frequency per year"))
    _check_range(
        "external", obligation.external, MAX_EXTERNAL, _("The external cost (UZS per occurrence)")
    )


def validate_discounting(rate: Decimal, years: int) -> None:
    """Raise CalculatorError unless 0 ≤ rate ≤ 100 (percent) and 1 ≤ years ≤ 100."""
    _check_range("rate", rate, MAX_RATE, _("The discount rate (%)"))
    if years != int(years) or not 1 <= years <= MAX_YEARS:
        raise CalculatorError(
            "years",
            "years_range",
            _("The number of years must be a whole number from 1 to %(max)s.") % {"max": MAX_YEARS},
        )


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def obligation_cost(obligation: ObligationInput) -> ObligationCost:
    """The annual cost of one obligation: (tariff * time + external) * population * frequency."""
    validate_obligation(obligation)
    with localcontext(_CONTEXT):
        per_occurrence = obligation.tariff * obligation.time + obligation.external
        annual = per_occurrence * obligation.population * obligation.frequency
    return ObligationCost(obligation, money(per_occurrence), money(annual))


def npv(annual: Decimal, rate: Decimal, years: int) -> Decimal:
    """Σ_{t=1..years} annual / (1 + rate/100)^t, rounded to tiyin. Year 0 is not included."""
    validate_discounting(rate, years)
    with localcontext(_CONTEXT):
        factor = 1 + rate / 100
        total = sum((annual / factor**t for t in range(1, years + 1)), Decimal(0))
    return money(total)


def summarise(obligations: Iterable[ObligationInput], *, rate: Decimal, years: int) -> Summary:
    """Costs per obligation, the annual total, totals per affected group and the NPV."""
    rows = tuple(obligation_cost(o) for o in obligations)
    by_group: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        by_group[row.obligation.group] += row.annual
    total = sum((row.annual for row in rows), Decimal(0))
    return Summary(
        rows=rows,
        annual_total=money(total),
        by_group={group: money(by_group[group]) for group in GROUPS},
        rate=rate,
        years=years,
        npv=npv(total, rate, years),
    )
