"""The regulatory impact assessment of a draft, kept as an immutable history of revisions.

Why our own revision rows rather than simple-history: an assessment is a checklist *and* a set
of information obligations, and a revision must capture both together, tied to the version of
the text it assessed. simple-history would version each row separately and leave "the
assessment as it stood for version 2" to be reassembled by timestamps. Here every save writes
one `AssessmentRevision` with its own copies of the obligations; nothing is ever updated.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drafts.models import Draft, Version
from impact import calculator


class Assessment(models.Model):
    """The assessment of one draft: the row locked while a new revision is written."""

    draft = models.OneToOneField(
        Draft, on_delete=models.CASCADE, related_name="assessment", verbose_name=_("draft")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_obligation = models.PositiveIntegerField(
        _("next obligation number"),
        default=1,
        help_text=_("Gives each new obligation a key that stays the same in later revisions."),
    )

    class Meta:
        verbose_name = _("impact assessment")
        verbose_name_plural = _("impact assessments")

    def __str__(self) -> str:
        return str(_("Impact assessment of %(draft)s") % {"draft": self.draft.number})

    def get_absolute_url(self) -> str:
        return reverse("impact:detail", args=[self.draft_id])


# The OECD regulatory checklist, in order: (field, label, guiding question).
CHECKLIST = (
    ("problem", _("The problem"), _("What problem does the act solve, and why now?")),
    ("objectives", _("The objectives"), _("What should the act achieve, and how is it measured?")),
    (
        "options",
        _("Options considered"),
        _("Which alternatives were weighed, including not regulating at all?"),
    ),
    ("legal_basis", _("Legal basis"), _("Which law empowers the agency to adopt this act?")),
    (
        "government_level",
        _("Level of government"),
        _("Why is this the right level of government to act?"),
    ),
    ("costs_benefits", _("Costs and benefits"), _("Do the benefits justify the costs?")),
    (
        "affected",
        _("Who is affected"),
        _("Who is affected, and how are the effects distributed across society?"),
    ),
    (
        "clarity",
        _("Clarity for those who comply"),
        _("Is the act clear, consistent and accessible to those who must comply?"),
    ),
    ("consultation", _("Consultation"), _("Who was consulted, how, and with what result?")),
    (
        "compliance",
        _("Compliance and monitoring"),
        _("How will compliance be achieved, enforced and monitored?"),
    ),
)
CHECKLIST_FIELDS = tuple(name for name, _label, _question in CHECKLIST)


def _checklist_field(name: str) -> models.TextField:
    label, question = next((lbl, q) for n, lbl, q in CHECKLIST if n == name)
    return models.TextField(label, blank=True, max_length=20_000, help_text=question)


class AssessmentRevision(models.Model):
    """One immutable state of an assessment: the checklist, the discounting and obligations."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("assessment"),
    )
    number = models.PositiveIntegerField(_("revision number"))
    version = models.ForeignKey(
        Version,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version of the text"),
        help_text=_("The latest version of the draft's text when this revision was saved."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)
    reason = models.CharField(_("reason for the change"), max_length=1000)

    problem = _checklist_field("problem")
    objectives = _checklist_field("objectives")
    options = _checklist_field("options")
    legal_basis = _checklist_field("legal_basis")
    government_level = _checklist_field("government_level")
    costs_benefits = _checklist_field("costs_benefits")
    affected = _checklist_field("affected")
    clarity = _checklist_field("clarity")
    consultation = _checklist_field("consultation")
    compliance = _checklist_field("compliance")

    discount_rate = models.DecimalField(
        _("discount rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(0), MaxValueValidator(calculator.MAX_RATE)],
        help_text=_("Yearly rate for the net present value of the costs, in percent."),
    )
    years = models.PositiveSmallIntegerField(
        _("years"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(calculator.MAX_YEARS)],
        help_text=_("Over how many years the net present value is computed."),
    )

    class Meta:
        verbose_name = _("assessment revision")
        verbose_name_plural = _("assessment revisions")
        ordering = ["assessment", "-number"]
        get_latest_by = "number"
        constraints = [
            # Also the index for "the latest revision of this assessment".
            models.UniqueConstraint(
                fields=["assessment", "number"], name="impact_revision_unique_number"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="impact_revision_number_gte_1"),
            models.CheckConstraint(
                condition=Q(discount_rate__gte=0) & Q(discount_rate__lte=100),
                name="impact_revision_rate_range",
            ),
            models.CheckConstraint(
                condition=Q(years__gte=1) & Q(years__lte=100), name="impact_revision_years_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment.draft.number} r{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("impact:revision", args=[self.assessment.draft_id, self.number])


class Obligation(models.Model):
    """An information obligation of the Standard Cost Model, as it stood in one revision."""

    class Group(models.TextChoices):
        BUSINESS = "business", _("Businesses")
        CITIZEN = "citizen", _("Citizens")
        PUBLIC = "public", _("Public bodies")

    revision = models.ForeignKey(
        AssessmentRevision,
        on_delete=models.CASCADE,
        related_name="obligations",
        verbose_name=_("revision"),
    )
    key = models.CharField(
        _("key"),
        max_length=16,
        help_text=_("Stable across revisions, e.g. 'obl-3'; comments are anchored to it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=300)
    group = models.CharField(_("affected group"), max_length=10, choices=Group.choices)
    group_label = models.CharField(
        _("who exactly"),
        max_length=200,
        blank=True,
        help_text=_("E.g. 'small retailers' or 'parents of school children'."),
    )
    tariff = models.DecimalField(
        _("tariff (UZS per hour)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(calculator.MAX_TARIFF)],
        help_text=_("The hourly cost of the people who do the work."),
    )
    time = models.DecimalField(
        _("time (hours)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(calculator.MAX_TIME)],
        help_text=_("Hours one occurrence takes."),
    )
    population = models.PositiveBigIntegerField(
        _("population"),
        validators=[MaxValueValidator(calculator.MAX_POPULATION)],
        help_text=_("How many businesses, citizens or bodies must comply."),
    )
    frequency = models.DecimalField(
        _("frequency per year"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(calculator.MAX_FREQUENCY)],
        help_text=_("How many times a year each of them must comply (0.2 = every five years)."),
    )
    external = models.DecimalField(
        _("external cost (UZS per occurrence)"),
        max_digits=15,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(calculator.MAX_EXTERNAL)],
        help_text=_("Out-of-pocket cost of one occurrence: fees, postage, outside services."),
    )

    class Meta:
        verbose_name = _("information obligation")
        verbose_name_plural = _("information obligations")
        ordering = ["revision", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "key"], name="impact_obligation_unique_key"
            ),
            models.CheckConstraint(
                condition=Q(tariff__gte=0)
                & Q(time__gte=0)
                & Q(frequency__gte=0)
                & Q(external__gte=0),
                name="impact_obligation_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(group__in=["business", "citizen", "public"]),
                name="impact_obligation_group_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.name}"

    def as_input(self) -> calculator.ObligationInput:
        return calculator.ObligationInput(
            name=self.name,
            group=self.group,
            tariff=self.tariff,
            time=self.time,
            population=self.population,
            frequency=self.frequency,
            external=self.external,
            key=self.key,
            group_label=self.group_label,
        )
