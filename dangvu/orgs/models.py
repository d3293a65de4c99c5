"""Org units (a treebeard tree), committee terms, members, candidates and roles.

Only the personal data the work needs: no religion, ethnicity or family background.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from dangvu.lib.vntext import name_sort_key, nfc, search_key


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Đảng bộ tỉnh, thành phố")
    UPPER = "upper", _("Đảng bộ cấp trên trực tiếp cơ sở")
    GRASSROOTS = "grassroots", _("Đảng bộ cơ sở")
    SUB = "sub", _("Đảng bộ bộ phận")
    CELL = "cell", _("Chi bộ")


class OrgUnit(MP_Node):
    """A Party organisation. Closed units stay in the tree for history reports."""

    name = models.CharField(_("tên đơn vị"), max_length=200)
    code = models.CharField(_("mã đơn vị"), max_length=40, unique=True)
    symbol = models.CharField(_("ký hiệu văn bản"), max_length=20, blank=True,
                              help_text=_("Ví dụ: ĐUK, TU, ĐU"))
    kind = models.CharField(_("loại"), max_length=20, choices=UnitKind.choices)
    has_committee = models.BooleanField(_("có chi ủy"), default=False)
    valid_from = models.DateField(_("hiệu lực từ"), default=datetime.date(2025, 7, 1))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    rule_version = models.CharField(_("phiên bản quy định"), max_length=40, default=settings.ORG_RULE_VERSION)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)

    node_order_by = None  # siblings keep creation order

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

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


class UnitSuccession(models.Model):
    """Predecessor → successor link left by a merge, split or rename."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("hợp nhất")
        SPLIT = "split", _("chia tách")
        RENAME = "rename", _("đổi tên")

    predecessor = models.ForeignKey(OrgUnit, models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(OrgUnit, models.PROTECT, related_name="predecessor_links")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    on_date = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="unique_succession")]


class Term(models.Model):
    """Nhiệm kỳ: starts the day after the congress closes."""

    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="terms")
    name = models.CharField(_("nhiệm kỳ"), max_length=40, help_text=_("Ví dụ: 2025-2030"))
    congress_closed_on = models.DateField(_("ngày bế mạc đại hội"))
    start = models.DateField(_("bắt đầu"))
    end = models.DateField(_("kết thúc"), null=True, blank=True)

    class Meta:
        ordering = ["-start"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="unique_term_name")]

    def __str__(self) -> str:
        return f"{self.unit} {self.name}"


class PersonName(models.Model):
    """Name fields shared by members and candidates, with their derived keys."""

    class Sex(models.TextChoices):
        MALE = "nam", _("Nam")
        FEMALE = "nu", _("Nữ")

    full_name = models.CharField(_("họ và tên"), max_length=120)
    date_of_birth = models.DateField(_("ngày sinh"))
    sex = models.CharField(_("giới tính"), max_length=3, choices=Sex.choices)
    sort_key = models.CharField(max_length=255, editable=False, db_index=True)
    name_key = models.CharField(max_length=120, editable=False, db_index=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.full_name

    def prepare(self):
        """Normalise the name and derive its keys; bulk_create paths call it too."""
        self.full_name = nfc(self.full_name).strip()
        self.sort_key = name_sort_key(self.full_name)
        self.name_key = search_key(self.full_name)
        return self

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)


class MemberStatus(models.TextChoices):
    PROBATIONARY = "du_bi", _("Dự bị")
    FULL = "chinh_thuc", _("Chính thức")
    TRANSFERRED = "chuyen_di", _("Chuyển đi")
    LEFT = "ra_khoi_dang", _("Ra khỏi Đảng")


ACTIVE_STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.FULL)


class Member(PersonName):
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="members", verbose_name=_("chi bộ"))
    admission_date = models.DateField(_("ngày vào Đảng"))
    official_date = models.DateField(_("ngày chính thức"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=MemberStatus.choices,
                              default=MemberStatus.PROBATIONARY)
    card_number = models.CharField(_("số thẻ đảng viên"), max_length=20, null=True, blank=True, unique=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="member")

    class Meta:
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["unit", "status"])]


class MemberMove(models.Model):
    """History of a member's units: transfers, merges, splits."""

    member = models.ForeignKey(Member, models.CASCADE, related_name="moves")
    from_unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", null=True)
    to_unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+")
    on_date = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-on_date", "-id"]


class Candidate(PersonName):
    """Quần chúng ưu tú: an admission candidate and where they stand."""

    class Stage(models.TextChoices):
        INTRODUCED = "gioi_thieu", _("Được giới thiệu")
        STUDYING = "dang_hoc", _("Đang học lớp nhận thức về Đảng")
        STUDIED = "da_hoc", _("Đã học xong lớp nhận thức về Đảng")
        CONSIDERED = "xet_ket_nap", _("Đang xét kết nạp")
        ADMITTED = "da_ket_nap", _("Đã kết nạp")

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="candidates")
    stage = models.CharField(_("giai đoạn"), max_length=20, choices=Stage.choices, default=Stage.INTRODUCED)
    member = models.OneToOneField(Member, models.SET_NULL, null=True, blank=True, related_name="candidacy")

    class Meta:
        verbose_name = _("quần chúng ưu tú")
        verbose_name_plural = _("quần chúng ưu tú")
        ordering = ["sort_key", "id"]


class RoleKind(models.TextChoices):
    SECRETARY = "bi_thu", _("Bí thư")
    DEPUTY = "pho_bi_thu", _("Phó Bí thư")
    COMMITTEE = "cap_uy_vien", _("Cấp ủy viên")
    PROPAGANDA = "tuyen_giao", _("Cán bộ tuyên giáo")
    MEMBER = "thanh_vien", _("Thành viên")


class UnitRole(models.Model):
    """A member's role in a unit for a span of time (usually a term)."""

    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="roles")
    member = models.ForeignKey(Member, models.CASCADE, related_name="roles")
    role = models.CharField(_("chức vụ"), max_length=20, choices=RoleKind.choices)
    term = models.ForeignKey(Term, models.SET_NULL, null=True, blank=True, related_name="roles")
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "role", "start"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.member}"


class ImportJob(models.Model):
    """One uploaded file on its way through check → preview → apply."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ kiểm tra")
        VALIDATING = "validating", _("Đang kiểm tra")
        INVALID = "invalid", _("Có lỗi")
        VALID = "valid", _("Hợp lệ, chờ áp dụng")
        APPLYING = "applying", _("Đang nhập")
        DONE = "done", _("Đã nhập xong")
        FAILED = "failed", _("Thất bại")

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
        ordering = ["-created"]

    @property
    def progress_key(self) -> str:
        return f"import-{self.pk}"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.VALIDATING, self.Status.APPLYING)
