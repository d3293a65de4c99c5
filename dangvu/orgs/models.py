"""Org units (a treebeard tree), committee terms, members, candidates and roles.

Only the personal data the work needs: no religion, ethnicity or family background.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from dangvu.lib.concurrency import Versioned
from dangvu.lib.rollup import prefixes
from dangvu.lib.vntext import name_sort_key, nfc, search_key


class UnitKind(models.TextChoices):
    CENTRAL = "central", _("The Party's central level")  # the national root, above the provinces
    PROVINCE = "province", _("Provincial or city Party committee")
    UPPER = "upper", _("Committee directly above grassroots")
    GRASSROOTS = "grassroots", _("Grassroots Party committee")
    SUB = "sub", _("Sub-committee")
    CELL = "cell", _("Cell")


class OrgUnit(MP_Node):
    """A Party organisation. Closed units stay in the tree for history reports."""

    name = models.CharField(_("unit name"), max_length=200)
    code = models.CharField(_("unit code"), max_length=40, unique=True)
    symbol = models.CharField(_("document symbol"), max_length=20, blank=True,
                              help_text=_("For example: ĐUK, TU, ĐU"))
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    has_committee = models.BooleanField(_("has a cell committee"), default=False)
    valid_from = models.DateField(_("valid from"), default=datetime.date(2025, 7, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    rule_version = models.CharField(_("rule version"), max_length=40, default=settings.ORG_RULE_VERSION)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)

    node_order_by = None  # siblings keep creation order

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("unit")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name).strip()
        self.name_key = search_key(self.name)
        super().save(*args, **kwargs)

    def is_active_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def is_active(self) -> bool:
        return self.valid_to is None or self.valid_to >= datetime.date.today()

    @property
    def holds_members(self) -> bool:
        """Members are added to a cell (chi bộ); the unit page offers it there only. (A merge may
        still move a committee's few direct members with it.)"""
        return self.kind == UnitKind.CELL


def path_prefixes(path: str, start: int = OrgUnit.steplen) -> list[str]:
    """The paths of the unit at `path` and of its ancestors, from the one `start` long down:
    the units a figure counted at `path` rolls up into, or the units above a member."""
    return prefixes(path, path[:start])


class UnitPlacement(models.Model):
    """Where a unit stood in the tree over a stretch of days: its path (for roll-ups), its
    parent, its kind and whether it had a chi ủy, from `start` up to the day before `end`
    (open while `end` is empty). A merge, split or move closes the unit's placement and those
    of every unit under it and opens new ones, so figures of a past day roll up the tree as
    it stood then. A path is never given to another unit (orgs/placements.py allocates paths
    past every one ever used), so a placement's path names its unit for good, and a path that
    starts with another's was under it at the same time. OrgUnit.path is the open one's."""

    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="placements")
    path = models.CharField(max_length=255)
    parent = models.ForeignKey(OrgUnit, models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20, choices=UnitKind.choices)
    has_committee = models.BooleanField(default=False)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("placement in the tree")
        verbose_name_plural = _("placements in the tree")
        ordering = ["unit", "start"]
        indexes = [models.Index(fields=["unit", "start"]), models.Index(fields=["path"])]
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=models.Q(end__isnull=True),
                                    name="one_open_placement_per_unit"),
            models.UniqueConstraint(fields=["unit", "start"], name="one_placement_per_unit_and_day"),
            models.CheckConstraint(condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")),
                                   name="placement_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.path} · {self.start}–{self.end or ''}"


class UnitSuccession(models.Model):
    """Predecessor → successor link left by a merge, split or rename."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("merge")
        SPLIT = "split", _("split")
        RENAME = "rename", _("rename")

    predecessor = models.ForeignKey(OrgUnit, models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(OrgUnit, models.PROTECT, related_name="predecessor_links")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    on_date = models.DateField()

    class Meta:
        verbose_name = _("reorganisation link")
        verbose_name_plural = _("reorganisation history")
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="unique_succession")]


class Term(models.Model):
    """Nhiệm kỳ: starts the day after the congress closes."""

    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="terms")
    name = models.CharField(_("term"), max_length=40, help_text=_("For example: 2025-2030"))
    congress_closed_on = models.DateField(_("congress closing date"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee term")
        verbose_name_plural = _("committee terms")
        ordering = ["-start"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="unique_term_name")]

    def __str__(self) -> str:
        return f"{self.unit} {self.name}"


class PersonName(models.Model):
    """Name fields shared by members and candidates, with their derived keys."""

    class Sex(models.TextChoices):
        MALE = "nam", _("Male")
        FEMALE = "nu", _("Female")

    full_name = models.CharField(_("full name"), max_length=120)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=3, choices=Sex.choices)
    sort_key = models.CharField(max_length=255, editable=False, db_index=True)
    name_key = models.CharField(max_length=120, editable=False, db_index=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)

    def prepare(self):
        """Normalise the name and derive its keys; bulk_create paths call it too."""
        self.full_name = nfc(self.full_name).strip()
        self.sort_key = name_sort_key(self.full_name)
        self.name_key = search_key(self.full_name)
        return self


class MemberStatus(models.TextChoices):
    PROBATIONARY = "du_bi", _("Probationary")
    FULL = "chinh_thuc", _("Full member")
    TRANSFERRED = "chuyen_di", _("Transferred out")
    LEFT = "ra_khoi_dang", _("Left the Party")


ACTIVE_STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.FULL)


class Member(Versioned, PersonName):  # version: edits that cross are refused (lib/concurrency)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="members", verbose_name=_("cell"))
    admission_date = models.DateField(_("admission date"))
    official_date = models.DateField(_("full-membership date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MemberStatus.choices,
                              default=MemberStatus.PROBATIONARY)
    card_number = models.CharField(_("party card number"), max_length=20, null=True, blank=True, unique=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="member")

    class Meta:
        verbose_name = _("members")
        verbose_name_plural = _("members")
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["unit", "status"])]


class Change(models.TextChoices):
    """What opened or closed a stretch of membership."""

    ADMITTED = "admitted", _("Admitted")
    MADE_FULL = "made_full", _("Made a full member")
    TRANSFER = "transfer", _("Transferred")  # chuyển sinh hoạt, between units or from/to outside
    REORGANISED = "reorganised", _("Units merged or split")
    REGISTERED = "registered", _("Entered into the system")  # history before it is unknown
    DIED = "died", _("Died")
    REMOVED = "removed", _("Struck off the rolls")  # xóa tên
    EXPELLED = "expelled", _("Expelled")  # khai trừ
    MOVED_AWAY = "moved_away", _("Moved away from the system")


LEAVE_CHANGES = (Change.DIED, Change.REMOVED, Change.EXPELLED, Change.MOVED_AWAY)


class MemberSpan(models.Model):
    """One stretch of a member's membership: one unit, one status, from `start` up to the
    day before `end` (open while `end` is empty). The member's whole history is these
    stretches end to end, so "members of this cell on 31/12" and "eligible for a campaign
    held in March" are questions about dates; Member.unit and Member.status are the last one."""

    member = models.ForeignKey(Member, models.CASCADE, related_name="spans")
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="member_spans")
    status = models.CharField(max_length=20, choices=MemberStatus.choices)
    start = models.DateField()
    start_change = models.CharField(max_length=20, choices=Change.choices)
    from_unit = models.ForeignKey(OrgUnit, models.PROTECT, null=True, blank=True, related_name="+",
                                  help_text="the unit before a transfer; empty: from outside the system")
    end = models.DateField(null=True, blank=True)
    end_change = models.CharField(max_length=20, choices=Change.choices, blank=True)
    to_unit = models.ForeignKey(OrgUnit, models.PROTECT, null=True, blank=True, related_name="+",
                                help_text="the unit after a transfer; empty: outside the system")
    decision = models.ForeignKey("documents.Document", models.SET_NULL, null=True, blank=True, related_name="+",
                                 help_text="the decision that opened this stretch, from the document register")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("stretch of membership")
        verbose_name_plural = _("membership history")
        ordering = ["member", "start", "id"]
        indexes = [models.Index(fields=["start", "end"]), models.Index(fields=["member", "start"])]
        constraints = [models.UniqueConstraint(fields=["member"], condition=models.Q(end__isnull=True),
                                               name="one_open_span_per_member")]

    def __str__(self) -> str:
        return f"{self.member} · {self.unit} · {self.start}–{self.end or ''}"


class Candidate(PersonName):
    """Quần chúng ưu tú: an admission candidate and where they stand."""

    class Stage(models.TextChoices):
        INTRODUCED = "gioi_thieu", _("Introduced")
        STUDYING = "dang_hoc", _("Attending the course on the Party")
        STUDIED = "da_hoc", _("Completed the course on the Party")
        CONSIDERED = "xet_ket_nap", _("Admission under consideration")
        ADMITTED = "da_ket_nap", _("Admitted")

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="candidates")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.INTRODUCED)
    member = models.OneToOneField(Member, models.SET_NULL, null=True, blank=True, related_name="candidacy")
    # set when the personal data of one who left the list unadmitted were erased (dangvu/accounts/erasure.py):
    # the row stays for the class figures, off the list and no longer changed
    erased_on = models.DateField(_("personal data erased on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("admission candidate")
        verbose_name_plural = _("admission candidate")
        ordering = ["sort_key", "id"]


class RoleKind(models.TextChoices):
    SECRETARY = "bi_thu", _("Secretary")
    DEPUTY = "pho_bi_thu", _("Deputy secretary")
    COMMITTEE = "cap_uy_vien", _("Committee member")
    PROPAGANDA = "tuyen_giao", _("Propaganda officer")
    MEMBER = "thanh_vien", _("Member")


class UnitRole(models.Model):
    """A member's role in a unit for a span of time (usually a term)."""

    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="roles")
    member = models.ForeignKey(Member, models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    term = models.ForeignKey(Term, models.SET_NULL, null=True, blank=True, related_name="roles")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["unit", "role", "start"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.member}"


class ImportJob(models.Model):
    """One uploaded file on its way through check → preview → apply."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be checked")
        VALIDATING = "validating", _("Checking")
        INVALID = "invalid", _("Has errors")
        VALID = "valid", _("Valid, waiting to be applied")
        APPLYING = "applying", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="import_jobs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    file_name = models.CharField(max_length=200)
    content = models.BinaryField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    errors = models.JSONField(default=list)
    summary = models.JSONField(default=dict)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created"]

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.VALIDATING, self.Status.APPLYING)


class Exemption(models.Model):
    """A stretch in which a member takes no part in Party work: exempted from it and from
    meetings (miễn công tác và sinh hoạt đảng, for age or health), or suspended (đình chỉ sinh
    hoạt đảng, while a discipline is considered). Such a member is not rated in the year's
    evaluation and is not required at the cell's meetings."""

    class Kind(models.TextChoices):
        EXEMPT = "exempt", _("Exempted from Party work and meetings")
        SUSPENDED = "suspended", _("Suspended from Party activity")

    member = models.ForeignKey(Member, models.CASCADE, related_name="exemptions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True, help_text=_("empty: still in force"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    decision = models.ForeignKey("documents.Document", models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("decision"))

    class Meta:
        verbose_name = _("exemption or suspension")
        verbose_name_plural = _("exemptions and suspensions")
        ordering = ["member", "start", "id"]
        indexes = [models.Index(fields=["member", "start"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member}"
