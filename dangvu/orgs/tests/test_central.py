"""The central level: the national root above the provinces (a whole-Party campaign is
organised there). It stands only at the top; its documents and its provinces' have the heads
real ones have; its figures are its provinces' together."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from conftest import make_member
from dangvu.documents.letterhead import default_head
from dangvu.lib import measures
from dangvu.lib.periods import Period
from dangvu.orgs import services
from dangvu.orgs.models import MemberSpan, OrgUnit, UnitKind

FOUNDED = datetime.date(2020, 1, 1)
MOVED = datetime.date(2025, 7, 1)
TOP = "Cấp Trung ương đứng trên cùng của cây tổ chức: không có đơn vị nào ở trên."
ONE = "Đã có cấp Trung ương; không thể tạo thêm một cấp Trung ương nữa."


@pytest.fixture
def nation(org):
    """The test province P moved under a central root on 1/7/2025, and a second province
    with one cell of two members."""
    org.T = services.unit_create(actor=None, parent=None, name="Ban Chấp hành Trung ương", code="TW",
                                 kind=UnitKind.CENTRAL, valid_from=FOUNDED)
    services.unit_move(actor=None, unit=org.P, parent=org.T, on_date=MOVED)
    for unit in (org.P, org.G, org.A, org.B):  # their paths now begin with the root's
        unit.refresh_from_db()
    org.Q = services.unit_create(actor=None, parent=org.T, name="Đảng bộ tỉnh Cao Bằng", code="Q",
                                 kind=UnitKind.PROVINCE, valid_from=FOUNDED)
    org.QC = services.unit_create(actor=None, parent=org.Q, name="Chi bộ Văn phòng", code="QC",
                                  kind=UnitKind.CELL, valid_from=FOUNDED)
    for name in ("Nông Văn Hải", "Lục Thị Mai"):
        make_member(org.QC, name, datetime.date(1980, 5, 5))
    return org


def _refused(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_the_central_level_stands_only_at_the_top(nation):
    org = nation
    assert _refused(lambda: services.unit_create(actor=None, parent=org.P, name="Trung ương 2", code="TW2",
                                                 kind=UnitKind.CENTRAL)) == {"kind": [TOP]}
    assert _refused(lambda: services.unit_move(actor=None, unit=org.T, parent=org.Q, on_date=MOVED)) \
        == {"parent_id": [TOP]}
    assert _refused(lambda: services.unit_update(actor=None, unit=org.Q, kind=UnitKind.CENTRAL)) == {"kind": [TOP]}
    assert _refused(lambda: services.unit_create(actor=None, parent=None, name="Trung ương 2", code="TW2",
                                                 kind=UnitKind.CENTRAL)) == {"kind": [ONE]}
    # the central level itself may be renamed, its kind given again
    services.unit_update(actor=None, unit=org.T, name="Ban Chấp hành Trung ương Đảng", kind=UnitKind.CENTRAL)
    assert OrgUnit.objects.get(pk=org.Q.pk).kind == UnitKind.PROVINCE


def test_heads_of_the_central_level_and_of_a_province_under_it(nation):
    day = datetime.date(2026, 3, 2)
    central = default_head(nation.T, day)
    assert (central["above"], central["issuer"], central["place"], central["on_behalf"], central["signer_title"],
            central["recipients"]) == ("", "BAN CHẤP HÀNH TRUNG ƯƠNG", "Hà Nội", "T/M BỘ CHÍNH TRỊ", "TỔNG BÍ THƯ",
                                       ["- Lưu Văn phòng Trung ương Đảng."])
    agency = services.unit_create(actor=None, parent=nation.T, name="Đảng bộ Công an Trung ương", code="CATW",
                                  kind=UnitKind.UPPER, valid_from=FOUNDED)
    assert (default_head(agency, day)["place"], default_head(agency, day)["above"]) == ("Hà Nội", "")
    province = default_head(nation.Q, day)
    assert (province["above"], province["issuer"], province["on_behalf"]) == ("", "TỈNH ỦY CAO BẰNG", "T/M BAN THƯỜNG VỤ")
    commune = default_head(nation.G, day)
    assert (commune["above"], commune["issuer"]) == ("ĐẢNG BỘ TỈNH THỬ", "ĐẢNG ỦY XÃ HÙNG AN")


def _members_in(codes: list[str], day: datetime.date) -> int:
    """Members in a stretch open on `day` in one of these units, counted from the rows."""
    return (MemberSpan.objects.filter(unit__code__in=codes, start__lte=day).exclude(end__lte=day)
            .values("member").distinct().count())


def test_the_root_counts_its_provinces_members_as_they_stood(nation):
    """P stood under the root from 1/7/2025 only: in 2024 the root had Q's members alone."""
    total = measures.get("members.total")
    this_year, last_year = Period.year(datetime.date.today().year), Period.year(2024)
    for period, codes, members in ((this_year, ["P", "G", "A", "B", "Q", "QC"], 6), (last_year, ["Q", "QC"], 2)):
        table = measures.compute_all(nation.T, period, [total], levels=1)
        assert table["members.total"][nation.T.path].value == _members_in(codes, period.end) == members
        assert table["members.total"][nation.Q.path].value == _members_in(["Q", "QC"], period.end) == 2


def test_a_target_cannot_apply_to_the_central_level(nation):
    from dangvu.targets import services as targets

    refused = _refused(lambda: targets.target_create(
        actor=None, unit=nation.T, title="Chỉ tiêu", measure="members.total", applies_kind=UnitKind.CENTRAL,
        thresholds=[{"min": 1, "level": "đạt"}], start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)))
    assert refused == {"applies_to": ["Không có loại đơn vị “central”."]}


def test_the_unit_page_names_the_central_level_in_vietnamese(nation, client):
    client.force_login(get_user_model().objects.create_superuser("quantri", password="x"))
    page = client.get(f"/units/{nation.T.pk}/").content.decode()
    assert "Cấp Trung ương" in page and "Đảng bộ tỉnh Cao Bằng" in page
    # the province's change log tells its move in Vietnamese, field names included
    moved = client.get(f"/units/{nation.P.pk}/").content.decode()
    assert "Đơn vị cấp trên trực tiếp: Ban Chấp hành Trung ương." in moved and "Ngày: 01/07/2025." in moved
    assert "Parent:" not in moved and "Date:" not in moved
