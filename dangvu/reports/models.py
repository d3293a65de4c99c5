"""Year-end summary reports (báo cáo tổng kết) and the templates they are written from.

A template is data: a list of sections (headings, computed paragraphs with measure
placeholders, narrative sections people write, charts and appendix tables). Each edit
of a template is a new version; a report keeps the version it was written from.

A report is built for a unit and a period: the figures are computed from the measures
and the computed sections rendered from them; the narrative sections are people's text,
kept per report across rebuilds. Issuing gives it a number from the document register
and freezes it; a correction is a new report that replaces it, the issued one stays."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.documents.models import Document
from dangvu.orgs.models import OrgUnit


class SectionKind(models.TextChoices):
    HEADING = "heading", _("Heading")
    COMPUTED = "computed", _("Computed from the figures")
    NARRATIVE = "narrative", _("Written by people")
    TARGETS = "targets", _("Targets and how many units met them")
    CHART = "chart", _("Chart")
    TABLE = "table", _("Appendix table")


class ReportTemplate(models.Model):
    """A committee's template (or, with no unit, the one that ships). Its sections are in its
    latest version; units below the committee may write from it too."""

    unit = models.ForeignKey(OrgUnit, models.CASCADE, null=True, blank=True, related_name="report_templates",
                             verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=200)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def latest(self) -> "TemplateVersion":
        return self.versions.order_by("-number").first()


class TemplateVersion(models.Model):
    template = models.ForeignKey(ReportTemplate, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("summary line"), max_length=500,
                             help_text=_("The trích yếu under “BÁO CÁO”; {year} and {next_year} are filled in."))
    sections = models.JSONField(_("sections"), default=list)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="unique_template_version")]

    def __str__(self) -> str:
        return f"{self.template} · {self.number}"


class Report(models.Model):
    class Status(models.TextChoices):
        BUILDING = "building", _("Being built")
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")
        FAILED = "failed", _("Build failed")

    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="reports", verbose_name=_("unit"))
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    template = models.ForeignKey(TemplateVersion, models.PROTECT, related_name="reports",
                                 verbose_name=_("template"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BUILDING)
    error = models.TextField(blank=True)
    # what the document's head and foot say; defaults worked out from the unit, editable
    head = models.JSONField(default=dict)
    # the measures for the unit and each sub-unit, this period and the one before:
    # {"current"|"previous": {key: {path: [value, numerator, denominator]}}, "units": [[path, name], ...]}
    values = models.JSONField(default=dict)
    built = models.DateTimeField(_("figures as of"), null=True, blank=True)
    sections = models.JSONField(default=list)  # rendered: [{key, title, level, kind, text, parts, ...}]
    narratives = models.JSONField(default=dict)  # section key → people's text, kept across rebuilds
    # section key → people's wording of a computed section, kept across rebuilds:
    # {"text": what they wrote, "over": the computed text it replaced}; a rebuild whose computed
    # text differs from "over" marks the section (its figures changed since the edit)
    edits = models.JSONField(default=dict)
    # section key → how many times its text (narrative, or a computed one edited) was saved: the
    # section's form carries the count it
    # opened, and a save from an older count is refused (two officers writing the same section)
    narrative_versions = models.JSONField(default=dict)
    # the same for the heading and signature form
    head_version = models.PositiveIntegerField(default=0)
    document = models.OneToOneField(Document, models.PROTECT, null=True, blank=True, related_name="report",
                                    verbose_name=_("register entry"))
    issued_docx = models.BinaryField(null=True, blank=True, editable=False)
    replaces = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="corrections",
                                 verbose_name=_("corrects"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-end", "-created"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"

    @property
    def period(self):
        from dangvu.lib.periods import Period

        return Period(self.start, self.end)

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.FAILED)


class ReportVersion(models.Model):
    """One saved state of a draft: who, when, what changed, and the text as it then was."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    change = models.CharField(max_length=300)
    sections = models.JSONField(default=list)
    narratives = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_report_version")]
