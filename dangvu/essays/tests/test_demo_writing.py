"""The demo's essays read as essays and pass the copy check as members' own work: a campaign's
worth scanned by the real engine finds no thin essay and no copied pair, and a planted copy
of one of them is found."""

import random
import re

from dangvu.essays.demo_writing import RESOLUTIONS, reflection_essay
from dangvu.integrity.scan import Options, scan

CAMPAIGN = 7900  # the essays of the demo province's largest campaign
ESSAYS = 1200


def write(rng, i: int) -> str:
    return reflection_essay(rng, doc="Nghị quyết số 57-NQ/TW", number="57", place=f"Chi bộ thôn số {i % 40}",
                            year=2026)


def test_a_campaign_of_demo_essays_is_members_own_work(tmp_path):
    rng = random.Random(7)
    texts = [write(rng, i) for i in range(ESSAYS)]
    essays = tmp_path / "bai"
    essays.mkdir()
    for i, text in enumerate(texts):
        (essays / f"bai-{i:04d}.txt").write_text(text, encoding="utf-8")
    copied = texts[10][: len(texts[10]) * 4 // 5].rsplit(" ", 1)[0]
    (essays / "ban-sao.txt").write_text(copied, encoding="utf-8")
    number, _day, summary, text = RESOLUTIONS[0]
    studied = tmp_path / "nghi-quyet.txt"  # left out as the campaign's scan leaves its documents out
    studied.write_text(f"Nghị quyết số {number}-NQ/TW\n{summary}\n{text}", encoding="utf-8")
    # the same share of essays as the real threshold (50) over a whole campaign
    max_df = max(2, round(50 * ESSAYS / CAMPAIGN))
    result = scan(essays, Options(min_words=150, max_df=max_df, workers=1, exclude=[studied]), lambda *a: None)
    assert result["thin"] == [] and result["errors"] == []
    assert [{p["a"], p["b"]} for p in result["pairs"]] == [{"bai-0010.txt", "ban-sao.txt"}]
    assert result["clusters"] in ([], [["bai-0010.txt", "ban-sao.txt"]])  # no group built on a common source


def test_essays_read_as_vietnamese_prose():
    rng = random.Random(3)
    for i in range(200):
        text = write(rng, i)
        assert 300 <= len(text.split()) <= 700
        assert "{" not in text and "<" not in text and "  " not in text and ",," not in text
        paragraphs = text.split("\n\n")
        assert len(paragraphs) >= 4 and all(p[0].isupper() and p.endswith(".") for p in paragraphs)
        assert "Nghị quyết số 57-NQ/TW" in text
        assert not re.search(r"\b(\w+ )\1", text, re.I), text  # no word doubled by a slot ("đã đã")
        assert not re.search(r"chồng (là|tên là) \w+ (Thị|Thu|Ngọc|Kim|Hồng)", text)  # a husband named as a man
