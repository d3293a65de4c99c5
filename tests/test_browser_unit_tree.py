"""Choosing the units of a new campaign as a tree, with a search that ignores accents, on a
phone-sized screen: the campaign takes the cell ticked, and only it."""

import datetime

import pytest

from dangvu.study.models import Campaign
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_units_are_chosen_from_the_tree_by_a_search_without_accents(page, live_server, org):
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, base, "off")
    page.goto(f"{base}/units/{org.G.pk}/campaigns/new/")
    tree = page.locator("[data-unit-tree]")
    assert tree.locator("li.depth-2").count() == 1 and tree.locator("li.depth-3").count() == 2  # G, then A and B
    tree.locator(".tree-filter").fill("ban moi")
    visible = [t.strip() for t in tree.locator("li:not([hidden]) label").all_inner_texts()]
    assert len(visible) == 1 and visible[0].startswith("Chi bộ thôn Bản Mới")
    tree.locator("li:not([hidden]) input").check()
    tree.locator(".tree-filter").fill("")
    assert tree.locator("li:not([hidden])").count() == 3
    today = datetime.date.today()
    page.fill("#id_title", "Sinh hoạt chuyên đề của chi bộ thôn Bản Mới")
    page.fill("#id_start", today.strftime("%d/%m/%Y"))
    page.fill("#id_end", (today + datetime.timedelta(days=20)).strftime("%d/%m/%Y"))
    page.uncheck("#id_essay_required")
    page.get_by_role("button", name="Tạo đợt học tập").click()
    page.wait_for_selector("text=Đã tạo đợt học tập.")
    campaign = Campaign.objects.get(title__startswith="Sinh hoạt chuyên đề")
    assert list(campaign.units.all()) == [org.B] and campaign.start == today
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
