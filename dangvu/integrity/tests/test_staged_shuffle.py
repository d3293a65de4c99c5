"""The shuffles of the Dask scan run in stages: the graph grows as N log N, not as partitions × parts."""

from collections import Counter

import numpy as np
import pytest

from dangvu.integrity import synthetic
from dangvu.integrity.shuffle import _joined, layout, shuffle, tasks


class CountingClient:
    """A Dask client that counts what it is asked to submit, by key prefix (the shuffles name
    their tasks) or by function."""

    def __init__(self, client):
        self.client, self.submitted = client, Counter()

    def submit(self, fn, *args, **kwargs):
        key = kwargs.get("key")
        self.submitted[key.split("-")[0] if key else fn.__name__] += 1
        return self.client.submit(fn, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.client, name)


def _modulo(rows, outputs):
    return rows[0] % outputs


def _same(rows):
    return rows


def test_the_tasks_of_a_shuffle_grow_as_n_log_n_where_the_direct_exchange_grows_as_its_square():
    # (P inputs, K outputs, branch): the old exchange cut each input in K (P tasks) and gave
    # each output a piece of every input (P × K tasks)
    assert {(p, k): tasks(p, k, *layout(p, k, branch)) for p, k, branch in
            [(263, 512, 32), (263, 263, 32), (74, 128, 32), (31, 32, 4)]} == {
        (263, 512): 12_732,  # a million essays on 2 GB workers: 134,919 before
        (263, 263): 9_214,
        (74, 128): 1_942,  # 300,000 essays: 9,546 before
        (31, 32): 411,
    }
    # few inputs or few outputs: the direct exchange has fewer tasks, and is kept
    assert layout(6, 8, 2) == (1, 8) and tasks(6, 8, 1, 8) == 6 + 6 * 8
    assert layout(1, 1, 32) == (0, 1)


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client


@pytest.mark.parametrize(("inputs", "outputs", "branch"), [(13, 32, 4), (20, 3, 2), (5, 7, 32), (1, 1, 4), (9, 1, 2)])
def test_every_row_reaches_its_output_in_the_order_of_the_inputs(client, inputs, outputs, branch):
    rng = np.random.default_rng(inputs * 100 + outputs)
    sources = []
    for i in range(inputs):
        values = rng.integers(0, 10_000, int(rng.integers(0, 300)))
        sources.append((values, np.full(values.size, i, np.int32)))
    counting = CountingClient(client)
    delivered = shuffle(counting, [client.submit(_same, s) for s in sources], outputs, _modulo,
                        (outputs,), branch, name="test")
    stages, base = layout(inputs, outputs, branch)
    assert counting.submitted["test"] == tasks(inputs, outputs, stages, base)
    assert all(len(pieces) <= (base if stages > 1 else inputs) for pieces in delivered)
    for j, pieces in enumerate(delivered):
        values, source = client.submit(_joined, pieces).result() if pieces else (np.empty(0, int), np.empty(0, int))
        assert np.array_equal(values, np.concatenate([v[v % outputs == j] for v, _i in sources]))
        assert np.array_equal(source, np.concatenate([i[v % outputs == j] for v, i in sources]))


def test_a_scan_in_stages_submits_fewer_tasks_than_partitions_times_parts_and_finds_the_same(client, tmp_path):
    """600 essays and 30 copies of one of them, a copy every 20 files: every range of first
    essays asks most partitions for second essays, so the essay shuffle runs in stages too."""
    from dangvu.integrity.distributed import Plan, _scan
    from dangvu.integrity.scan import Options, scan

    root = tmp_path / "bai"
    corpus = synthetic.build(root, 600, seed=11, docx_every=60)
    source = corpus.texts[corpus.files[3]]
    for k in range(0, 600, 20):  # sorted right after essay k
        (root / f"unit{k // 500:03d}" / f"essay{k:06d}z.txt").write_text(
            f"{source}\nCâu riêng số {k} của người viết.", encoding="utf-8")
    (root / "hong.docx").write_bytes(b"PK\x03\x04 broken")
    local = scan(root, Options(workers=1))
    counting = CountingClient(client)
    # 631 files in 32 partitions of 20, the shingles in 32 parts, at most 4 pieces a task
    on_cluster = _scan(counting, root, Options(), lambda *_: None,
                       Plan(partition=20, part_bytes=1 << 20, parts=32, branch=4))
    assert on_cluster == local
    assert local["pairs"] and local["thin"] and local["errors"]
    assert max(len(c) for c in local["clusters"]) == 31
    shuffled = {name: counting.submitted[name] for name in ("hash", "common", "pairs", "requests", "answers")}
    # the direct exchange: 32 × 32 pieces for the hash shuffle and again for the common shingles
    # going back and for the pairs
    assert shuffled == {"hash": 416, "common": 416, "pairs": 416, "requests": 416, "answers": 416}
    # every task the scan submits, the passages' aside (the direct exchange: 4,067, of which
    # 2 × 32 + 3 × 1,024 cut and piece tasks)
    counting.submitted.pop("_passages_batch")
    assert sum(counting.submitted.values()) == 2_722


@pytest.mark.parametrize("parts", [1, 4])
def test_the_common_marks_go_back_to_the_shingles_they_mark(parts):
    """Without a cluster: partitions of 0, 64, 65 and 3 shingles sent to the parts by hash, the
    parts' marks (every third row common) sent back, and each partition reads its own. A part
    no partition sent anything, a partition that sent a part nothing, and words padded at 64
    and 65 marks; words missing are refused, not misread."""
    from dangvu.integrity.distributed import _by_hash, _common_bits, _marks
    from dangvu.integrity.fingerprints import Batch

    rng = np.random.default_rng(7)
    top_bits = parts.bit_length() - 1
    sizes = [0, 64, 65, 3]
    chunks, first = [], 0
    for n in sizes:
        shingles = np.sort(rng.integers(0, 2**64, n, dtype=np.uint64))
        chunks.append(Batch(paths=[f"e{first}"] if n else [], n_tokens=np.array([n + 4] if n else [], np.int32),
                            offsets=np.array([0, n] if n else [0], np.int64), shingles=shingles,
                            order=np.empty(0, np.uint16), first=first))
        first += 1 if n else 0
    ranges = np.r_[[c.first for c in chunks], first].astype(np.int64)
    common = {int(v) for c in chunks for v in c.shingles[::3]}
    # what each part receives: each chunk's rows with its hash, chunk after chunk, in order
    words = [[] for _ in chunks]
    for p in range(parts):
        values = np.concatenate([c.shingles[_by_hash((c.shingles,), top_bits) == p] for c in chunks])
        essays = np.concatenate([np.full(int((_by_hash((c.shingles,), top_bits) == p).sum()), c.first, np.int32)
                                 for c in chunks])
        marks, owners = _common_bits(np.isin(values, list(common)), essays, ranges)
        for k, chunk in enumerate(chunks):
            mine = owners == np.searchsorted(ranges, chunk.first, side="right") - 1
            if chunk.shingles.size and mine.any():
                words[k].append((marks[mine], owners[mine]))
    for chunk, got in zip(chunks, words, strict=True):
        assert _marks(chunk, got, top_bits).tolist() == [int(v) in common for v in chunk.shingles]
    with pytest.raises(RuntimeError, match="words of marks"):
        _marks(chunks[2], words[2][:-1], top_bits)
