"""The template language of computed paragraphs, and Vietnamese numbers as the seeds write them.

    [Tổ chức {study.sessions_held} hội nghị[, trong đó {study.online_sessions} hội nghị trực tuyến]].

- `{key}`: a measure's value for the report's unit: a count as 1.000, a rate as 71,33%.
- `{a+b}`: a sum of counts; `{a/b}`: one over the other as a percentage ("đạt 100% kế hoạch").
- `{key|ratio}`: a rate's numerator and denominator, "229/321"; `{key|02}`: a count in two
  digits, "01"; `{key|prev}`: the value of the period before; `{key|change}`: "tăng 12" or
  "giảm 108" against the period before (zero when equal).
- `{list:a nghị quyết; b kế hoạch; c báo cáo}`: the items whose figure is not zero, as a
  Vietnamese list ("2 nghị quyết, 4 kế hoạch và 1 báo cáo"); zero when every one is. An
  item with `#` puts its number there: `{list:a kết nạp # đảng viên; b # đồng chí từ trần}`.
- `{unit}`, `{year}`, `{next_year}`, `{end}`, `{until}`: words about the report itself
  (`{end}` is the period's last day, or the day the figures were counted when that is
  earlier; `{until}` says which: "Đến ngày 31/12/2025" or "Tính đến ngày 05/12/2026").
- `[ … ]`: a clause left out when a figure in it (not in a clause inside it) is zero, or
  has no base (a rate of nothing). Clauses nest, so any clause of a sentence may drop.

Rendering gives the text in parts: plain text, and figures that know their measures, so
that a page can say where each number came from. No Django here beyond gettext-free helpers.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from dangvu.lib.numbers import fmt_int

PLACEHOLDER = re.compile(r"\{([^{}\[\]]+)\}")
KEY = re.compile(r"^[a-z_]+\.[a-z0-9_]+$")
LIST = "list:"
WORDS = ("unit", "year", "next_year", "end", "start", "until")
FORMATS = ("", "02", "ratio", "prev", "change")


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
                            "{a+b}, {a/b} hoặc {mã|ratio}, {mã|02}, {mã|prev}, {mã|change}.")
    return sides, fmt.strip()


def parse_list(expression: str) -> list[tuple[str, str]]:
    """'list:a.x nghị quyết; a.y kế hoạch' → [(a.x, nghị quyết), (a.y, kế hoạch)]."""
    items = []
    for item in expression.strip()[len(LIST):].split(";"):
        key, _, noun = item.strip().partition(" ")
        if not KEY.match(key) or not noun.strip():
            raise TemplateError(f"Danh sách “{{{expression}}}” không đọc được: hãy viết "
                                "{list:mã chỉ số danh từ; mã chỉ số danh từ}.")
        items.append((key, noun.strip()))
    return items


def check_brackets(text: str) -> None:
    depth = 0
    for c in text:
        depth += {"[": 1, "]": -1}.get(c, 0)
        if depth < 0:
            break
    if depth:
        raise TemplateError("Dấu ngoặc vuông [ ] của đoạn văn không khớp nhau: mỗi “[” cần một “]”.")


def keys_in(text: str) -> list[str]:
    """Every measure key a paragraph names (words like {year} are not keys)."""
    check_brackets(text)
    found = []
    for expression in PLACEHOLDER.findall(text):
        if expression.strip() in WORDS:
            continue
        if expression.strip().startswith(LIST):
            found += [k for k, _ in parse_list(expression)]
            continue
        sides, _ = parse(expression)
        found += [k for side in sides for k in side]
    return found


def previous_keys_in(text: str) -> list[str]:
    """The keys a paragraph asks the period before of ({key|prev})."""
    found = []
    for expression in PLACEHOLDER.findall(text):
        if expression.strip() not in WORDS and not expression.strip().startswith(LIST):
            sides, fmt = parse(expression)
            if fmt in ("prev", "change"):
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
            head = parts[0].text.lstrip(" ,;:.")
            parts[0].text = head[:1].upper() + head[1:]
        if parts and not parts[-1].keys:
            parts[-1].text = parts[-1].text.rstrip()  # where the last clauses dropped
        if any(p.keys for p in parts) or any(c.isalpha() for p in parts for c in p.text):
            out.append([p for p in parts if p.text])
    return out


def render(text: str, figure: Callable[[str, bool], Figure], words: dict[str, str]) -> list[Part]:
    """The paragraph in parts. `figure(key, previous)` gives a measure's value; a clause in
    brackets with a zero figure of its own is dropped with its brackets and what it holds."""
    check_brackets(text)
    parts, _end = _render_from(text, 0, figure, words)
    return _merge(parts)


def _render_from(text: str, position: int, figure, words) -> tuple[list[Part], int]:
    """Parts from `position` up to the "]" closing the clause it is in (or the end), and where
    it stopped. A clause inside that keeps none of its zeros is kept whole; so a zero among
    the parts returned is always the clause's own."""
    parts: list[Part] = []
    plain_from = position
    while position < len(text):
        if text[position] == "[":
            parts += _placeholders(text[plain_from:position], figure, words)
            inner, position = _render_from(text, position + 1, figure, words)
            if not any(p.zero for p in inner):
                parts += inner
            plain_from = position
        elif text[position] == "]":
            parts += _placeholders(text[plain_from:position], figure, words)
            return parts, position + 1
        else:
            position += 1
    parts += _placeholders(text[plain_from:], figure, words)
    return parts, position


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


def _list_part(expression: str, figure) -> Part:
    """The items whose figure is not zero: "2 nghị quyết, 4 kế hoạch và 1 báo cáo"."""
    items = parse_list(expression)
    said = [noun.replace("#", fmt_count(f.value)) if "#" in noun else f"{fmt_count(f.value)} {noun}"
            for key, noun in items if (f := figure(key, False)).value]
    text = ", ".join(said[:-1]) + (" và " if len(said) > 1 else "") + said[-1] if said else ""
    return Part(text, [k for k, _ in items], zero=not said)


def _figure_part(expression: str, figure) -> Part:
    if expression.startswith(LIST):
        return _list_part(expression, figure)
    sides, fmt = parse(expression)
    keys = [k for side in sides for k in side]
    if fmt == "change":
        return _change_part(sides, keys, figure)
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


def _change_part(sides, keys, figure) -> Part:
    """"tăng 12" or "giảm 108": this period's count against the period before's, as the seeds
    compare ("kết nạp 319 đảng viên, giảm 108 so với năm 2025"); zero when they are equal."""
    now = sum(figure(k, False).value for k in sides[0])
    before = sum(figure(k, True).value for k in sides[0])
    difference = now - before
    if not difference:
        return Part("", keys, zero=True)
    return Part(f"{'tăng' if difference > 0 else 'giảm'} {fmt_count(abs(difference))}", keys)


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
