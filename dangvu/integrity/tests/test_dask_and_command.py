import inspect
import json
import subprocess
import sys
import tracemalloc

import pytest
from django.core.management import CommandError, call_command

from dangvu.integrity import synthetic
from dangvu.integrity.scan import Options, scan


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("bai")
    synthetic.build(root, 600, seed=11, docx_every=60)
    (root / "hong.docx").write_bytes(b"PK\x03\x04 broken")
    return root


def test_a_dask_cluster_gives_the_same_result_as_one_machine(corpus, tmp_path):
    """The same result, and the same JSON written from it (the cluster keeps the passages as
    arrays and the JSON is written a pair at a time)."""
    from distributed import LocalCluster

    from dangvu.integrity.cli import write_json

    local = scan(corpus, Options(workers=2))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        distributed = scan(corpus, Options(dask=cluster.scheduler_address))
    assert distributed == local
    assert local["pairs"] and local["clusters"] and local["thin"] and local["errors"]
    write_json(distributed, tmp_path / "cum.json")
    assert json.loads((tmp_path / "cum.json").read_text(encoding="utf-8")) == local


def test_command_writes_the_json_contract(corpus, tmp_path, capsys):
    out = tmp_path / "ket-qua.json"
    call_command("scan_essays", str(corpus), "--json", str(out), "--threshold", "0.3", verbosity=0)
    result = json.loads(out.read_text(encoding="utf-8"))
    assert set(result) == {"essays", "pairs", "clusters", "thin", "errors"}
    assert result["essays"] == 601
    pair = result["pairs"][0]
    assert set(pair) == {"a", "b", "score", "passages"} and 0.3 <= pair["score"] <= 1
    assert set(pair["passages"][0]) == {"a_start", "a_end", "b_start", "b_end"}
    assert result["errors"] == [{"file": "hong.docx", "error": result["errors"][0]["error"]}]
    assert "Word" in result["errors"][0]["error"]


def test_command_summary_is_vietnamese(corpus, capsys):
    call_command("scan_essays", str(corpus), "--min-words", "100", verbosity=0)
    out = capsys.readouterr().out
    assert "Đã đọc 600 bài trong 601 tệp; 1 tệp không đọc được (liệt kê ở cuối, kèm lý do)." in out
    assert "cặp bài trùng nhau" in out and "Bài sơ sài:" in out


def test_command_refuses_a_missing_folder(tmp_path):
    with pytest.raises(CommandError, match="Không có thư mục"):
        call_command("scan_essays", str(tmp_path / "khong-co"))


def test_console_script_scans_without_setting_django_up(corpus, tmp_path):
    """`dangvu scan_essays` (the console script, as other tools call it) gives the
    same JSON as the engine, exits 0 with unreadable files, and never loads Django."""
    out = tmp_path / "ket-qua.json"
    probe = ("import sys; from dangvu.__main__ import main\n"
             "try:\n    main()\nexcept SystemExit as exit:\n    code = exit.code\n"
             "print(code, 'django' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe, "scan_essays", str(corpus), "--json", str(out), "-v0"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "False"]
    assert json.loads(out.read_text(encoding="utf-8")) == scan(corpus, Options(workers=1))


def test_console_script_says_what_is_wrong_in_vietnamese(tmp_path):
    done = subprocess.run([sys.executable, "-m", "dangvu", "scan_essays", str(tmp_path / "khong-co")],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "Không có thư mục" in done.stderr


def _peak_mb() -> float:
    """This process's own peak resident memory (VmHWM: unlike ru_maxrss, not inherited from
    the process that started it)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024


MEASURED_SCAN = f"""
import json, sys
from pathlib import Path
from dangvu.integrity.scan import Options, scan
{inspect.getsource(_peak_mb)}
result = scan(Path(sys.argv[1]), Options(workers=1))
print(json.dumps({{"peak_mb": _peak_mb(), "result": result}}))
"""


def test_the_cluster_compares_a_corpus_no_worker_could_hold_and_finds_the_same_pairs(tmp_path):
    """10,000 essays (candidates sampled, a circulating template, a copy cluster of 15): the
    in-process scan needs more than a worker's whole limit, the cluster's workers stay under
    it, and every pair, score, passage, cluster, thin essay and error is the same."""
    from distributed import Client, LocalCluster

    root = tmp_path / "bai"
    corpus = synthetic.build(root, 10_000, seed=5, template_share=0.3)
    source = corpus.texts[corpus.files[3]]
    for k in range(14):
        (root / f"zz-chep-{k:02d}.txt").write_text(f"{source}\nCâu riêng số {k} của người viết.", encoding="utf-8")
    (root / "hong.docx").write_bytes(b"PK\x03\x04 broken")
    limit_mb = 215
    done = subprocess.run([sys.executable, "-c", MEASURED_SCAN, str(root)], capture_output=True, text=True, check=True)
    in_process = json.loads(done.stdout)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit=f"{limit_mb}MB", local_directory=str(tmp_path / "spill")) as cluster, \
            Client(cluster) as client:
        tracemalloc.start()
        on_cluster = scan(root, Options(dask=cluster.scheduler_address))
        client_peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        worker_peaks = list(client.run(_peak_mb).values())
    assert in_process["peak_mb"] > limit_mb
    assert len(worker_peaks) == 2 and max(worker_peaks) < limit_mb
    assert client_peak_mb < 80  # what it reports: the scan that gathered the fingerprints took 246 MB
    local = in_process["result"]
    assert on_cluster == local
    assert local["essays"] == 10_015 and len(local["errors"]) == 1
    assert any(len(c) == 15 for c in local["clusters"])  # the copies, reported once as a cluster
    assert local["pairs"] and local["thin"]


def test_a_worker_killed_in_the_middle_of_the_compare_step_changes_nothing(corpus):
    """Dask computes again what a killed worker held (the nanny starts a new one): the result is
    the same as in process, nothing lost, nothing twice."""
    import os
    import signal

    from distributed import Client, LocalCluster

    local = scan(corpus, Options(workers=1))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        victim = sorted(client.run(os.getpid).values())[0]
        killed = []

        def progress(stage, done, total):
            if stage == "compare" and not killed:
                os.kill(victim, signal.SIGKILL)
                killed.append(stage)

        on_cluster = scan(corpus, Options(dask=cluster.scheduler_address, dask_partition=100), progress)
        assert victim not in client.run(os.getpid).values()
    assert killed == ["compare"]
    assert on_cluster == local
