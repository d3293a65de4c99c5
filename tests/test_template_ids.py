"""Ids in pages are digits, never quantities: with the thousand separator on, a checkbox of
rating 1282 was sent as "1.282" and the committee's decision found no proposal chosen (a CI
run on PostgreSQL, where ids run past 1,000). Every id a template writes goes through
|unlocalize."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "dangvu"
BARE_ID = re.compile(r"\{\{ [a-z_]+(?:\.[a-z_]+)*(?:\.pk|_id|\.id) \}\}")


def test_no_template_writes_an_id_through_the_number_format():
    found = [f"{path.relative_to(ROOT)}: {m.group(0)}" for path in ROOT.rglob("*.html")
             for m in BARE_ID.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


def test_an_id_past_a_thousand_renders_as_its_digits():
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("vi"):
        rendered = Template('{% load l10n %}<input value="{{ r.pk|unlocalize }}"> {{ n }}').render(
            Context({"r": type("R", (), {"pk": 1282})(), "n": 1282}))
    assert rendered == '<input value="1282"> 1.282'
