"""Two officers editing the same record: the second is told, nothing is overwritten silently.

A record that can be edited on a form counts its saves (`Versioned.version`, one more at
every save, written by the database as `version + 1`). The edit form carries the version
the officer opened; the service saving it first runs `claim_version`, an
`UPDATE … SET version = version WHERE id = … AND version = <opened>`, in the transaction that
writes. That UPDATE takes the row's write lock: a second officer saving at the same moment
waits for the first to commit, then finds the version moved on and matches no row, so two
saves from the same opened version can never both succeed. The loser gets EditConflict and
nothing is written; the page shows who changed the record and when (from the change log),
the current values, and keeps the officer's own input to apply again.

Saves through QuerySet.update() or bulk_update() do not count: use them only for fields no
edit form shows."""

import datetime

from django import forms
from django.db import models
from django.db.models import F
from django.db.models.expressions import Combinable
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Versioned(models.Model):
    version = models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        fields, read = kwargs.get("update_fields"), self.version
        if not (self._state.adding or kwargs.get("force_insert") or (fields is not None and not fields)):
            self.version = F("version") + 1  # counted by the database: a stale copy cannot go back
            if fields is not None:
                kwargs["update_fields"] = {*fields, "version"}
        try:
            super().save(*args, **kwargs)
        except BaseException:
            self.version = read
            raise
        if isinstance(self.version, Combinable):  # a database that cannot return it (no RETURNING)
            self.refresh_from_db(fields=["version"])


class EditConflict(Exception):
    """The record was saved by someone else since the officer opened it; nothing was written."""

    def __init__(self, current_version: int | None = None):
        super().__init__(_("Someone else changed this record while you were editing it."))
        self.current_version = current_version


def claim_version(model, pk, opened: int | None) -> None:
    """Inside the writing transaction: lock the row if it is still at the version the editor
    opened, else EditConflict. `opened` None (a client that sends none): no check."""
    if opened is None:
        return
    if not model._base_manager.filter(pk=pk, version=opened).update(version=F("version")):
        raise EditConflict(model._base_manager.filter(pk=pk).values_list("version", flat=True).first())


def opened_version(raw) -> int | None:
    """The version a form posted back (a hidden field); None when absent or not a number."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if 0 <= value < 2**31 else None


def conflict_message(who: str = "", when: datetime.datetime | None = None) -> str:
    """What the second officer reads: who changed the record and when, if the change log knows."""
    if who and when:
        first = _("%(who)s changed this record at %(when)s, while you were editing it.") % {
            "who": who, "when": _moment(when)}
    elif when:
        first = _("This record was changed at %(when)s, while you were editing it.") % {"when": _moment(when)}
    else:
        first = _("Someone else changed this record while you were editing it.")
    return first + " " + _("Nothing you entered has been saved. The current values are shown next to yours: "
                           "check them, then save again if your changes should still apply.")


def _moment(when: datetime.datetime) -> str:
    return timezone.localtime(when).strftime("%H:%M %d/%m/%Y")


def _shown(field: forms.Field, value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    choices = getattr(field, "choices", None)
    if choices:
        return str(dict((str(k), v) for k, v in choices).get(str(value), value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def compared(form: forms.Form, current: dict) -> list[dict]:
    """Each visible field of a valid form: its label, the value now stored, the officer's own,
    and whether they differ (what the conflict table shows)."""
    rows = []
    for name, field in form.fields.items():
        if name not in current or isinstance(field.widget, forms.HiddenInput):
            continue
        now, mine = _shown(field, current[name]), _shown(field, form.cleaned_data.get(name))
        rows.append({"label": field.label or name, "current": now, "mine": mine, "differs": now != mine})
    return rows


def conflict(form: forms.Form | None, current: dict, last_change=None) -> dict:
    """What an edit page shows when EditConflict refused a save: the message (who and when,
    from `last_change`, the record's latest change-log entry if there is one), what that
    change was, and the stored values beside the officer's own (`form`: the refused, valid
    form; None: the page shows them its own way)."""
    who, when, changes = "", None, []
    if last_change is not None:
        actor, when, changes = last_change.actor, last_change.at, list(last_change.sentences)
        if actor is not None:
            who = actor.get_full_name() or actor.get_username()
    return {"message": conflict_message(who, when), "changes": changes,
            "rows": compared(form, current) if form is not None else []}


def rebound(form_class, request, version: int | None, **kwargs):
    """The officer's input again, now carrying the current version: saving it once more applies
    it on top of the other change, knowingly."""
    form = form_class(request.POST.copy(), request.FILES or None, **kwargs)
    form.data[form.add_prefix("version")] = "" if version is None else str(version)
    return form


def conflict_answer(exc: EditConflict) -> dict:
    """The API's 409 body: what happened, and the version to read again."""
    return {"detail": _("Someone else saved this record after you read it, so nothing was saved. Read it again "
                        "(its version is now %(version)s) and send your changes with that version.")
            % {"version": exc.current_version if exc.current_version is not None else "?"},
            "version": exc.current_version}
