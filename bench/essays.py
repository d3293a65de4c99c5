"""Essay integrity engine vs datasketch MinHashLSH, end to end on the same files.

    python bench/essays.py --essays 100000

Generates a synthetic corpus (planted copies of every kind, thin essays, TCVN3,
NFD, new-style tones, UTF-16, .docx) twice: plain, and template-heavy (half the
essays built on one circulating text). On the plain corpus both engines run end
to end (read, normalise, shingle, sketch/fingerprint, find, verify) and are
scored against exact ground truth: containment of normalised syllable 5-grams,
brute force over the planted pairs and all pairs of a random sample.
Not a test: it prints figures and a JSON line.
"""

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
from common import machine  # noqa: E402

from dangvu.integrity import synthetic  # noqa: E402
from dangvu.integrity.readers import read  # noqa: E402
from dangvu.integrity.scan import list_files  # noqa: E402
from dangvu.integrity.shingles import K  # noqa: E402
from dangvu.integrity.vietnamese import tokens  # noqa: E402

THRESHOLD = 0.5  # recall is measured on pairs at or above this; datasketch's LSH threshold
REPORT = 0.3  # ours runs at its default reporting threshold
MAX_DF = 50


def grams_of(path: Path) -> set:
    text = read(path)
    toks = tokens(text.original, text.encoding)
    return {" ".join(toks[i:i + K]) for i in range(len(toks) - K + 1)}


def gram_ids(path: Path) -> np.ndarray:
    """The essay's 5-grams as Python's own string hashes: independent of the engine's."""
    return np.unique(np.fromiter(map(hash, grams_of(path)), dtype=np.int64))


def peak_mb() -> float:
    """The largest process of the engine's runs (the command and its workers)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # Linux: KiB


def warm_files(root: Path) -> None:
    """Read every file once, untimed, so that each engine starts with the corpus in
    the OS file cache as far as it fits: the figures compare the engines, not the
    order in which they met a cold disk."""
    for rel in list_files(root):
        with open(root / rel, "rb") as file:
            file.read()


def run_ours(root: Path) -> tuple[float, dict]:
    """The real command in a fresh process, so neither the generator's memory nor
    its warm caches count for or against it."""
    out = root.parent / f"{root.name}.json"
    warm_files(root)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dangvu", "scan_essays", str(root), "--json", str(out),
                    "--threshold", str(REPORT), "--max-df", str(MAX_DF), "-v0"], check=True, cwd=ROOT)
    elapsed = time.perf_counter() - started
    return elapsed, json.loads(out.read_text(encoding="utf-8"))


def run_datasketch(root: Path) -> tuple[float, set]:
    """datasketch 2.x MinHashLSH (threshold 0.5, 128 permutations) on the same
    normalised shingles, candidates verified exactly like ours."""
    from datasketch import MinHash, MinHashLSH

    warm_files(root)
    started = time.perf_counter()
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=128)
    sets = {}
    for rel in list_files(root):
        try:
            grams = grams_of(root / rel)
        except Exception:  # unreadable files are skipped, as ours lists them
            continue
        sets[rel] = grams
        m = MinHash(num_perm=128)
        m.update_batch([g.encode("utf-8") for g in grams])
        for other in lsh.query(m):
            a, b = sorted((rel, other))
            shorter = min(len(sets[a]), len(sets[b])) or 1
            if len(sets[a] & sets[b]) / shorter >= THRESHOLD:
                sets.setdefault("__pairs__", set()).add((a, b))
        lsh.insert(rel, m)
    pairs = sets.pop("__pairs__", set())
    return time.perf_counter() - started, pairs


def run_rensa(root: Path) -> tuple[float, set] | None:
    """rensa (Rust MinHash) with its LSH at the same threshold and permutations, if installed."""
    try:
        from rensa import RMinHash, RMinHashLSH
    except ImportError:
        return None
    warm_files(root)
    started = time.perf_counter()
    lsh = RMinHashLSH(threshold=THRESHOLD, num_perm=128, num_bands=16)
    sets, names, pairs = [], [], set()
    for rel in list_files(root):
        try:
            grams = grams_of(root / rel)
        except Exception:  # unreadable files are skipped, as ours lists them
            continue
        m = RMinHash(num_perm=128, seed=42)
        m.update(list(grams))
        key = len(sets)
        for other in lsh.query(m):
            shorter = min(len(sets[other]), len(grams)) or 1
            if len(sets[other] & grams) / shorter >= THRESHOLD:
                pairs.add(tuple(sorted((rel, names[other]))))
        lsh.insert(key, m)
        sets.append(grams)
        names.append(rel)
    return time.perf_counter() - started, pairs


def ground_truth(root: Path, corpus: synthetic.Corpus, sample: int, rng: random.Random) -> dict:
    """Exact containment, after leaving out 5-grams found in more than MAX_DF essays
    (counted exactly over the whole corpus), for the planted pairs and every pair
    of a random sample of essays."""
    involved = {x for a, b, _k in corpus.planted for x in (a, b)}
    sampled = rng.sample(corpus.files, min(sample, len(corpus.files)))
    keep = involved | set(sampled)
    ids = {rel: gram_ids(root / rel) for rel in corpus.files}
    values, counts = np.unique(np.concatenate(list(ids.values())), return_counts=True)
    common = set(values[counts > MAX_DF].tolist())
    own = {rel: set(g.tolist()) - common for rel, g in ids.items() if rel in keep}
    del ids, values, counts

    def containment(a, b):
        shorter = min(len(own[a]), len(own[b]))
        return len(own[a] & own[b]) / shorter if shorter else 0.0

    truth = {}
    for a, b, _k in corpus.planted:
        truth[(a, b)] = containment(a, b)
    sampled.sort()
    for i, a in enumerate(sampled):
        for b in sampled[i + 1:]:
            c = containment(a, b)
            if c >= THRESHOLD:
                truth[(a, b)] = c
    return {"truth": truth, "own": own, "common": common}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--essays", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=1500, help="essays compared all-pairs for ground truth")
    parser.add_argument("--dir", default=str(ROOT / "var" / "bench-essays"))
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--no-truth", action="store_true", help="skip recall and precision (a scale run)")
    parser.add_argument("--formats", type=int, default=0, metavar="N",
                        help="instead: N essays as .txt, .docx and .pdf, read and fingerprinted (bench/formats.py)")
    parser.add_argument("--mixed", type=int, default=0, metavar="N",
                        help="instead: N essays, 40/30/30 %% .docx/.pdf/.txt, scanned against all .txt (bench/mixed.py)")
    args = parser.parse_args()
    if args.mixed:
        import mixed

        mixed.main(["--essays", str(args.mixed)])
        return
    if args.formats:
        import formats

        formats.main(["--essays", str(args.formats)])
        return
    base = Path(args.dir)
    rng = random.Random(7)
    print(f"machine: {machine()}")

    plain, heavy = base / f"plain-{args.essays}", base / f"template-{args.essays}"
    corpora = {}
    for path, share in ((plain, 0.0), (heavy, 0.5)):
        marker = path.parent / f"{path.name}.complete"  # beside the tree: the scan would list it as unreadable
        corpus = synthetic.build(path, args.essays, seed=3, template_share=share, docx_every=500,
                                 write=not marker.exists())
        if not marker.exists():
            marker.write_text("ok")
        corpus.texts.clear()  # the files are what counts; free the memory before measuring
        corpora[path] = corpus
    corpus = corpora[plain]

    ours_s, result = run_ours(plain)
    heavy_s, heavy_result = run_ours(heavy)
    peak = peak_mb()  # the engine's processes only: the ground truth below is heavier
    ours_rate = args.essays / ours_s
    print(f"ours, plain corpus:          {ours_s:8.1f} s  {ours_rate:8.0f} essays/s")
    print(f"ours, template-heavy corpus: {heavy_s:8.1f} s  {args.essays / heavy_s:8.0f} essays/s "
          f"({heavy_s / ours_s:.2f}× the plain one; goal ≤ 1.5×)")
    print(f"ours: {len(result['pairs'])} pairs, {len(result['clusters'])} clusters, {len(result['thin'])} thin, "
          f"{len(result['errors'])} errors; template-heavy: {len(heavy_result['clusters'])} clusters, "
          f"largest {max((len(c) for c in heavy_result['clusters']), default=0)} essays")

    if args.no_truth:
        print(json.dumps({"essays": args.essays, "ours_per_s": round(ours_rate, 1), "peak_mb": round(peak),
                          "ours_s": round(ours_s, 1), "template_ratio": round(heavy_s / ours_s, 2)}))
        return
    gt = ground_truth(plain, corpus, args.sample, rng)
    wanted = {p for p, c in gt["truth"].items() if c >= THRESHOLD}
    reported = {(p["a"], p["b"]): p["score"] for p in result["pairs"]}
    in_cluster = [set(c) for c in result["clusters"]]
    found = sum(1 for a, b in wanted if (a, b) in reported or any(a in c and b in c for c in in_cluster))
    recall = found / len(wanted) if wanted else 1.0
    # precision: every displayed score checked against brute force on a sample of reported pairs
    checked = rng.sample(sorted(reported), min(2000, len(reported)))
    exact_ok = 0
    for a, b in checked:
        own_a = gt["own"].get(a) or set(gram_ids(plain / a).tolist()) - gt["common"]
        own_b = gt["own"].get(b) or set(gram_ids(plain / b).tolist()) - gt["common"]
        truth = len(own_a & own_b) / min(len(own_a), len(own_b))
        exact_ok += abs(truth - reported[(a, b)]) < 1e-6 and truth >= REPORT
    precision = exact_ok / len(checked) if checked else 1.0
    print(f"ours: recall {recall:.4f} on {len(wanted)} pairs with containment ≥ {THRESHOLD}; "
          f"precision {precision:.4f} on {len(checked)} displayed scores")

    peer_rate, ratio, peer_recall = None, None, None
    if not args.no_peer:
        peer_s, peer_pairs = run_datasketch(plain)
        peer_rate = args.essays / peer_s
        ratio = ours_rate / peer_rate
        peer_recall = sum(1 for p in wanted if p in peer_pairs) / len(wanted) if wanted else 1.0
        print(f"datasketch MinHashLSH:       {peer_s:8.1f} s  {peer_rate:8.0f} essays/s, recall {peer_recall:.4f}")
        print(f"ratio ours / datasketch: {ratio:.1f}× (goal ≥ 10×)")
        rensa = run_rensa(plain)
        if rensa is not None:
            rensa_s, rensa_pairs = rensa
            rensa_recall = sum(1 for p in wanted if p in rensa_pairs) / len(wanted) if wanted else 1.0
            print(f"rensa RMinHashLSH:           {rensa_s:8.1f} s  {args.essays / rensa_s:8.0f} essays/s, "
                  f"recall {rensa_recall:.4f}; ours / rensa {rensa_s / ours_s:.1f}×")
    print(f"peak memory of the engine: {peak:.0f} MB (largest process; goal ≤ 4096)")
    print(json.dumps({"essays": args.essays, "ours_per_s": round(ours_rate, 1), "peer": "datasketch",
                      "peer_per_s": round(peer_rate, 1) if peer_rate else None,
                      "ratio": round(ratio, 2) if ratio else None, "recall": round(recall, 4),
                      "precision": round(precision, 4), "peak_mb": round(peak),
                      "template_ratio": round(heavy_s / ours_s, 2)}))
    if os.getenv("BENCH_CLEAN"):
        shutil.rmtree(base)


if __name__ == "__main__":
    main()
