from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("Users need an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in by e-mail; site-wide roles are flags, agency roles are memberships."""

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        BUSINESS = "business", _("Business")
        OFFICIAL = "official", _("Public official")

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=Kind.choices,
        default=Kind.CITIZEN,
        help_text=_("Shown with comments and used in the statistics of reports."),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("For businesses and officials: the organisation they speak for."),
    )
    is_moderator = models.BooleanField(
        _("moderator"), default=False, help_text=_("Reviews reported comments and blocks users.")
    )
    is_secretariat = models.BooleanField(
        _("secretariat"), default=False, help_text=_("Opens and closes agency voting rounds.")
    )
    is_legislator = models.BooleanField(
        _("legislator"), default=False, help_text=_("Reads the reports on drafts.")
    )
    is_blocked = models.BooleanField(
        _("blocked"), default=False, help_text=_("Blocked by a moderator: may read, not post.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("May log in to the administration site.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Logins are case-insensitive, so two spellings of one address are one account.
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Agency(models.Model):
    """A state body: drafts laws (its editors) and votes on others' drafts (its voters)."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        COMMITTEE = "committee", _("State committee")
        AGENCY = "agency", _("Agency")
        REGIONAL = "regional", _("Regional administration")
        OTHER = "other", _("Other body")

    code = models.SlugField(
        _("code"), max_length=32, unique=True, help_text=_("Short code, e.g. 'minjust'.")
    )
    name_uz = models.CharField(_("name (Uzbek)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.MINISTRY)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, falling back to Uzbek."""
        lang = (get_language() or "uz")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_uz


class Membership(models.Model):
    """A person's role within one agency."""

    class Role(models.TextChoices):
        EDITOR = "editor", _("Editor (prepares drafts)")
        VOTER = "voter", _("Voter (votes for the agency)")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("agency")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="accounts_membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.agency.code} ({self.get_role_display()})"
