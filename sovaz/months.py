"""Month names as they follow a day number in a date, for the project's translation catalog.

Django's Uzbek catalog capitalises them ("25 Noyabr 2026"); Uzbek writes them in lower case.
The project catalog (locale/) is read before Django's, so its "alt. month" entries win; listing
the names here keeps `makemessages` from dropping those entries as unused. Nothing imports this.
"""

from django.utils.translation import pgettext_lazy

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
