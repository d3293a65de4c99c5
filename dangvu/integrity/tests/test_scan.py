import itertools
import random
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from dangvu.integrity import synthetic
from dangvu.integrity.scan import Options, candidate_pairs, fingerprint, scan
from dangvu.integrity.shingles import K
from dangvu.integrity.synthetic import _edit, essay, to_tcvn3
from dangvu.integrity.vietnamese import normalise


def write(root: Path, name: str, text: str, form: str = "utf8") -> str:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if form == "tcvn3":
        path.write_text(to_tcvn3(text), encoding="utf-8")
    elif form == "nfd":
        path.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    else:
        path.write_text(text, encoding="utf-8")
    return name


@pytest.fixture
def rng():
    return random.Random(42)


def pair_map(result):
    return {(p["a"], p["b"]): p for p in result["pairs"]}


def test_every_kind_of_copy_is_found_and_strangers_are_not(tmp_path, rng):
    source = essay(rng)
    words = source.split()
    write(tmp_path, "a/nguon.txt", source)
    write(tmp_path, "a/chep-nguyen.txt", source, "tcvn3")  # a whole copy, typed in .VnTime
    write(tmp_path, "b/chep-mot-phan.txt", essay(rng, 280) + " " + " ".join(words[200:420]))  # a third lifted
    write(tmp_path, "b/dao-cau.txt", _edit(rng, source), "nfd")  # reordered, words changed, NFD
    for i in range(5):
        write(tmp_path, f"c/rieng-{i}.txt", essay(rng))
    result = scan(tmp_path, Options(workers=1))
    pairs = pair_map(result)
    assert pairs[("a/chep-nguyen.txt", "a/nguon.txt")]["score"] == 1.0
    assert 0.38 < pairs[("a/nguon.txt", "b/chep-mot-phan.txt")]["score"] < 0.5
    assert pairs[("a/nguon.txt", "b/dao-cau.txt")]["score"] > 0.3
    assert not any("rieng" in a or "rieng" in b for a, b in pairs)
    assert result["essays"] == 9 and result["errors"] == [] and result["thin"] == []
    assert ["a/chep-nguyen.txt", "a/nguon.txt", "b/chep-mot-phan.txt", "b/dao-cau.txt"] in result["clusters"]


def test_scores_are_exact_containment_of_normalised_five_grams(tmp_path):
    corpus = synthetic.build(tmp_path, 400, seed=5, docx_every=50)
    result = scan(tmp_path, Options(workers=1, max_df=30))
    grams = {}
    for rel, text in corpus.texts.items():
        toks = normalise(text).split()
        grams[rel] = {tuple(toks[i:i + K]) for i in range(len(toks) - K + 1)}
    df = Counter(g for s in grams.values() for g in s)
    own = {rel: {g for g in s if df[g] <= 30} for rel, s in grams.items()}
    assert result["pairs"]
    for pair in result["pairs"]:
        a, b = own[pair["a"]], own[pair["b"]]
        assert pair["score"] == round(len(a & b) / min(len(a), len(b)), 6)
    # and no pair above the threshold is missing (brute force over all pairs)
    reported = set(pair_map(result))
    clusters = [set(c) for c in result["clusters"]]
    for x, y in itertools.combinations(sorted(own), 2):
        a, b = own[x], own[y]
        if a and b and len(a & b) / min(len(a), len(b)) >= 0.3:
            assert (x, y) in reported or any(x in c and y in c for c in clusters), (x, y)


def test_passages_map_back_to_the_original_characters(tmp_path, rng):
    source = essay(rng)
    words = source.split()
    lifted = " ".join(words[100:300])
    write(tmp_path, "a.txt", source)
    copy = essay(rng, 200) + " " + lifted + " " + essay(rng, 100)
    write(tmp_path, "b.txt", copy, "tcvn3")
    result = scan(tmp_path, Options(workers=1))
    [pair] = result["pairs"]
    [passage] = pair["passages"]
    original_a = (tmp_path / "a.txt").read_text(encoding="utf-8")
    original_b = (tmp_path / "b.txt").read_text(encoding="utf-8")
    shown_a = original_a[passage["a_start"]:passage["a_end"]]
    shown_b = original_b[passage["b_start"]:passage["b_end"]]
    assert normalise(shown_a) == normalise(shown_b) == normalise(lifted)
    assert shown_b != shown_a  # b is TCVN3: the offsets are into its own original


def test_excluded_text_is_not_copying_and_does_not_count_as_own_words(tmp_path, rng):
    studied = essay(rng, 500)
    (tmp_path / "nghi-quyet").mkdir()
    resolution = tmp_path / "nghi-quyet" / "nq.txt"
    resolution.write_text(studied, encoding="utf-8")
    essays = tmp_path / "bai"
    write(essays, "x.txt", studied + " " + essay(rng, 400))
    write(essays, "y.txt", essay(rng, 400) + " " + studied)
    write(essays, "z.txt", studied + " " + essay(rng, 60))  # only 60 words of their own
    plain = scan(essays, Options(workers=1))
    assert ("x.txt", "y.txt") in pair_map(plain)
    excluded = scan(essays, Options(workers=1, exclude=[resolution]))
    assert excluded["pairs"] == []
    assert excluded["thin"] == ["z.txt"]


def test_text_in_very_many_essays_is_a_common_source_not_a_flood_of_pairs(tmp_path, rng):
    template = essay(rng, 300)
    for i in range(30):
        write(tmp_path, f"mau-{i:02d}.txt", template + " " + essay(rng, 300))
    for i in range(10):
        write(tmp_path, f"rieng-{i}.txt", essay(rng))
    result = scan(tmp_path, Options(workers=1, max_df=10))
    assert result["pairs"] == []
    assert [f"mau-{i:02d}.txt" for i in range(30)] in result["clusters"]


def test_a_big_group_is_one_cluster_not_n_squared_pairs(tmp_path, rng):
    source = essay(rng)
    for i in range(14):
        write(tmp_path, f"g{i:02d}.txt", _edit(random.Random(i), source))
    result = scan(tmp_path, Options(workers=1))
    assert len(result["clusters"]) == 1 and len(result["clusters"][0]) == 14
    assert len(result["pairs"]) <= 14  # each essay's best match, not 91 pairs


def test_thin_essays(tmp_path, rng):
    write(tmp_path, "ngan.txt", essay(rng, 90))
    write(tmp_path, "du.txt", essay(rng, 400))
    assert scan(tmp_path, Options(workers=1))["thin"] == ["ngan.txt"]
    assert scan(tmp_path, Options(workers=1, min_words=50))["thin"] == []


def test_unreadable_files_are_listed_and_the_scan_goes_on(tmp_path, rng):
    write(tmp_path, "tot.txt", essay(rng))
    (tmp_path / "cu.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    (tmp_path / "rong.txt").write_bytes(b"")
    (tmp_path / "anh.jpg").write_bytes(b"\xff\xd8")  # not an essay type: not read at all
    result = scan(tmp_path, Options(workers=1))
    assert result["essays"] == 3
    assert [e["file"] for e in result["errors"]] == ["cu.doc", "rong.txt"]
    assert ".docx" in result["errors"][0]["error"]


def test_sampled_keys_estimate_the_shared_count_without_bias(tmp_path):
    """The one-in-eight keys that choose candidates, scaled by eight, are an unbiased
    estimate of the exact shared count (they never set a score)."""
    corpus = synthetic.build(tmp_path, 300, seed=9)
    prints = [fingerprint(str(tmp_path), rel) for rel in corpus.files]
    by_path = {fp.path: fp for fp in prints}
    estimates, exact = [], []
    for a, b, _kind in corpus.planted:
        sa, sb = by_path[a].shingles, by_path[b].shingles
        shared = np.intersect1d(sa, sb, assume_unique=True)
        exact.append(shared.size)
        estimates.append(8 * np.count_nonzero((shared & np.uint64(7)) == 0))
    exact, estimates = np.array(exact, float), np.array(estimates, float)
    assert len(exact) > 20
    bias = (estimates - exact).mean()
    assert abs(bias) < 3 * (estimates - exact).std() / np.sqrt(len(exact)) + 1e-9
    assert abs(bias) / exact.mean() < 0.05


def test_candidate_pairs_need_two_shared_keys():
    keys = [np.array([1, 2, 3], np.uint64), np.array([2, 3, 9], np.uint64), np.array([3, 7], np.uint64)]
    doc = np.concatenate([np.full(k.size, i, np.int32) for i, k in enumerate(keys)])
    assert candidate_pairs(np.concatenate(keys), doc).tolist() == [[0, 1]]
