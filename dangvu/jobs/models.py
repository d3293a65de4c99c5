"""One row per piece of long work (an import checked or written, a copy check, a report built
or rendered): what it works on, where it stands, and the heartbeat of the worker doing it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40)  # a key of runner.HANDLERS: "essays.scan"
    subject_id = models.PositiveBigIntegerField(_("subject"))  # the row it works on (a scan, a report)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    heartbeat = models.DateTimeField(_("last heard from"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    done = models.PositiveBigIntegerField(_("done so far"), default=0)
    total = models.PositiveBigIntegerField(_("total to do"), default=0)
    error = models.TextField(_("error"), blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("started by (account)"))
    created = models.DateTimeField(_("created at"), auto_now_add=True)
    started = models.DateTimeField(_("started at"), null=True, blank=True)
    finished = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["kind", "subject_id"]), models.Index(fields=["status", "heartbeat"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.subject_id} · {self.status}"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


class WorkerBeat(models.Model):
    """A task worker that is alive: each worker writes its row every WORKER_BEAT_SECONDS, idle or
    not, so that the health check knows work would be picked up (and by how many workers)."""

    name = models.CharField(max_length=200, unique=True)  # host:pid
    seen = models.DateTimeField(db_index=True)
    started = models.DateTimeField()

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return self.name
