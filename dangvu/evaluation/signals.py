"""Open rounds follow the members and the tree: a change to a member's membership, exemption or
roles, once committed, moves their ratings in the open rounds (services.sync_member); a unit
founded, closed, moved, merged or split re-lists the organisations (services.sync_units)."""

from django.dispatch import receiver

from dangvu.audit.services import figures_changed

FOLLOWED = {"orgs.member": None, "orgs.exemption": "member_id", "orgs.unitrole": "member_id"}
UNITS = "orgs.orgunit"


@receiver(figures_changed)
def follow_member(sender, entry_id: int, **kwargs) -> None:
    from dangvu.audit.models import AuditEntry
    from dangvu.evaluation.models import Round
    from dangvu.evaluation.services import sync_member, sync_units

    entry = AuditEntry.objects.filter(pk=entry_id, model__in=[*FOLLOWED, UNITS]).values("model", "object_id").first()
    if entry is None or not Round.objects.filter(status=Round.Status.OPEN).exists():
        return
    if entry["model"] == UNITS:
        sync_units()
        return
    field = FOLLOWED[entry["model"]]
    if field is None:
        member_id = int(entry["object_id"])
    else:
        from django.apps import apps

        model = apps.get_model(entry["model"])
        member_id = model.objects.filter(pk=entry["object_id"]).values_list(field, flat=True).first()
    if member_id is not None:
        sync_member(member_id)
