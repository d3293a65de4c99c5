import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.accounts.models import ApiToken, Team
from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record
from dangvu.lib.keys import READ_KEYS
from dangvu.orgs.scope import check_grantable  # the one check of teams and roles (orgs applies it to roles)


def _home_path(user) -> str:
    """Where a user's own records (their tokens) appear in the change log: their member's unit."""
    member = getattr(user, "member", None)
    return member.unit.path if member is not None else ""


TOKEN_DAYS = (30, 90, 365)  # how long a token may be made for


@transaction.atomic
def token_create(*, user, name: str, scope: str = "read", days: int = 90) -> tuple[ApiToken, str]:
    """A token that reads (or, `scope="all"`, does everything its user may) for `days` days."""
    if scope not in ("read", "all"):
        raise ValidationError({"scope": _("A token reads only, or does everything your account may.")})
    if days not in TOKEN_DAYS:
        raise ValidationError({"days": _("A token is valid for 30, 90 or 365 days.")})
    raw = ApiToken.new_raw()
    expires = timezone.localdate() + datetime.timedelta(days=days)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], digest=ApiToken.digest_of(raw),
                                    scope=scope, expires=expires)
    audit_record(alters_figures=False, actor=user, action=AuditEntry.Action.CREATE, obj=token, unit_path=_home_path(user),
                 changes={"name": [None, name], "prefix": [None, token.prefix], "scope": [None, scope],
                          "expires": [None, expires.isoformat()]})
    return token, raw


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> None:
    audit_record(alters_figures=False, actor=actor, action=AuditEntry.Action.DELETE, obj=token, unit_path=_home_path(token.user),
                 changes={"name": [token.name, None], "prefix": [token.prefix, None]})
    token.delete()


def token_user(raw: str):
    """The user a valid token acts for, carrying the token's limit (`api_token_keys`: the read
    keys for a read-only token), or None (unknown, expired, or its user inactive)."""
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(raw)).first()
    if token is None or not token.user.is_active or token.expires < timezone.localdate():
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    user = token.user
    user.api_token_keys = READ_KEYS if token.scope == "read" else None
    return user


# --- teams: who holds which keys over a subtree --------------------------------------------

def _team_changes(team: Team) -> dict:
    return {"name": team.name, "permissions": sorted(team.permissions),
            "users": sorted(team.users.values_list("username", flat=True))}


@transaction.atomic
def team_create(*, actor, unit, name: str, permissions, users=()) -> Team:
    check_grantable(actor=actor, path=unit.path, keys=permissions)
    if not name.strip():
        raise ValidationError({"name": _("This field is required.")})
    team = Team.objects.create(unit=unit, name=name.strip(), permissions=sorted(set(permissions)))
    team.users.set(users)
    audit_record(alters_figures=False, actor=actor, action=AuditEntry.Action.CREATE, obj=team, unit_path=unit.path,
                 changes={k: [None, v] for k, v in _team_changes(team).items()})
    return team


@transaction.atomic
def team_update(*, actor, team: Team, name: str, permissions, users) -> Team:
    team = Team.objects.select_for_update().select_related("unit").get(pk=team.pk)
    # removing a key one does not hold is as much a grant decision as adding it
    check_grantable(actor=actor, path=team.unit.path, keys=set(permissions) ^ set(team.permissions))
    before = _team_changes(team)
    team.name, team.permissions = name.strip(), sorted(set(permissions))
    team.save()
    team.users.set(users)
    after = _team_changes(team)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        audit_record(alters_figures=False, actor=actor, action=AuditEntry.Action.UPDATE, obj=team, unit_path=team.unit.path, changes=changes)
    return team


@transaction.atomic
def team_delete(*, actor, team: Team) -> None:
    check_grantable(actor=actor, path=team.unit.path, keys=team.permissions)
    audit_record(alters_figures=False, actor=actor, action=AuditEntry.Action.DELETE, obj=team, unit_path=team.unit.path,
                 changes={k: [v, None] for k, v in _team_changes(team).items()})
    team.delete()


def end_account_rights(sender, *, actor, member, user, keeps, left: bool, **kwargs) -> None:
    """Where a member's membership ends (orgs.services.rights_end, in its transaction): their
    account leaves the teams of units they no longer stand within (`keeps`); one who `left`
    loses their API tokens too. Audited; no grant check: it follows from the membership."""
    for team in Team.objects.filter(users=user).select_related("unit"):
        if not keeps(team.unit.path):
            team.users.remove(user)
            audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=team, unit_path=team.unit.path,
                         changes={"members": [user.get_username(), None]}, alters_figures=False)
    if left:
        for token in ApiToken.objects.filter(user=user):
            audit_record(actor=actor, action=AuditEntry.Action.DELETE, obj=token, unit_path=member.unit.path,
                         changes={"name": [token.name, None]}, alters_figures=False)
            token.delete()


# --- the second factor ---------------------------------------------------------------------

@transaction.atomic
def second_factor_enable(*, user, device) -> None:
    """A TOTP device the user proved they hold (they typed its current code)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    device.__class__.objects.filter(user=user).exclude(pk=device.pk).delete()  # one at a time
    audit_record(alters_figures=False, actor=user, action=AuditEntry.Action.UPDATE, obj=user, unit_path=_home_path(user),
                 changes={"second_factor": [False, True]})


@transaction.atomic
def second_factor_remove(*, user) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    audit_record(alters_figures=False, actor=user, action=AuditEntry.Action.UPDATE, obj=user, unit_path=_home_path(user),
                 changes={"second_factor": [True, False]})
