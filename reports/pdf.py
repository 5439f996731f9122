"""The report as a PDF: the same HTML as the page, laid out by WeasyPrint with the print CSS.

WeasyPrint fetches only SOVAZ's own static files (stylesheets) from disk; every other URL in
the document (links, images elsewhere) is refused, so rendering a report never makes a network
request, whatever text the draft or its comments contain.
"""

import mimetypes
import os
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://sovaz.invalid/"  # a base no one can reach; only /static/ paths resolve


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        static = settings.STATIC_URL
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(static):
            raise ValueError(f"not fetched while rendering a PDF: {url}")
        relative = unquote(parts.path[len(static) :])
        if ".." in relative.split("/"):
            raise ValueError(f"not a static file: {url}")
        path = finders.find(relative) or _collected(relative)
        if not path:
            raise ValueError(f"no such static file: {url}")
        with open(path, "rb") as handle:
            body = handle.read()
        mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})


def _collected(relative: str) -> str | None:
    """A file collected into STATIC_ROOT, such as a hashed name from the manifest storage."""
    try:
        path = staticfiles_storage.path(relative)
    except (NotImplementedError, SuspiciousFileOperation):
        return None
    return path if os.path.isfile(path) else None


def html_to_pdf(html: str) -> bytes:
    """Lay out `html` (a whole page) for print and return the PDF's bytes."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf()
