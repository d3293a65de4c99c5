"""Import of units and members from .xlsx: validate every row first, report every
problem by sheet, row and column in Vietnamese, then write all or nothing.
"""

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from io import BytesIO

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record
from dangvu.lib.cleaning import control_character_error
from dangvu.lib.progress import Reporter
from dangvu.lib.vntext import fold, nfc, search_key
from dangvu.orgs.history import first_spans
from dangvu.orgs.models import Candidate, Member, MemberSpan, MemberStatus, OrgUnit, UnitKind
from dangvu.orgs.services import member_date_errors, unit_create

UNIT_SHEET = "Đơn vị"
MEMBER_SHEET = "Đảng viên"
CANDIDATE_SHEET = "Quần chúng ưu tú"

# (header, attribute, required)
UNIT_COLUMNS = [
    ("Mã đơn vị", "code", True),
    ("Tên đơn vị", "name", True),
    ("Loại", "kind", True),
    ("Mã đơn vị cấp trên", "parent_code", True),
    ("Có chi ủy", "has_committee", False),
    ("Ký hiệu", "symbol", False),
    ("Ngày thành lập", "valid_from", False),
]
MEMBER_COLUMNS = [
    ("Họ và tên", "full_name", True),
    ("Ngày sinh", "date_of_birth", True),
    ("Giới tính", "sex", True),
    ("Ngày vào Đảng", "admission_date", True),
    ("Ngày chính thức", "official_date", False),
    ("Trạng thái", "status", False),
    ("Số thẻ đảng viên", "card_number", False),
    ("Điện thoại", "phone", False),
    ("Email", "email", False),
    ("Mã đơn vị", "unit_code", True),
]

CANDIDATE_COLUMNS = [
    ("Họ và tên", "full_name", True),
    ("Ngày sinh", "date_of_birth", True),
    ("Giới tính", "sex", True),
    ("Giai đoạn", "stage", False),
    ("Mã đơn vị", "unit_code", True),
]
STAGES = "Giới thiệu, Đang học lớp nhận thức về Đảng, Đã học lớp nhận thức về Đảng, Đang xét kết nạp"
STAGE_BY_LABEL = {fold(label): value for label, value in (
    ("Giới thiệu", "gioi_thieu"), ("Đang học lớp nhận thức về Đảng", "dang_hoc"), ("Đang học", "dang_hoc"),
    ("Đã học lớp nhận thức về Đảng", "da_hoc"), ("Đã học", "da_hoc"), ("Đang xét kết nạp", "xet_ket_nap"))}

KIND_BY_LABEL = {fold(str(label)): value for value, label in [
    (UnitKind.CELL, "Chi bộ"), (UnitKind.SUB, "Đảng bộ bộ phận"), (UnitKind.GRASSROOTS, "Đảng bộ cơ sở"),
    (UnitKind.UPPER, "Đảng bộ cấp trên trực tiếp cơ sở"), (UnitKind.PROVINCE, "Đảng bộ tỉnh")]}
SEX_BY_LABEL = {"nam": "nam", "nu": "nu"}
STATUS_BY_LABEL = {"du bi": MemberStatus.PROBATIONARY, "chinh thuc": MemberStatus.FULL}
YES = {"co", "x", "1", "yes"}
NO = {"khong", "", "0", "no"}


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class Plan:
    """What a valid file would write."""

    units: list[dict] = field(default_factory=list)
    members: list[dict] = field(default_factory=list)
    candidates: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def summary(self) -> dict:
        return {"units": len(self.units), "members": len(self.members), "candidates": len(self.candidates),
                "errors": len(self.errors)}


class _SheetReader:
    def __init__(self, plan: Plan, sheet_name: str, columns, model=None):
        self.plan, self.sheet, self.columns = plan, sheet_name, columns
        # the model's own length limits hold here as in forms and the API
        self.max_lengths = {f.name: f.max_length for f in model._meta.get_fields()
                            if getattr(f, "max_length", None) and not getattr(f, "choices", None)} if model else {}

    def error(self, row: int, column: str, message: str) -> None:
        self.plan.errors.append(RowError(self.sheet, row, column, message))

    def rows(self, ws):
        """Yield (row number, {attr: raw value}) after matching headers by folded text."""
        it = ws.iter_rows(values_only=True)
        header = next(it, None) or ()
        positions = {fold(str(h)): i for i, h in enumerate(header) if h is not None}
        index = {}
        for title, attr, required in self.columns:
            if fold(title) in positions:
                index[attr] = positions[fold(title)]
            elif required:
                self.error(1, title, _("The header row lacks the column “%(col)s”.") % {"col": title})
        if any(required and attr not in index for _t, attr, required in self.columns):
            return
        for number, values in enumerate(it, start=2):
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            row = {attr: values[i] if i < len(values) else None for attr, i in index.items()}
            yield number, self._checked(number, row)

    def _checked(self, number: int, row: dict) -> dict:
        """Control characters and over-long text refused, naming the cell; the value is dropped."""
        for title, attr, _required in self.columns:
            value = row.get(attr)
            if not isinstance(value, str):
                continue
            message = control_character_error(value, title)
            limit = self.max_lengths.get(attr)
            if message is None and limit and len(value.strip()) > limit:
                message = _("“%(col)s” is longer than %(max)s characters.") % {"col": title, "max": limit}
            if message:
                self.error(number, title, message)
                row[attr] = None
        return row

    def text(self, raw) -> str:
        if raw is None:
            return ""
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        return nfc(str(raw)).strip()

    def required(self, row: int, title: str, raw) -> str:
        value = self.text(raw)
        if not value:
            self.error(row, title, _("“%(col)s” must not be empty.") % {"col": title})
        return value

    def date(self, row: int, title: str, raw, required: bool) -> datetime.date | None:
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        value = self.text(raw)
        if not value:
            if required:
                self.error(row, title, _("“%(col)s” must not be empty.") % {"col": title})
            return None
        for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
            try:
                return datetime.datetime.strptime(value, fmt).date()
            except ValueError:
                pass
        self.error(row, title, _("“%(value)s” is not a valid date; write day/month/year, for example 02/09/1985.")
                   % {"value": value})
        return None

    def choice(self, row: int, title: str, raw, mapping: dict, allowed: str, default=None):
        value = self.text(raw)
        if not value and default is not None:
            return default
        found = mapping.get(fold(value))
        if found is None:
            self.error(row, title, _("“%(value)s” is not valid; expected one of: %(allowed)s.")
                       % {"value": value, "allowed": allowed})
        return found


def _title(columns, attr: str) -> str:
    return next(t for t, a, _r in columns if a == attr)


def _unpacked_size(content: bytes) -> int | None:
    """The size of the .xlsx once unpacked, read from its zip directory (None: not a zip)."""
    import zipfile

    try:
        with zipfile.ZipFile(BytesIO(content)) as package:
            return sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def build_plan(content: bytes, *, root: OrgUnit, progress: Callable | None = None) -> Plan:
    """Read and check the whole file against the database; write nothing."""
    plan = Plan()
    file_reader = _SheetReader(plan, "", [])
    unpacked = _unpacked_size(content)
    if unpacked is not None and unpacked > settings.UPLOAD_LIMITS["xml_bytes"] * 25:
        file_reader.error(0, "", _("The file unpacks to more than %(mb)s MB: it is not a member list. "
                                   "Split it into smaller files.") % {"mb": settings.UPLOAD_LIMITS["xml_bytes"] * 25 // 2**20})
        return plan
    try:
        wb = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a bad file (zip, XML, key errors)
        file_reader.error(0, "", _("The file cannot be read: an Excel .xlsx file (Excel 2007 or later) is needed."))
        return plan
    sheets = {fold(name): wb[name] for name in wb.sheetnames}
    unit_ws, member_ws = sheets.get(fold(UNIT_SHEET)), sheets.get(fold(MEMBER_SHEET))
    candidate_ws = sheets.get(fold(CANDIDATE_SHEET))
    if unit_ws is None and member_ws is None and candidate_ws is None:
        file_reader.error(0, "", _("The file has no sheet named “%(a)s”, “%(b)s” or “%(c)s”.")
                          % {"a": UNIT_SHEET, "b": MEMBER_SHEET, "c": CANDIDATE_SHEET})
        return plan

    known = {u.code: u for u in OrgUnit.objects.filter(path__startswith=root.path, valid_to__isnull=True)}
    file_codes: dict[str, int] = {}
    if unit_ws is not None:
        _read_units(plan, unit_ws, root, known, file_codes)
    if member_ws is not None:
        _read_members(plan, member_ws, root, known, file_codes, progress)
    if candidate_ws is not None:
        _read_candidates(plan, candidate_ws, root, known, file_codes)
    wb.close()
    return plan


def _read_candidates(plan, ws, root, known, file_codes) -> None:
    """Quần chúng ưu tú: each in a cell (or committee) of the file or of `root`'s subtree,
    once (name and date of birth) in the file and in the system."""
    r = _SheetReader(plan, CANDIDATE_SHEET, CANDIDATE_COLUMNS, Candidate)
    t = lambda attr: _title(CANDIDATE_COLUMNS, attr)  # noqa: E731
    existing = set(Candidate.objects.filter(unit__path__startswith=root.path).values_list("name_key", "date_of_birth"))
    seen: dict[tuple, int] = {}
    for row, raw in r.rows(ws):
        name = r.required(row, t("full_name"), raw["full_name"])
        dob = r.date(row, t("date_of_birth"), raw["date_of_birth"], required=True)
        sex = r.choice(row, t("sex"), raw["sex"], SEX_BY_LABEL, "Nam, Nữ")
        stage = r.choice(row, t("stage"), raw.get("stage"), STAGE_BY_LABEL, STAGES, default="gioi_thieu")
        unit_code = r.required(row, t("unit_code"), raw["unit_code"])
        if unit_code and unit_code not in known and unit_code not in file_codes:
            r.error(row, t("unit_code"), _("No unit with code “%(code)s” in the file or within “%(root)s”.")
                    % {"code": unit_code, "root": root.name})
        if dob and not 16 <= (datetime.date.today() - dob).days // 365 <= 70:
            r.error(row, t("date_of_birth"), _("An admission candidate is between 16 and 70 years old."))
        _check_person(r, row, t("full_name"), name, dob, seen, existing,
                      _("Candidate “%(name)s” born %(dob)s already exists in the system."))
        plan.candidates.append(dict(full_name=name, date_of_birth=dob, sex=sex, stage=stage, unit_code=unit_code))


def _check_person(r, row: int, column: str, name, dob, seen: dict, existing: set, exists_message: str) -> None:
    """A person (name and date of birth) once in the file and not already in the system."""
    person = (search_key(name), dob)
    if not (name and dob):
        return
    if person in seen:
        r.error(row, column, _("Repeats row %(other)d (same name and date of birth).") % {"other": seen[person]})
    elif person in existing:
        r.error(row, column, exists_message % {"name": name, "dob": dob.strftime("%d/%m/%Y")})
    seen.setdefault(person, row)


def _read_units(plan, ws, root, known, file_codes) -> None:
    r = _SheetReader(plan, UNIT_SHEET, UNIT_COLUMNS, OrgUnit)
    t = lambda attr: _title(UNIT_COLUMNS, attr)  # noqa: E731
    all_codes = set(OrgUnit.objects.values_list("code", flat=True))
    pending = []
    for row, raw in r.rows(ws):
        code = r.required(row, t("code"), raw["code"])
        name = r.required(row, t("name"), raw["name"])
        kind = r.choice(row, t("kind"), raw["kind"], KIND_BY_LABEL,
                        "Chi bộ, Đảng bộ bộ phận, Đảng bộ cơ sở, Đảng bộ cấp trên trực tiếp cơ sở")
        parent_code = r.required(row, t("parent_code"), raw["parent_code"])
        has_committee = fold(r.text(raw.get("has_committee")))
        if has_committee not in YES | NO:
            r.error(row, t("has_committee"), _("“%(value)s” is not valid; expected “Có” or “Không”.")
                    % {"value": r.text(raw.get("has_committee"))})
        valid_from = r.date(row, t("valid_from"), raw.get("valid_from"), required=False)
        if code in file_codes:
            r.error(row, t("code"), _("Unit code “%(code)s” repeats row %(other)d.")
                    % {"code": code, "other": file_codes[code]})
        elif code in all_codes:
            r.error(row, t("code"), _("Unit code “%(code)s” already exists in the system.") % {"code": code})
        if code:
            file_codes.setdefault(code, row)
        pending.append((row, dict(code=code, name=name, kind=kind, parent_code=parent_code,
                                  has_committee=has_committee in YES, symbol=r.text(raw.get("symbol")),
                                  valid_from=valid_from)))
    for row, unit in pending:
        parent = unit["parent_code"]
        if parent and parent not in known and parent not in file_codes:
            r.error(row, t("parent_code"), _("No unit with code “%(code)s” in the file or within “%(root)s”.")
                    % {"code": parent, "root": root.name})
        elif parent == unit["code"]:
            r.error(row, t("parent_code"), _("A unit cannot be its own parent."))
        elif parent in known and known[parent].kind == UnitKind.CELL:
            r.error(row, t("parent_code"), _("Parent unit “%(code)s” is a cell and cannot have sub-units.")
                    % {"code": parent})
        plan.units.append(unit | {"row": row})
    _order_units(plan, r)


def _order_units(plan: Plan, r: _SheetReader) -> None:
    """Parents before children; a cycle inside the file is an error."""
    by_code = {u["code"]: u for u in plan.units}
    ordered, placed = [], set()

    def place(unit, trail):
        if unit["code"] in placed:
            return
        if unit["code"] in trail:
            r.error(unit["row"], _title(UNIT_COLUMNS, "parent_code"), _("The units in the file form a parent loop."))
            return
        parent = by_code.get(unit["parent_code"])
        if parent is not None:
            place(parent, trail | {unit["code"]})
        placed.add(unit["code"])
        ordered.append(unit)

    for unit in plan.units:
        place(unit, set())
    plan.units = ordered


def _read_members(plan, ws, root, known, file_codes, progress) -> None:
    r = _SheetReader(plan, MEMBER_SHEET, MEMBER_COLUMNS, Member)
    t = lambda attr: _title(MEMBER_COLUMNS, attr)  # noqa: E731
    rows = list(r.rows(ws))
    reporter = Reporter(progress, len(rows), stage="validate") if progress else None
    existing_people = set(Member.objects.filter(unit__path__startswith=root.path)
                          .values_list("name_key", "date_of_birth"))
    existing_cards = set(Member.objects.exclude(card_number=None).values_list("card_number", flat=True))
    seen_people: dict[tuple, int] = {}
    seen_cards: dict[str, int] = {}
    for row, raw in rows:
        name = r.required(row, t("full_name"), raw["full_name"])
        dob = r.date(row, t("date_of_birth"), raw["date_of_birth"], required=True)
        sex = r.choice(row, t("sex"), raw["sex"], SEX_BY_LABEL, "Nam, Nữ")
        admitted = r.date(row, t("admission_date"), raw["admission_date"], required=True)
        official = r.date(row, t("official_date"), raw.get("official_date"), required=False)
        status = r.choice(row, t("status"), raw.get("status"), STATUS_BY_LABEL, "Dự bị, Chính thức",
                          default=MemberStatus.FULL if official else MemberStatus.PROBATIONARY)
        card = r.text(raw.get("card_number"))
        email = r.text(raw.get("email"))
        unit_code = r.required(row, t("unit_code"), raw["unit_code"])
        if unit_code and unit_code not in known and unit_code not in file_codes:
            r.error(row, t("unit_code"), _("No unit with code “%(code)s” in the file or within “%(root)s”.")
                    % {"code": unit_code, "root": root.name})
        for attr, message in member_date_errors(date_of_birth=dob, admission_date=admitted,
                                                official_date=official).items():
            r.error(row, t(attr), message)
        if email and "@" not in email:
            r.error(row, t("email"), _("E-mail address “%(value)s” is not valid.") % {"value": email})
        _check_person(r, row, t("full_name"), name, dob, seen_people, existing_people,
                      _("Member “%(name)s” born %(dob)s already exists in the system."))
        if card:
            if card in seen_cards:
                r.error(row, t("card_number"), _("Card number “%(card)s” repeats row %(other)d.")
                        % {"card": card, "other": seen_cards[card]})
            elif card in existing_cards:
                r.error(row, t("card_number"), _("Card number “%(card)s” already exists in the system.") % {"card": card})
            seen_cards.setdefault(card, row)
        plan.members.append(dict(row=row, full_name=name, date_of_birth=dob, sex=sex, admission_date=admitted,
                                 official_date=official, status=status, card_number=card or None,
                                 phone=r.text(raw.get("phone")), email=email, unit_code=unit_code))
        if reporter:
            reporter.step()


@transaction.atomic
def apply_plan(plan: Plan, *, root: OrgUnit, actor, progress: Callable | None = None,
               file_name: str = "", bar=None) -> dict:
    """Write a checked plan. Any failure rolls back everything."""
    if plan.errors:
        raise ValueError("plan has errors")
    reporter = Reporter(progress, len(plan.units) + len(plan.members) + len(plan.candidates), stage="apply",
                        bar=bar)
    units = {u.code: u for u in OrgUnit.objects.filter(path__startswith=root.path, valid_to__isnull=True)}
    for row in plan.units:
        units[row["code"]] = unit_create(
            actor=actor, parent=units[row["parent_code"]], name=row["name"], code=row["code"],
            kind=row["kind"], has_committee=row["has_committee"], symbol=row["symbol"],
            valid_from=row["valid_from"])
        reporter.step()
    batch = []
    for row in plan.members:
        batch.append(Member(unit=units[row["unit_code"]], full_name=row["full_name"],
                            date_of_birth=row["date_of_birth"], sex=row["sex"],
                            admission_date=row["admission_date"], official_date=row["official_date"],
                            status=row["status"], card_number=row["card_number"], phone=row["phone"],
                            email=row["email"]).prepare())
        if len(batch) >= 500:
            _save_members(batch, reporter)
            batch = []
    _save_members(batch, reporter)
    candidates = [Candidate(unit=units[row["unit_code"]], full_name=row["full_name"], date_of_birth=row["date_of_birth"],
                            sex=row["sex"], stage=row["stage"]) for row in plan.candidates]
    for candidate in candidates:
        candidate.prepare()
    Candidate.objects.bulk_create(candidates, batch_size=500)
    reporter.step(len(candidates))
    result = {"units": len(plan.units), "members": len(plan.members), "candidates": len(plan.candidates)}
    audit_record(actor=actor, action=AuditEntry.Action.IMPORT, obj=root, unit_path=root.path,
                 changes={"file": [None, file_name], "units": [None, result["units"]],
                          "members": [None, result["members"]], "candidates": [None, result["candidates"]]})
    return result


def _save_members(batch: list[Member], reporter: Reporter) -> None:
    if not batch:
        return
    created = Member.objects.bulk_create(batch)  # SQLite ≥ 3.35 and PostgreSQL return ids
    MemberSpan.objects.bulk_create([span for m in created for span in first_spans(m)])
    reporter.step(len(batch))


def errors_as_dicts(plan: Plan) -> list[dict]:
    return [asdict(e) for e in plan.errors]


# --- the template and the sample ---------------------------------------------

def build_template(examples: list[list] | None = None, unit_examples: list[list] | None = None,
                   candidate_examples: list[list] | None = None) -> bytes:
    """The downloadable template: the three sheets with their headers, required ones bold."""
    wb = Workbook()
    wb.remove(wb.active)
    fill = PatternFill("solid", fgColor="FFF2CC")
    for title, columns, rows in ((UNIT_SHEET, UNIT_COLUMNS, unit_examples or []),
                                 (MEMBER_SHEET, MEMBER_COLUMNS, examples or []),
                                 (CANDIDATE_SHEET, CANDIDATE_COLUMNS, candidate_examples or [])):
        ws = wb.create_sheet(title)
        ws.append([c[0] for c in columns])
        for cell, (_t, _a, required) in zip(ws[1], columns, strict=True):
            cell.font = Font(bold=required)
            if required:
                cell.fill = fill
            ws.column_dimensions[cell.column_letter].width = 22
        for row in rows:
            ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
