"""Read the text of an uploaded Word document (.docx) for drafts/textparse.py."""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A legal code of 2,000 articles is about 3 MB of document XML; anything far larger is a
# compressed bomb, which we refuse before python-docx inflates it.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024


def docx_to_text(data: bytes) -> str:
    """Return the document's non-empty paragraphs, one per line (plain-text format).

    Raises ValidationError(code="bad_docx") for anything that is not a readable .docx.
    """
    import docx  # python-docx; imported here so that the rest of SOVAZ starts without it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise ValidationError(_("The Word document is too large."), code="bad_docx")
        document = docx.Document(io.BytesIO(data))
    except ValidationError:
        raise
    except Exception:  # python-docx raises many kinds for broken files; all mean "unreadable"
        raise ValidationError(
            _("The file could not be read as a Word document (.docx)."), code="bad_docx"
        ) from None
    lines = [paragraph.text.strip() for paragraph in document.paragraphs]
    return "\n".join(line for line in lines if line) + "\n"
