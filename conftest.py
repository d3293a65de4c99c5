"""Shared fixtures: a small tree and one user per persona.

province P ─ grassroots G ─ cell A (secretary `sec`, plain member `mem`)
                          └ cell B (its secretary `out` is the outsider from a sibling cell)
`off` is an officer of G with every key; `view` reads G's subtree only.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from dangvu.accounts.models import Team
from dangvu.lib.keys import FULL_KEYS, READ_KEYS
from dangvu.orgs import services
from dangvu.orgs.models import RoleKind, UnitKind


@pytest.fixture(autouse=True)
def _isolated_cache(settings, tmp_path):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                   "LOCATION": str(tmp_path / "cache")}}
    settings.MEDIA_ROOT = str(tmp_path / "media")  # uploads of one test never meet another's
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]


def make_member(unit, name="Nguyễn Văn An", dob=datetime.date(1980, 5, 1), **extra):
    admitted = max(datetime.date(2005, 3, 2), dob.replace(year=dob.year + 20))  # admitted at 18 or older
    values = dict(sex="nam", admission_date=admitted, official_date=admitted.replace(year=admitted.year + 1))
    values.update(extra)
    return services.member_create(actor=None, unit=unit, full_name=name, date_of_birth=dob, **values)


class Org:
    pass


@pytest.fixture
def org(db):
    o = Org()
    User = get_user_model()
    o.P = services.unit_create(actor=None, parent=None, name="Đảng bộ tỉnh Thử", code="P", kind=UnitKind.PROVINCE,
                                 valid_from=datetime.date(2020, 1, 1))
    o.G = services.unit_create(actor=None, parent=o.P, name="Đảng bộ xã Hùng An", code="G", kind=UnitKind.GRASSROOTS,
                                 valid_from=datetime.date(2020, 1, 1))
    o.A = services.unit_create(actor=None, parent=o.G, name="Chi bộ thôn Nà Ngoa", code="A", kind=UnitKind.CELL,
                                 valid_from=datetime.date(2020, 1, 1))
    o.B = services.unit_create(actor=None, parent=o.G, name="Chi bộ thôn Bản Mới", code="B", kind=UnitKind.CELL,
                                 valid_from=datetime.date(2020, 1, 1))
    o.sec_member = make_member(o.A, "Trần Thị Bình", datetime.date(1975, 1, 2))
    o.mem_member = make_member(o.A, "Lê Văn Cường", datetime.date(1990, 7, 8))
    o.other_member = make_member(o.A, "Phạm Thị Dung", datetime.date(1988, 2, 3))
    o.out_member = make_member(o.B, "Hoàng Văn Em", datetime.date(1970, 9, 9))
    o.users = {}
    for name in ("sec", "mem", "out", "off", "view"):
        o.users[name] = User.objects.create_user(username=name, password="x-" + name)
    for member, user in ((o.sec_member, "sec"), (o.mem_member, "mem"), (o.out_member, "out")):
        member.user = o.users[user]
        member.save()
    services.role_assign(actor=None, unit=o.A, member=o.sec_member, role=RoleKind.SECRETARY,
                         start=datetime.date(2025, 1, 1))
    services.role_assign(actor=None, unit=o.B, member=o.out_member, role=RoleKind.SECRETARY,
                         start=datetime.date(2025, 1, 1))
    Team.objects.create(name="Văn phòng", unit=o.G, permissions=sorted(FULL_KEYS)).users.add(o.users["off"])
    Team.objects.create(name="Chỉ xem", unit=o.G, permissions=sorted(READ_KEYS)).users.add(o.users["view"])
    return o


def run_worker():
    """Run the real database task worker until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # a test that commits would otherwise queue a recount of the figures for the worker it runs
    # (dangvu/figures/tests/test_store.py turns it on); and a page counts a touched figure at once
    settings.FIGURE_RECOUNT, settings.FIGURE_DELAY = False, 0
    # a request slower than this is kept as a row (3 more queries): on a loaded machine that
    # made the tests that count a page's queries fail now and then
    settings.SLOW_REQUEST_MS = 10**9
