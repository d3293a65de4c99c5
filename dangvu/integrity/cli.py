"""`dangvu scan_essays DIR …`: the essay integrity engine's command line.

No Django here: the `dangvu` console script hands this command straight to
`main()`, so a scan does not pay for setting up the web application (about a
second), and the same code serves `manage.py scan_essays` through a thin Django
command.
"""

import argparse
import json
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

from dangvu.integrity.distributed import ClusterUnreachable
from dangvu.integrity.readers import UnreadableFile
from dangvu.integrity.scan import Options, scan

STAGES = {"read": "Đọc bài", "compare": "So sánh", "passages": "Đoạn trùng"}
# Django's own options, accepted (and ignored) so that both ways of calling agree
DJANGO_FLAGS = ("--traceback", "--no-color", "--force-color", "--skip-checks")
DJANGO_VALUES = ("--settings", "--pythonpath")


class UsageError(Exception):
    """Bad arguments, in Vietnamese."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir")
    parser.add_argument("--exclude", action="append", default=[],
                        help="a studied document or template whose text is not copying (repeatable)")
    parser.add_argument("--min-words", type=int, default=150)
    parser.add_argument("--threshold", type=float, default=0.3)
    parser.add_argument("--max-df", type=int, default=50,
                        help="text found in more essays than this is a common source, not copying")
    parser.add_argument("--json", dest="json_out")
    parser.add_argument("--dask", help="address of a Dask scheduler, e.g. tcp://10.0.0.5:8786")
    parser.add_argument("--dask-partition", type=int, default=0,
                        help="essays a Dask worker reads and keeps together (default: from its memory limit)")
    parser.add_argument("--workers", type=int, default=0, help="local processes (default: two per core)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dangvu scan_essays",
                                description="Find copied and thin reflection essays (.txt, .docx, .pdf) under DIR.")
    add_arguments(p)
    p.add_argument("-v", "--verbosity", type=int, default=1, choices=[0, 1, 2, 3],
                   help="0: no progress bar")
    for flag in DJANGO_FLAGS:
        p.add_argument(flag, action="store_true", help=argparse.SUPPRESS)
    for option in DJANGO_VALUES:
        p.add_argument(option, help=argparse.SUPPRESS)
    return p


@contextmanager
def progress_bars(stream, enabled: bool):
    """A progress(stage, done, total) callback drawing one tqdm bar per stage."""
    from tqdm import tqdm

    current: dict = {}

    def progress(stage, done, total):
        if current.get("stage") != stage:
            if current:
                current["bar"].close()
            current.update(stage=stage, bar=tqdm(total=total, desc=STAGES.get(stage, stage), file=stream,
                                                 disable=not enabled))
        bar = current["bar"]
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield progress
    finally:
        if current:
            current["bar"].close()


def run(args, stdout, stderr) -> dict:
    """Scan as the arguments say; write the JSON or print the summary."""
    root = Path(args.dir)
    if not root.is_dir():
        raise UsageError(f"Không có thư mục “{args.dir}”.")
    if not 0 <= args.threshold <= 1:
        raise UsageError("--threshold phải nằm trong khoảng 0..1.")
    for path in args.exclude:
        if not Path(path).is_file():
            raise UsageError(f"Không có tệp loại trừ “{path}”.")
    options = Options(threshold=args.threshold, min_words=args.min_words, max_df=args.max_df,
                      exclude=[Path(p) for p in args.exclude], dask=args.dask, workers=args.workers,
                      dask_partition=args.dask_partition)
    try:
        with progress_bars(stderr, args.verbosity > 0) as progress:
            result = scan(root, options, progress)
    except (UnreadableFile, ClusterUnreachable) as exc:  # an excluded file that cannot be read; no cluster
        raise UsageError(str(exc)) from exc
    if args.json_out:
        write_json(result, Path(args.json_out))
    else:
        for line in summary(result):
            print(line, file=stdout)
    return result


def write_json(result: dict, path: Path) -> None:
    """The result as JSON, a list's items one a line and one at a time, so that the whole text
    is never held (a million essays' report is 140 MB of it). A file is written beside, then
    renamed (never half written); a pipe or /dev/stdout directly."""
    if path.exists() and not path.is_file():
        with path.open("w", encoding="utf-8") as out:
            _write_json(result, out)
        return
    part = path.with_name(path.name + ".part")
    try:
        with part.open("w", encoding="utf-8") as out:
            _write_json(result, out)
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)


def _write_json(result: dict, out) -> None:
    for n, (key, value) in enumerate(result.items()):
        out.write(("{" if n == 0 else ",") + "\n" + json.dumps(key) + ": ")
        if isinstance(value, Sequence) and not isinstance(value, str):
            out.write("[")
            for k, item in enumerate(value):
                out.write(("\n" if k == 0 else ",\n") + json.dumps(item, ensure_ascii=False))
            out.write("\n]")
        else:
            json.dump(value, out, ensure_ascii=False)
    out.write("\n}\n" if result else "{}\n")


def summary(r: dict) -> list[str]:
    lines = [f"Đã đọc {r['essays'] - len(r['errors'])} bài trong {r['essays']} tệp; "
             f"{len(r['errors'])} tệp không đọc được (liệt kê ở cuối, kèm lý do).",
             f"{len(r['pairs'])} cặp bài trùng nhau, {len(r['clusters'])} nhóm, {len(r['thin'])} bài sơ sài."]
    if r["pairs"]:
        lines += ["", f"{'Tỷ lệ trùng':>11}  {'Bài A':<40} Bài B"]
        lines += [f"{p['score'] * 100:10.1f}%  {p['a']:<40} {p['b']}" for p in r["pairs"]]
    for title, rows in (("Nhóm bài chép nhau hoặc chép chung một nguồn", [", ".join(c) for c in r["clusters"]]),
                        ("Bài sơ sài", r["thin"]),
                        ("Tệp không đọc được", [f"{e['file']}: {e['error']}" for e in r["errors"]])):
        if rows:
            lines += ["", title + ":"] + [f"  {row}" for row in rows]
    return lines


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        run(args, sys.stdout, sys.stderr)
    except UsageError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
