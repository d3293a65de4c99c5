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
- `{best:key}`, `{worst:key}`: the unit's direct sub-unit with the highest (lowest) figure,
  "Chi bộ thôn Nà Ngoa dẫn đầu với 75%", "… thấp nhất với 33,33%"; words after the key
  follow the number (`#` places it): `{best:members.admitted # đảng viên được kết nạp}`.
  Ties are named together ("A và B cùng dẫn đầu với …"), more than three by their count
  ("4 chi bộ cùng dẫn đầu với 100%"). Zero when fewer than two sub-units have the figure
  (a rate needs a base), when all are equal, or when the figure named is zero.
- `{documents:studied}`, `{documents:issued}`, `{documents:issued NQ KH}`: the documents
  studied in the period's campaigns, or those the unit issued (of these types), cited by
  number and date, "Kế hoạch số 01-KH/ĐU ngày 15/01/2026 về …", at most five ("… và 3 văn
  bản khác"); zero when there is none.
- `{cell:A|B}`: A in a cell's report, B in any other's; an empty one leaves out its clause.
- `{unit}`, `{year}`, `{next_year}`, `{end}`, `{until}`, `{since}`: words about the report itself
  (`{end}` is the period's last day, or the day the figures were counted when that is
  earlier; `{until}` says which: "Đến ngày 31/12/2025" or "Tính đến ngày 05/12/2026";
  `{since}` is " (thành lập ngày 01/07/2025)" for a unit founded within the period, else
  nothing). The period before a unit's founding has no figures: `{key|change}` drops.
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
RANKS = {"best:": "dẫn đầu", "worst:": "thấp nhất"}
DOCUMENTS = "documents:"
CELL = "cell:"
CITED = 5  # documents a {documents:…} names; more are counted ("… và 3 văn bản khác")
WORDS = ("unit", "year", "next_year", "end", "start", "until", "since")
FORMATS = ("", "02", "ratio", "prev", "change")
OTHER_FORMS = (LIST, DOCUMENTS, CELL, *RANKS)  # placeholders that are not {a+b/c|fmt}


@dataclass(frozen=True)
class Figure:
    value: float
    numerator: int | None = None
    denominator: int | None = None
    rate: bool = False
    absent: bool = False  # the unit did not exist then (the period before its founding): no value at all


@dataclass
class Part:
    text: str
    keys: list[str] = field(default_factory=list)  # the measures behind a figure; none for plain text
    zero: bool = False

    def as_dict(self) -> dict:
        # "measures", not "keys": a template reading part.keys would find the dict's method
        return {"text": self.text, "measures": self.keys} if self.keys else {"text": self.text}


@dataclass(frozen=True)
class Context:
    """What a paragraph reads beyond the unit's own figures: whether the unit is a cell
    ({cell:…|…}), each direct sub-unit's name and figure ({best:…}, {worst:…}) and the
    documents it may cite ({documents:…}: (the first ones, how many in all))."""

    cell: bool = False
    sub_units: Callable[[str], list[tuple[str, Figure]]] = lambda key: []
    documents: Callable[[str, tuple[str, ...]], tuple[list[dict], int]] = lambda which, types: ([], 0)


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


def parse_rank(expression: str) -> tuple[str, str, str]:
    """'best:a.x # đảng viên' → (best:, a.x, # đảng viên)."""
    form, _, rest = expression.strip().partition(":")
    key, _, words = rest.strip().partition(" ")
    if not KEY.match(key):
        raise TemplateError(f"Chỗ điền “{{{expression}}}” không đọc được: hãy viết {{best:mã chỉ số}} hoặc "
                            "{worst:mã chỉ số}, có thể thêm chữ sau mã.")
    return form + ":", key, words.strip()


DOC_TYPES = {"NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "KL": "Kết luận", "QC": "Quy chế",
             "HD": "Hướng dẫn", "KH": "Kế hoạch", "BC": "Báo cáo", "TB": "Thông báo", "TTr": "Tờ trình",
             "CTr": "Chương trình", "ĐA": "Đề án", "CV": "Công văn"}
DOC_TYPE_KEYS = {t: "documents.issued_" + {"QĐ": "qd", "ĐA": "da"}.get(t, t.lower()) for t in DOC_TYPES}


def parse_documents(expression: str) -> tuple[str, tuple[str, ...]]:
    """'documents:issued NQ KH' → (issued, (NQ, KH)); types as the register writes them."""
    which, *types = expression.strip()[len(DOCUMENTS):].split()
    by_upper = {t.upper(): t for t in DOC_TYPES}
    if which not in ("studied", "issued") or any(t.upper() not in by_upper for t in types):
        raise TemplateError(f"Chỗ điền “{{{expression}}}” không đọc được: hãy viết {{documents:studied}} hoặc "
                            "{documents:issued}, có thể thêm loại văn bản: {documents:issued NQ KH}.")
    return which, tuple(dict.fromkeys(by_upper[t.upper()] for t in types))


def document_keys(which: str, types: tuple[str, ...]) -> list[str]:
    """The measures a citation stands on, for its link and for who may read the report: the
    documents issued (of one type where one is asked), and the campaigns for those studied."""
    issued = DOC_TYPE_KEYS[types[0]] if len(types) == 1 else "documents.issued"
    return ["study.campaigns", "documents.issued"] if which == "studied" else [issued]


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
        name = expression.strip()
        if name in WORDS or name.startswith(CELL):
            continue
        if name.startswith(LIST):
            found += [k for k, _ in parse_list(expression)]
        elif name.startswith(tuple(RANKS)):
            found.append(parse_rank(name)[1])
        elif name.startswith(DOCUMENTS):
            found += document_keys(*parse_documents(name))
        else:
            sides, _ = parse(expression)
            found += [k for side in sides for k in side]
    return found


def previous_keys_in(text: str) -> list[str]:
    """The keys a paragraph asks the period before of ({key|prev})."""
    found = []
    for expression in PLACEHOLDER.findall(text):
        if expression.strip() not in WORDS and not expression.strip().startswith(OTHER_FORMS):
            sides, fmt = parse(expression)
            if fmt in ("prev", "change"):
                found += [k for side in sides for k in side]
    return found


def render_paragraphs(text: str, figure: Callable[[str, bool], Figure], words: dict[str, str],
                      context: Context | None = None) -> list[list[Part]]:
    """A section's text (paragraphs apart by a blank line) rendered; a paragraph left with no
    word (every clause of it dropped) goes, and one that now starts with a comma or a
    semicolon starts with its first word, capitalised."""
    out = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        parts = render(paragraph.strip(), figure, words, context)
        if parts and not parts[0].keys:
            head = parts[0].text.lstrip(" ,;:.")
            parts[0].text = head[:1].upper() + head[1:]
        if parts and not parts[-1].keys:
            parts[-1].text = parts[-1].text.rstrip()  # where the last clauses dropped
        if any(p.keys for p in parts) or any(c.isalpha() for p in parts for c in p.text):
            out.append([p for p in parts if p.text])
    return out


def render(text: str, figure: Callable[[str, bool], Figure], words: dict[str, str],
           context: Context | None = None) -> list[Part]:
    """The paragraph in parts. `figure(key, previous)` gives a measure's value, `context` what
    the forms beyond it read; a clause in brackets with a zero figure of its own is dropped
    with its brackets and what it holds."""
    check_brackets(text)
    parts, _end = _render_from(text, 0, Reader(figure, words, context or Context()))
    return _merge(parts)


@dataclass(frozen=True)
class Reader:
    """Where a paragraph's placeholders are read from."""

    figure: Callable[[str, bool], Figure]
    words: dict[str, str]
    context: Context


def _render_from(text: str, position: int, reader: Reader) -> tuple[list[Part], int]:
    """Parts from `position` up to the "]" closing the clause it is in (or the end), and where
    it stopped. A clause inside that keeps none of its zeros is kept whole; so a zero among
    the parts returned is always the clause's own.

    Clauses side by side form a list ("[, trong đó [{a} …][; {b} …][; {c} …]]"): when the
    first ones drop, the first kept one loses its leading "; " or ", " (it is the list's first
    item now), and a clause holding nothing but such a list drops with the last of them."""
    parts: list[Part] = []
    plain_from = position
    in_list, list_kept, nested, nested_kept, bare_head = False, False, False, False, False
    while position < len(text):
        if text[position] == "[":
            between = text[plain_from:position]
            parts += _placeholders(between, reader)
            if between.strip():
                in_list, list_kept = False, False
            if not in_list:  # a list is written with its first item bare: "[{a} …][; {b} …]"
                bare_head = not re.match(r"\s*[;,]", text[position + 1:])
            inner, position = _render_from(text, position + 1, reader)
            nested = True
            if not any(p.zero for p in inner):
                if in_list and bare_head and not list_kept and inner and not inner[0].keys:
                    inner[0] = Part(re.sub(r"^\s*[;,]\s*", "", inner[0].text), inner[0].keys, inner[0].zero)
                parts += inner
                list_kept = nested_kept = True
            in_list = True
            plain_from = position
        elif text[position] == "]":
            parts += _placeholders(text[plain_from:position], reader)
            return _emptied(parts, nested, nested_kept), position + 1
        else:
            position += 1
    parts += _placeholders(text[plain_from:], reader)
    return parts, position


def _emptied(parts: list[Part], nested: bool, nested_kept: bool) -> list[Part]:
    """A clause with no figure of its own whose every inner clause dropped says nothing: it
    drops too (marked zero), rather than leave its words (", trong đó") alone."""
    if nested and not nested_kept and not any(p.keys for p in parts):
        return [Part("", zero=True)]
    return parts


def _placeholders(text: str, reader: Reader) -> list[Part]:
    parts, position = [], 0
    for match in PLACEHOLDER.finditer(text):
        parts.append(Part(text[position:match.start()]))
        name = match.group(1).strip()
        if name in WORDS:
            parts.append(Part(reader.words.get(name, "")))
        elif name.startswith(CELL):
            parts.append(_kind_part(name, reader.context))
        elif name.startswith(tuple(RANKS)):
            parts += _rank_parts(name, reader.context)
        elif name.startswith(DOCUMENTS):
            parts.append(_documents_part(name, reader.context))
        else:
            parts.append(_figure_part(name, reader.figure))
        position = match.end()
    parts.append(Part(text[position:]))
    return parts


def _kind_part(expression: str, context: Context) -> Part:
    """{cell:A|B}: A for a cell, B for a committee; an empty one drops its clause (a zero of no figure)."""
    for_cell, _, for_committee = expression[len(CELL):].partition("|")
    said = (for_cell if context.cell else for_committee).strip()
    return Part(said, zero=not said)


def _rank_parts(expression: str, context: Context) -> list[Part]:
    """"Chi bộ thôn Nà Ngoa dẫn đầu với 75%": the sub-unit with the highest (lowest) figure,
    ties named together; one part of zero when the comparison says nothing."""
    form, key, words = parse_rank(expression)
    compared = [(name, f) for name, f in context.sub_units(key) if not (f.rate and not f.denominator)]
    values = {f.value for _name, f in compared}
    if len(compared) < 2 or len(values) < 2:
        return [Part("", [key], zero=True)]
    target = max(values) if form == "best:" else min(values)
    if not target:
        return [Part("", [key], zero=True)]
    names = [name for name, f in compared if f.value == target]
    shown = fmt_percent(target) if compared[0][1].rate else fmt_count(target)
    if "#" in words:
        before, _, after = words.partition("#")
    else:
        before, after = "", f" {words}" if words else ""
    together = "cùng " if len(names) > 1 else ""
    return [Part(f"{_named(names)} {together}{RANKS[form]} với {before}"), Part(shown, [key]), Part(after)]


def _named(names: list[str]) -> str:
    """"A", "A và B", "A, B và C"; more than three by their count: "4 chi bộ"."""
    if len(names) > 3:
        starts = {n.split(" ")[0].lower() + " " + (n.split(" ") + [""])[1].lower() for n in names}
        noun = starts.pop() if len(starts) == 1 and starts <= {"chi bộ", "đảng bộ"} else "tổ chức đảng"
        return f"{fmt_count(len(names))} {noun}"
    return joined(names)


def joined(items: list[str]) -> str:
    """A Vietnamese list: "a", "a và b", "a, b và c"."""
    return ", ".join(items[:-1]) + " và " + items[-1] if len(items) > 1 else "".join(items)


def _documents_part(expression: str, context: Context) -> Part:
    """Documents cited by number and date, "Kế hoạch số 01-KH/ĐU ngày 15/01/2026 về …", the
    first CITED of them; the others counted."""
    which, types = parse_documents(expression)
    documents, total = context.documents(which, types)
    cited = [cite(d) for d in documents[:CITED]]
    more = total - len(cited)
    text = "; ".join(cited) + (f" và {fmt_count(more)} văn bản khác" if cited and more > 0 else "")
    return Part(text, document_keys(which, types), zero=not cited)


# a summary's first word that names the Party, the State or a body keeps its capital ("về Đảng
# bộ…", "về Nhân dân"); so does one followed by a capital ("Ban Thường vụ") or an acronym
PROPER_WORDS = {"Đảng", "Bác", "Nhân", "Nhà", "Quốc", "Trung", "Chủ", "Mặt", "Hồ", "Việt", "Tỉnh", "Thành", "Huyện",
                "Quận", "Thị"}


def _keeps_capital(text: str) -> bool:
    words = text.split()
    first, second = words[0], (words[1] if len(words) > 1 else "")
    return (first in PROPER_WORDS and (first not in ("Tỉnh", "Thành", "Huyện", "Quận", "Thị") or second == "ủy")
            or second[:1].isupper() or first[:2].isupper())


def cite(document: dict) -> str:
    """"Kế hoạch số 01-KH/ĐU ngày 15/01/2026 của Đảng ủy xã Hùng An về học tập …", from a
    register entry as build stores it: type, number, reference, date, by (the issuer, when
    not the unit itself) and summary (its leading type name and "về" not repeated)."""
    name = DOC_TYPES.get(document["type"], document["type"])
    summary = document.get("summary", "").strip().rstrip(" .;,")
    if document["type"] == "QĐ" and summary.lower().startswith("quy định"):
        name = "Quy định"
    if re.match(rf"{name}(?=[\s:,-]|$)", summary, flags=re.IGNORECASE):
        summary = summary[len(name):].lstrip(" :,-")
    summary = re.sub(r"^(v/v|về việc|về)\s+", "", summary, flags=re.IGNORECASE)
    if summary and not _keeps_capital(summary):
        summary = summary[0].lower() + summary[1:]
    text = f"{name} số {document['reference']}" if document.get("number") else name
    text += f" ngày {document['date']}"
    if document.get("by"):
        text += f" của {document['by']}"
    return text + (f" về {summary}" if summary else "")


def _list_part(expression: str, figure) -> Part:
    """The items whose figure is not zero: "2 nghị quyết, 4 kế hoạch và 1 báo cáo"."""
    items = parse_list(expression)
    said = [noun.replace("#", fmt_count(f.value)) if "#" in noun else f"{fmt_count(f.value)} {noun}"
            for key, noun in items if (f := figure(key, False)).value]
    text = joined(said)
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
    earlier = [figure(k, True) for k in sides[0]]
    if any(f.absent for f in earlier):  # the unit was founded since: no change to tell
        return Part("", keys, zero=True)
    before = sum(f.value for f in earlier)
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
