"""Text out of an uploaded essay file, through the essay engine's readers."""

import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangvu.integrity.readers import UnreadableFile, read
from dangvu.integrity.vietnamese import to_unicode

ACCEPTED = (".docx", ".odt", ".rtf", ".pdf", ".txt", ".doc")
# Formats slow to read for their size, refused past a size no essay reaches: an RTF is read
# character by character (a 15 MB one took 44 s of a member's request); plain text is text.
MAX_BYTES = {".rtf": 5 * 2**20, ".txt": 2 * 2**20}


def extract_text(name: str, data: bytes, field: str = "file") -> str:
    """Unicode NFC text of the file; a ValidationError naming the file and what to do otherwise."""
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED:
        raise ValidationError({field: _("File “%(name)s”: only .docx, .odt, .rtf, .pdf or .txt files are accepted.")
                               % {"name": name}})
    limit = MAX_BYTES.get(suffix)
    if limit is not None and len(data) > limit:
        raise ValidationError({field: _("File “%(name)s” is larger than %(mb)s MB, more than any essay in this "
                                        "format: check that it is the right file, or save it as .docx or .pdf.")
                               % {"name": name, "mb": limit // 2**20}})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("upload" + suffix)
        path.write_bytes(data)
        try:
            text = read(path)
        except UnreadableFile as exc:
            raise ValidationError({field: _("File “%(name)s”: %(error)s") % {"name": name, "error": exc}}) from exc
    return to_unicode(text.original).strip()
