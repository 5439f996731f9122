from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EparliamentConfig(AppConfig):
    name = "eparliament"
    verbose_name = _("E-parliament export")
