"""Old Word (.doc) files read in a batch (readers.read_many: one LibreOffice start converts the
batch's Word 97 files) against the reader before (readers.read: one start for each file), on
the same Word 97 files, saved by LibreOffice from generated essays. Prints the mean seconds a
file each way, the ratio, and how many files give the shingles of their .txt (goal: a batch
≤ 0.5 s a file).

    python bench/doc_batch.py --essays 300 --alone 20
"""

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import machine  # noqa: E402
from formats import convert_all, write_corpus  # noqa: E402

from dangvu.integrity.readers import Text, read, read_many  # noqa: E402
from dangvu.integrity.shingles import shingles_of, text_word_hashes  # noqa: E402


def prints(texts: list) -> list:
    return [shingles_of(text_word_hashes(t.original, t.encoding)) if isinstance(t, Text) else None
            for t in texts]


def same(a: list, b: list) -> int:
    return sum(x is not None and y is not None and len(x) == len(y) and bool((x == y).all())
               for x, y in zip(a, b, strict=True))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--essays", type=int, default=300, help="Word 97 files read as one batch")
    parser.add_argument("--alone", type=int, default=20,
                        help="of them, read one start each (one to a few seconds a file)")
    parser.add_argument("--dir", default=str(ROOT / "var" / "bench-doc"))
    args = parser.parse_args(argv)
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        raise SystemExit("needs LibreOffice (apt-get install libreoffice-writer-nogui)")
    root = Path(args.dir)
    names = sorted(p.stem for p in (root / "doc").glob("*.doc")) if (root / "doc").exists() else []
    if len(names) != args.essays:
        shutil.rmtree(root, ignore_errors=True)
        print(f"Writing {args.essays:,} essays as Word 97 files…", file=sys.stderr)
        names = write_corpus(root, args.essays)
        convert_all(root, "doc:MS Word 97", "doc")
    office = shutil.which("soffice") or shutil.which("libreoffice")
    version = subprocess.run([office, "--version"], capture_output=True, text=True).stdout.split()[1]
    producer = f"LibreOffice {version}"
    docs = [root / "doc" / f"{name}.doc" for name in names]
    txt = prints([read(root / "txt" / f"{name}.txt") for name in names])
    for path in docs:  # both ways start with the files in the OS file cache
        path.read_bytes()

    started = time.perf_counter()
    alone = [read(path) for path in docs[:args.alone]]
    alone_s = (time.perf_counter() - started) / len(alone)
    started = time.perf_counter()
    batch = list(read_many(docs))
    batch_s = (time.perf_counter() - started) / len(batch)

    same_alone, same_batch = same(prints(alone), txt[:args.alone]), same(prints(batch), txt)
    agree = sum(a == b for a, b in zip(alone, batch, strict=False))
    print(f"machine: {machine()}")
    print(f"{len(docs):,} Word 97 files saved by {producer}")
    print(f"one LibreOffice start a file (read, before): {alone_s:6.3f} s a file over {len(alone)} files; "
          f"{same_alone}/{len(alone)} give their .txt's shingles")
    print(f"one start for the batch (read_many):         {batch_s:6.3f} s a file over {len(batch)} files; "
          f"{same_batch}/{len(batch)} give their .txt's shingles (goal ≤ 0.5 s a file)")
    print(f"the batch is {alone_s / batch_s:.1f}× as fast; "
          f"both ways give the same text for {agree}/{len(alone)}")
    print(json.dumps({"bench": "doc_batch", "files": len(docs), "alone_files": len(alone),
                      "s_per_file": {"alone": round(alone_s, 3), "batch": round(batch_s, 3)},
                      "ratio": round(alone_s / batch_s, 1),
                      "same_shingles": {"alone": same_alone, "batch": same_batch},
                      "same_text": agree}))


if __name__ == "__main__":
    main()
