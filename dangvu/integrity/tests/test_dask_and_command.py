import json
import subprocess
import sys

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


def test_a_dask_cluster_gives_the_same_result_as_one_machine(corpus):
    from distributed import LocalCluster

    local = scan(corpus, Options(workers=2))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        distributed = scan(corpus, Options(dask=cluster.scheduler_address))
    assert distributed == local
    assert local["pairs"] and local["clusters"] and local["thin"] and local["errors"]


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
