"""The template language of computed paragraphs, and Vietnamese numbers as the seeds write them.

    Đã tổ chức {study.sessions} hội nghị[, trong đó {study.online_sessions} hội nghị trực tuyến].

- `{key}`: a measure's value for the report's unit: a count as 1.000, a rate as 71,33%.
- `{a+b}`: a sum of counts; `{a/b}`: one over the other as a percentage ("đạt 100% kế hoạch").
- `{key|ratio}`: a rate's numerator and denominator, "229/321"; `{key|02}`: a count in two
  digits, "01"; `{key|prev}`: the value of the period before.
- `{unit}`, `{year}`, `{next_year}`, `{end}`: words about the report itself.
- `[ … ]`: a clause left out when a figure in it is zero.

Rendering gives the text in parts: plain text, and figures that know their measures, so
that a page can say where each number came from. No Django here beyond gettext-free helpers.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from dangvu.lib.numbers import fmt_int

PLACEHOLDER = re.compile(r"\{([^{}\[\]]+)\}")
CLAUSE = re.compile(r"\[([^\[\]]*)\]")
KEY = re.compile(r"^[a-z_]+\.[a-z0-9_]+$")
WORDS = ("unit", "year", "next_year", "end", "start")
FORMATS = ("", "02", "ratio", "prev")


@dataclass(frozen=True)
class Figure:
    value: float
    numerator: int | None = None
    denominator: int | None = None
    rate: bool = False


@dataclass
class Part:
    text: str
    keys: list[str] = field(default_factory=list)  # the measures behind a figure; none for plain text
    zero: bool = False

    def as_dict(self) -> dict:
        # "measures", not "keys": a template reading part.keys would find the dict's method
        return {"text": self.text, "measures": self.keys} if self.keys else {"text": self.text}


class TemplateError(ValueError):
    """A placeholder that cannot be read; the message says which and why (in Vietnamese)."""


def fmt_count(value, two_digits: bool = False) -> str:
    """1.000; "01" where the seeds write two digits."""
    value = int(round(value))
    return f"0{value}" if two_digits and 0 <= value < 10 else fmt_int(value)


def fmt_percent(value: float) -> str:
    """71,33%; 100%, not 100,00%."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def parse(expression: str) -> tuple[list[list[str]], str]:
    """'a+b/c|fmt' → ([[a, b], [c]], fmt); raises TemplateError naming the placeholder."""
    body, _, fmt = expression.strip().partition("|")
    sides = [[k.strip() for k in side.split("+")] for side in body.split("/")]
    if fmt.strip() not in FORMATS or len(sides) > 2 or any(not KEY.match(k) for side in sides for k in side):
        raise TemplateError(f"Chỗ điền “{{{expression}}}” không đọc được: hãy viết {{mã chỉ số}}, "
                            "{a+b}, {a/b} hoặc {mã|ratio}, {mã|02}, {mã|prev}.")
    return sides, fmt.strip()


def keys_in(text: str) -> list[str]:
    """Every measure key a paragraph names (words like {year} are not keys)."""
    found = []
    for expression in PLACEHOLDER.findall(text):
        if expression.strip() in WORDS:
            continue
        sides, _ = parse(expression)
        found += [k for side in sides for k in side]
    return found


def previous_keys_in(text: str) -> list[str]:
    """The keys a paragraph asks the period before of ({key|prev})."""
    found = []
    for expression in PLACEHOLDER.findall(text):
        if expression.strip() not in WORDS:
            sides, fmt = parse(expression)
            if fmt == "prev":
                found += [k for side in sides for k in side]
    return found


def render_paragraphs(text: str, figure: Callable[[str, bool], Figure], words: dict[str, str]) -> list[list[Part]]:
    """A section's text (paragraphs apart by a blank line) rendered; a paragraph left with no
    word (every clause of it dropped) goes, and one that now starts with a comma or a
    semicolon starts with its first word, capitalised."""
    out = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        parts = render(paragraph.strip(), figure, words)
        if parts and not parts[0].keys:
            head = parts[0].text.lstrip(" ,;:")
            parts[0].text = head[:1].upper() + head[1:]
        if any(p.keys for p in parts) or any(c.isalpha() for p in parts for c in p.text):
            out.append([p for p in parts if p.text])
    return out


def render(text: str, figure: Callable[[str, bool], Figure], words: dict[str, str]) -> list[Part]:
    """The paragraph in parts. `figure(key, previous)` gives a measure's value; a clause in
    brackets with a zero figure is dropped with its brackets."""
    parts: list[Part] = []
    position = 0
    for clause in CLAUSE.finditer(text):
        parts += _placeholders(text[position:clause.start()], figure, words)
        inner = _placeholders(clause.group(1), figure, words)
        if not any(p.zero for p in inner):
            parts += inner
        position = clause.end()
    parts += _placeholders(text[position:], figure, words)
    return _merge(parts)


def _placeholders(text: str, figure, words) -> list[Part]:
    parts, position = [], 0
    for match in PLACEHOLDER.finditer(text):
        parts.append(Part(text[position:match.start()]))
        name = match.group(1).strip()
        if name in WORDS:
            parts.append(Part(words.get(name, "")))
        else:
            parts.append(_figure_part(name, figure))
        position = match.end()
    parts.append(Part(text[position:]))
    return parts


def _figure_part(expression: str, figure) -> Part:
    sides, fmt = parse(expression)
    keys = [k for side in sides for k in side]
    previous = fmt == "prev"
    totals = []
    for side in sides:
        figures = [figure(k, previous) for k in side]
        totals.append((sum(f.value for f in figures), figures))
    if len(sides) == 2:
        (top, _), (bottom, _) = totals
        if fmt == "ratio":
            return Part(f"{fmt_count(top)}/{fmt_count(bottom)}", keys, zero=not top)
        value = 100 * top / bottom if bottom else 0
        return Part(fmt_percent(value), keys, zero=not value)
    value, figures = totals[0]
    single = figures[0] if len(figures) == 1 else None
    if single is not None and single.rate:
        if fmt == "ratio":
            return Part(f"{fmt_count(single.numerator or 0)}/{fmt_count(single.denominator or 0)}", keys,
                        zero=not single.numerator)
        return Part(fmt_percent(single.value), keys, zero=not single.value)
    return Part(fmt_count(value, two_digits=fmt == "02"), keys, zero=not value)


def _merge(parts: list[Part]) -> list[Part]:
    """Adjacent plain texts joined, empty ones dropped, doubled spaces and a space before
    punctuation (left where a clause went) tidied."""
    out: list[Part] = []
    for part in parts:
        if not part.keys and not part.text:
            continue
        if out and not part.keys and not out[-1].keys:
            out[-1] = Part(out[-1].text + part.text)
        else:
            out.append(Part(part.text, part.keys, part.zero))
    for part in out:
        if not part.keys:
            part.text = re.sub(r" {2,}", " ", re.sub(r"[ \t]+([,.;:])", r"\1", part.text))
    return out


def plain(parts: list[Part] | list[dict]) -> str:
    return "".join(p.text if isinstance(p, Part) else p["text"] for p in parts)
