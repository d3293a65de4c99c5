"""Vietnamese text helpers: accent-insensitive search keys and name collation.

Plain Python, no Django: the essay engine and the web app share it.
"""

import re
import unicodedata

# Vietnamese alphabet order, with f j w z for foreign names.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Combining tone marks, in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a distinct letter (ă â ê ô ơ ư); đ is its own code point.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
# Keys use only [0-9a-z] so byte order and every database collation agree.
_KEY_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz"
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case, accents and tones removed, đ → d, spaces collapsed.

    "Nguyễn Văn An", "nguyen van an" and the NFD form all fold to "nguyen van an";
    "hoà" and "hòa" both fold to "hoa".
    """
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("đ", "d")
    return _SPACES.sub(" ", stripped).strip()


def _letters_and_tone(syllable: str) -> tuple[str, int]:
    """Split a syllable into its base letters (keeping ă â ê ô ơ ư) and its tone."""
    tone = 0
    letters = []
    for ch in unicodedata.normalize("NFD", syllable.lower()):
        if ch in _TONES:
            tone = _TONES[ch]
        elif ch in _LETTER_MARKS:
            if letters:
                letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
        elif not unicodedata.combining(ch):
            letters.append(ch)
    return "".join(letters), tone


def _primary(word: str) -> str:
    letters, _tone = _letters_and_tone(word)
    out = []
    for ch in letters:
        idx = _ALPHABET.find(ch)
        if idx >= 0:
            out.append(_KEY_CHARS[idx + 2])
        elif ch.isdigit():
            out.append("1")
    return "".join(out) + "0"  # "0" ends the word so "An" sorts before "Anh"


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) of a Vietnamese full name: "Nguyễn Thị Minh Khai"."""
    parts = _SPACES.sub(" ", nfc(full_name)).strip().split(" ")
    if len(parts) == 1:
        return "", "", parts[0]
    return parts[0], " ".join(parts[1:-1]), parts[-1]


def name_sort_key(full_name: str) -> str:
    """Collation key: given name, then family name, then middle names, tones last.

    "Nguyễn Văn An" < "Lê Văn Bình" < "Trần Thị Bình": given names first; on a tie
    ("Bình") the family name decides.
    """
    family, middle, given = split_name(full_name)
    words = [given, family, *middle.split()]
    primary = "".join(_primary(w) for w in words if w)
    tones = "".join(str(_letters_and_tone(w)[1]) for w in words if w)
    return (primary + "z" + tones)[:250]


def search_key(text: str) -> str:
    """Folded text with a leading space, so " word" matches at the start of a word."""
    return " " + fold(nfc(text))
