"""Open rounds follow the members: a change to a member's membership, exemption or roles,
once committed, moves their ratings in the open rounds (services.sync_member)."""

from django.dispatch import receiver

from dangvu.audit.services import figures_changed

FOLLOWED = {"orgs.member": None, "orgs.exemption": "member_id", "orgs.unitrole": "member_id"}


@receiver(figures_changed)
def follow_member(sender, entry_id: int, **kwargs) -> None:
    from dangvu.audit.models import AuditEntry
    from dangvu.evaluation.models import Round
    from dangvu.evaluation.services import sync_member

    entry = AuditEntry.objects.filter(pk=entry_id, model__in=list(FOLLOWED)).values("model", "object_id").first()
    if entry is None or not Round.objects.filter(status=Round.Status.OPEN).exists():
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
