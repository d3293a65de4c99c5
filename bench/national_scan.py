"""The copy check of a whole-Party campaign on a Dask cluster, against the in-process scan.

    python bench/national_scan.py --essays 1000000 --in-process 300000

One synthetic corpus (plain essays with planted copies of every kind) of --essays files, in
two folders: `a` holds the first --in-process essays, `b` the rest. On a LocalCluster of
--workers workers limited to --memory each, started in a process of its own:
- the in-process scan of `a` (the command, in a fresh process: its time and peak);
- the cluster's scan of `a` (the same answer, pair for pair, checked; the client's time
  and peak, every worker's peak);
- the cluster's scan of the whole corpus (time, the client's peak, every worker's peak);
- recall and precision of that scan on the planted pairs, against containment counted
  here independently: Python's own hashes of the two files' normalised 5-grams, nothing
  left out (a plain corpus has no circulating text). Recall: planted pairs at containment
  0.5 or more that are reported (as a pair or within one cluster); precision: reported
  pairs, a random 2,000, whose containment is at or above the reporting threshold.
The workers are restarted before each scan, so each peak is that scan's.
Prints the machine and a JSON line. Not a test.
"""

import argparse
import inspect
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import machine  # noqa: E402
from essays import REPORT, THRESHOLD, gram_ids  # noqa: E402

from dangvu.integrity import synthetic  # noqa: E402

CLUSTER = """
import sys
from distributed import LocalCluster
cluster = LocalCluster(n_workers={workers}, threads_per_worker=1, processes=True, memory_limit="{memory}",
                       local_directory="{spill}", dashboard_address=None)
print(cluster.scheduler_address, flush=True)
sys.stdin.read()
"""



def peak_mb() -> float:
    """This process's own peak resident memory (VmHWM: unlike ru_maxrss, not inherited from
    the process that started it)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024


MEASURED = f"""
import sys
from dangvu.integrity.cli import main
{inspect.getsource(peak_mb)}
code = main(sys.argv[1:])
print("PEAK", peak_mb(), file=sys.stderr)
sys.exit(code)
"""


def build(base: Path, essays: int, first: int) -> list[tuple[str, str, str]]:
    """The corpus in two folders, built once; the planted pairs, as paths under base (kept
    beside the corpus: finding them again means generating every text again)."""
    planted = []
    for name, n, seed in (("a", first, 3), ("b", essays - first, 4)):
        root, marker = base / name, base / f"{name}.planted.json"
        if not marker.exists():
            corpus = synthetic.build(root, n, seed=seed, write=not (base / f"{name}.complete").exists())
            marker.write_text(json.dumps(corpus.planted))
            del corpus
        planted += [(f"{name}/{a}", f"{name}/{b}", kind) for a, b, kind in json.loads(marker.read_text())]
    return planted


def scan(root: Path, out: Path, dask: str | None = None) -> tuple[float, float, dict]:
    """The command in a fresh process: seconds, its own peak in MB, the result."""
    args = [str(root), "--json", str(out), "--threshold", str(REPORT), "-v0"] + (["--dask", dask] if dask else [])
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURED, *args], cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(done.stderr)
    peak = float(done.stderr.rsplit("PEAK", 1)[1].split()[0])
    return elapsed, peak, json.loads(out.read_text(encoding="utf-8"))


def worker_peaks(client) -> list[float]:
    return sorted(client.run(peak_mb).values())


def step_seconds(client) -> dict[str, float]:
    """Per kind of task the scheduler has run (the step it belongs to): compute seconds in all."""
    def read(dask_scheduler):
        return {name: p.all_durations.get("compute", 0.0) for name, p in dask_scheduler.task_prefixes.items()}

    return client.run_on_scheduler(read)


def on_cluster(client, address: str, root: Path, out: Path) -> tuple[float, float, list[float], dict, dict]:
    """The command against the cluster: seconds, the client's peak, every worker's peak, the
    result, and per step the workers' compute seconds."""
    client.restart()
    before = step_seconds(client)
    elapsed, peak, result = scan(root, out, address)
    steps = {name: round(s - before.get(name, 0.0), 1) for name, s in step_seconds(client).items()
             if s - before.get(name, 0.0) > 0.05}
    return elapsed, peak, worker_peaks(client), result, steps


def quality(base: Path, result: dict, planted: list, rng: random.Random) -> tuple[float, int, float, int]:
    grams: dict[str, set] = {}

    def containment(a: str, b: str) -> float:
        for rel in (a, b):
            if rel not in grams:
                grams[rel] = set(gram_ids(base / rel).tolist())
        shorter = min(len(grams[a]), len(grams[b]))
        return len(grams[a] & grams[b]) / shorter if shorter else 0.0

    reported = {(p["a"], p["b"]) for p in result["pairs"]}
    cluster_of = {path: k for k, c in enumerate(result["clusters"]) for path in c}
    wanted = [(a, b) for a, b, _kind in planted if containment(*sorted((a, b))) >= THRESHOLD]
    found = sum(1 for a, b in wanted if tuple(sorted((a, b))) in reported
                or cluster_of.get(a, -1) == cluster_of.get(b, -2))
    checked = rng.sample(sorted(reported), min(2000, len(reported)))
    right = sum(1 for a, b in checked if containment(a, b) >= REPORT)
    return found / max(len(wanted), 1), len(wanted), right / max(len(checked), 1), len(checked)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--essays", type=int, default=1_000_000)
    parser.add_argument("--in-process", type=int, default=300_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory", default="2GB", help="each worker's memory limit")
    parser.add_argument("--dir", default=str(ROOT / "var" / "bench-national"))
    parser.add_argument("--whole-only", action="store_true",
                        help="only the cluster's scan of the whole corpus (the comparison with in process skipped)")
    args = parser.parse_args()
    base = Path(args.dir)
    base.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}")
    started = time.perf_counter()
    planted = build(base, args.essays, args.in_process)
    print(f"corpus: {args.essays} essays ({args.in_process} in a/), {len(planted)} planted pairs, "
          f"{time.perf_counter() - started:.0f} s to build or find")

    from distributed import Client

    cluster = subprocess.Popen([sys.executable, "-c", CLUSTER.format(workers=args.workers, memory=args.memory,
                                                                     spill=base / "spill")],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        address = cluster.stdout.readline().strip()
        with Client(address) as client:
            local_s = local_peak = part_s = same = None
            if not args.whole_only:
                local_s, local_peak, local = scan(base / "a", base / "in-process.json")
                print(f"in process, {args.in_process} essays: {local_s:.1f} s, peak {local_peak:.0f} MB")
                part_s, part_client, part_workers, part, _steps = on_cluster(client, address, base / "a",
                                                                             base / "cluster-a.json")
                same = part == local
                del part, local
                print(f"cluster, {args.in_process} essays: {part_s:.1f} s ({part_s / local_s:.2f}× in process), "
                      f"client peak {part_client:.0f} MB, workers' peaks "
                      f"{', '.join(f'{p:.0f}' for p in part_workers)} MB; same result as in process: {same}")
            all_s, all_client, all_workers, result, steps = on_cluster(client, address, base, base / "cluster-all.json")
            print(f"cluster, {args.essays} essays: {all_s:.1f} s, client peak {all_client:.0f} MB (goal < 500), "
                  f"workers' peaks {', '.join(f'{p:.0f}' for p in all_workers)} MB (limit {args.memory}); "
                  f"{len(result['pairs'])} pairs, {len(result['clusters'])} clusters, {len(result['thin'])} thin")
            total = sum(steps.values())
            print(f"compute seconds on the workers, {total:.0f} in all ({total / all_s:.2f} workers busy on average), "
                  "by step, and per 1,000 essays:")
            for name, s in sorted(steps.items(), key=lambda item: -item[1]):
                print(f"  {name:18s} {s:9.1f} s  {1000 * s / args.essays:7.2f} s")
    finally:
        cluster.stdin.close()
        cluster.wait(timeout=120)
    recall, wanted, precision, checked = quality(base, result, planted, random.Random(7))
    print(f"recall {recall:.4f} on {wanted} planted pairs at containment ≥ {THRESHOLD}; "
          f"precision {precision:.4f} on {checked} reported pairs")
    print(json.dumps({"essays": args.essays, "in_process_essays": args.in_process, "workers": args.workers,
                      "memory": args.memory, "in_process_s": local_s and round(local_s, 1),
                      "in_process_peak_mb": local_peak and round(local_peak), "cluster_part_s": part_s and round(part_s, 1), "same_result": same, "cluster_s": round(all_s, 1),
                      "client_peak_mb": round(all_client), "worker_peaks_mb": [round(p) for p in all_workers],
                      "steps": steps,
                      "recall": round(recall, 4), "precision": round(precision, 4),
                      "bench_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))


if __name__ == "__main__":
    main()
