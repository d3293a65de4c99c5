from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who changed what, when, with the values before and after."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Edit")
        DELETE = "delete", _("Deleted")
        MOVE = "move", _("Transferred")
        MERGE = "merge", _("Merged")
        SPLIT = "split", _("Split")
        IMPORT = "import", _("Import from Excel")
        ERASE = "erase", _("Personal data erased")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+",
                              verbose_name=_("changed by"))
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action taken"), max_length=10, choices=Action.choices)
    model = models.CharField(_("kind of record"), max_length=60)
    object_id = models.CharField(_("record id"), max_length=40)
    object_repr = models.CharField(_("record changed"), max_length=200)
    # The unit the object belongs to, so the trail is scoped like everything else.
    unit_path = models.CharField(_("unit (tree path)"), max_length=255, db_index=True)
    changes = models.JSONField(_("changes made"), default=dict)
    # What the change can alter in the figures (dangvu/figures/store.py): whether it can at all,
    # the first day it alters (empty: any day), and the units whose figures it alters beside
    # `unit_path` (a member's essay counts where the member took part, not where they are now).
    alters_figures = models.BooleanField(_("alters figures"), default=True)
    figures_from = models.DateField(_("figures altered from"), null=True, blank=True)
    figure_paths = models.JSONField(_("units whose figures it alters"), default=list, blank=True)

    class Meta:
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    @property
    def sentences(self) -> list[str]:
        return describe(self)


# names in change logs that are no model field: what they are called
_EXTRA_LABELS = {
    "period": _("period"), "reference": _("number"), "points": _("connection points"), "subject": _("subject"),
    "thresholds": _("thresholds"), "version": _("submission"), "members": _("members"), "units": _("units"),
    "documents": _("documents"), "attachments": _("attachments"), "marks": _("attendance"),
    "parent": _("unit directly above"), "date": _("date"),
}


def _shown(field, value) -> str:
    """A stored value as a person reads it: a choice's label, yes/no, a Vietnamese date."""
    import datetime

    if value in (None, "", [], {}):
        return str(_("(empty)"))
    if field is not None and getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            pass
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def describe(entry: "AuditEntry") -> list[str]:
    """The change as sentences ("Đổi loại đơn vị từ Chi bộ thành Đảng bộ cơ sở."), with the
    fields' labels and displayed values, not field names."""
    from django.apps import apps

    try:
        model = apps.get_model(entry.model)
    except (LookupError, ValueError):
        model = None
    if entry.action == AuditEntry.Action.ERASE:
        return [_erased_sentence(model, entry.changes.get("erased") or [])]
    out = []
    for name, pair in (entry.changes or {}).items():
        before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        try:
            field = model._meta.get_field(name) if model is not None else None
        except Exception:  # a name that is no field (period, reference…)
            field = None
        label = str(getattr(field, "verbose_name", None) or _EXTRA_LABELS.get(name, name.replace("_", " ")))
        old, new = _shown(field, before), _shown(field, after)
        if before in (None, "", [], {}):
            out.append(str(_("%(field)s: %(value)s.")) % {"field": label[:1].upper() + label[1:], "value": new})
        elif after in (None, "", [], {}):
            out.append(str(_("Cleared %(field)s (was %(before)s).")) % {"field": label, "before": old})
        else:
            out.append(str(_("Changed %(field)s from %(before)s to %(after)s.")) % {
                "field": label, "before": old, "after": new})
    return out


def _erased_sentence(model, names: list[str]) -> str:
    """An erasure names the fields it emptied, never what they held."""
    labels = []
    for name in names:
        if name == "account":
            labels.append(str(_("the login account (deactivated)")))
            continue
        try:
            labels.append(str(model._meta.get_field(name).verbose_name))
        except Exception:  # a name that is no field
            labels.append(name.replace("_", " "))
    return str(_("Erased: %(fields)s.")) % {"fields": ", ".join(labels)}


class RecordRead(models.Model):
    """Someone read a member's record: who, whose, when, from which page. Apart from the change
    log: one row written per read, with what the page had already fetched, and nothing else."""

    class Via(models.TextChoices):
        PAGE = "page", _("Member page")
        API = "api", _("API")
        EXPORT = "export", _("Download of one's own data")

    reader = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+",
                               verbose_name=_("read by"))
    # kept if the member's row ever goes: who read, where and when still stands
    member = models.ForeignKey("orgs.Member", models.SET_NULL, null=True, related_name="+",
                               verbose_name=_("whose record"))
    # the member's cell when read: the log is scoped like everything else
    unit_path = models.CharField(_("unit (tree path)"), max_length=255, db_index=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    via = models.CharField(_("read through"), max_length=10, choices=Via.choices)

    class Meta:
        verbose_name = _("reading of a member's record")
        verbose_name_plural = _("readings of members' records")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["member", "at"]), models.Index(fields=["reader", "at"])]
