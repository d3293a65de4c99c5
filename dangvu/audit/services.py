"""Record changes. Called by services inside their transactions."""

import datetime

from django.db import models

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


def audit_record(*, actor, action: str, obj, unit_path: str, changes: dict | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        unit_path=unit_path,
        changes=changes or {},
    )


def audit_for(obj):
    return AuditEntry.objects.filter(model=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")
