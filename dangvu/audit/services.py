"""Record changes. Called by services inside their transactions."""

import datetime

from django.db import models, transaction
from django.dispatch import Signal

from dangvu.audit.models import AuditEntry


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def snapshot(obj, fields) -> dict:
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        if field.is_relation and value is not None:
            value = str(getattr(obj, name))
        out[name] = _plain(value)
    return out


def diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


# Sent when a transaction that recorded a change altering figures has committed (the figure
# store queues its recount: dangvu/figures/recount.py).
figures_changed = Signal()


def audit_record(*, actor, action: str, obj, unit_path: str, changes: dict | None = None,
                 figures_from: datetime.date | None = None, figure_paths=(), alters_figures: bool = True) -> AuditEntry:
    """Who changed what; for the figure store, also what it can alter: from `figures_from` on
    (None: any day), at `unit_path` and `figure_paths`, and above and below them."""
    entry = AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        unit_path=unit_path,
        changes=changes or {},
        alters_figures=alters_figures,
        figures_from=figures_from,
        figure_paths=sorted(set(figure_paths) - {unit_path}),
    )
    if alters_figures:
        transaction.on_commit(lambda: figures_changed.send(sender=AuditEntry, entry_id=entry.pk))
    return entry


def audit_for(obj):
    return AuditEntry.objects.filter(model=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")
