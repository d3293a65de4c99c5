"""`dangvu scan_essays DIR`: the stable command around the essay integrity engine."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from dangvu.integrity.readers import UnreadableFile
from dangvu.integrity.scan import Options, scan

STAGES = {"read": "Đọc bài", "compare": "So sánh", "passages": "Đoạn trùng"}


class Command(BaseCommand):
    help = "Find copied and thin reflection essays (.txt, .docx, .pdf) under DIR."

    def add_arguments(self, parser):
        parser.add_argument("dir")
        parser.add_argument("--exclude", action="append", default=[],
                            help="a studied document or template whose text is not copying (repeatable)")
        parser.add_argument("--min-words", type=int, default=150)
        parser.add_argument("--threshold", type=float, default=0.3)
        parser.add_argument("--max-df", type=int, default=50,
                            help="text found in more essays than this is a common source, not copying")
        parser.add_argument("--json", dest="json_out")
        parser.add_argument("--dask", help="address of a Dask scheduler, e.g. tcp://10.0.0.5:8786")
        parser.add_argument("--workers", type=int, default=0, help="local processes (default: one per core)")

    def handle(self, *args, dir, exclude, min_words, threshold, max_df, json_out, dask, workers, **options):
        root = Path(dir)
        if not root.is_dir():
            raise CommandError(f"Không có thư mục “{dir}”.")
        if not 0 <= threshold <= 1:
            raise CommandError("--threshold phải nằm trong khoảng 0..1.")
        for path in exclude:
            if not Path(path).is_file():
                raise CommandError(f"Không có tệp loại trừ “{path}”.")
        current: dict = {}  # one bar at a time, one per stage

        def progress(stage, done, total):
            if current.get("stage") != stage:
                if current:
                    current["bar"].close()
                current.update(stage=stage, bar=tqdm(total=total, desc=STAGES.get(stage, stage), file=sys.stderr,
                                                     disable=options["verbosity"] == 0))
            bar = current["bar"]
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            result = scan(root, Options(threshold=threshold, min_words=min_words, max_df=max_df,
                                        exclude=[Path(p) for p in exclude], dask=dask, workers=workers),
                          progress)
        except UnreadableFile as exc:  # an excluded file that cannot be read
            raise CommandError(str(exc)) from exc
        finally:
            if current:
                current["bar"].close()
        if json_out:
            Path(json_out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            self._summary(result)

    def _summary(self, r: dict) -> None:
        w = self.stdout.write
        w(f"Đã đọc {r['essays']} bài; {len(r['errors'])} tệp không đọc được.")
        w(f"{len(r['pairs'])} cặp bài trùng nhau, {len(r['clusters'])} nhóm, {len(r['thin'])} bài sơ sài.")
        if r["pairs"]:
            w("")
            w(f"{'Tỷ lệ trùng':>11}  {'Bài A':<40} Bài B")
            for p in r["pairs"]:
                w(f"{p['score'] * 100:10.1f}%  {p['a']:<40} {p['b']}")
        for title, rows in (("Nhóm bài chép nhau hoặc chép chung một nguồn", [", ".join(c) for c in r["clusters"]]),
                            ("Bài sơ sài", r["thin"]),
                            ("Tệp không đọc được", [f"{e['file']}: {e['error']}" for e in r["errors"]])):
            if rows:
                w("")
                w(title + ":")
                for row in rows:
                    w(f"  {row}")
