"""What the operator looks at when something went wrong: requests slower than SLOW_REQUEST_MS and
requests that ended in a server error. Only ids and routes, never names, query strings or text
a user typed (Party records stay out of logs)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestRecord(models.Model):
    class Kind(models.TextChoices):
        SLOW = "slow", _("Slow")
        ERROR = "error", _("Server error")

    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    at = models.DateTimeField(_("time"), db_index=True)
    method = models.CharField(max_length=7)
    route = models.CharField(_("route"), max_length=200)  # the URL pattern, not the path: "units/<int:pk>/"
    object_id = models.PositiveBigIntegerField(null=True, blank=True)  # the pk in the path, if any
    status = models.PositiveSmallIntegerField(_("status"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    user_id = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)  # exception class and where it was raised

    class Meta:
        verbose_name = _("request record")
        verbose_name_plural = _("request records")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "-at"])]
