"""Reading essays in the formats members hand in: the same essays as .txt, as .docx and as
.pdf (saved by LibreOffice; without it the .docx by python-docx and no PDFs), read and
fingerprinted one after another in one process. Prints essays/s for
each and the time of each format against .txt (goals: .docx ≤ 1.5×, .pdf ≤ 3×), and checks
that every format gives the same syllables as the .txt. Also the first 200 PDFs through the
other PDF readers on PyPI that are installed (pypdf, the reader before; PyMuPDF, pdf_oxide,
pdf-inspector), each for its speed and how many of its texts give the .txt's shingles; and
two floors under the PDF goal: PDFium only loading the pages, and the least a reader of
LibreOffice's own layout can do.

    python bench/essays.py --formats 2000     (or python bench/formats.py --essays 2000)
"""

import argparse
import importlib.util
import io
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import machine  # noqa: E402

from dangvu.integrity import synthetic  # noqa: E402
from dangvu.integrity.readers import read  # noqa: E402
from dangvu.integrity.shingles import shingles_of, text_word_hashes  # noqa: E402
from dangvu.integrity.vietnamese import join_split_syllables, tokens  # noqa: E402

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


def _pypdf(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _pymupdf(data: bytes) -> str:
    import pymupdf

    with pymupdf.open(stream=data, filetype="pdf") as document:
        return "\n".join(page.get_text() for page in document)


def _pdf_oxide(data: bytes) -> str:
    from pdf_oxide import PdfDocument

    document = PdfDocument.from_bytes(data)
    return "\n".join(document.extract_text(i) for i in range(document.page_count()))


def _pdf_inspector(data: bytes) -> str:
    from pdf_inspector import extract_text_bytes

    return extract_text_bytes(data)


# Other PDF readers on PyPI, measured when installed: pypdf (the reader before) is a dependency;
# PyMuPDF (AGPL), pdf_oxide and pdf-inspector are not, install them to compare.
PDF_PEERS = {"pypdf": ("pypdf", _pypdf), "PyMuPDF": ("pymupdf", _pymupdf),
             "pdf_oxide": ("pdf_oxide", _pdf_oxide), "pdf-inspector": ("pdf_inspector", _pdf_inspector)}


def peer_pdf(extract, paths: list[Path], expected: list) -> tuple[float, int]:
    """A peer's time for `paths` (read and fingerprinted like ours) and how many of them give
    exactly the shingles of their .txt."""
    datas = [path.read_bytes() for path in paths]
    started = time.perf_counter()
    prints = [shingles_of(text_word_hashes(join_split_syllables(extract(data)), "auto")) for data in datas]
    took = time.perf_counter() - started
    return took, sum(len(a) == len(b) and bool((a == b).all()) for a, b in zip(prints, expected, strict=True))


def pdfium_pages_only(paths: list[Path]) -> float:
    """Seconds PDFium takes to open each PDF and load its pages (content parsed, fonts loaded)
    before any text is asked for: a floor under any reader built on it."""
    import pypdfium2.raw as pdfium_c

    datas = [path.read_bytes() for path in paths]
    started = time.perf_counter()
    for data in datas:
        document = pdfium_c.FPDF_LoadMemDocument64(data, len(data), None)
        for index in range(pdfium_c.FPDF_GetPageCount(document)):
            pdfium_c.FPDF_ClosePage(pdfium_c.FPDF_LoadPage(document, index))
        pdfium_c.FPDF_CloseDocument(document)
    return time.perf_counter() - started


_OBJECT = re.compile(rb"(\d+) 0 obj\s*<<(.*?)>>\s*(?:stream\r?\n)?", re.S)
_LINE_RUN = re.compile(rb"([\d.-]+) ([\d.-]+) Td /F(\d+) [\d.]+ Tf\[([^\]]*)\]TJ")
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4})>")


def layout_only_text(data: bytes) -> str | None:
    """The least a reader can do on LibreOffice's own PDFs, to show the floor under the 3× goal:
    the page tree from the xref table, each simple font's ToUnicode pairs, each line's
    `x y Td /Fn s Tf[<hex>k<hex>…]TJ` decoded, a new line where the baseline changes. It knows
    only this layout and checks nothing (no fallback letters, columns, encryption, other
    producers): None for anything else. Not a reader for members' files."""
    try:
        xref = int(data[data.rindex(b"startxref") + 9:].split()[0])
        offsets, rows = {}, data[xref:data.index(b"trailer", xref)].split(b"\n")[1:]
        while rows and len(rows[0].split()) == 2:
            first, count = map(int, rows[0].split())
            offsets.update({first + k: int(row[:10]) for k, row in enumerate(rows[1:count + 1]) if row[17:18] == b"n"})
            rows = rows[count + 1:]

        def dictionary(number: int) -> bytes:
            return _OBJECT.match(data, offsets[number]).group(2)

        def stream(number: int) -> bytes:
            match = _OBJECT.match(data, offsets[number])
            length = re.search(rb"/Length (\d+)( 0 R)?", match.group(2))
            size = int(length.group(1)) if not length.group(2) else \
                int(data[offsets[int(length.group(1))]:].split(b"obj", 1)[1].split()[0])
            return zlib.decompress(data[match.end():match.end() + size])

        def ref(body: bytes, key: bytes) -> int:
            return int(re.search(rb"/" + key + rb"\s*(\d+) 0 R", body).group(1))

        pages = dictionary(ref(data[xref:], b"Root"))
        kids = re.search(rb"/Kids\s*\[(.*?)\]", dictionary(ref(pages, b"Pages")), re.S).group(1)
        maps: dict[int, dict[int, str]] = {}
        out = []
        for page in map(int, re.findall(rb"(\d+) 0 R", kids)):
            body = dictionary(page)
            fonts = dictionary(ref(dictionary(ref(body, b"Resources")), b"Font"))
            tables = {}
            for name, font in re.findall(rb"/F(\d+) (\d+) 0 R", fonts):
                font = int(font)
                if font not in maps:
                    pairs = _BFCHAR.findall(stream(ref(dictionary(font), b"ToUnicode")))
                    maps[font] = {int(code, 16): chr(int(char, 16)) for code, char in pairs}
                tables[name] = maps[font]
            baseline = None
            for _x, y, font, array in _LINE_RUN.findall(stream(ref(body, b"Contents"))):
                run = bytes.fromhex(b"".join(_HEX.findall(array)).decode()).decode("latin-1").translate(tables[font])
                out.append(run if y == baseline else "\n" + run)
                baseline = y
        return "".join(out)
    except (ValueError, KeyError, AttributeError, IndexError, zlib.error):
        return None


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
    sample = names[:200]
    peers = {}
    for peer, (module, extract) in PDF_PEERS.items():
        if importlib.util.find_spec(module) is not None:
            took, same_peer = peer_pdf(extract, [root / "pdf" / f"{n}.pdf" for n in sample], prints["txt"][:len(sample)])
            peers[peer] = (len(sample) / took, same_peer)
    # floors under the 3× goal: PDFium's page loading alone, and the least any reader can do
    pdf_paths = [root / "pdf" / f"{n}.pdf" for n in names]
    pages_only = min(pdfium_pages_only(pdf_paths) for _round in range(3))
    layout_runs = [peer_pdf(lambda data: layout_only_text(data) or "", pdf_paths, prints["txt"]) for _round in range(3)]
    layout_only, layout_same = min(layout_runs)[0], layout_runs[0][1]
    print(f"machine: {machine()}")
    print(f"{len(names):,} essays of about {syllables:.0f} syllables; .docx and .pdf made by {producer}")
    for suffix in ("txt", "docx", "pdf"):
        rate = len(names) / times[suffix]
        ratio = times[suffix] / times["txt"]
        goal = {"txt": "", "docx": " (goal ≤ 1.5×)", "pdf": " (goal ≤ 3×)"}[suffix]
        print(f".{suffix:<4} {rate:9.0f} essays/s  {ratio:5.2f}× the time of .txt{goal}")
    for suffix in ("docx", "pdf"):
        print(f".{suffix}: {same[suffix]:,}/{len(names):,} essays give exactly the shingles of their .txt")
    pdfium_rate = len(names) / times["pdf"]
    for peer, (rate, same_peer) in peers.items():
        print(f".pdf through {peer:<13} {rate:9.0f} essays/s, PDFium {pdfium_rate / rate:5.1f}× as fast; "
              f"{same_peer}/{len(sample)} give the shingles of their .txt")
    print(f".pdf floors: PDFium only loading the pages {pages_only / times['txt']:5.2f}× the time of .txt "
          f"(before any text is taken or fingerprinted); a reader of LibreOffice's layout alone, checking nothing, "
          f"read and fingerprinted {layout_only / times['txt']:5.2f}× ({layout_same}/{len(names)} give the .txt's shingles)")
    print(json.dumps({"bench": "formats", "essays": len(names), "producer": producer,
                      "essays_per_s": {s: round(len(names) / times[s]) for s in ("txt", "docx", "pdf")},
                      "ratio_to_txt": {s: round(times[s] / times["txt"], 2) for s in ("docx", "pdf")},
                      "same_shingles": same,
                      "pdf_peers_essays_per_s": {p: round(rate) for p, (rate, _same) in peers.items()},
                      "pdf_floors_ratio_to_txt": {"pdfium_pages_only": round(pages_only / times["txt"], 2),
                                                  "layout_only_reader": round(layout_only / times["txt"], 2)},
                      "layout_only_same_shingles": layout_same}))


if __name__ == "__main__":
    main()
