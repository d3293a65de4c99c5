"""Word's web pages saved as .doc: "Save as Web Page" (HTML) and "Single File Web Page" (a MIME
web archive), as most .doc files downloaded from Vietnamese legal-document sites are.

The text is what a browser shows, a paragraph per block element: no <head>, <style>, <script>
or comments (Word's <!--[if …]> conditional comments hold its own data and a second copy of
text boxes); the downlevel content between <![if …]> and <![endif]> (list numbers, text boxes)
is kept, as a browser shows it. Spans in a legacy font (.VnTime: TCVN3, VNI-Times: VNI) are
converted to Unicode as a .docx's runs are, unless their text reads as Unicode typed in that font."""

import codecs
import email
import email.policy
import re
import unicodedata

from dangvu.integrity.vietnamese import convert_legacy_run, decode_8bit

_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*|<!doctype[^>]*>\s*|<\?xml[^>]*>\s*)*<html[\s>]", re.I | re.S)
_MIME_HEADERS = re.compile(rb"(?:[A-Za-z][\w-]*:[^\n]*\n(?:[ \t][^\n]*\n)*)+")
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def page_of(data: bytes) -> str | None:
    """The web page a .doc holds, decoded; None if it is no web page or web archive."""
    headers = _MIME_HEADERS.match(data[:8192].replace(b"\r\n", b"\n"))
    if headers and re.search(rb"(?im)^mime-version:", headers.group()):
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        for part in message.walk():
            if part.get_content_type() == "text/html":
                return _decoded(part.get_payload(decode=True) or b"", part.get_content_charset())
        return None
    codec = next((codec for bom, codec in _BOMS if data.startswith(bom)), "latin-1")
    return _decoded(data, None) if _HTML_START.match(data[:4096].decode(codec, errors="ignore")) else None


def _decoded(data: bytes, charset: str | None) -> str:
    """By the byte-order mark, else the charset given (the archive's) or named by the page's
    <meta>, else UTF-8, else the 8-bit code page that reads as Vietnamese."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    named = _META_CHARSET.search(data[:8192])
    for name in (charset, named and named.group(1).decode("ascii")):
        try:
            # Windows-1258 writes tones as combining marks: composed, as everywhere else
            return unicodedata.normalize("NFC", data.decode(codecs.lookup(name).name, errors="replace"))
        except (LookupError, TypeError):
            continue
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return decode_8bit(data)[0]


_DOWNLEVEL = re.compile(r"<!\[(?:if\b[^\]]*|endif)\]>", re.I)  # <![if !supportLists]> … <![endif]>
_SKIPPED = frozenset({"head", "style", "script", "title", "xml", "noscript", "template", "del", "object"})
_BLOCKS = frozenset({"address", "blockquote", "body", "caption", "center", "dd", "div", "dl", "dt", "h1",
                     "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "table", "td", "th", "tr", "ul"})
# hidden text, and Word's lists of comments, footnotes and endnotes (not read in a .docx either)
_HIDDEN = re.compile(r"display\s*:\s*none|mso-element\s*:\s*(?:comment|footnote|endnote)-list", re.I)
_FONT = re.compile(r"(?:^|;)\s*(mso-hansi-font-family|font-family)\s*:\s*([^;]+)", re.I)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SPACE = re.compile(r"[ \t\r\n\f\xa0]+")
_BREAK = "\u2028"  # a <br> until the paragraph's spaces are collapsed
# the characters Windows-1252 puts at 0x80–0x9F, back to those bytes: TCVN3's capitals with tones
_CP1252_BACK = {ord(bytes([b]).decode("cp1252")): b for b in range(0x80, 0xA0)
                if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def text_of(page: str) -> str:
    from lxml import html

    parser = html.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8")
    root = html.document_fromstring(_DOWNLEVEL.sub("", page).encode("utf-8"), parser=parser)
    rules = _font_rules(" ".join(style.text or "" for style in root.iter("style")))
    paragraphs: list[str] = [""]
    _collect(root, None, rules, paragraphs)
    cleaned = (re.sub(f" ?{_BREAK} ?", "\n", _SPACE.sub(" ", p)).strip() for p in paragraphs)
    return "\n".join(p for p in cleaned if p)


def _font_rules(css: str) -> dict[str, str]:
    """The fonts of the style sheet's simple selectors ("p.MsoNormal", ".Tcvn", "body")."""
    fonts = {}
    for selectors, declarations in _RULE.findall(re.sub(r"/\*.*?\*/", "", css, flags=re.S)):
        font = _font(declarations)
        for selector in selectors.split(","):
            selector = selector.strip().lower()
            if font and re.fullmatch(r"[a-z0-9]*(?:\.[\w-]+)?", selector):
                fonts[selector] = font
    return fonts


def _font(style: str) -> str | None:
    """Word draws legacy text's accented letters in the hAnsi font: that one where it is named."""
    found = dict((name.lower(), value) for name, value in _FONT.findall(style))
    value = found.get("mso-hansi-font-family") or found.get("font-family")
    return value.split(",")[0].strip().strip("\"'") if value else None


def _font_of(element, rules: dict[str, str]) -> str | None:
    tag = element.tag.lower()
    own = _font(element.get("style") or "") or (element.get("face") if tag == "font" else None)
    classes = (element.get("class") or "").lower().split()
    return own or next((rules[s] for c in classes for s in (f"{tag}.{c}", f".{c}") if s in rules), None) \
        or rules.get(tag)


def _collect(element, font: str | None, rules: dict[str, str], paragraphs: list[str]) -> None:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in _SKIPPED or _HIDDEN.search(element.get("style") or ""):
        return
    font = (_font_of(element, rules) or font) if tag else font
    block = tag in _BLOCKS
    if block:
        paragraphs.append("")
    if tag == "br":
        paragraphs[-1] += _BREAK
    paragraphs[-1] += _converted(element.text or "", font)
    for child in element:
        _collect(child, font, rules, paragraphs)
        paragraphs[-1] += _converted(child.tail or "", font)  # a child's tail is in this element's font
    if block:
        paragraphs.append("")


def _converted(text: str, font: str | None) -> str:
    if not text or not font:
        return text
    legacy = "tcvn3" if font.lower().startswith(".vn") else "vni" if font.upper().startswith("VNI") else None
    if legacy is None:
        return text
    raw = text.translate(_CP1252_BACK)
    converted = convert_legacy_run(raw, legacy)  # as a .docx run in that font: unless it reads as Unicode
    return text if converted == raw else unicodedata.normalize("NFC", converted)
