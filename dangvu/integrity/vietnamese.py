"""Vietnamese text for matching: legacy fonts, Unicode forms, tone placement.

Tokens are found in the original text, so every token keeps its character span
in the original; each raw token is then normalised on its own (and cached):
legacy TCVN3 or VNI converted, NFC, lower case, one tone-placement convention.
"""

import re
import unicodedata
from functools import lru_cache
from itertools import islice

import numpy as np

# --- legacy encodings -----------------------------------------------------------

# TCVN3 (ABC, ".VnTime"): one byte per letter. Caps fonts (.VnTimeH) reuse the
# lower-case codes for capitals; matching folds case anyway.
_TCVN3_PAIRS = (
    "àµ á¸ ả¶ ã· ạ¹ ă¨ ằ» ắ¾ ẳ¼ ẵ½ ặÆ â© ầÇ ấÊ ẩÈ ẫÉ ậË đ® èÌ éÐ ẻÎ ẽÏ ẹÑ êª ềÒ ếÕ ểÓ ễÔ ệÖ "
    "ì× íÝ ỉØ ĩÜ ịÞ òß óã ỏá õâ ọä ô« ồå ốè ổæ ỗç ộé ơ¬ ờê ớí ởë ỡì ợî ùï úó ủñ ũò ụô "
    "ư\u00ad ừõ ứø ửö ữ÷ ựù ỳú ýý ỷû ỹü ỵþ Ă¡ Â¢ Ê£ Ô¤ Ơ¥ Ư¦ Đ§"
)
# Capitals with tones: the bytes TCVN 5712:1993 VN1 gives them (glibc's TCVN5712-1 writes these),
# none of which the lower-case letters above use; TCVN3 fonts leave them empty.
_TCVN3_CAPITALS = {
    "À": 0x80, "Ả": 0x81, "Ã": 0x82, "Á": 0x83, "Ạ": 0x84, "Ặ": 0x85, "Ậ": 0x86, "È": 0x87, "Ẻ": 0x88,
    "Ẽ": 0x89, "É": 0x8A, "Ẹ": 0x8B, "Ệ": 0x8C, "Ì": 0x8D, "Ỉ": 0x8E, "Ĩ": 0x8F, "Í": 0x90, "Ị": 0x91,
    "Ò": 0x92, "Ỏ": 0x93, "Õ": 0x94, "Ó": 0x95, "Ọ": 0x96, "Ộ": 0x97, "Ờ": 0x98, "Ở": 0x99, "Ỡ": 0x9A,
    "Ớ": 0x9B, "Ợ": 0x9C, "Ù": 0x9D, "Ủ": 0x9E, "Ũ": 0x9F, "Ú": 0x01, "Ụ": 0x02, "Ừ": 0x04, "Ử": 0x05,
    "Ữ": 0x06, "Ứ": 0x11, "Ự": 0x12, "Ỳ": 0x13, "Ỷ": 0x14, "Ỹ": 0x15, "Ý": 0x16, "Ỵ": 0x17, "Ằ": 0xAF,
    "Ẳ": 0xBA, "Ẵ": 0xBF, "Ắ": 0xC0, "Ầ": 0xC1, "Ẩ": 0xC2, "Ẫ": 0xC3, "Ấ": 0xC4, "Ề": 0xC5, "Ể": 0xCD,
    "Ễ": 0xD9, "Ế": 0xDA, "Ồ": 0xDB, "Ổ": 0xE0, "Ỗ": 0xF0, "Ố": 0xFF,
}
TCVN3_TO_UNICODE = {pair[1]: pair[0] for pair in _TCVN3_PAIRS.split()}
TCVN3_TO_UNICODE.update({chr(code): letter for letter, code in _TCVN3_CAPITALS.items()})
_TCVN3_TABLE = str.maketrans(TCVN3_TO_UNICODE)
# Symbols only TCVN3 text uses: neither Vietnamese Unicode letters nor VNI modifiers.
TCVN3_ONLY = _TCVN3_ONLY = frozenset("µ¸¶·¹¨»¾¼½©®ª«¬\u00ad¡¢£¤¥¦§×÷ÞßþÐÜ")

# VNI: a base letter followed by a modifier byte, or a single byte for a few letters.
_VNI_MODS = {  # modifier → (tone mark, quality mark)
    "ù": ("\u0301", ""), "ø": ("\u0300", ""), "û": ("\u0309", ""), "õ": ("\u0303", ""), "ï": ("\u0323", ""),
    "â": ("", "\u0302"), "á": ("\u0301", "\u0302"), "à": ("\u0300", "\u0302"), "å": ("\u0309", "\u0302"),
    "ã": ("\u0303", "\u0302"), "ä": ("\u0323", "\u0302"),
    "ê": ("", "\u0306"), "é": ("\u0301", "\u0306"), "è": ("\u0300", "\u0306"), "ú": ("\u0309", "\u0306"),
    "ü": ("\u0303", "\u0306"), "ë": ("\u0323", "\u0306"),
}
_VNI_MODS.update({k.upper(): v for k, v in list(_VNI_MODS.items())})
_VNI_SINGLE = {"ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "í": "í", "ì": "ì", "æ": "ỉ",
               "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ"}
_VNI_QUALITY_OK = {"\u0302": set("aeoAEO"), "\u0306": set("aA")}
# One pass over the text: a base letter with its modifier, or a letter that is one byte.
# (Two passes would convert twice: the "ô" made from "oâ" would then become "ơ".)
_VNI_TOKEN = re.compile("([aeouyAEOUYôöÔÖ])([" + "".join(_VNI_MODS) + "])|([" + "".join(_VNI_SINGLE) + "])")


def _vni_token(m: re.Match) -> str:
    if m.group(3):
        return _VNI_SINGLE[m.group(3)]
    base, mod = m.group(1), m.group(2)
    tone, quality = _VNI_MODS[mod]
    base = _VNI_SINGLE.get(base, base)  # ô → ơ, ö → ư before a tone
    if quality and base not in _VNI_QUALITY_OK[quality]:
        return _VNI_SINGLE.get(m.group(1), m.group(1)) + _VNI_SINGLE.get(mod, mod)
    return unicodedata.normalize("NFC", base + quality + tone)


def vni_to_unicode(text: str) -> str:
    return _VNI_TOKEN.sub(_vni_token, text)


_TCVN3_CODES = np.arange(256, dtype=np.uint32)  # every TCVN3 code lies below U+0100
for _code, _letter in TCVN3_TO_UNICODE.items():
    _TCVN3_CODES[ord(_code)] = ord(_letter)


def tcvn3_to_unicode(text: str) -> str:
    if len(text) < 256:
        return text.translate(_TCVN3_TABLE)
    # str.translate looks each character up in a dict; a table of code points is
    # ten times faster on a whole essay
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()
    low = points < 256
    points[low] = _TCVN3_CODES[points[low]]
    return points.tobytes().decode("utf-32-le")


# Letters that only Unicode Vietnamese has: beyond Latin-1, or combining marks (and ƣ, which
# Word 2007/2010's PDFs give for ư).
_UNICODE_VIET = re.compile(r"[\u0102\u0103\u0110\u0111\u01a0-\u01a3\u01af\u01b0\u1ea0-\u1ef9\u0300-\u0323]")
_TCVN3_ONLY_RE = re.compile("[" + re.escape("".join(sorted(_TCVN3_ONLY))) + "]")
# Latin-1 letters that are no Vietnamese letter: VNI's modifiers (right after a vowel: "Ñaûng",
# "cuûa") and single-byte letters (ñ đ, ö ư), TCVN3's codes for ệ ẹ ủ ử ặ ổ ẻ ợ ầ ỗ ("hiÖn").
VNI_ONLY = frozenset("øûïåäëüØÛÏÅÄËÜ" "ÆÇÎÑÖæçîñö")
_VNI_HINT = re.compile(r"[aeiouyAEIOUYôöÔÖ][" + "".join(sorted(VNI_ONLY)) + "]")
# With TCVN3_ONLY, the characters that make a line worth weighing as legacy text; a text with
# none of them is Unicode throughout (shingles.py's fast path relies on exactly this).
_MARK_RE = re.compile("[" + re.escape("".join(sorted(_TCVN3_ONLY | VNI_ONLY))) + "]")
_LATIN1_LETTER = re.compile("[\u00c0-\u00ff]")


def detect_encoding(text: str) -> str:
    """'unicode', 'tcvn3' or 'vni' for one line of text on its own (line_readings weighs a line
    with the rest of its text).

    Real Unicode Vietnamese always has letters outside Latin-1 (ă đ ơ ư ạ ế …) within a few
    words, so a line full of á ê ô but also ư or ạ stays Unicode; a line with a legacy mark
    is legacy only if converting it makes more of its words Vietnamese syllables, and at
    least half of them.
    """
    reading = _line_reading(text)
    return reading if reading in ("tcvn3", "vni") else "unicode"


def _line_reading(line: str) -> str:
    """'unicode', 'tcvn3', 'vni', 'mixed' (Unicode words and TCVN3 words, as PowerPoint's
    PDFs have them) or 'maybe' (Latin-1 letters that read better converted, or a legacy mark
    with too little evidence: legacy if the rest of the text is)."""
    marked = _MARK_RE.search(line)
    if _UNICODE_VIET.search(line):
        return "mixed" if marked and _tcvn3_words_in_unicode(line) >= 2 else "unicode"
    if not marked:
        return "maybe" if _LATIN1_LETTER.search(line) else "unicode"
    words = _evidence_words(line)
    before, tcvn3, vni = _evidence(words)
    if tcvn3 == vni:
        encoding, after = _by_marks(line), tcvn3
    else:
        encoding, after = ("tcvn3", tcvn3) if tcvn3 > vni else ("vni", vni)
    if after > before and 2 * after >= len(words):
        return encoding
    return "maybe"


def _by_marks(line: str) -> str:
    """The old rule, for a tie: TCVN3's own symbols against VNI's modifiers after a vowel."""
    vni = len(_VNI_HINT.findall(line))
    tcvn = sum(1 for _ in islice(_TCVN3_ONLY_RE.finditer(line), max(vni, 1)))
    return "tcvn3" if tcvn >= vni else "vni"


_EVIDENCE_WORD = re.compile("[^\\s\\-\ufffe]+")
EVIDENCE_WORDS = 40  # a line's first forty such words decide as well as all of a long paragraph's


def _evidence_words(text: str) -> list[str]:
    """The words that can tell encodings apart: those with a letter and a character beyond ASCII
    (an ASCII word reads the same in every one), punctuation stripped; the first EVIDENCE_WORDS."""
    words = (m.group().strip(_PUNCTUATION) for m in _EVIDENCE_WORD.finditer(text))
    found = (w for w in words if w and not w.isascii() and any(c.isalpha() for c in w))
    return list(islice(found, EVIDENCE_WORDS))


def _evidence(words: list[str]) -> tuple[int, int, int]:
    """How many of the evidence words read as Vietnamese syllables as they stand, read as TCVN3,
    and read as VNI."""
    before = tcvn3 = vni = 0
    for word in words:
        a, b, c = _word_readings(word)
        before, tcvn3, vni = before + a, tcvn3 + b, vni + c
    return before, tcvn3, vni


@lru_cache(maxsize=100_000)
def _word_readings(word: str) -> tuple[bool, bool, bool]:
    return (_reads_as_syllable(word), _reads_as_syllable(tcvn3_to_unicode(word)),
            _reads_as_syllable(unicodedata.normalize("NFC", vni_to_unicode(word))))


def _reads_as_syllable(word: str) -> bool:
    """One Vietnamese syllable as written: letters only, no capital after a small letter (TCVN3
    writes the small ể as Ó: "thÓ"), at most one tone, a possible syllable."""
    capital_inside = not word.isupper() and any(c.isupper() for c in word[1:])
    if not word.isalpha() or capital_inside:
        return False
    return len(_TONE_RE.findall(unicodedata.normalize("NFD", word))) <= 1 and _is_syllable(word)


def _tcvn3_words_in_unicode(line: str) -> int:
    """How many words of a Unicode line with TCVN3 symbols are TCVN3 words: Vietnamese syllables
    once converted, not as they stand ("Một số to¸n tö ph¶i ®ưîc ®Þnh nghÜa")."""
    return sum(1 for m in _WORD_LEGACY.finditer(line) if _TCVN3_ONLY_RE.search(m.group())
               and _mixed_word(m.group()) is not m.group())


@lru_cache(maxsize=100_000)
def _mixed_word(raw: str) -> str:
    """A word of a line mixing Unicode and TCVN3 words, converted if it is TCVN3: a syllable
    once converted, and not as it stands. The same object when it stays."""
    converted = tcvn3_to_unicode(raw)
    if converted != raw and not _reads_as_syllable(raw) and _reads_as_syllable(converted):
        return converted
    return raw


def line_readings(text: str) -> list[tuple[int, int, str]]:
    """(start, end, reading) of each line: 'unicode', 'tcvn3', 'vni' or 'mixed'.

    A line is judged by evidence, the share of its words that are Vietnamese syllables as it
    stands and converted; a line with too little evidence of its own (a short VNI line with
    none of VNI's telltale characters, "Caâu 6"; a TCVN3 heading of Latin-1 letters only,
    "KiÓu gâ TELEX") is converted if the text's other lines are legacy and converting makes
    more of its words syllables. A text without a single legacy mark is Unicode throughout.
    """
    bounds = _line_bounds(text)
    if not _MARK_RE.search(text):
        return [(start, end, "unicode") for start, end in bounds]
    readings = [_line_reading(text[start:end]) for start, end in bounds]
    votes = {"tcvn3": readings.count("tcvn3"), "vni": readings.count("vni")}
    prior = max(votes, key=votes.__getitem__) if any(votes.values()) else None
    out = []
    for (start, end), reading in zip(bounds, readings, strict=True):
        if reading == "maybe":
            reading = prior if prior and _converts_better(text[start:end], prior) else "unicode"
        out.append((start, end, reading))
    return out


def _converts_better(line: str, encoding: str) -> bool:
    before, tcvn3, vni = _evidence(_evidence_words(line))
    return (tcvn3 if encoding == "tcvn3" else vni) > before


# --- which decoding of 8-bit bytes reads as Vietnamese ----------------------------------

# A syllable without its tone: initial consonant, vowel cluster, final consonant. Clusters
# ending in a glide take no final; some take one always (tiên, muốn, được, ăn, boong).
_INITIAL = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_FINAL = "(?:ng|[cmnpt])"
_PALATAL_FINAL = "(?:ch|nh)"  # only after a, ê, i, oa, uê, uy: "anh", "ếch", "huynh", never "ươch"
_OPEN = "ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu iêu oai oao oay oeo uây uôi ươi ươu yêu uyu uya uơ"
_CLOSED = "iê yê uô ươ uyê oo ôô uâ oă ă â"
_EITHER = "a e ê i o ô ơ u ư y oa oe uê uy"


def _alternation(words: str) -> str:
    return "(?:" + "|".join(sorted(words.split(), key=len, reverse=True)) + ")"


_SYLLABLE = re.compile(f"{_INITIAL}(?:{_alternation(_OPEN)}|{_alternation(_CLOSED)}{_FINAL}"
                       f"|{_alternation('oa uê uy a ê i')}{_PALATAL_FINAL}|{_alternation(_EITHER)}{_FINAL}?)")
_TONE_RE = re.compile("[\u0300\u0301\u0303\u0309\u0323]")


def syllable_share(text: str) -> tuple[float, int]:
    """(share of the words with a non-ASCII letter that are Vietnamese syllables, how many such
    words): a text decoded with the wrong table is full of impossible syllables."""
    words = [w.strip(_PUNCTUATION) for w in unicodedata.normalize("NFC", text).lower().split()]
    words = [w for w in words if w and not w.isascii()]  # ASCII words read the same in every decoding
    if not words:
        return 0.0, 0
    valid = sum(1 for w in words if w.isalpha() and _SYLLABLE.fullmatch(
        unicodedata.normalize("NFC", _TONE_RE.sub("", unicodedata.normalize("NFD", w)))))
    return valid / len(words), len(words)


_PUNCTUATION = ".,;:!?\"'()[]{}…–—-“”‘’/"


def decode_8bit(data: bytes) -> tuple[str, str]:
    """(text, encoding) for bytes that are not UTF-8: Windows-1258, or TCVN3 or VNI saved as
    8-bit text, told apart by which decoding reads as Vietnamese syllables (Windows-1258 when
    none does better)."""
    latin = data.decode("latin-1")
    candidates = [("cp1258", unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))),
                  ("tcvn3", tcvn3_to_unicode(latin)), ("vni", unicodedata.normalize("NFC", vni_to_unicode(latin)))]
    best, best_share = candidates[0], syllable_share(candidates[0][1])[0]
    for name, text in candidates[1:]:
        share = syllable_share(text)[0]
        if share > best_share + 0.05:
            best, best_share = (name, text), share
    return best[1], best[0]


def _is_syllable(word: str) -> bool:
    return bool(_SYLLABLE.fullmatch(unicodedata.normalize("NFC", _TONE_RE.sub("", unicodedata.normalize(
        "NFD", word.lower())))))


_VOWEL_LETTERS = "".join(sorted({c for c in (chr(i) for i in range(0xC0, 0x1EFA))
                                   if unicodedata.normalize("NFD", c)[0].lower() in "aeiouy"} | set("aeiouyAEIOUY")))
_NO_VOWEL = f"[^\\W\\d_{_VOWEL_LETTERS}]+"  # a word with no vowel: never a whole Vietnamese syllable
_NO_VOWEL_WORD = re.compile(f"(?<!\\w){_NO_VOWEL}(?!\\w)")
_WORD_BEFORE = re.compile(r"(\w+) $")
_WORD_AFTER = re.compile(r" (\w+)")


def join_split_syllables(text: str) -> str:
    """A syllable a PDF split in two where bold or italic changed inside it ("d ự", "ch ức",
    "chứ c") joined back: a word without a vowel and its neighbour, when together they make
    one syllable (abbreviations such as "TW" or "HĐND" make none and stay) and nothing says
    they are two words (_joins)."""
    out, done = [], 0  # text[:done] is settled in out
    for m in _NO_VOWEL_WORD.finditer(text):
        if m.start() < done:
            continue  # already joined to the word before it
        word = m.group()
        after = _WORD_AFTER.match(text, m.end())
        if after and not after.group(1).isdigit() and _joins(word, after.group(1), after.group(1)):
            out.append(text[done:m.start()] + word + after.group(1))
            done = after.end()
            continue
        before = _WORD_BEFORE.search(text, max(done, m.start() - 40), m.start())
        if before and not before.group(1).isdigit() and _joins(before.group(1), word, before.group(1)):
            out.append(text[done:before.start()] + before.group(1) + word)
            done = m.end()
    out.append(text[done:])
    return "".join(out)


def _joins(first: str, second: str, voiced: str) -> bool:
    """Whether two words (`voiced` the one with the vowel) are one syllable split apart: together
    a syllable, no capital after a small letter (a symbol font's bullet drawn as "n" before "An
    HTML file"), and, where the joined word is plain ASCII, the voiced piece no syllable of its
    own: an English word or a formula's letter after a bullet or a variable ("n it", "t on") is
    one already, while a split Vietnamese syllable keeps a mark ("d ự", "ch ức")."""
    joined = first + second
    if not _is_syllable(joined) or (first[-1].islower() and second[0].isupper()):
        return False
    return not joined.isascii() or not _is_syllable(voiced)


# A word with a Vietnamese vowel, then consonants, then a vowel: two syllables run together
# ("thiếtbị", "đượcsử"), since a syllable's vowels stand together (qu-, gi- included). (Starting
# from the Vietnamese vowel only: four times faster than also from any vowel, 25 µs a page.)
_VIET_VOWELS = "".join(c for c in _VOWEL_LETTERS if not c.isascii())
_CONSONANTS = "bcdfghjklmnpqrstvwxzđBCDFGHJKLMNPQRSTVWXZĐ"
_RUN_TOGETHER = re.compile(f"[{_VIET_VOWELS}][{_CONSONANTS}]+[{_VOWEL_LETTERS}]")
# a line end before a word starting with a small vowel ("bi⏎ểu"); a line of one to three letters
# ("ni⏎ệ⏎m"). Both start with the line end, which the search finds fast.
_BREAK_BEFORE_VOWEL = re.compile(f"\\n([{_VOWEL_LETTERS.lower()}][^\\W\\d_]*)")
_LETTERS_ALONE = re.compile("\\n([^\\W\\d_]{1,3})\r?\n")
_LAST_WORD = re.compile("([^\\W\\d_]+)\r?$")


def looks_run_together_or_split(text: str) -> bool:
    """Whether a PDF page's text (as PDFium reads it) may hold words run together, where the
    producer drew no space glyph and left gaps PDFium does not take for spaces, or a syllable
    broken by a line end PDFium put inside it (Acrobat Distiller: "Khái ni⏎ệm", "Trướch⏎ết"):
    only then is the page read again from the letters' positions. Ordinary text has neither."""
    if _RUN_TOGETHER.search(text):
        return True
    if any(m.group(1).islower() for m in _LETTERS_ALONE.finditer(text)):
        return True
    for m in _BREAK_BEFORE_VOWEL.finditer(text):
        before = _LAST_WORD.search(text, max(0, m.start() - 12), m.start())
        if before and _one_syllable_across(before.group(1), m.group(1)):
            return True
    return False


def _one_syllable_across(before: str, after: str) -> bool:
    """Whether the letters before a line end and those after it are one syllable: the whole word
    before ("bi" + "ểu"), or, where that word is no syllable, its last consonants ("Trướch" + "ết":
    "Trước" and "hết")."""
    if _reads_as_syllable(before + after):
        return True
    if _is_syllable(before):
        return False
    tail = len(before) - len(before.rstrip(_CONSONANTS))
    return any(_is_syllable(before[:-k]) and _reads_as_syllable(before[-k:] + after) for k in range(1, tail + 1))


HYPHEN_MARK = "\ufffe"  # PDFium's mark for a word hyphenated at the end of a line, the line end taken away
_WORD_PART = "[^\\s.,;:!?\"'()\\[\\]{}…–—“”‘’/\\-\ufffe]*"
# the letters after the hyphen are looked at, not taken: they may hold the next ư
_HYPHEN_IN_WORD = re.compile(f"({_WORD_PART})([-\ufffe])(?=({_WORD_PART}))")


# Characters PDFium gives for TCVN3 glyphs by their names: Greek mu for µ (à), the minus sign for
# the soft hyphen (ư): "Lμ", "đ−ợc". Taken as those codes on lines that then read as TCVN3.
_PDFIUM_SUBSTITUTES = str.maketrans({"\u03bc": "\u00b5", "\u2212": "-"})


def pdf_text_to_unicode(text: str) -> str:
    """A PDF's text with its TCVN3 and VNI lines converted and hyphenation marks resolved,
    ready for join_split_syllables (which needs Vietnamese letters: on TCVN3's "ph¸t huy" it
    took "t huy" for a split "thuy").

    TCVN3 writes ư as the soft hyphen's code (0xAD), which PDFium takes for a hyphen: "-" when
    the font has no ToUnicode map, and at the end of a line its hyphenation mark, joining the
    next line on ("nh" mark "vËy" for "như / vậy"). In a TCVN3 line, either is read as ư where
    that makes a syllable of the letters around it (before it, for the mark); elsewhere the
    mark only joins the hyphenated word, as PDFium means."""
    substituted = text.translate(_PDFIUM_SUBSTITUTES) if "\u03bc" in text or "\u2212" in text else text
    lines = []
    for start, end, reading in line_readings(substituted):
        line = substituted[start:end] if reading in ("tcvn3", "mixed") else text[start:end]
        if reading == "tcvn3" and ("-" in line or HYPHEN_MARK in line):
            line = _HYPHEN_IN_WORD.sub(_tcvn3_u_horn, line)
        lines.append(_converted_line(line.replace(HYPHEN_MARK, ""), reading))
    return _fold_oi(unicodedata.normalize("NFC", "\n".join(lines)))


def _tcvn3_u_horn(m: re.Match) -> str:
    before, hyphen, after = m.groups()
    if hyphen == HYPHEN_MARK:  # the line ended after the hyphen: the word is the letters before it
        u_horn = before and _is_syllable(tcvn3_to_unicode(before + "\u00ad"))
        return before + ("\u00ad\n" if u_horn else HYPHEN_MARK)
    # inside a word, or starting one ("-u tiªn" for "ưu tiên"); a dash alone, or one between
    # words ("M¸c-Lªnin", "2020-2025"), makes no syllable and stays
    if (before or after) and _is_syllable(tcvn3_to_unicode(before + "\u00ad" + after)):
        return before + "\u00ad"
    return m.group()


# --- tone placement ------------------------------------------------------------

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_VOWELS = set("aăâeêioôơuưy")
_MARKED = set("ăâêôơư")


@lru_cache(maxsize=200_000)
def canonical_syllable(token: str) -> str:
    """Lower case, NFC, the tone on one fixed vowel ("hoà"/"hòa" → "hòa", "thuỷ" → "thủy").

    The tone goes on the last vowel carrying a quality mark (ươ → ơ); else on a
    lone vowel; else on the first of two vowels ending the syllable (hòa, mía);
    else on the second (hoàng, khuỷu). In qu- and gi- the u and i are consonants
    (quý, già), unless nothing follows (gì).
    """
    token = token.lower()
    if "\u01a3" in token:  # ƣ (oi), which Word 2007/2010's PDFs give for ư
        token = token.replace("\u01a3", "ư")
    decomposed = unicodedata.normalize("NFD", token)
    tone = ""
    base = []
    for ch in decomposed:
        if ch in _TONE_MARKS:
            tone = ch
        else:
            base.append(ch)
    letters = unicodedata.normalize("NFC", "".join(base))
    if not tone:
        return letters
    start = 0
    if (letters.startswith("qu") or letters.startswith("gi")) and len(letters) > 2 and letters[2] in _VOWELS:
        start = 2
    first = next((i for i in range(start, len(letters)) if letters[i] in _VOWELS), None)
    if first is None:
        return unicodedata.normalize("NFC", letters + tone)
    end = first
    while end < len(letters) and letters[end] in _VOWELS:
        end += 1
    nucleus = range(first, end)
    marked = [i for i in nucleus if letters[i] in _MARKED]
    if marked:
        pos = marked[-1]
    elif len(nucleus) == 1:
        pos = first
    elif len(nucleus) == 2 and end == len(letters):
        pos = first
    else:
        pos = first + 1
    return unicodedata.normalize("NFC", letters[:pos + 1] + tone + letters[pos + 1:])


# --- tokens with spans ------------------------------------------------------------

_WORD_UNICODE = re.compile(r"(?:\w|[\u0300-\u036f])+")
_WORD_LEGACY = re.compile(r"(?:\w|[\u0300-\u036f" + re.escape("".join(sorted(TCVN3_TO_UNICODE))) + r"])+")
_SPLIT = re.compile(r"\w+")


@lru_cache(maxsize=400_000)
def _normalise_raw(raw: str, encoding: str) -> tuple[str, ...]:
    if encoding == "tcvn3":
        raw = tcvn3_to_unicode(raw)
    elif encoding == "vni":
        raw = vni_to_unicode(raw)
    elif encoding == "mixed":
        raw = _mixed_word(raw)
    text = unicodedata.normalize("NFC", raw).lower()
    return tuple(canonical_syllable(t) for t in _SPLIT.findall(text))


def tokens_with_spans(text: str, encoding: str = "auto") -> tuple[list[str], list[tuple[int, int]]]:
    """Normalised syllables and their (start, end) in `text`.

    encoding 'auto' decides line by line from the characters; 'unicode', 'tcvn3'
    and 'vni' force one (a .docx run whose font names its encoding).
    """
    tokens: list[str] = []
    spans: list[tuple[int, int]] = []
    lines = [(0, len(text), encoding)] if encoding != "auto" else line_readings(text)
    for start, end, enc in lines:
        line = text[start:end]
        pattern = _WORD_UNICODE if enc == "unicode" else _WORD_LEGACY
        for m in pattern.finditer(line):
            for syllable in _normalise_raw(m.group(), enc):
                tokens.append(syllable)
                spans.append((start + m.start(), start + m.end()))
    return tokens, spans


# Anything that is neither a word character nor white space: replacing it by a space
# and splitting gives exactly the \w+ runs, about twice as fast as findall.
_NOT_WORD = re.compile(r"[^\w\s]")


def raw_words(text: str, encoding: str = "auto") -> tuple[list[str], bool]:
    """(words, canonical): lower-case NFC words when the text needs no legacy
    conversion (nearly always), still to pass through canonical_syllable; else the
    finished syllables from tokens_with_spans."""
    # With no legacy marker anywhere every line is Unicode (line_readings).
    if encoding == "unicode" or (encoding == "auto" and not _MARK_RE.search(text)):
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        return _NOT_WORD.sub(" ", text.lower()).split(), False
    return tokens_with_spans(text, encoding)[0], True


def tokens(text: str, encoding: str = "auto") -> list[str]:
    """The same syllables as tokens_with_spans, without the spans, faster."""
    words, canonical = raw_words(text, encoding)
    return words if canonical else [canonical_syllable(w) for w in words]


def _line_bounds(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in re.finditer(r"\n", text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


def normalise(text: str, encoding: str = "auto") -> str:
    """The matching form of a text: its normalised syllables joined by single spaces."""
    return " ".join(tokens_with_spans(text, encoding)[0])


def to_unicode(text: str) -> str:
    """The text for display and storage: legacy TCVN3/VNI lines converted, NFC.
    Matching the result finds the same syllables as matching the original."""
    return converted_keeping_offsets(text)[0]


def converted_keeping_offsets(text: str) -> tuple[str, bool]:
    """to_unicode(text), and whether every character of the result stands where
    its original did (no VNI line, whose letters are two characters, and no
    change of length in NFC): then offsets into one are offsets into the other."""
    lines, vni = [], False
    for start, end, reading in line_readings(text):
        line = _converted_line(text[start:end], reading)
        vni = vni or reading == "vni"
        lines.append(line)
    out = _fold_oi(unicodedata.normalize("NFC", "\n".join(lines)))
    return out, not vni and len(out) == len(text)


def _converted_line(line: str, reading: str) -> str:
    if reading == "tcvn3":
        return tcvn3_to_unicode(line)
    if reading == "vni":
        return vni_to_unicode(line)
    if reading == "mixed":
        return _WORD_LEGACY.sub(lambda m: _mixed_word(m.group()), line)
    return line


def _fold_oi(text: str) -> str:
    """ƣ and Ƣ (oi), which Word 2007/2010's PDFs give for ư and Ư (their fonts' character maps are
    wrong), as the letters they stand for: the PDF copy of an essay then reads as its .docx."""
    if "\u01a3" in text or "\u01a2" in text:
        return text.replace("\u01a3", "ư").replace("\u01a2", "Ư")
    return text


def convert_legacy_run(text: str, encoding: str) -> str:
    """A run in a legacy font (.VnTime: 'tcvn3', VNI-Times: 'vni') converted, unless its text is
    Unicode typed in that font: letters beyond Latin-1 no legacy text has, or fewer of its words
    Vietnamese syllables once converted than as they stand. A tie goes to the font."""
    if _UNICODE_VIET.search(text):
        return text
    converted = tcvn3_to_unicode(text) if encoding == "tcvn3" else vni_to_unicode(text)
    before, tcvn3, vni = _evidence(_evidence_words(text))
    return text if (tcvn3 if encoding == "tcvn3" else vni) < before else converted
