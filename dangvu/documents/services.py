"""Registering documents and allocating their numbers. Atomic and audited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record
from dangvu.documents.models import CONGRESS_SERIES, DocType, Document, NumberCounter, shared_by_default
from dangvu.lib import uploads
from dangvu.lib.files import extract_text
from dangvu.orgs.models import OrgUnit, Term


def term_on(unit: OrgUnit, day: datetime.date) -> Term | None:
    """The unit's committee term running on `day`."""
    return (unit.terms.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))
            .order_by("-start").first())


def allocate_number(*, unit: OrgUnit, term: Term, series: str) -> int:
    """The next number of a series, never the same twice even with clerks allocating at once.

    Must run inside the caller's transaction: the counter row stays locked until it
    commits, so a second clerk waits and then reads the incremented value.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number must run inside a transaction")
    # Create the row if this is the series' first number; a concurrent creator just wins.
    NumberCounter.objects.bulk_create([NumberCounter(unit=unit, term=term, series=series)], ignore_conflicts=True)
    counter = NumberCounter.objects.select_for_update().get(unit=unit, term=term, series=series)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _attach(doc: Document, file_name: str | None, data: bytes | None, text: str) -> None:
    """Read and store the file; on a full disk NoRoom (a ValidationError naming the file), with
    no partial file left (dangvu/lib/uploads.py)."""
    if data is not None:
        uploads.check_room(doc.file.storage, file_name, len(data))  # before seconds are spent reading it
        doc.text = extract_text(file_name, data) if not text else text
        uploads.store(doc.file, file_name, data)


def document_files_sweep(older_than: datetime.timedelta = uploads.STRAY_FILE_AGE) -> list[str]:
    """The register's files that a killed request left without their row, removed."""
    kept = Document.objects.exclude(file="").values_list("file", flat=True)
    return uploads.stray_files_remove("documents", kept, older_than=older_than)


def document_issue(*, actor, unit: OrgUnit, doc_type: str, issued_on: datetime.date, summary: str,
                   congress: bool = False, file_name: str | None = None, data: bytes | None = None,
                   text: str = "", shared: bool | None = None, **register) -> Document:
    """A document this committee issues: its number is the next of its series in the current term.

    The file is read and stored first, outside any lock; the series counter is locked only
    for the allocation and the insert. If that transaction rolls back, the stored file goes."""
    if doc_type not in DocType.values:
        raise ValidationError({"doc_type": _("Unknown document type “%(t)s”.") % {"t": doc_type}})
    if not unit.symbol:
        raise ValidationError({"unit": _("The unit “%(unit)s” has no document symbol (for example ĐUK); "
                                         "set it on the unit first.") % {"unit": unit.name}})
    term = term_on(unit, issued_on)
    if term is None:
        raise ValidationError({"issued_on": _("The unit “%(unit)s” has no committee term on %(d)s; "
                                              "record the term first.") % {"unit": unit.name,
                                                                            "d": issued_on.strftime("%d/%m/%Y")}})
    doc = Document(unit=unit, direction=Document.Direction.ISSUED, doc_type=doc_type, issuer_symbol=unit.symbol,
                   shared=shared_by_default("issued", doc_type) if shared is None else shared,
                   term=term, congress=congress, issued_on=issued_on, summary=summary.strip(), text=text,
                   created_by=actor if actor and actor.is_authenticated else None, **_register(register))
    with uploads.discard_on_failure():  # the stored file goes if the document is not saved
        _attach(doc, file_name, data, text)
        try:
            with transaction.atomic():
                doc.number = allocate_number(unit=unit, term=term, series=CONGRESS_SERIES if congress else doc_type)
                _check_date_order(doc)
                doc.save()
                audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=doc, unit_path=unit.path,
                             figures_from=issued_on, changes={"reference": [None, doc.reference]})
        except IntegrityError:
            raise ValidationError({"doc_type": _(
                "Number %(ref)s is already in the register (entered by hand before numbers were allocated here). "
                "Ask the office to correct the register; nothing was saved.") % {"ref": doc.reference}}) from None
    return doc


def _check_date_order(doc: Document) -> None:
    """A number of a series is never dated before an earlier number of it (the series is
    locked: nothing is allocated meanwhile)."""
    earlier = Document.objects.filter(unit=doc.unit, term=doc.term, direction=Document.Direction.ISSUED,
                                      congress=doc.congress, number__lt=doc.number, issued_on__gt=doc.issued_on)
    if not doc.congress:
        earlier = earlier.filter(doc_type=doc.doc_type)
    found = earlier.order_by("-issued_on", "-number").first()
    if found is not None:
        raise ValidationError({"issued_on": _(
            "Number %(ref)s of this series was issued on %(d)s: the next number cannot be dated earlier. "
            "Date this one %(d)s or later.") % {"ref": found.reference, "d": found.issued_on.strftime("%d/%m/%Y")}})


def document_receive(*, actor, unit: OrgUnit, doc_type: str, number: int | None, issuer_symbol: str,
                     issued_on: datetime.date, summary: str, file_name: str | None = None,
                     data: bytes | None = None, text: str = "", shared: bool | None = None, **register) -> Document:
    """A document received from another body, recorded with its own number."""
    if doc_type not in DocType.values:
        raise ValidationError({"doc_type": _("Unknown document type “%(t)s”.") % {"t": doc_type}})
    if not issuer_symbol.strip():
        raise ValidationError({"issuer_symbol": _("Give the issuer's symbol, for example TW or TU.")})
    doc = Document(unit=unit, direction=Document.Direction.RECEIVED, doc_type=doc_type, number=number,
                   shared=shared_by_default("received", doc_type) if shared is None else shared,
                   issuer_symbol=issuer_symbol.strip(), issued_on=issued_on, summary=summary.strip(), text=text,
                   created_by=actor if actor and actor.is_authenticated else None, **_register(register))
    with uploads.discard_on_failure():  # the stored file goes if the document is not saved
        _attach(doc, file_name, data, text)  # read before the transaction: SQLite's write lock waits for nothing
        with transaction.atomic():
            doc.save()
            audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=doc, unit_path=unit.path,
                         figures_from=issued_on, changes={"reference": [None, doc.reference]})
    return doc


REGISTER_FIELDS = ("correspondent", "signer", "incoming_number", "received_on")


def _register(values: dict) -> dict:
    """The register's own fields, checked: unknown names are a programming error."""
    unknown = set(values) - set(REGISTER_FIELDS)
    if unknown:
        raise TypeError(f"unknown register fields {sorted(unknown)}")
    out = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items() if v not in (None, "")}
    from dangvu.lib.periods import possible_year

    if out.get("received_on") and not possible_year(out["received_on"].year):
        raise ValidationError({"received_on": _("The year %(year)s is not possible.") % {"year": out["received_on"].year}})
    return out


@transaction.atomic
def document_update(*, actor, doc: Document, summary: str, text: str | None = None, shared: bool | None = None,
                    **register) -> Document:
    """Correct what a register entry says (its summary, where it came from or went, who signed,
    the incoming entry, whether it is shared below); its number, type and date stay as
    allocated. Audited."""
    if len(summary.strip()) < 3:
        raise ValidationError({"summary": _("The summary is too short.")})
    fields = ("summary",) + REGISTER_FIELDS + (("text",) if text is not None else ()) + (
        ("shared",) if shared is not None else ())
    before = {f: getattr(doc, f) for f in fields}
    doc.summary = summary.strip()
    if shared is not None:
        doc.shared = shared
    for name in REGISTER_FIELDS:
        value = register.get(name)
        setattr(doc, name, (value or "").strip() if name in ("correspondent", "signer") else value or None)
    if text is not None:
        doc.text = text
    doc.save()
    changes = {f: [str(before[f] or ""), str(getattr(doc, f) or "")] for f in fields if before[f] != getattr(doc, f)}
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=doc, unit_path=doc.unit.path, changes=changes)
    return doc


@transaction.atomic
def document_withdraw(*, actor, doc: Document, reason: str, on: datetime.date | None = None) -> Document:
    """Withdraw (thu hồi) a document: it stays in the register with its number, marked."""
    if doc.withdrawn_on is not None:
        raise ValidationError(_("It was already withdrawn on %(d)s.") % {"d": doc.withdrawn_on.strftime("%d/%m/%Y")})
    if not reason.strip():
        raise ValidationError({"withdraw_reason": _("Say why it is withdrawn.")})
    from django.utils import timezone

    doc.withdrawn_on, doc.withdraw_reason = on or timezone.localdate(), reason.strip()[:300]
    doc.save(update_fields=["withdrawn_on", "withdraw_reason"])
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=doc, unit_path=doc.unit.path,
                 changes={"withdrawn_on": [None, doc.withdrawn_on.isoformat()], "withdraw_reason": [None, doc.withdraw_reason]})
    return doc
