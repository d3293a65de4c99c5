"""A deterministic demo organisation in the spirit of the seed reports.

A province committee, upper committees, grassroots committees, cells (some with a
chi ủy), members with realistic Vietnamese names, candidates, roles, terms and one
2025 merge of two communes made through the real merge service.
"""

import bisect
import datetime
import random

from django.db import transaction
from tqdm import tqdm

from dangvu.lib.planner import refresh_statistics
from dangvu.orgs import placements, services
from dangvu.orgs.history import first_spans
from dangvu.orgs.models import (
    Candidate,
    Member,
    MemberSpan,
    MemberStatus,
    OrgUnit,
    RoleKind,
    Term,
    UnitKind,
    UnitRole,
)

FAMILY = (["Nguyễn"] * 38 + ["Trần"] * 11 + ["Lê"] * 9 + ["Phạm"] * 7 + ["Hoàng"] * 5 + ["Huỳnh"] * 2
          + ["Phan"] * 4 + ["Vũ"] * 4 + ["Võ"] * 2 + ["Đặng"] * 2 + ["Bùi"] * 2 + ["Đỗ"] * 2
          + ["Hồ", "Ngô", "Dương", "Lý", "Ma", "Nông", "Triệu", "Hà", "Lương", "Đinh", "Quan", "Chu"])
MIDDLE_M = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thanh", "Công", "Đình", "Ngọc", "Tiến"]
MIDDLE_F = ["Thị", "Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Kim", "Bích"]
GIVEN_M = ["An", "Anh", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hiếu", "Hòa", "Hoàng", "Hùng", "Huy",
           "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Mạnh", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân",
           "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Tiến", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh"]
GIVEN_F = ["An", "Anh", "Bích", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hòa", "Hồng",
           "Huyền", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "Minh", "Ngân", "Ngọc", "Nhung", "Oanh",
           "Phương", "Quyên", "Thảo", "Thu", "Thủy", "Trang", "Tuyết", "Uyên", "Vân", "Yến"]
COMMUNES = ["Hùng An", "Quang Minh", "Tân Lập", "Tân Thành", "Việt Quang", "Vĩnh Tuy", "Đồng Yên", "Liên Hiệp",
            "Bằng Hành", "Vô Điếm", "Kim Ngọc", "Tiên Kiều", "Đồng Tâm", "Tân Trịnh", "Yên Thành", "Hữu Sản",
            "Bạch Ngọc", "Thông Nguyên", "Nậm Dịch", "Tân Quang", "Xuân Giang", "Bắc Mê", "Minh Sơn", "Yên Minh",
            "Mèo Vạc", "Đồng Văn", "Lũng Cú", "Phó Bảng", "Sà Phìn", "Mậu Duệ", "Na Hang", "Lâm Bình",
            "Chiêm Hóa", "Hàm Yên", "Sơn Dương", "Yên Sơn", "Mỹ Lâm", "Nông Tiến", "Minh Xuân", "Phan Thiết"]
AGENCIES = ["Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Tài chính", "Sở Nông nghiệp và Môi trường",
            "Bệnh viện Đa khoa tỉnh", "Trường Chính trị tỉnh", "Báo và Phát thanh, Truyền hình tỉnh",
            "Văn phòng Tỉnh ủy", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy",
            "Sở Xây dựng", "Sở Văn hóa, Thể thao và Du lịch"]
# The cells a unit of each kind has, as a province names them: a commune its villages (a ward its
# residential groups) and its own bodies; an agency its offices; police and army their teams.
COMMUNE_BODIES = ["Cơ quan Đảng ủy - HĐND - UBND {level}", "Công an {level}", "Quân sự {level}", "Trạm Y tế {level}",
                  "Trường Tiểu học {place}", "Trường THCS {place}", "Trường Mầm non {place}", "Hợp tác xã {place}"]
AGENCY_OFFICES = ["Văn phòng", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch - Tài chính", "Phòng Nghiệp vụ", "Thanh tra",
                  "Trung tâm trực thuộc", "Phòng Quản lý chuyên ngành", "Ban Quản lý dự án"]
VILLAGES = ["Nà Ngoa", "Bản Mới", "Khuổi Ma", "Nà Mèo", "Làng Cúng", "Nà Sài", "Tân Tiến", "Cốc Táy",
            "Nà Khương", "Bản Trang", "Tiến Thành", "Đoàn Kết", "Thống Nhất", "Lùng Chúng"]


def _name(rng: random.Random, sex: str) -> str:
    middle = rng.choice(MIDDLE_M if sex == "nam" else MIDDLE_F)
    given = rng.choice(GIVEN_M if sex == "nam" else GIVEN_F)
    if rng.random() < 0.2:
        middle += " " + rng.choice(["Minh", "Ngọc", "Thanh", "Hải", "Quốc", "Bảo"])
    return f"{rng.choice(FAMILY)} {middle} {given}"


def _date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(max(1, (end - start).days)))


class _TreeBuilder:
    """Builds MP_Node paths directly so thousands of units go in with bulk_create."""

    def __init__(self):
        self.units: list[OrgUnit] = []
        self._children: dict[str, int] = {}

    def add(self, parent: OrgUnit | None, **values) -> OrgUnit:
        parent_path = parent.path if parent else ""
        n = self._children.get(parent_path, parent.numchild if parent else 0) + 1
        self._children[parent_path] = n
        depth = (parent.depth + 1) if parent else 1
        unit = OrgUnit(path=OrgUnit._get_path(parent_path or None, depth, n), depth=depth, numchild=0, **values)
        unit.name_key = ""
        if parent:
            parent.numchild += 1
        self.units.append(unit)
        return unit

    def save(self) -> None:
        from dangvu.lib.vntext import search_key

        for unit in self.units:
            unit.name_key = search_key(unit.name)
        OrgUnit.objects.bulk_create(self.units, batch_size=2000)
        placements.place_new(OrgUnit.objects.filter(pk__in=[u.pk for u in self.units]) if self.units[0].pk
                             else OrgUnit.objects.filter(path__in=[u.path for u in self.units]))


def _plan_units(rng: random.Random, cells_wanted: int, above: OrgUnit | None = None, code: str = "TQ",
                province_name: str = "Đảng bộ tỉnh Tuyên Quang") -> tuple[_TreeBuilder, OrgUnit, list[OrgUnit]]:
    tree = _TreeBuilder()
    founded = datetime.date(2025, 7, 1)
    province = tree.add(above, name=province_name, code=code, symbol="TU", kind=UnitKind.PROVINCE,
                        has_committee=True, valid_from=founded)
    uppers = [tree.add(province, name=name, code=f"{code}-{suffix}", symbol="ĐU", kind=UnitKind.UPPER,
                       has_committee=True, valid_from=founded)
              for name, suffix in [("Đảng bộ các cơ quan Đảng tỉnh", "CQD"),
                                   ("Đảng bộ Ủy ban nhân dân tỉnh", "UB"),
                                   ("Đảng bộ Công an tỉnh", "CA"), ("Đảng bộ Quân sự tỉnh", "QS")]]
    grassroots_count = max(40, cells_wanted * 2 // 15)
    grassroots = []
    for i in range(grassroots_count):
        if i % 4 == 3:  # an agency committee under an upper committee
            parent = uppers[(i // 4) % 2]
            base = AGENCIES[(i // 4) % len(AGENCIES)]
            name = f"Đảng bộ {base}" + (f" ({i // 4 // len(AGENCIES) + 1})" if i >= 4 * len(AGENCIES) else "")
        else:
            parent = province
            base = COMMUNES[i % len(COMMUNES)]
            suffix = f" {i // len(COMMUNES) + 1}" if i >= len(COMMUNES) else ""
            name = f"Đảng bộ {'phường' if i % 9 == 0 else 'xã'} {base}{suffix}"
        grassroots.append(tree.add(parent, name=name, code=f"{code}-{i + 1:04d}", symbol="ĐU",
                                   kind=UnitKind.GRASSROOTS, has_committee=True, valid_from=founded))
    for upper in uppers[2:]:  # police and military: sub-committees with cells
        grassroots.append(tree.add(upper, name=f"Đảng bộ bộ phận Phòng Tham mưu ({upper.code})",
                                   code=f"{upper.code}-TM", kind=UnitKind.SUB, has_committee=True,
                                   valid_from=founded))
    cells = []
    names = {id(g): _cell_names(rng, g) for g in grassroots}
    for i in range(cells_wanted):
        parent = grassroots[i % len(grassroots)]
        label = next(names[id(parent)])
        cells.append(tree.add(parent, name=f"Chi bộ {label}", code=f"{parent.code}-C{parent.numchild:03d}",
                              kind=UnitKind.CELL, valid_from=founded))
    return tree, province, cells


def _cell_names(rng: random.Random, parent: OrgUnit):
    """The names of a unit's cells, each once: a commune's villages and bodies, an agency's
    offices, a police or army sub-committee's teams; numbered when a kind runs out."""
    if parent.kind == UnitKind.SUB:
        labels = [f"Đội {n}" for n in range(1, 100)]
    elif parent.name.startswith(("Đảng bộ xã", "Đảng bộ phường")):
        level = "phường" if parent.name.startswith("Đảng bộ phường") else "xã"
        place = parent.name.split(" ", 3)[-1]
        villages = [f"{'tổ dân phố' if level == 'phường' else 'thôn'} {v}" for v in rng.sample(VILLAGES, len(VILLAGES))]
        bodies = [b.format(level=level, place=place) for b in COMMUNE_BODIES]
        labels = [x for pair in zip(villages, bodies + [None] * len(villages), strict=False) for x in pair if x]
    else:
        labels = rng.sample(AGENCY_OFFICES, len(AGENCY_OFFICES))
    yield from labels
    for n in range(2, 1000):
        yield from (f"{label} {n}" for label in labels)


def build_demo(*, members: int = 8000, seed: int = 2025, progress: bool = True, parent: OrgUnit | None = None,
               code: str = "TQ", name: str = "Đảng bộ tỉnh Tuyên Quang") -> dict:
    """Create the demo organisation. Deterministic for a given seed and size. With `parent`
    (a national bench), the province goes under it, named `name` with codes from `code`."""
    rng = random.Random(seed)
    cells_wanted = max(300, members // 27)
    with transaction.atomic():
        tree, province, cells = _plan_units(rng, cells_wanted, parent, code, name)
        tree.save()
        if parent is not None:
            OrgUnit.objects.filter(pk=parent.pk).update(numchild=parent.numchild)
        cells = list(OrgUnit.objects.filter(kind=UnitKind.CELL, path__startswith=province.path).order_by("path"))
        sizes = [max(3, int(rng.lognormvariate(3.1, 0.5))) for _ in cells]
        scale = members / sum(sizes)
        sizes = [max(3, round(s * scale)) for s in sizes]
        sizes[-1] += members - sum(sizes)
        today = datetime.date(2026, 11, 1)
        bar = tqdm(total=members, desc="Đảng viên", unit="người", disable=not progress)
        batch: list[Member] = []
        card = Member.objects.count() + 1  # 1 in an empty database; after the provinces built before
        for cell, size in zip(cells, sizes, strict=True):
            if size >= 9 and rng.random() < 0.6:
                cell.has_committee = True
            for _i in range(max(size, 0)):
                sex = "nam" if rng.random() < 0.58 else "nu"
                dob = _date(rng, datetime.date(1950, 1, 1), datetime.date(2004, 12, 31))
                admitted = _date(rng, dob + datetime.timedelta(days=18 * 366), today)
                probation_over = admitted + datetime.timedelta(days=366)
                official = probation_over if probation_over < today else None
                status = MemberStatus.FULL if official else MemberStatus.PROBATIONARY
                if rng.random() < 0.01:
                    status = MemberStatus.TRANSFERRED
                batch.append(Member(unit=cell, full_name=_name(rng, sex), sex=sex, date_of_birth=dob,
                                    admission_date=admitted, official_date=official, status=status,
                                    card_number=f"{card:08d}" if official else None).prepare())
                card += 1
                if len(batch) >= 5000:
                    _flush(batch, bar)
                    batch = []
        _flush(batch, bar)
        bar.close()
        OrgUnit.objects.bulk_update([c for c in cells if c.has_committee], ["has_committee"], batch_size=2000)
        _roles_terms_candidates(rng, cells, province)
    refresh_statistics()
    return {"units": OrgUnit.objects.count(), "members": Member.objects.count(), "province": province.code}


def _flush(batch: list[Member], bar) -> None:
    created = Member.objects.bulk_create(batch, batch_size=2500)
    MemberSpan.objects.bulk_create([span for m in created for span in first_spans(m)], batch_size=2500)
    bar.update(len(batch))


def _roles_terms_candidates(rng: random.Random, cells: list[OrgUnit], province: OrgUnit) -> None:
    term_start = datetime.date(2025, 8, 16)
    roles, terms, candidates = [], [], []
    first_members = {}
    for m in (Member.objects.filter(status__in=[MemberStatus.FULL], unit__path__startswith=province.path)
              .order_by("unit_id", "id").only("id", "unit_id")):
        first_members.setdefault(m.unit_id, []).append(m.id)
    for cell in cells:
        ids = first_members.get(cell.pk, [])
        if ids:
            roles.append(UnitRole(unit=cell, member_id=ids[0], role=RoleKind.SECRETARY, start=term_start))
        if cell.has_committee and len(ids) > 2:
            roles.append(UnitRole(unit=cell, member_id=ids[1], role=RoleKind.DEPUTY, start=term_start))
            roles.append(UnitRole(unit=cell, member_id=ids[2], role=RoleKind.COMMITTEE, start=term_start))
        # the new cells' term begins with them (a term never starts before its unit was founded)
        cell_term_start = max(cell.valid_from, datetime.date(2025, 5, 21))
        terms.append(Term(unit=cell, name="2025-2027", congress_closed_on=cell_term_start - datetime.timedelta(days=1),
                          start=cell_term_start))
        for _i in range(rng.choice([0, 1, 2, 3, 4])):
            sex = "nam" if rng.random() < 0.5 else "nu"
            candidates.append(Candidate(unit=cell, full_name=_name(rng, sex), sex=sex,
                                        date_of_birth=_date(rng, datetime.date(1985, 1, 1), datetime.date(2006, 1, 1)),
                                        stage=rng.choice(Candidate.Stage.values[:4])).prepare())
    by_path = sorted((c.path, c.pk) for c in cells if len(first_members.get(c.pk, [])) > 3)
    for unit in OrgUnit.objects.exclude(kind=UnitKind.CELL).filter(path__startswith=province.path):
        terms.append(Term(unit=unit, name="2025-2030", congress_closed_on=datetime.date(2025, 9, 30),
                          start=datetime.date(2025, 10, 1)))
        # the committee's secretary (who signs its reports): a full member of its first cell
        first = bisect.bisect_left(by_path, (unit.path, 0))
        if first < len(by_path) and by_path[first][0].startswith(unit.path):
            ids = first_members[by_path[first][1]]  # past the cell's own three roles; one per level
            roles.append(UnitRole(unit=unit, member_id=ids[min(len(ids) - 1, 2 + unit.depth)],
                                  role=RoleKind.SECRETARY, start=datetime.date(2025, 10, 1)))
    UnitRole.objects.bulk_create(roles, batch_size=2000)
    Term.objects.bulk_create(terms, batch_size=2000)
    Candidate.objects.bulk_create(candidates, batch_size=2000)


def build_merge_example(*, actor=None) -> OrgUnit:
    """Two communes of the old structure merged on 1/7/2025, through the real service."""
    province = OrgUnit.objects.get(code="TQ")
    old = []
    for i, commune in enumerate(["Đạo Đức", "Phú Linh"]):
        unit = services.unit_create(actor=actor, parent=province, name=f"Đảng bộ xã {commune}",
                                    code=f"TQ-CU-{i + 1}", kind=UnitKind.GRASSROOTS, has_committee=True,
                                    valid_from=datetime.date(2015, 1, 1))
        cell = services.unit_create(actor=actor, parent=unit, name=f"Chi bộ thôn {commune}",
                                    code=f"TQ-CU-{i + 1}-C1", kind=UnitKind.CELL,
                                    valid_from=datetime.date(2015, 1, 1))
        rng = random.Random(i)
        for _j in range(12):
            sex = "nam" if rng.random() < 0.6 else "nu"
            dob = _date(rng, datetime.date(1955, 1, 1), datetime.date(1995, 1, 1))
            admitted = dob + datetime.timedelta(days=20 * 366 + rng.randrange(3000))
            services.member_create(actor=actor, unit=cell, full_name=_name(rng, sex), sex=sex, date_of_birth=dob,
                                   admission_date=admitted, official_date=admitted + datetime.timedelta(days=366))
        old.append(unit)
    return services.unit_merge(actor=actor, units=old, name="Đảng bộ xã Đạo Đức (mới)", code="TQ-DD",
                               on_date=datetime.date(2025, 7, 1))


def build_history_demo(*, seed: int = 2025, today: datetime.date | None = None) -> dict:
    """A year of membership events through the real services, as a province records them:
    transfers between cells (within a commune and across), deaths, members struck off or
    expelled. All dated in the past year, none after today."""
    from django.utils import timezone

    rng = random.Random(seed + 1)
    today = today or timezone.localdate()
    year_ago = today - datetime.timedelta(days=365)
    cells = list(OrgUnit.objects.filter(kind=UnitKind.CELL, valid_to__isnull=True).order_by("path"))
    members = list(Member.objects.filter(status__in=[MemberStatus.FULL, MemberStatus.PROBATIONARY],
                                         admission_date__lt=year_ago).order_by("pk"))
    rng.shuffle(members)
    counts = {"transfers": 0, "died": 0, "removed": 0}
    events = members[: max(12, len(members) // 60)]
    with transaction.atomic():
        for n, member in enumerate(events):
            last_change = max(s.start for s in member.spans.all())
            earliest = max(last_change, year_ago) + datetime.timedelta(days=1)
            if earliest >= today:
                continue
            day = earliest + datetime.timedelta(days=rng.randrange((today - earliest).days))
            if n % 10 < 7:  # a transfer: mostly to a cell of the same commune
                parent = member.unit.path[:-OrgUnit.steplen]
                near = [c for c in cells if c.path.startswith(parent) and c.pk != member.unit_id]
                pool = near if near and rng.random() < 0.6 else [c for c in cells if c.pk != member.unit_id]
                services.member_transfer(actor=None, member=member, to_unit=rng.choice(pool), on_date=day,
                                         reason="Chuyển sinh hoạt đảng")
                counts["transfers"] += 1
            elif n % 10 < 9:
                services.member_leave(actor=None, member=member, reason="died", on_date=day)
                counts["died"] += 1
            else:
                services.member_leave(actor=None, member=member, reason=rng.choice(["removed", "expelled"]),
                                      on_date=day, note="Vi phạm tư cách đảng viên")
                counts["removed"] += 1
    return counts


def demo_plain_member(cell: OrgUnit):
    """The demo's plain member account: a member of the demo secretary's cell with no role,
    admitted more than a year ago (so rated in the year's evaluation, and with a history)."""
    from django.utils import timezone

    year_ago = timezone.localdate() - datetime.timedelta(days=366)
    return (Member.objects.filter(unit=cell, roles__isnull=True, admission_date__lt=year_ago,
                                  status__in=[MemberStatus.FULL, MemberStatus.PROBATIONARY]).order_by("id").first())
