"""Every write to templates and reports: atomic, audited. Building runs as a job (tasks.py)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record
from dangvu.lib import measures
from dangvu.lib.cleaning import control_character_error
from dangvu.lib.concurrency import EditConflict
from dangvu.lib.periods import Period, possible_year
from dangvu.orgs.models import OrgUnit
from dangvu.reports import default_template
from dangvu.reports.models import Report, ReportTemplate, ReportVersion, SectionKind, TemplateVersion
from dangvu.reports.wording import TemplateError, keys_in

KINDS = SectionKind.values
MAX_SECTIONS = 100


# --- templates ------------------------------------------------------------------------------

def shipped_template() -> ReportTemplate:
    """The template that ships (no unit), as default_template says: made on first use, and a
    new version of it when a release changes it (reports keep the version they were built from)."""
    with transaction.atomic():
        template = ReportTemplate.objects.select_for_update().filter(unit__isnull=True).order_by("pk").first()
        if template is None:
            template = ReportTemplate.objects.create(unit=None, name=default_template.NAME)
        latest = template.latest
        if latest is None or (latest.title, latest.sections) != (default_template.TITLE, default_template.SECTIONS):
            TemplateVersion.objects.create(template=template, number=(latest.number if latest else 0) + 1,
                                           title=default_template.TITLE, sections=default_template.SECTIONS)
        if template.name != default_template.NAME:
            template.name = default_template.NAME
            template.save(update_fields=["name"])
    return template


def check_sections(sections: list[dict]) -> list[dict]:
    """Sections as stored, or a ValidationError naming the section (by its place and title)
    and what is wrong with it."""
    if not sections:
        raise ValidationError({"sections": _("A template needs at least one section.")})
    if len(sections) > MAX_SECTIONS:
        raise ValidationError({"sections": _("A template has at most %(n)s sections.") % {"n": MAX_SECTIONS}})
    seen, out = set(), []
    for n, section in enumerate(sections, start=1):
        title = (section.get("title") or "").strip()
        where = _("Section %(n)s (“%(title)s”)") % {"n": n, "title": title[:60]}
        kind = section.get("kind")
        if kind not in KINDS:
            raise ValidationError({"sections": _("%(where)s: unknown kind of section.") % {"where": where}})
        if not title:
            raise ValidationError({"sections": _("Section %(n)s has no title.") % {"n": n}})
        key = (section.get("key") or "").strip() or f"muc-{n}"
        if key in seen:
            key = f"{key}-{n}"
        seen.add(key)
        text = (section.get("text") or "").strip()
        for label, value in ((_("title"), title), (_("text"), text)):
            problem = control_character_error(value, f"{where} · {label}")
            if problem:
                raise ValidationError({"sections": problem})
        chosen = [k for k in section.get("measures") or [] if k]
        try:
            unknown = [k for k in keys_in(text) + chosen if measures.get(k) is None]
        except TemplateError as exc:
            raise ValidationError({"sections": f"{where}: {exc}"}) from None
        if unknown:
            raise ValidationError({"sections": _("%(where)s names a figure that does not exist: %(keys)s.")
                                   % {"where": where, "keys": ", ".join(unknown)}})
        if kind in ("chart", "table") and not chosen:
            raise ValidationError({"sections": _("%(where)s: choose the figures it shows.") % {"where": where}})
        level = section.get("level") if section.get("level") in (1, 2, 3) else 2
        out.append({"key": key, "kind": kind, "level": level, "title": title[:500], "text": text[:10000],
                    **({"measures": chosen} if kind in ("chart", "table") else {})})
    return out


@transaction.atomic
def template_create(*, actor, unit: OrgUnit, name: str, based_on: ReportTemplate) -> ReportTemplate:
    """A committee's own template, starting as a copy of another's latest version."""
    if not name.strip():
        raise ValidationError({"name": _("Give the template a name.")})
    source = based_on.latest
    template = ReportTemplate.objects.create(unit=unit, name=name.strip()[:200])
    TemplateVersion.objects.create(template=template, number=1, title=source.title, sections=source.sections,
                                   author=_user(actor))
    audit_record(alters_figures=False, actor=actor, action=AuditEntry.Action.CREATE, obj=template, unit_path=unit.path,
                 changes={"name": [None, template.name]})
    return template


@transaction.atomic
def template_revise(*, actor, template: ReportTemplate, title: str, sections: list[dict]) -> TemplateVersion:
    """A new version of a committee's template; reports already written keep theirs."""
    if template.unit_id is None:
        raise ValidationError(_("The template that ships cannot be changed; make a copy for your committee."))
    if len(title.strip()) < 5:
        raise ValidationError({"title": _("The summary line is too short.")})
    problem = control_character_error(title, _("summary line"))
    if problem:
        raise ValidationError({"title": problem})
    checked = check_sections(sections)
    latest = ReportTemplate.objects.select_for_update().get(pk=template.pk).latest
    version = TemplateVersion.objects.create(template=template, number=latest.number + 1, title=title.strip()[:500],
                                             sections=checked, author=_user(actor))
    audit_record(alters_figures=False, actor=actor, action=AuditEntry.Action.UPDATE, obj=template, unit_path=template.unit.path,
                 changes={"version": [latest.number, version.number]})
    return version


# --- reports --------------------------------------------------------------------------------

def check_period(start: datetime.date, end: datetime.date) -> Period:
    for name, day in (("from", start), ("to", end)):
        if not possible_year(day.year):
            raise ValidationError({name: _("The year %(year)s is not possible.") % {"year": day.year}})
    if start > end:
        raise ValidationError({"from": _("The start of the period is after its end.")})
    return Period(start, end)


def check_unit_existed(unit: OrgUnit, period: Period) -> None:
    """A unit has no figures for a time before it was founded (a commune or province formed by
    the merger of 1/7/2025 has no 2024): a report of such a period is refused on its last day.
    A period that the founding falls in is reported from the founding on."""
    if period.end < unit.valid_from:
        raise ValidationError({"to": _("“%(name)s” was founded on %(d)s: the period of a report of it must end on "
                                       "or after that day.")
                               % {"name": unit.name, "d": unit.valid_from.strftime("%d/%m/%Y")}})


@transaction.atomic
def report_create(*, actor, unit: OrgUnit, start: datetime.date, end: datetime.date,
                  template: ReportTemplate | None = None) -> Report:
    """A report of the unit for the period, queued to be built from the template's latest version."""
    check_unit_existed(unit, check_period(start, end))
    version = (template or shipped_template()).latest
    from dangvu.reports.build import default_head, fill_words, words_for

    head = default_head(unit, timezone.localdate())
    head["title"] = fill_words(version.title, words_for(unit, Period(start, end)))
    report = Report.objects.create(unit=unit, start=start, end=end, template=version, head=head,
                                   created_by=_user(actor))
    audit_record(alters_figures=False, actor=actor, action=AuditEntry.Action.CREATE, obj=report, unit_path=unit.path,
                 changes={"period": [None, f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"]})
    _queue_build(report)
    return report


def _queue_build(report: Report) -> None:
    from dangvu.jobs import runner
    from dangvu.reports.tasks import BUILD

    runner.enqueue(BUILD, report.pk, user=report.created_by)


@transaction.atomic
def report_rebuild(*, actor, report: Report) -> Report:
    """Compute the figures again and render the computed sections; narrative text stays."""
    if report.status not in (Report.Status.DRAFT, Report.Status.FAILED):
        raise ValidationError(_("Only a draft can be built again; an issued report keeps its figures."))
    Report.objects.filter(pk=report.pk).update(status=Report.Status.BUILDING, error="")
    report.status = Report.Status.BUILDING
    audit_record(alters_figures=False, actor=actor, action=AuditEntry.Action.UPDATE, obj=report, unit_path=report.unit.path,
                 changes={"status": [Report.Status.DRAFT, Report.Status.BUILDING]})
    _queue_build(report)
    return report


def report_build(report: Report, progress=None) -> Report:
    """The work of the job: figures as of now, computed sections rendered, a version saved."""
    from dangvu.reports.build import compute_values, previous_keys, render_sections

    values = compute_values(report.unit, report.period, progress, previous=previous_keys(report.template.sections))
    sections = render_sections(report.template.sections, report.unit, report.period, values, report.narratives,
                               report.edits)
    with transaction.atomic():
        claimed = Report.objects.filter(pk=report.pk, status=Report.Status.BUILDING).update(
            status=Report.Status.DRAFT, values=values, sections=sections, built=timezone.now(), error="")
        if claimed:
            report.refresh_from_db()
            _version(report, None, _("Figures computed as of %(when)s.")
                     % {"when": timezone.localtime(report.built).strftime("%H:%M %d/%m/%Y")})
    return report


def _version(report: Report, actor, change: str) -> ReportVersion:
    last = report.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return ReportVersion.objects.create(report=report, number=last + 1, author=_user(actor), change=change[:300],
                                        sections=report.sections, narratives=report.narratives)


def _editable(report: Report) -> Report:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status == Report.Status.ISSUED:
        raise ValidationError(_("This report has been issued; write a correction instead."))
    if locked.status == Report.Status.BUILDING:
        raise ValidationError(_("The figures are being computed; try again in a moment."))
    return locked


@transaction.atomic
def narrative_update(*, actor, report: Report, key: str, text: str, version: int | None = None) -> Report:
    """People's text for a narrative section; kept across rebuilds; a version records it.

    `version` is the section's count of saves the writer opened (Report.narrative_versions):
    if someone saved other text in the section since, EditConflict and nothing is written
    (None: no check). The report's row is locked meanwhile, so two saves cannot cross."""
    report = _editable(report)
    section = next((s for s in report.sections if s["key"] == key and s["kind"] == "narrative"), None)
    if section is None:
        raise ValidationError({"key": _("This report has no such section to write.")})
    text = text.replace("\r\n", "\n").strip()
    if len(text) > 50000:
        raise ValidationError({"text": _("The text is too long: at most 50.000 characters.")})
    before = report.narratives.get(key, "")
    if text == before:  # the same words as stored: nobody's text is lost
        return report
    saved = report.narrative_versions.get(key, 0)
    if version is not None and version != saved:
        raise EditConflict(saved)
    report.narratives = {**report.narratives, key: text}
    report.narrative_versions = {**report.narrative_versions, key: saved + 1}
    section["text"] = text
    report.save(update_fields=["narratives", "narrative_versions", "sections"])
    _version(report, actor, _("Section “%(title)s” edited.") % {"title": section["title"].replace("\n", " ")})
    audit_record(alters_figures=False, actor=actor, action=AuditEntry.Action.UPDATE, obj=report, unit_path=report.unit.path,
                 changes={f"narrative:{key}": [before[:200], text[:200]]})
    return report


@transaction.atomic
def computed_update(*, actor, report: Report, key: str, text: str, version: int | None = None) -> Report:
    """People's wording of a computed section (a word changed, a sentence added), so that nobody
    copies the template to change a word: kept across rebuilds, and marked when the figures
    under it say something else since (a save of the same text, seen beside the new figures,
    clears the mark). Empty text, or the computed text itself, gives the section back to the
    figures. `version` as narrative_update: the section's count of saves the writer opened."""
    from dangvu.reports.build import apply_edit

    report = _editable(report)
    section = next((s for s in report.sections if s["key"] == key and s.get("computed")), None)
    if section is None:
        raise ValidationError({"key": _("This report has no such section to write.")})
    text = text.replace("\r\n", "\n").strip()
    if len(text) > 50000:
        raise ValidationError({"text": _("The text is too long: at most 50.000 characters.")})
    computed = section.get("computed_text", section.get("text", ""))
    if _lines(text) == _lines(computed):
        text = ""  # the figures' own words: nothing edited
    before = report.edits.get(key, {}).get("text", "")
    if text == before and not (text and section.get("stale")):  # nothing changes, nobody's text is lost
        return report
    saved = report.narrative_versions.get(key, 0)
    if version is not None and version != saved:
        raise EditConflict(saved)
    edit = {"text": text, "over": computed} if text else None
    report.edits = {**{k: v for k, v in report.edits.items() if k != key}, **({key: edit} if edit else {})}
    report.narrative_versions = {**report.narrative_versions, key: saved + 1}
    apply_edit(section, edit)
    report.save(update_fields=["edits", "narrative_versions", "sections"])
    title = section["title"].replace("\n", " ")
    _version(report, actor, _("Section “%(title)s” edited.") % {"title": title} if edit
             else _("Section “%(title)s” given back to the figures.") % {"title": title})
    audit_record(alters_figures=False, actor=actor, action=AuditEntry.Action.UPDATE, obj=report,
                 unit_path=report.unit.path, changes={f"computed:{key}": [before[:200], text[:200]]})
    return report


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


HEAD_FIELDS = ("above", "issuer", "place", "on_behalf", "signer_title", "signer", "title")


@transaction.atomic
def head_update(*, actor, report: Report, recipients: list[str] | None = None, version: int | None = None,
                **fields) -> Report:
    """What the head and the foot say (bodies, place, signer, summary line, recipients).
    `version`: the count of the form's saves the writer opened (Report.head_version); if
    someone saved other values since, EditConflict and nothing is written (None: no check)."""
    report = _editable(report)
    unknown = set(fields) - set(HEAD_FIELDS)
    if unknown:
        raise TypeError(f"unknown head fields {sorted(unknown)}")
    head = dict(report.head)
    for name, value in fields.items():
        head[name] = (value or "").strip()[:500]
    if recipients is not None:
        head["recipients"] = [r.strip()[:300] for r in recipients if r.strip()][:30]
    if not head.get("issuer"):
        raise ValidationError({"issuer": _("Name the issuing body.")})
    changes = {k: [str(report.head.get(k, "")), str(head.get(k, ""))] for k in head if report.head.get(k) != head.get(k)}
    if not changes:  # the same values as stored: nobody's change is lost
        return report
    if version is not None and version != report.head_version:
        raise EditConflict(report.head_version)
    report.head = head
    report.head_version += 1
    report.save(update_fields=["head", "head_version"])
    _version(report, actor, _("Heading and signature edited."))
    audit_record(alters_figures=False, actor=actor, action=AuditEntry.Action.UPDATE, obj=report, unit_path=report.unit.path,
                 changes=changes)
    return report


@transaction.atomic
def report_issue(*, actor, report: Report, on: datetime.date | None = None) -> Report:
    """Give the report its number (the next BC of the unit in its term, from the register),
    and freeze it: its figures, its text and its .docx stay as they are today."""
    from dangvu.documents.services import document_issue
    from dangvu.reports.document import report_docx

    report = _editable(report)
    if report.status != Report.Status.DRAFT:
        raise ValidationError(_("Build the report before issuing it."))
    on = on or timezone.localdate()
    _check_issuable(report, on)
    document = document_issue(actor=actor, unit=report.unit, doc_type="BC", issued_on=on,
                              summary=f"Báo cáo {report.head.get('title', '')}"[:500],
                              signer=report.head.get("signer", ""))
    report.document, report.status = document, Report.Status.ISSUED
    report.issued_docx = report_docx(report)
    report.save(update_fields=["document", "status", "issued_docx"])
    _version(report, actor, _("Issued as %(ref)s.") % {"ref": document.reference})
    audit_record(alters_figures=False, actor=actor, action=AuditEntry.Action.UPDATE, obj=report, unit_path=report.unit.path,
                 changes={"status": [Report.Status.DRAFT, Report.Status.ISSUED], "reference": [None, document.reference]})
    return report


def _check_issuable(report: Report, on: datetime.date) -> None:
    """What a committee can sign: dated on or after the day its figures were counted and not in
    the future, every section people write filled in, and someone to sign it."""
    built = timezone.localtime(report.built).date() if report.built else None
    if on > timezone.localdate():
        raise ValidationError({"issued_on": _("The issuing date is in the future: issue the report on the day it "
                                              "is signed.")})
    if built is not None and on < built:
        raise ValidationError({"issued_on": _("The report's figures were counted on %(d)s: it cannot be issued "
                                              "with an earlier date.") % {"d": built.strftime("%d/%m/%Y")}})
    stale = [s["title"] for s in report.sections if s.get("stale")]
    if stale:  # an edited sentence the figures no longer bear out is not signed
        raise ValidationError({"sections": _("The figures changed since these sections' wording was edited: check "
                                             "and save them again before issuing: %(titles)s.")
                               % {"titles": "; ".join(f"“{t}”" for t in stale)}})
    empty = [s["title"] for s in report.sections if s.get("kind") == "narrative" and not s.get("optional")
             and not report.narratives.get(s["key"], "").strip()]
    if empty:
        raise ValidationError({"sections": _("Write these sections before issuing: %(titles)s.")
                               % {"titles": "; ".join(f"“{t}”" for t in empty)}})
    if not report.head.get("signer", "").strip():
        raise ValidationError({"signer": _("Nobody is on record to sign: record the unit's secretary (its roles) "
                                           "or write the signer's name in the report's head.")})


@transaction.atomic
def report_correct(*, actor, report: Report) -> Report:
    """A new draft that corrects an issued report: same unit, period, template, head, narrative
    text and edited wording, figures computed again. The issued one stays readable as it was."""
    if report.status != Report.Status.ISSUED:
        raise ValidationError(_("Only an issued report is corrected; edit the draft instead."))
    correction = Report.objects.create(unit=report.unit, start=report.start, end=report.end, template=report.template,
                                       head=report.head, narratives=report.narratives, edits=report.edits,
                                       replaces=report,
                                       created_by=_user(actor))
    audit_record(alters_figures=False, actor=actor, action=AuditEntry.Action.CREATE, obj=correction, unit_path=report.unit.path,
                 changes={"replaces": [None, report.document.reference if report.document_id else str(report.pk)]})
    _queue_build(correction)
    return correction


def report_pdf(*, actor, report: Report) -> bytes | None:
    """The report's PDF when it is made; otherwise its making is queued as a job (once) and
    None: the page says it is coming, the API answers 409."""
    from dangvu.jobs import runner
    from dangvu.reports.document import pdf_ready
    from dangvu.reports.tasks import PDF

    data = pdf_ready(report)
    if data is None and runner.active(PDF, report.pk) is None:
        runner.enqueue(PDF, report.pk, user=_user(actor))
    return data


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None
