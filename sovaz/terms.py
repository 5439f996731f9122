"""Words several apps use, translated once for the whole site in the project catalog (locale/).

Django merges every catalog into one per language, so a word like "Agency" or "Object" gets
whichever translation comes first: the admin's "Object" made the ballot's objection read
"Объект". The project catalog is read before all others, so its entries decide; this list
keeps `makemessages` from dropping them as unused, and tests/test_i18n.py checks that no other
catalog overrides an app's translation. Nothing imports it.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

TERMS = [
    gettext_noop("Agency"),
    gettext_noop("agency"),
    gettext_noop("Articles"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Changed"),
    gettext_noop("Object"),
    gettext_noop("Search"),
    gettext_noop("Summary"),
    gettext_noop("name"),
    gettext_noop("version"),
    gettext_noop("Version"),
    gettext_noop("revision"),
    gettext_noop("Rejected"),
    gettext_noop("Approved"),
    gettext_noop("Status"),
    gettext_noop("status"),
    gettext_noop("Add"),
    gettext_noop("Change"),
    gettext_noop("Delete"),
    gettext_noop("Remove"),
    gettext_noop("Any"),
    gettext_noop("Edit"),
    gettext_noop("Filter"),
    gettext_noop("Outcome"),
    gettext_noop("updated"),
    gettext_noop("version voted on"),
    gettext_noop("voting round"),
    gettext_noop("Added"),
    gettext_noop("Moved"),
    gettext_noop("Removed"),
    gettext_noop("Voting round closed"),
    gettext_noop("answered by"),
    gettext_noop("changed in version"),
    gettext_noop("comment on"),
    gettext_noop("revision %(n)s"),
    gettext_noop("outcome"),
    gettext_noop("created by"),
    gettext_noop("Comment on"),
    gettext_noop("Your comment"),
    gettext_noop("%(level)s impact"),
    gettext_noop("Answers to comments"),
    gettext_noop("No comments yet."),
    gettext_noop("Page %(n)s of %(total)s"),
    gettext_noop("Sent to parliament"),
    gettext_noop("answered"),
    gettext_noop("comment"),
]

# Month names as they follow a day number in a date: Django's Uzbek catalog capitalises them
# ("25 Noyabr 2026"); Uzbek writes them in lower case, so the project catalog has its own.
MONTHS_ALT = [
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
]
