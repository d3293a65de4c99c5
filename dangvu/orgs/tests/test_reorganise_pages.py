"""Merging and splitting units from the pages: through the services, scoped, every member
accounted for, nothing changed when the form is wrong."""

import datetime

from dangvu.orgs.models import Member, OrgUnit, UnitSuccession

D = datetime.date


def test_an_officer_merges_two_cells(client, org):
    client.force_login(org.users["off"])
    page = client.get(f"/units/{org.G.pk}/").content.decode()
    assert f"/units/{org.G.pk}/merge/" in page
    answer = client.post(f"/units/{org.G.pk}/merge/", {"units": [org.A.pk, org.B.pk], "name": "Chi bộ thôn Nà Ngoa - Bản Mới",
                                                      "code": "AB", "on_date": "01/07/2026"})
    merged = OrgUnit.objects.get(code="AB")
    assert answer.status_code == 302 and answer["Location"] == f"/units/{merged.pk}/"
    assert Member.objects.filter(unit=merged).count() == 4
    assert OrgUnit.objects.get(pk=org.A.pk).valid_to == D(2026, 6, 30)
    assert UnitSuccession.objects.filter(successor=merged).count() == 2


def test_a_merge_takes_only_the_committees_own_units(client, org):
    from conftest import make_member
    from dangvu.orgs import services

    other = services.unit_create(actor=None, parent=org.P, name="Đảng bộ xã Khác", code="K", kind="grassroots")
    far = services.unit_create(actor=None, parent=other, name="Chi bộ thôn Xa", code="X", kind="cell")
    make_member(far, "Người Ở Xa")
    client.force_login(org.users["off"])
    answer = client.post(f"/units/{org.G.pk}/merge/", {"units": [org.A.pk, far.pk], "name": "Gộp", "code": "AX",
                                                      "on_date": "01/07/2026"})
    assert answer.status_code == 200 and not OrgUnit.objects.filter(code="AX").exists()
    assert "Chi bộ thôn Xa" not in answer.content.decode()
    # a cell's secretary cannot merge under the commune; a reader sees but may not
    client.force_login(org.users["sec"])
    assert client.get(f"/units/{org.G.pk}/merge/").status_code == 404
    client.force_login(org.users["view"])
    assert client.get(f"/units/{org.G.pk}/merge/").status_code == 403


def test_an_officer_splits_a_cell_and_every_member_must_go_somewhere(client, org):
    client.force_login(org.users["off"])
    members = list(Member.objects.filter(unit=org.A).order_by("pk"))
    form = {"parts": "2", "on_date": "01/09/2026", "name-1": "Chi bộ thôn Nà Ngoa 1", "code-1": "A1",
            "name-2": "Chi bộ thôn Nà Ngoa 2", "code-2": "A2", f"member-{members[0].pk}": "1",
            f"member-{members[1].pk}": "2"}
    answer = client.post(f"/units/{org.A.pk}/split/", form)
    page = answer.content.decode()
    assert answer.status_code == 200 and "1" in page and "Chi bộ thôn Nà Ngoa 1" in page  # typed text kept
    assert not OrgUnit.objects.filter(code__in=["A1", "A2"]).exists()
    form[f"member-{members[2].pk}"] = "2"
    answer = client.post(f"/units/{org.A.pk}/split/", form)
    first, second = OrgUnit.objects.get(code="A1"), OrgUnit.objects.get(code="A2")
    assert answer.status_code == 302 and answer["Location"] == f"/units/{first.pk}/"
    assert Member.objects.filter(unit=first).count() == 1 and Member.objects.filter(unit=second).count() == 2
    assert OrgUnit.objects.get(pk=org.A.pk).valid_to == D(2026, 8, 31)


def test_a_split_refuses_a_bad_date_and_a_secretary_of_the_cell(client, org):
    client.force_login(org.users["off"])
    answer = client.post(f"/units/{org.B.pk}/split/", {"parts": "99", "on_date": "31/02/2026"})
    assert answer.status_code == 200 and "name-6" in answer.content.decode()  # at most six parts
    client.force_login(org.users["sec"])  # manages cell A, not the commune its new siblings belong to
    assert client.get(f"/units/{org.A.pk}/split/").status_code == 404
