"""Text out of an uploaded essay file, through the essay engine's readers."""

import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangvu.integrity.readers import UnreadableFile, read
from dangvu.integrity.vietnamese import to_unicode

ACCEPTED = (".docx", ".odt", ".rtf", ".pdf", ".txt", ".doc")


def extract_text(name: str, data: bytes, field: str = "file") -> str:
    """Unicode NFC text of the file; a ValidationError naming the file and what to do otherwise."""
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED:
        raise ValidationError({field: _("File “%(name)s”: only .docx, .odt, .rtf, .pdf or .txt files are accepted.")
                               % {"name": name}})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("upload" + suffix)
        path.write_bytes(data)
        try:
            text = read(path)
        except UnreadableFile as exc:
            raise ValidationError({field: _("File “%(name)s”: %(error)s") % {"name": name, "error": exc}}) from exc
    return to_unicode(text.original).strip()
