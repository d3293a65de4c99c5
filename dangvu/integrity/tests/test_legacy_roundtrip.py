"""Legacy Vietnamese encodings round-trip for every letter, upper and lower case, every
tone. The encoders here are written from the public code charts (the VNI Windows chart;
TCVN 5712:1993 as glibc's TCVN5712-1 writes it), not from the engine's tables."""

import subprocess
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangvu.integrity.vietnamese import tcvn3_to_unicode, tokens, vni_to_unicode

GRAVE, ACUTE, HOOK, TILDE, DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
TONES = ["", GRAVE, ACUTE, HOOK, TILDE, DOT]
BASES = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
LETTERS = sorted({unicodedata.normalize("NFC", b + t) for b in BASES for t in TONES} | {"đ"})
LETTERS += [c.upper() for c in LETTERS]

# --- VNI Windows, from its chart --------------------------------------------------------
# tone bytes after a plain vowel; after a circumflex vowel; after a breve vowel
VNI_TONE = {"": "", ACUTE: "ù", GRAVE: "ø", HOOK: "û", TILDE: "õ", DOT: "ï"}
VNI_CIRCUMFLEX = {"": "â", ACUTE: "á", GRAVE: "à", HOOK: "å", TILDE: "ã", DOT: "ä"}
VNI_BREVE = {"": "ê", ACUTE: "é", GRAVE: "è", HOOK: "ú", TILDE: "ü", DOT: "ë"}
VNI_I = {"": "i", ACUTE: "í", GRAVE: "ì", HOOK: "æ", TILDE: "ó", DOT: "ò"}  # i takes one byte


def vni_letter(letter: str) -> str:
    upper = letter.isupper()
    parts = unicodedata.normalize("NFD", letter.lower())
    base, marks = parts[0], parts[1:]
    tone = next((m for m in marks if m in VNI_TONE and m), "")
    quality = next((m for m in marks if m in "\u0302\u0306\u031b"), "")
    if base == "đ":  # đ has no decomposition
        out = "ñ"
    elif base == "i":
        out = VNI_I[tone]
    elif base == "y" and tone == DOT:
        out = "î"
    elif quality == "\u031b":  # horn: ơ and ư are one byte, the tone follows
        out = {"o": "ô", "u": "ö"}[base] + VNI_TONE[tone]
    elif quality == "\u0302":
        out = base + VNI_CIRCUMFLEX[tone]
    elif quality == "\u0306":
        out = base + VNI_BREVE[tone]
    else:
        out = base + VNI_TONE[tone]
    return out.upper() if upper else out


def vni_encode(text: str) -> str:
    return "".join(vni_letter(c) if c in LETTERS else c for c in text)


# --- TCVN 5712:1993 through glibc's iconv (the encoder the issue's files were made with) ---

def tcvn_encode(text: str) -> str:
    done = subprocess.run(["iconv", "-f", "utf-8", "-t", "TCVN5712-1"], input=text.encode(), capture_output=True,
                          check=True)
    return done.stdout.decode("latin-1")


def _has_iconv_tcvn() -> bool:
    try:
        return subprocess.run(["iconv", "-t", "TCVN5712-1"], input=b"a", capture_output=True).returncode == 0
    except OSError:
        return False


TEXT = st.text(alphabet=st.sampled_from(LETTERS + list("bcdghklmnpqrstvx BCDGHKLMNPQRSTVX,.")), max_size=60)


def test_every_letter_in_vni():
    for letter in LETTERS:
        encoded = vni_encode(letter)
        assert encoded != letter or letter.lower() in "aeiouyíì", letter  # really encoded (í, ì are one byte)
        assert vni_to_unicode(encoded) == letter, (letter, encoded)


def test_the_issues_vni_sentence():
    assert vni_to_unicode("Coâng taùc thoâng tin coù hoøa") == "Công tác thông tin có hòa"


@given(TEXT)
@settings(max_examples=300, deadline=None)
def test_vni_round_trip(text):
    assert vni_to_unicode(vni_encode(text)) == unicodedata.normalize("NFC", text)


@pytest.mark.skipif(not _has_iconv_tcvn(), reason="glibc iconv with TCVN5712-1 is not installed")
def test_every_letter_in_tcvn():
    encoded = tcvn_encode(" ".join(LETTERS))
    assert tcvn3_to_unicode(encoded) == " ".join(LETTERS)


@pytest.mark.skipif(not _has_iconv_tcvn(), reason="glibc iconv with TCVN5712-1 is not installed")
@given(TEXT)
@settings(max_examples=100, deadline=None)
def test_tcvn_round_trip_and_the_same_syllables(text):
    encoded = tcvn_encode(text)
    assert tcvn3_to_unicode(encoded) == text
    assert tokens(encoded, "tcvn3") == tokens(text, "unicode")


def cp1258_encode(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: ă â ê ô ơ ư đ are one byte, tones combine."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = "".join(c for c in parts if c in TONES)
            out += (unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES)) + tone).encode("cp1258")
    return bytes(out)


ESSAY = st.lists(st.sampled_from(
    ["Đảng bộ", "học tập", "quán triệt", "Nghị quyết", "đảng viên", "tham gia", "đầy đủ", "nghiêm túc", "người",
     "đứng đầu", "cấp ủy", "gương mẫu", "thực hiện", "nhiệm vụ", "chính trị", "tư tưởng", "đạo đức", "lối sống",
     "kiểm tra", "giám sát", "chi bộ", "sinh hoạt", "phương hướng", "năm tới"]), min_size=8, max_size=40)


@given(ESSAY)
@settings(max_examples=60, deadline=None)
def test_eight_bit_text_is_told_apart_from_its_bytes(words):
    from dangvu.integrity.vietnamese import decode_8bit

    text = " ".join(words) + "."
    assert decode_8bit(cp1258_encode(text)) == (text, "cp1258")
    assert decode_8bit(vni_encode(text).encode("latin-1")) == (text, "vni")
    if _has_iconv_tcvn():
        assert decode_8bit(tcvn_encode(text).encode("latin-1")) == (text, "tcvn3")


U_HORN_WORDS = ["ưu tiên", "mong ước", "như", "thư", "lưu ý", "chưa", "trường", "cư trú", "tư tưởng", "người",
                "Mác-Lênin", "2021-2025"]  # a bare ư is TCVN3's soft-hyphen code; two real hyphens


def as_pdfium_reads(lines: list[str], to_unicode_map: bool) -> str:
    """TCVN3 lines as PDFium gives them: ư (the soft hyphen's code) kept where the font maps
    codes to themselves, else a hyphen; and one ending a line taken for a word hyphenated at
    the line end: its mark, the next line joined on."""
    hyphen = "\u00ad" if to_unicode_map else "-"
    encoded = [tcvn_encode(line).replace("\u00ad", hyphen) for line in lines]
    out = encoded[0]
    for line in encoded[1:]:
        out = out[:-1] + "\ufffe" + line if out.endswith(hyphen) else out + "\n" + line
    return out


@pytest.mark.skipif(not _has_iconv_tcvn(), reason="glibc iconv with TCVN5712-1 is not installed")
@given(st.lists(st.lists(st.sampled_from(U_HORN_WORDS + ["học tập", "đạo đức", "chi bộ"]), min_size=1, max_size=8),
                min_size=1, max_size=6), st.booleans())
@settings(max_examples=150, deadline=None)
def test_tcvn3_pdf_text_gets_every_u_horn_back(words, to_unicode_map):
    from dangvu.integrity.vietnamese import pdf_text_to_unicode

    lines = ["Đảng bộ " + " ".join(line) for line in words]  # a TCVN3 line has TCVN3's own symbols
    assert pdf_text_to_unicode(as_pdfium_reads(lines, to_unicode_map)) == "\n".join(lines)
