from django.apps import AppConfig


class SovazConfig(AppConfig):
    """The project itself: shared template tags, demo data and the `run_all` command."""

    name = "sovaz"
    verbose_name = "SOVAZ"
