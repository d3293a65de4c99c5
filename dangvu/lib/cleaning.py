"""Text a person typed: control characters are refused, naming the field.

A control character (other than tab and line breaks) is never meant: it comes
from a paste or an attack, and it breaks exports and XML. Forms, API schemas and
the import all call `control_character_error`.
"""

import re

from django.utils.translation import gettext as _

# C0 and C1 controls (a member named "\x96" came from a cp1252 dash pasted as Latin-1), DEL,
# and the non-characters
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def control_character_error(value: str, label: str) -> str | None:
    """The Vietnamese message for a text holding a control character, or None."""
    match = CONTROL.search(value)
    if match is None:
        return None
    return _("“%(field)s” holds a control character (code %(code)s) that cannot be stored; "
             "type the text again without it.") % {"field": label, "code": f"U+{ord(match.group()):04X}"}
