"""Building a report: its figures from the measures, its computed sections rendered from
them. (Its head comes from dangvu.documents.letterhead.) Narrative text is never touched here."""

import datetime
import re

from django.db.models import Q
from django.utils import timezone

# the head lives with the documents; reports.services still takes default_head from here
from dangvu.documents.letterhead import default_head, issuer_of  # noqa: F401
from dangvu.figures.selectors import children_in
from dangvu.lib import measures
from dangvu.lib.measures import Value
from dangvu.lib.periods import Period
from dangvu.orgs.models import OrgUnit, UnitKind, path_prefixes
from dangvu.reports.wording import (
    CITED,
    Context,
    Figure,
    Part,
    fmt_count,
    fmt_percent,
    keys_in,
    plain,
    previous_keys_in,
    render_paragraphs,
)

# what a computed section says when every clause of it was left out (all its figures zero)
NOTHING_RECORDED = "Trong kỳ chưa có số liệu được ghi nhận về nội dung này."
NO_TARGETS = "Trong kỳ, đơn vị không có chỉ tiêu được giao và chưa giao chỉ tiêu cho các đơn vị trực thuộc."


def previous_keys(template_sections: list[dict]) -> list[str]:
    """The measures a template needs for the period before: its appendix tables' and those
    its paragraphs ask with {key|prev}. (Only these: the period before costs as much again.)"""
    keys = set()
    for section in template_sections:
        if section.get("kind") == "table":
            keys.update(section.get("measures", []))
        elif section.get("kind") == "computed":
            keys.update(previous_keys_in(section.get("text", "")))
    return sorted(k for k in keys if measures.get(k))


def compute_values(unit: OrgUnit, period: Period, progress=None, previous: list[str] | None = None) -> dict:
    """Every registered measure for the unit and its sub-units over the period, and the
    `previous` ones (all when None) over the period before, as JSON: what a report is
    written from and what issuing freezes."""
    children = children_in(unit, period)
    paths = [unit.path] + [c.path for c in children]
    out = {"units": [[unit.path, unit.name]] + [[c.path, c.name] for c in children]}
    before = None if previous is None else [measures.get(k) for k in previous]
    # a unit founded after the period before ended has no figure for it (not a zero to compare with)
    earlier = period.previous()
    out["new_units"] = [u.path for u in [unit, *children] if u.valid_from > earlier.end]
    if unit.path in out["new_units"]:
        before = []
    for n, (name, span, chosen) in enumerate((("current", period, None), ("previous", earlier, before))):
        if progress:
            progress(n, 2)
        shown = [p for p in paths if name == "current" or p not in out["new_units"]]
        # a report shows the unit and its sub-units: the roll-up stops one level down
        computed = measures.compute_all(unit, span, chosen, levels=1) if chosen != [] else {}
        out[name] = {key: {p: _json(measures.value_at(values, p, measures.get(key))) for p in shown}
                     for key, values in computed.items()}
    out["targets"] = targets_attained(unit, period)
    out["targets_above"] = targets_from_above(unit, period)
    out["documents"] = documents_cited(unit, period)
    if progress:
        progress(2, 2)
    return out


def targets_attained(unit: OrgUnit, period: Period) -> list[dict]:
    """The targets the unit set for its subtree over the period, each with how many of the
    units concerned met it: "229/321 chi bộ, đạt 71,33% kế hoạch"."""
    from dangvu.targets.models import Target
    from dangvu.targets.services import attainment

    found = Target.objects.filter(unit=unit, start__lte=period.end, end__gte=period.start).order_by("start", "title")
    out = []
    for target in found.select_related("unit"):
        result = attainment(target)
        out.append({"id": target.pk, "title": target.title, "measure": target.measure, "noun": str(target.noun),
                    "met": result.met, "units": result.units, "rate": result.rate})
    return out


def targets_from_above(unit: OrgUnit, period: Period) -> list[dict]:
    """The targets committees above set for this unit over the period, each with the unit's
    own value against what it was asked: what its report owes the committee above."""
    from dangvu.targets.services import targets_on

    out = []
    for result in targets_on(unit, {m.key for m in measures.all_measures()}):
        target = result.target
        if target.start > period.end or target.end < period.start:
            continue
        out.append({"id": target.pk, "title": target.title, "measure": target.measure, "by": issuer_of(target.unit),
                    "value": result.value, "required": result.required, "met": result.met,
                    "rate": bool(measures.get(target.measure).rate)})
    return out


def documents_cited(unit: OrgUnit, period: Period) -> dict:
    """What a report may cite, by type: {"studied"|"issued": {type: {"count", "first"}}}, the
    first CITED of each type by date. Studied: the documents of the campaigns its study figures
    count; issued: its own register's, dated in the period. Only what its readers may read:
    its own register and what was shared from above (never a sub-unit's or another branch's
    decision), none withdrawn."""
    from dangvu.documents.models import Document
    from dangvu.study.measures import campaigns_reaching

    kept = Document.objects.filter(withdrawn_on__isnull=True).select_related("unit").order_by("issued_on", "number", "id")
    readable = Q(unit=unit) | Q(unit__path__in=path_prefixes(unit.path), shared=True)
    studied = kept.filter(readable, pk__in=Document.objects.filter(campaigns__in=campaigns_reaching(unit, period)))
    issued = kept.filter(unit=unit, direction=Document.Direction.ISSUED, issued_on__gte=period.start,
                         issued_on__lte=period.end)
    return {"studied": _by_type(studied, unit), "issued": _by_type(issued, unit)}


def _by_type(documents, unit: OrgUnit) -> dict:
    out: dict[str, dict] = {}
    for doc in documents:
        group = out.setdefault(doc.doc_type, {"count": 0, "first": []})
        group["count"] += 1
        if len(group["first"]) < CITED:
            group["first"].append(_citable(doc, unit))
    return out


def _citable(doc, unit: OrgUnit) -> dict:
    """A register entry as a citation needs it; `by`: who issued it, when not the unit itself."""
    if doc.direction == doc.Direction.RECEIVED:
        by = doc.correspondent.strip()
    else:
        by = "" if doc.unit_id == unit.pk else issuer_of(doc.unit)
    return {"id": doc.pk, "type": doc.doc_type, "number": doc.number, "reference": doc.reference,
            "date": f"{doc.issued_on:%d/%m/%Y}", "on": doc.issued_on.isoformat(), "by": by, "summary": doc.summary}


def cited_documents(values: dict, which: str, types: tuple[str, ...]) -> tuple[list[dict], int]:
    """The documents a {documents:…} names, by date (the first CITED), and how many in all."""
    groups = values.get("documents", {}).get(which, {})
    chosen = [groups[t] for t in (types or groups) if t in groups]
    first = sorted((d for g in chosen for d in g["first"]), key=lambda d: (d["on"], d["number"] or 0, d["id"]))
    return first[:CITED], sum(g["count"] for g in chosen)


def sub_unit_figures(values: dict, key: str) -> list[tuple[str, Figure]]:
    """Each direct sub-unit's name and figure, as the report's values hold them."""
    return [(name, figure_of(values, key, path)) for path, name in values.get("units", [])[1:]
            if path in values.get("current", {}).get(key, {})]


def _json(value: Value) -> list:
    return [value.value, value.numerator, value.denominator]


def figure_of(values: dict, key: str, path: str, previous: bool = False) -> Figure:
    measure = measures.get(key)
    found = values.get("previous" if previous else "current", {}).get(key, {}).get(path)
    if previous and path in values.get("new_units", ()):  # founded since: nothing to compare with
        return Figure(0, rate=bool(measure and measure.rate), absent=True)
    if measure is None or found is None:
        return Figure(0, rate=bool(measure and measure.rate))
    return Figure(found[0], found[1], found[2], rate=measure.rate)


def figures_of(values: dict, path: str) -> dict[str, float]:
    """The API's "figures": every measure's value for the report's own unit."""
    return {key: by_path[path][0] for key, by_path in values.get("current", {}).items() if path in by_path}


def words_for(unit: OrgUnit, period: Period, today: datetime.date | None = None) -> dict[str, str]:
    """Words about the report. Built before its period ends, it tells the day its figures were
    counted ("Tính đến ngày 05/12/2026"), never the period's end, which has not come."""
    today = today or timezone.localdate()
    end = min(period.end, today)
    founded = unit.valid_from
    return {"unit": unit.name, "year": str(period.end.year), "next_year": str(period.end.year + 1),
            "end": f"{end:%d/%m/%Y}", "start": f"{period.start:%d/%m/%Y}",
            "until": f"Đến ngày {end:%d/%m/%Y}" if end == period.end else f"Tính đến ngày {end:%d/%m/%Y}",
            # a unit founded within the period is reported from its founding: the text says so
            "since": f" (thành lập ngày {founded:%d/%m/%Y})" if period.start < founded <= period.end else ""}


def fill_words(text: str, words: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: words.get(m.group(1), m.group(0)), text)


def render_sections(template_sections: list[dict], unit: OrgUnit, period: Period, values: dict,
                    narratives: dict[str, str], edits: dict[str, dict] | None = None) -> list[dict]:
    """The report's sections in the template's order: computed ones from the figures (or as
    people edited them: Report.edits), narrative ones from people's text (or empty, with the
    template's hint beside)."""
    words = words_for(unit, period)

    def figure(key, previous):
        return figure_of(values, key, unit.path, previous)

    context = Context(cell=unit.kind == UnitKind.CELL, sub_units=lambda key: sub_unit_figures(values, key),
                      documents=lambda which, types: cited_documents(values, which, types))

    out = []
    for section in template_sections:
        kind = section.get("kind", "narrative")
        rendered = {"key": section["key"], "kind": kind, "level": section.get("level", 2),
                    "title": fill_words(section.get("title", ""), words), "computed": kind == "computed",
                    "measures": section.get("measures", [])}
        if kind == "computed":
            paragraphs = render_paragraphs(section.get("text", ""), figure, words, context) or [[Part(NOTHING_RECORDED)]]
            rendered["paragraphs"] = [[p.as_dict() for p in parts] for parts in paragraphs]
            rendered["text"] = "\n\n".join(plain(parts) for parts in paragraphs)
            rendered["keys"] = sorted(set(keys_in(section.get("text", ""))))
        elif kind == "targets":
            above, set_here = values.get("targets_above", []), values.get("targets", [])
            paragraphs = [_target_from_above(t) for t in above] + [
                [Part(f"Chỉ tiêu “{t['title']}” giao cho các đơn vị trực thuộc: "),
                 Part(f"{fmt_count(t['met'])}/{fmt_count(t['units'])}", [t["measure"]]),
                 Part(f" {t['noun']} đạt chỉ tiêu, bằng "), Part(fmt_percent(t["rate"]), [t["measure"]]),
                 Part(".")] for t in set_here] or [[Part(NO_TARGETS)]]
            rendered["paragraphs"] = [[p.as_dict() for p in parts] for parts in paragraphs]
            rendered["text"] = "\n\n".join(plain(parts) for parts in paragraphs)
            rendered["keys"] = sorted({t["measure"] for t in above + set_here})
            rendered["computed"] = True
        elif kind == "narrative":
            rendered["hint"] = section.get("text", "")
            rendered["text"] = narratives.get(section["key"], "")
        else:
            rendered["text"] = ""
        if rendered["computed"]:
            apply_edit(rendered, (edits or {}).get(section["key"]))
        out.append(rendered)
    return out


def apply_edit(section: dict, edit: dict | None) -> dict:
    """A computed section as people edited it: their text printed (plain, a paragraph a line),
    the computed text kept beside it, and `stale` when the figures now say other than what
    they said when it was edited. No edit: the computed text alone."""
    if section.pop("edited", False):  # as stored: back to the computed text first
        section["text"], section["paragraphs"] = section.pop("computed_text"), section.pop("computed_paragraphs")
    section.pop("stale", None)
    if edit:
        computed, lines = section.get("text", ""), [line.strip() for line in edit["text"].split("\n") if line.strip()]
        section.update(computed_text=computed, computed_paragraphs=section.get("paragraphs", []), edited=True,
                       stale=edit.get("over") != computed, text="\n\n".join(lines),
                       paragraphs=[[{"text": line}] for line in lines])
    return section


def _target_from_above(t: dict) -> list[Part]:
    """A target set from above, as its report owes it: "Chỉ tiêu “…” do Đảng ủy xã Hùng An giao:
    thực hiện 3, yêu cầu 4, chưa đạt chỉ tiêu."."""
    def shown(value):
        return fmt_percent(value) if t["rate"] else fmt_count(value)

    return [Part(f"Chỉ tiêu “{t['title']}” do {t['by']} giao: thực hiện "), Part(shown(t["value"]), [t["measure"]]),
            Part(f", yêu cầu {shown(t['required'])}, {'đạt' if t['met'] else 'chưa đạt'} chỉ tiêu.")]

