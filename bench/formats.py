"""Reading essays in the formats members hand in: the same essays as .txt, as .docx and as
.pdf (made by LibreOffice when installed, else by python-docx and pypdf's peer reportlab-free
writer below), read and fingerprinted one after another in one process. Prints essays/s for
each and the time of each format against .txt (goals: .docx ≤ 1.5×, .pdf ≤ 3×), and checks
that every format gives the same syllables as the .txt. Also the same PDFs through pypdf,
the reader used before, for the speed-up.

    python bench/essays.py --formats 2000     (or python bench/formats.py --essays 2000)
"""

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import machine  # noqa: E402

from dangvu.integrity import synthetic  # noqa: E402
from dangvu.integrity.readers import read  # noqa: E402
from dangvu.integrity.shingles import shingles_of, text_word_hashes  # noqa: E402
from dangvu.integrity.vietnamese import tokens  # noqa: E402

FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="DejaVu Serif" svg:font-family="'DejaVu Serif'"/>
</office:font-face-decls>
<office:styles><style:style style:name="Standard" style:family="paragraph">
<style:paragraph-properties fo:text-align="justify" fo:text-indent="1cm"/>
<style:text-properties style:font-name="DejaVu Serif" fo:font-size="14pt"/></style:style></office:styles>
<office:body><office:text>{paragraphs}</office:text></office:body></office:document>"""


def write_corpus(root: Path, n: int, seed: int = 5) -> list[str]:
    """Each essay as .txt, and as a justified 14-point document (.fodt) for LibreOffice to save
    as .docx and .pdf. DejaVu Serif has every Vietnamese letter, as a member's Times New Roman
    does (a font lacking some makes LibreOffice draw them from another, out of reading order)."""
    from xml.sax.saxutils import escape

    rng = random.Random(seed)
    (root / "txt").mkdir(parents=True, exist_ok=True)
    (root / "fodt").mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(n):
        paragraphs = [synthetic.essay(rng, rng.randint(80, 160)) for _ in range(rng.randint(3, 5))]
        name = f"bai-{i:05d}"
        (root / "txt" / f"{name}.txt").write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
        (root / "fodt" / f"{name}.fodt").write_text(FODT.replace("{paragraphs}", "".join(
            f'<text:p text:style-name="Standard">{escape(p)}</text:p>' for p in paragraphs)), encoding="utf-8")
        names.append(name)
    return names


def convert_all(root: Path, target: str, suffix: str) -> str:
    """Every .txt into `suffix` by LibreOffice (one process for all), else by python-docx /
    a minimal writer: returns the producer's name."""
    out = root / suffix
    out.mkdir(exist_ok=True)
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office:
        with tempfile.TemporaryDirectory() as profile:
            for _attempt in range(5):  # one LibreOffice sometimes stops early in a long batch: go on with the rest
                missing = sorted(str(p) for p in (root / "fodt").glob("*.fodt")
                                 if not (out / f"{p.stem}.{suffix}").exists())
                for start in range(0, len(missing), 100):
                    subprocess.run([office, f"-env:UserInstallation=file://{profile}", "--headless",
                                    "--convert-to", target, "--outdir", str(out), *missing[start:start + 100]],
                                   capture_output=True, timeout=3600)
        return "LibreOffice " + subprocess.run([office, "--version"], capture_output=True, text=True).stdout.split()[1]
    import docx

    for path in sorted((root / "txt").glob("*.txt")):
        if suffix == "docx":
            document = docx.Document()
            for paragraph in path.read_text(encoding="utf-8").splitlines():
                document.add_paragraph(paragraph)
            document.save(str(out / f"{path.stem}.docx"))
        else:
            raise SystemExit("PDFs need LibreOffice (apt-get install libreoffice-writer-nogui)")
    return "python-docx"


def read_all(paths: list[Path]) -> tuple[float, list]:
    for path in paths:  # every format starts with its files in the OS file cache, as .txt does
        path.read_bytes()
    started = time.perf_counter()
    out = []
    for path in paths:
        text = read(path)
        out.append(shingles_of(text_word_hashes(text.original, text.encoding)))
    return time.perf_counter() - started, out


def pypdf_all(paths: list[Path]) -> float:
    from pypdf import PdfReader

    started = time.perf_counter()
    for path in paths:
        text = "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
        shingles_of(text_word_hashes(text, "auto"))
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--essays", type=int, default=2000)
    parser.add_argument("--dir", default=str(ROOT / "var" / "bench-formats"))
    args = parser.parse_args(argv)
    root = Path(args.dir)
    names = sorted(p.stem for p in (root / "txt").glob("*.txt")) if (root / "txt").exists() else []
    if len(names) != args.essays:
        shutil.rmtree(root, ignore_errors=True)
        print(f"Writing {args.essays:,} essays as .txt, .docx and .pdf…", file=sys.stderr)
        names = write_corpus(root, args.essays)
    producer = ""
    for target, suffix in (("docx:MS Word 2007 XML", "docx"), ("pdf:writer_pdf_Export", "pdf")):
        if len(list((root / suffix).glob(f"*.{suffix}"))) != len(names):
            producer = convert_all(root, target, suffix)
    producer = producer or ("LibreOffice" if shutil.which("soffice") else "python-docx")
    times, prints = {}, {}
    for _round in range(3):  # the formats in turn, three times, the best of each: the machine's
        for suffix in ("txt", "docx", "pdf"):  # moods fall on every format alike
            paths = [root / suffix / f"{name}.{suffix}" for name in names]
            took, prints[suffix] = read_all(paths)
            times[suffix] = min(took, times.get(suffix, took))
    same = {s: int(sum(len(a) == len(b) and bool((a == b).all()) for a, b in zip(prints["txt"], prints[s], strict=True)))
            for s in ("docx", "pdf")}
    syllables = sum(len(tokens(read(root / "txt" / f"{n}.txt").original)) for n in names[:200]) / min(200, len(names))
    pypdf_s = pypdf_all([root / "pdf" / f"{name}.pdf" for name in names[:200]]) * len(names) / min(200, len(names))
    print(f"machine: {machine()}")
    print(f"{len(names):,} essays of about {syllables:.0f} syllables; .docx and .pdf made by {producer}")
    for suffix in ("txt", "docx", "pdf"):
        rate = len(names) / times[suffix]
        ratio = times[suffix] / times["txt"]
        goal = {"txt": "", "docx": " (goal ≤ 1.5×)", "pdf": " (goal ≤ 3×)"}[suffix]
        print(f".{suffix:<4} {rate:9.0f} essays/s  {ratio:5.2f}× the time of .txt{goal}")
    for suffix in ("docx", "pdf"):
        print(f".{suffix}: {same[suffix]:,}/{len(names):,} essays give exactly the shingles of their .txt")
    print(f".pdf through pypdf (the reader before): {len(names) / pypdf_s:9.0f} essays/s; "
          f"PDFium is {pypdf_s / times['pdf']:.1f}× faster")
    print(json.dumps({"bench": "formats", "essays": len(names), "producer": producer,
                      "essays_per_s": {s: round(len(names) / times[s]) for s in ("txt", "docx", "pdf")},
                      "ratio_to_txt": {s: round(times[s] / times["txt"], 2) for s in ("docx", "pdf")},
                      "same_shingles": same, "pypdf_essays_per_s": round(len(names) / pypdf_s)}))


if __name__ == "__main__":
    main()
