import itertools
import random
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvu.integrity import scan as engine
from dangvu.integrity import synthetic
from dangvu.integrity.fingerprints import unique_with_order
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


def test_stock_phrases_scattered_through_essays_are_no_common_source(tmp_path, rng):
    """Phrases every member writes (short, each in every essay) are left out of the scores, but
    they are no circulating text: only stretches of 24 syllables or more make a source."""
    stock = [essay(random.Random(i), 6) for i in range(40)]  # forty six-syllable stock phrases
    for i in range(30):
        own = essay(random.Random(100 + i), 400).split()
        parts = [" ".join(own[k * 10:(k + 1) * 10]) + " " + phrase for k, phrase in enumerate(stock)]
        write(tmp_path, f"bai-{i:02d}.txt", " ".join(parts))
    result = scan(tmp_path, Options(workers=1, max_df=10))
    assert result["pairs"] == [] and result["clusters"] == [] and result["thin"] == []


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
    (tmp_path / "anh.jpg").write_bytes(b"\xff\xd8\xff\xe0")  # a photo of a handwritten essay
    (tmp_path / "chup.pdf.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "bang.xyz").write_bytes(b"something")
    (tmp_path / "~$bai.docx").write_bytes(b"lock")
    result = scan(tmp_path, Options(workers=1))
    assert result["essays"] == 7  # every file: one read, the others listed with their reason
    errors = {e["file"]: e["error"] for e in result["errors"]}
    assert sorted(errors) == ["anh.jpg", "bang.xyz", "chup.pdf.png", "cu.doc", "rong.txt", "~$bai.docx"]
    assert ".docx" in errors["cu.doc"] and "rỗng" in errors["rong.txt"]
    assert errors["anh.jpg"].startswith("Bản chụp: cần gõ lại hoặc nhận dạng chữ")
    assert errors["chup.pdf.png"] == errors["anh.jpg"] and "Không đọc được loại tệp" in errors["bang.xyz"]


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
    keys = [np.array(k, np.uint64) << np.uint64(40) for k in ([1, 2, 3], [2, 3, 9], [3, 7])]  # hashes use every bit
    doc = np.concatenate([np.full(k.size, i, np.int32) for i, k in enumerate(keys)])
    assert candidate_pairs(np.concatenate(keys), doc).tolist() == [[0, 1]]


def test_many_chunks_and_sampled_keys_give_the_same_scores(tmp_path, monkeypatch):
    """A national campaign is worked on in chunks of essays, with one candidate key
    in eight: both only decide where and which pairs are checked, never a score."""
    synthetic.build(tmp_path, 600, seed=11, docx_every=60)
    whole = scan(tmp_path, Options(workers=1, max_df=30))
    monkeypatch.setattr(engine, "CHUNK", 150)  # batches of 200 essays: three chunks
    chunked = scan(tmp_path, Options(workers=1, max_df=30))
    assert chunked == whole
    monkeypatch.setattr(engine, "SMALL_CORPUS", 0)
    sampled = scan(tmp_path, Options(workers=1, max_df=30))
    exact = pair_map(whole)
    assert sampled["thin"] == whole["thin"] and sampled["errors"] == whole["errors"]
    for key, pair in pair_map(sampled).items():
        assert pair == exact[key]
    strong = {key for key, pair in exact.items() if pair["score"] >= 0.5}
    assert strong and strong <= set(pair_map(sampled))


def test_candidate_pairs_over_a_million_keys_keep_every_shared_pair():
    """Keys are cut to make room for the essay number before sorting: that may add
    a candidate but must never lose a pair that shares two keys."""
    rng = np.random.default_rng(3)
    essays, per_essay = 100, 11_000
    hashes = rng.integers(1, 2**63, size=essays * per_essay, dtype=np.int64).view(np.uint64)
    doc = np.repeat(np.arange(essays, dtype=np.int32), per_essay)
    planted = {(i, i + 1) for i in range(0, essays - 1, 3)}
    for i, j in planted:  # j takes two of i's keys
        hashes[j * per_essay:j * per_essay + 2] = hashes[i * per_essay + 5:i * per_essay + 7]
    shuffled = rng.permutation(hashes.size)
    pairs = candidate_pairs(hashes[shuffled], doc[shuffled])
    assert hashes.size > 1 << 20
    assert {tuple(p) for p in pairs.tolist()} == planted


def test_own_words_are_counted_exactly_for_every_essay_near_the_line():
    """The chunk-wide count of tokens inside left-out shingles equals a plain count,
    essay by essay (token t is covered by shingles starting at t-K+1 … t)."""
    rng = np.random.default_rng(5)
    prints = []
    for i in range(40):
        n = int(rng.integers(K, 60))
        shingles = np.unique(rng.integers(0, 30, n - K + 1)).astype(np.uint64)  # repeats: positions > shingles
        order = rng.integers(0, shingles.size, n - K + 1).astype(np.uint16)
        prints.append(engine.Fingerprint(f"{i}.txt", shingles, order, n))
    chunk = engine.Batch.of(prints)
    is_dropped = rng.random(chunk.shingles.size) < 0.3
    essays = np.arange(0, 40, 3)
    counted = engine._covered_tokens(chunk, is_dropped, essays).tolist()
    expected = []
    for i in essays.tolist():
        fp = prints[i]
        at = is_dropped[chunk.offsets[i]:chunk.offsets[i + 1]][fp.order]
        expected.append(sum(any(at[max(t - K + 1, 0):t + 1]) for t in range(fp.n_tokens)))
    assert counted == expected and sum(expected) > 0


@given(st.lists(st.integers(0, 40), max_size=300))
def test_unique_with_order_is_numpys_unique_with_inverse(values):
    array = np.array(values, dtype=np.uint64)
    unique, order = unique_with_order(array)
    expected, inverse = np.unique(array, return_inverse=True)
    assert unique.tolist() == expected.tolist() and order.tolist() == inverse.tolist()
    assert order.dtype == np.uint16


def _stretches(tmp_path, a: str, b: str) -> list[tuple[str, str]]:
    write(tmp_path, "a.txt", a)
    write(tmp_path, "b.txt", b)
    shared = np.intersect1d(engine.text_shingles(a), engine.text_shingles(b))
    found = engine.passages(tmp_path, "a.txt", "b.txt", shared)
    return [(a[p["a_start"]:p["a_end"]], b[p["b_start"]:p["b_end"]]) for p in found]


def test_a_whole_copy_is_one_passage_even_with_a_word_changed(tmp_path, rng):
    source = essay(rng, 300)
    words = source.split()
    edited = " ".join(words[:150] + ["thật"] + words[151:])  # one word changed in the middle
    [(in_a, in_b)] = _stretches(tmp_path, source, edited)
    assert (normalise(in_a), normalise(in_b)) == (normalise(source), normalise(edited))


def test_reordered_paragraphs_give_one_passage_each_in_the_right_place(tmp_path, rng):
    first, second, third = essay(rng, 120), essay(rng, 120), essay(rng, 120)
    found = _stretches(tmp_path, "\n".join([first, second, third]), "\n".join([third, first, second]))
    assert sorted(normalise(a) for a, _b in found) == sorted(
        [normalise(first + " " + second), normalise(third)])  # first+second stay together in both
    assert all(normalise(a) == normalise(b) for a, b in found)


def test_a_phrase_repeated_in_one_essay_does_not_point_at_an_unrelated_place(tmp_path, rng):
    slogan = "học tập và làm theo tư tưởng đạo đức phong cách Hồ Chí Minh"
    own_a, own_b, lifted = essay(rng, 150), essay(rng, 150), essay(rng, 100)
    a = f"{slogan}. {own_a} {lifted} {slogan}."
    b = f"{own_b} {slogan}. {lifted}"
    found = _stretches(tmp_path, a, b)
    assert all(normalise(x) == normalise(y) for x, y in found)  # every passage the same words on both sides
    assert sum(normalise(x) == normalise(slogan) for x, _y in found) <= 1  # the slogan of B used once
    assert any(normalise(lifted) in normalise(x) for x, _y in found)
