"""Teams grant permission keys over an org subtree (pretix style); API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.orgs.models import OrgUnit


class Team(models.Model):
    name = models.CharField(_("team name"), max_length=120)
    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="teams",
                             verbose_name=_("scope (unit and everything below)"))
    permissions = models.JSONField(_("permissions"), default=list)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("team")

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """Only a hash is stored; the raw token is shown once when created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    # what it may do: read only, or everything its user may (never more); and until when
    scope = models.CharField(_("scope"), max_length=8, choices=[("read", _("Read only")),
                                                                ("all", _("Everything my account may do"))],
                             default="read")
    expires = models.DateField(_("valid until"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    @staticmethod
    def new_raw() -> str:
        return "dv_" + secrets.token_urlsafe(32)

    @classmethod
    def digest_of(cls, raw: str) -> str:
        return _digest(raw)
