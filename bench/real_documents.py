"""Real documents nobody on this project made, read by dangvu and by the independent readers in
the same run: per format and producer, the files read right, wrong and refused.

The collection lives outside the repository (real third-party files are never committed):
/work/realdocs by default, or --root. bench/real_documents_origins.tsv says where each file came
from (the public repository, commit and path, its sha256 and size) and is committed, so the
collection can be rebuilt from the repositories' snapshots:

    python bench/real_documents.py                      the benchmark (table, wrong files, JSON line)
    python bench/real_documents.py --rebuild            the collection again from the snapshots
    python bench/real_documents.py --collect DIR...     add the documents in these git snapshots
    DANGVU_CODE=DIR python bench/real_documents.py      read with the dangvu package under DIR

What is compared. Each file is read by dangvu (`readers.read`, then the engine's own tokens of
it) and by the best independent reader of its format: pdftotext (poppler) for PDFs; LibreOffice's
own text export for Word, RTF and ODT (many files in one start, as a converter would be used),
and antiword as a second reader of .doc. Every reader's text goes through the same tokenizer
(`vietnamese.tokens`), so the comparison is of the text each reader found, not of how it was cut
into words. An independent reader's text is tokenised twice, as it is ("unicode") and with the
engine's line-by-line legacy detection ("auto"), and the better of the two is taken: a reader
that hands back TCVN3 bytes as Latin-1 letters is given the benefit of dangvu's own converter, so
dangvu is credited only for reading the file better, not for converting what any reader could.

Two measures per file:
- invalid share: of the words with a Vietnamese (non-ASCII) letter, the share that are not
  Vietnamese syllables (`vietnamese._is_syllable`): run-together words ("thiếtbị"), pieces of
  a split syllable ("ểu"), unconverted legacy text ("Cã", "Ñaùp") and "ƣ" all count here. ASCII
  words read the same in every reader and every decoding, so they say nothing of either.
- agreement: the multiset F1 of the two token lists (order-free: readers legitimately differ in
  the order of columns, tables and headers, and an edit distance over 100,000 syllables would
  cost minutes), and the share of the reader's syllables that dangvu also has (coverage).

A file is read right when dangvu's invalid share is at most the reader's + 1 point and dangvu
covers at least 95% of the reader's syllables, or when dangvu is clearly better (2 points fewer
invalid words: the reader's "syllables" were broken); wrong otherwise. A refusal
(UnreadableFile) is right when the reader found no text either (under 50 syllables); a refusal
of a file the reader read is wrong. Files where neither reader reads well (dangvu's invalid
share over 5%) are listed as well: where pdftotext fails too (ƣ, legacy fonts), dangvu must do
better than it, which "right" alone does not show; so are the files where dangvu's text keeps "ƣ".

Files are tokenised by the engine's own `tokens` and compared without numbers and lone ASCII
letters (list labels and formulas, which the readers write differently). Files where neither
reading is Vietnamese (English papers) are counted as "other" and not judged.
"""

import argparse
import collections
import hashlib
import io
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
# DANGVU_CODE: read with the dangvu of another tree, a baseline (`git archive HEAD dangvu | tar -x -C DIR`)
if os.environ.get("DANGVU_CODE"):
    sys.path.insert(0, os.environ["DANGVU_CODE"])

from common import machine  # noqa: E402

from dangvu.integrity.readers import UnreadableFile, read, read_many  # noqa: E402
from dangvu.integrity.vietnamese import TCVN3_TO_UNICODE, _is_syllable, tokens  # noqa: E402

ORIGINS = ROOT / "bench" / "real_documents_origins.tsv"
DEFAULT_ROOT = Path(os.environ.get("REALDOCS", "/work/realdocs"))
MIRRORS = Path(os.environ.get("REALDOCS_MIRRORS", "/work/.mirror"))
FORMATS = (".pdf", ".docx", ".doc", ".rtf", ".odt")
COLUMNS = ("file", "repo", "commit", "path", "sha256", "size")

TOLERANCE = 0.01  # invalid share dangvu may exceed the reader's by (rounding, a stray symbol)
CLEARLY_BETTER = 0.02  # fewer invalid words than this: the reader's text was the broken one
MIN_COVERAGE = 0.95  # of the reader's syllables that dangvu must also have
EMPTY = 50  # syllables under which a reader found no text
POOR = 0.05  # invalid share over which a file is listed as read poorly, whoever reads it
MIN_VIETNAMESE = 20  # words with a Vietnamese letter under which the invalid share says nothing
PER_FILE_TIMEOUT = 120  # seconds for dangvu, pdftotext or antiword on one file
OFFICE_BATCH = 40  # files LibreOffice converts in one start
MAX_COLLECT_BYTES = 30 * 2**20
LFS_POINTER = b"version https://git-lfs"  # the snapshot holds a pointer, not the file
# refusals by policy, right whatever a reader finds: too many pages, too large a file
POLICY_REFUSAL = re.compile(r"quá \d+ trang|lớn hơn \d+ MB")


# --- the collection -----------------------------------------------------------------------------

def load_origins(path: Path = ORIGINS) -> list[dict]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:] if line.strip()]


def write_origins(rows: list[dict], path: Path = ORIGINS) -> None:
    rows = sorted(rows, key=lambda r: r["file"])
    text = "\t".join(COLUMNS) + "\n" + "".join("\t".join(str(r[c]) for c in COLUMNS) + "\n" for r in rows)
    path.write_text(text, encoding="utf-8")


def _git(git_dir: Path, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(["git", "--git-dir", str(git_dir), *args], input=data, capture_output=True,
                          check=True).stdout


def _repo_name(git_dir: Path) -> str:
    """owner/name from a snapshot's folder, /work/.mirror/owner+name/repo."""
    folder = git_dir.parent.name if git_dir.name == "repo" else git_dir.name
    return folder.replace("+", "/", 1)


def _blobs_in_history(git_dir: Path) -> dict[str, tuple[str, str, str]]:
    """{blob: (commit, path, size)} for every document in any commit, the oldest commit that has it."""
    found: dict[str, tuple[str, str, str]] = {}
    for commit in reversed(_git(git_dir, "rev-list", "--all").decode().split()):
        for entry in _git(git_dir, "ls-tree", "-r", "-l", "-z", commit).decode("utf-8", "replace").split("\0"):
            if "\t" not in entry:
                continue
            meta, path = entry.split("\t", 1)
            _mode, kind, blob, size = meta.split()
            if kind == "blob" and path.lower().endswith(FORMATS) and blob not in found:
                found[blob] = (commit, path, size)
    return found


def _present(git_dir: Path, blobs) -> set[str]:
    """The blobs the snapshot really holds (large files and LFS content are left out of it)."""
    out = _git(git_dir, "cat-file", "--batch-check", data="\n".join(blobs).encode()).decode()
    return {line.split()[0] for line in out.splitlines() if line.split()[1:2] == ["blob"]}


def collect(git_dirs: list[Path], root: Path, per_producer: int) -> None:
    """Add the documents of these snapshots to the collection: one copy of each content, at most
    `per_producer` files of one format and producer (the spread of producers matters more than
    the number of files)."""
    rows = load_origins()
    have = {r["sha256"] for r in rows}
    per_group = collections.Counter(_group(root / r["file"]) for r in rows if (root / r["file"]).exists())
    for git_dir in git_dirs:
        repo = _repo_name(git_dir)
        found = _blobs_in_history(git_dir)
        added = 0
        for blob in sorted(_present(git_dir, found), key=lambda b: found[b][1]):
            commit, path, _size = found[blob]
            data = _git(git_dir, "cat-file", "blob", blob)
            digest = hashlib.sha256(data).hexdigest()
            if (digest in have or not data or len(data) > MAX_COLLECT_BYTES or data.startswith(LFS_POINTER)
                    or path.split("/")[-1].startswith("~$")):
                continue
            relative = f"{repo.replace('/', '__')}/{path}"
            if (root / relative).exists():
                stem, ext = os.path.splitext(relative)
                relative = f"{stem}.{digest[:8]}{ext}"
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            group = _group(target)
            if per_group[group] >= per_producer:
                target.unlink()
                continue
            per_group[group] += 1
            have.add(digest)
            rows.append({"file": relative, "repo": repo, "commit": commit, "path": path, "sha256": digest,
                         "size": len(data)})
            added += 1
        print(f"{repo}: {len(found)} documents in its history, {added} added", flush=True)
    write_origins(rows)
    print(f"{len(rows)} files in {ORIGINS.relative_to(ROOT)}")


def rebuild(root: Path) -> None:
    """The collection again from the origins list and the repositories' snapshots under MIRRORS
    (bring a missing one with the fetch tool, github:owner/name)."""
    missing_repos, bad = set(), 0
    for row in load_origins():
        target = root / row["file"]
        if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == row["sha256"]:
            continue
        git_dir = MIRRORS / row["repo"].replace("/", "+", 1) / "repo"
        if not git_dir.exists():
            missing_repos.add(row["repo"])
            continue
        try:
            data = _git(git_dir, "show", f"{row['commit']}:{row['path']}")
        except subprocess.CalledProcessError:
            bad += 1
            continue
        if hashlib.sha256(data).hexdigest() != row["sha256"]:
            bad += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for repo in sorted(missing_repos):
        print(f"no snapshot of {repo}: fetch github:{repo} into {MIRRORS}")
    print(f"rebuilt under {root}; {bad} files not found or changed")


# --- who made each file -------------------------------------------------------------------------

def _font_names(*names: str) -> re.Pattern:
    """Font names as bytes, in one-byte text or UTF-16 (Word 97 keeps its font table in UTF-16)."""
    return re.compile(b"|".join(b"\\x00?".join(re.escape(bytes([c])) for c in name.encode()) for name in names))


# TCVN3's fonts are .VnTime, .VnArial…; VNI's VNI-Times, VNI-Helve…
_LEGACY_FONTS = {
    "TCVN3": _font_names(*(".Vn" + name for name in ("Time", "Arial", "Avant", "Helve", "Courier", "Univers",
                                                       "Book", "Black", "Centur", "Clarendon", "Cooper", "Bodoni",
                                                       "Souvenir", "Present", "Free", "Lucida", "Mystical", "Shelley",
                                                       "Commercial", "Teknical", "Bahamas", "Revue", "Stamp"))),
    "VNI": _font_names(*("VNI-" + name for name in ("Times", "Helve", "Aptima", "Avo", "Book", "Centur", "Cooper",
                                                     "Couri", "Univer", "Bodon", "Brush", "Free", "Garam", "Lydi",
                                                     "Souvir", "Top", "Zap", "Ariston", "Bandit", "Revue"))),
}
_PDF_FAMILIES = (
    (r"Microsoft.{0,3} (?:Office )?(Word|PowerPoint|Excel)(?: for Microsoft 365| (\d{4}))?", None),
    (r"Acrobat PDFMaker (\d+)[^|]*?(Word|PowerPoint|Excel)?", None),
    (r"Acrobat Distiller (\d+)", "Distiller {0}"),
    (r"Google Docs", "Google Docs"), (r"Skia/PDF", "Skia/PDF (Chrome)"),
    (r"LibreOffice", "LibreOffice"), (r"OpenOffice", "OpenOffice"),
    (r"pdfTeX", "pdfTeX (LaTeX)"), (r"xdvipdfmx|XeTeX", "xdvipdfmx (XeLaTeX)"), (r"LuaTeX", "LuaTeX"),
    (r"Foxit", "Foxit"), (r"iText", "iText"), (r"pdftk", "pdftk"), (r"Print To PDF", "Microsoft Print to PDF"),
    (r"Ghostscript", "Ghostscript"), (r"Quartz", "Quartz (macOS)"), (r"WPS", "WPS Office"),
    (r"doPDF", "doPDF"), (r"pdfFactory", "pdfFactory"), (r"novaPDF", "novaPDF"), (r"PDF-XChange", "PDF-XChange"),
    (r"Nitro", "Nitro"), (r"iLovePDF", "iLovePDF"), (r"Smallpdf", "Smallpdf"), (r"Canva", "Canva"),
    (r"Aspose", "Aspose"), (r"wkhtmltopdf|Qt ", "wkhtmltopdf/Qt"), (r"ABBYY", "ABBYY"), (r"PDFium", "PDFium"),
    (r"cairo", "cairo"), (r"ReportLab", "ReportLab"), (r"pdf-lib", "pdf-lib"), (r"Typst", "Typst"),
    (r"Adobe PDF Library", "Adobe PDF Library"), (r"Acrobat", "Acrobat"), (r"Pages", "Pages"),
    (r"Keynote", "Keynote"), (r"CamScanner", "CamScanner"), (r"Adobe InDesign", "InDesign"),
)
_WORD_VERSIONS = {"8": "97", "9": "2000", "10": "2002", "11": "2003", "12": "2007", "14": "2010", "15": "2013",
                  "16": "2016+"}


def _pdf_family(creator: str, producer: str) -> str:
    both = f"{creator} | {producer}"
    for pattern, label in _PDF_FAMILIES:
        m = re.search(pattern, both, re.IGNORECASE)
        if not m:
            continue
        if pattern.startswith("Microsoft"):
            return f"{m.group(1)} {m.group(2) or '365'}"
        if pattern.startswith("Acrobat PDFMaker"):
            return f"PDFMaker {m.group(1)}" + (f" for {m.group(2)}" if m.group(2) else "")
        name = label.format(*m.groups())
        if name.startswith("Distiller") and "PScript5" in creator:
            name += " (PScript5)"
        return name
    rest = re.sub(r"[\d.]+", "", producer or creator).strip(" -/;,()")
    return rest[:30] or "?"


def producer(path: Path) -> str:
    """The program that made the file, as a family ("Word 2016", "Distiller 9 (PScript5)"),
    with the legacy font it uses, if any."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    try:
        name, legacy_source = {".pdf": _pdf_producer, ".docx": _docx_producer, ".odt": _odt_producer,
                               ".rtf": _rtf_producer, ".doc": _doc_producer}[suffix](path, data)
    except Exception:  # a damaged file has no producer to read; the readers say the rest
        name, legacy_source = "?", data
    legacy = [label for label, pattern in _LEGACY_FONTS.items() if pattern.search(legacy_source)]
    return name + "".join(f" +{label}" for label in legacy)


def _pdf_producer(path: Path, data: bytes) -> tuple[str, bytes]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        meta = document.get_metadata_dict()
    finally:
        document.close()
    return _pdf_family(meta.get("Creator", ""), meta.get("Producer", "")), data


def _office_xml(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name) if name in package.namelist() else b""


def _docx_producer(path: Path, data: bytes) -> tuple[str, bytes]:
    app = _office_xml(data, "docProps/app.xml").decode("utf-8", "replace")
    fonts = _office_xml(data, "word/fontTable.xml")
    application = re.search(r"<(?:\w+:)?Application>([^<]*)<", app)
    version = re.search(r"<(?:\w+:)?AppVersion>(\d+)", app)
    if application is None:
        return "? (no docProps/app.xml)", fonts
    name = application.group(1)
    if "Microsoft" in name and "Word" in name:
        return f"Word {_WORD_VERSIONS.get(version.group(1), version.group(1)) if version else '?'}", fonts
    return re.sub(r"[/_].*|[\d.]+$", "", name).strip() or "?", fonts


def _odt_producer(path: Path, data: bytes) -> tuple[str, bytes]:
    meta = _office_xml(data, "meta.xml").decode("utf-8", "replace")
    generator = re.search(r"<meta:generator>([^<]*)<", meta)
    return (re.sub(r"[/_].*", "", generator.group(1)) if generator else "?"), _office_xml(data, "content.xml")


def _rtf_producer(path: Path, data: bytes) -> tuple[str, bytes]:
    generator = re.search(rb"\{\\\*\\generator ([^;}]*)", data[:20000])
    name = re.sub(r"[\d.]+", "", generator.group(1).decode("latin-1")).strip() if generator else "? (no generator)"
    return name, data[:200000]


def _doc_producer(path: Path, data: bytes) -> tuple[str, bytes]:
    head = data[:512].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype", b"mime-version")) or b"<html" in head:
        return "Word HTML (not Word 97)", data
    if not data.startswith(b"\xd0\xcf\x11\xe0"):
        return "? (not an OLE file)", data
    described = subprocess.run(["file", "-b", str(path)], capture_output=True, text=True, timeout=30).stdout
    application = re.search(r"Name of Creating Application: ([^,]*)", described)
    return (application.group(1).strip() if application else "? (no summary)"), data


def _group(path: Path) -> tuple[str, str]:
    return path.suffix.lower(), producer(path)


# --- the independent readers ----------------------------------------------------------------

@dataclass
class Reading:
    text: str | None  # None: the reader failed (error, time limit) or is not installed
    seconds: float
    error: str = ""


def pdftotext(path: Path) -> Reading:
    started = time.perf_counter()
    try:
        done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                              timeout=PER_FILE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return Reading(None, time.perf_counter() - started, "time limit")
    seconds = time.perf_counter() - started
    if done.returncode != 0 and not done.stdout:
        return Reading(None, seconds, done.stderr.decode("utf-8", "replace")[-200:])
    return Reading(done.stdout.decode("utf-8", "replace"), seconds)


def antiword(path: Path) -> Reading:
    started = time.perf_counter()
    try:
        done = subprocess.run(["antiword", "-m", "UTF-8.txt", str(path)], capture_output=True,
                              timeout=PER_FILE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return Reading(None, time.perf_counter() - started, "time limit")
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return Reading(None, seconds, done.stderr.decode("utf-8", "replace")[-200:])
    return Reading(done.stdout.decode("utf-8", "replace"), seconds)


def libreoffice_texts(paths: list[Path]) -> dict[Path, Reading]:
    """LibreOffice's text export of many files, OFFICE_BATCH to a start (one start costs seconds);
    each file's time is its batch's time shared out. A batch that runs out of time is done again
    one file at a time, so one hanging file costs only itself."""
    from dangvu.lib.office import _PROFILE_SETTINGS, no_network_prefix, office_binary

    office = office_binary()
    if office is None:
        return {p: Reading(None, 0.0, "LibreOffice not installed") for p in paths}
    results: dict[Path, Reading] = {}
    with tempfile.TemporaryDirectory(prefix="realdocs-lo-") as tmp:
        user = Path(tmp) / "profile" / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")

        def run(batch: list[Path], timeout: float) -> None:
            work = Path(tempfile.mkdtemp(dir=tmp))
            staged = {}
            for index, path in enumerate(batch):  # numbered names: a.doc and a.docx would both give a.txt
                link = work / f"{index:04d}{path.suffix.lower()}"
                link.symlink_to(path.resolve())
                staged[path] = link
            command = [*no_network_prefix(), office, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                       "--norestore", "--nolockcheck", "--convert-to", "txt:Text (encoded):UTF8",
                       "--outdir", str(work / "out"), *map(str, staged.values())]
            started = time.perf_counter()
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       start_new_session=True)
            try:
                process.wait(timeout=timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                timed_out = True
            share = (time.perf_counter() - started) / len(batch)
            if timed_out and len(batch) > 1:
                for path in batch:
                    run([path], PER_FILE_TIMEOUT)
                return
            for path, link in staged.items():
                out = work / "out" / (link.stem + ".txt")
                if out.exists():
                    results[path] = Reading(out.read_bytes().decode("utf-8-sig", "replace"), share)
                else:
                    results[path] = Reading(None, share, "time limit" if timed_out else "not converted")

        for start in range(0, len(paths), OFFICE_BATCH):
            batch = paths[start:start + OFFICE_BATCH]
            run(batch, 30 + PER_FILE_TIMEOUT * len(batch) / 4)
    return results


# --- measuring ------------------------------------------------------------------------------

def _latin_word(word: str) -> bool:
    """A word of Latin letters with at least one beyond ASCII: a Vietnamese word, or what a reader
    made of one ("thÓ", "Ñaùp", "lμ": PDFium's μ for TCVN3's à). Greek, mathematical letters and
    numbers are left out: they are the same in every reader and no Vietnamese."""
    if word.isascii() or not word.isalpha():
        return False
    return all(c < "\u0250" or "\u1e00" <= c <= "\u1eff" or c == "μ" for c in word) and word != "μ" * len(word)


def _vietnamese(words: list[str]) -> list[str]:
    return [w for w in words if _latin_word(w)]


def is_vietnamese(words: list[str]) -> bool:
    """Whether a text is Vietnamese: enough words with a Vietnamese letter that are syllables, and
    a tenth of all its words at least (an English paper's accented names are no Vietnamese text)."""
    syllables = sum(1 for w in _vietnamese(words) if _is_syllable(w))
    return syllables >= MIN_VIETNAMESE and syllables >= len(words) / 10


def invalid_share(words: list[str]) -> tuple[float, int]:
    """(share of the words with a Vietnamese letter that are no Vietnamese syllable, how many such words)."""
    vietnamese = _vietnamese(words)
    if not vietnamese:
        return 0.0, 0
    return sum(1 for w in vietnamese if not _is_syllable(w)) / len(vietnamese), len(vietnamese)


def best_tokens(text: str) -> tuple[list[str], str]:
    """The reader's text as syllables, as it is or with legacy lines converted, whichever reads
    better (fewer invalid words)."""
    as_is, converted = tokens(text, "unicode"), tokens(text, "auto")
    return (converted, "auto") if invalid_share(converted)[0] < invalid_share(as_is)[0] else (as_is, "unicode")


def _folded(words: list[str]) -> list[str]:
    """Words as compared: compatibility forms folded (one reader's mathematical 𝐴 or ligature ﬁ
    is the other's A or fi), and without numbers or lone ASCII letters: list labels (LibreOffice
    writes "a)", "1." for Word's automatic numbering, dangvu keeps only the text) and formulas
    (pdftotext writes x2 where PDFium gives x 2) differ between readers and are no Vietnamese."""
    folded = (w if w.isascii() else unicodedata.normalize("NFKC", w).lower() for w in words)
    return [w for w in folded if not (len(w) == 1 and w.isascii()) and not any(c.isdigit() for c in w)]


def agreement(ours: list[str], theirs: list[str]) -> tuple[float, float]:
    """(multiset F1, share of their syllables we also have)."""
    if not ours and not theirs:
        return 1.0, 1.0
    # compatibility forms folded: one reader's mathematical 𝐴 or ligature ﬁ is the other's A or fi
    ours, theirs = _folded(ours), _folded(theirs)
    common = sum((collections.Counter(ours) & collections.Counter(theirs)).values())
    f1 = 2 * common / (len(ours) + len(theirs))
    return f1, (common / len(theirs) if theirs else 1.0)


_LEGACY_CHARS = set(TCVN3_TO_UNICODE) - set("ăâêôơưđĂÂÊÔƠƯĐ") | set("øûïåäëüØÛÏÅÄËÜñÑ") | {"μ", "\u2212"}


def differing(ours: list[str], theirs: list[str], n: int = 8) -> tuple[list[str], list[str]]:
    """The syllables one text has more of than the other, broken ones (no syllable) first."""
    mine, yours = collections.Counter(_folded(ours)), collections.Counter(_folded(theirs))

    def top(counter):
        return [w for w, _ in sorted(counter.items(), key=lambda kv: (_is_syllable(kv[0]) or kv[0].isascii(),
                                                                     -kv[1]))[:n]]
    return top(mine - yours), top(yours - mine)


def suspected_causes(text: str, ours: list[str], theirs: list[str]) -> list[str]:
    """Hints at the class of a wrong file (the issue's list), from the syllables only one side has."""
    mine, yours = collections.Counter(ours), collections.Counter(theirs)
    only_ours = [w for w in mine - yours if not _is_syllable(w)]
    only_theirs = set(yours - mine)
    causes = []
    if "ƣ" in text or "Ƣ" in text:
        causes.append("ƣ")
    theirs_set = set(yours)
    joined = sum(1 for w in only_ours if any(w[:i] in theirs_set and w[i:] in theirs_set and _is_syllable(w[:i])
                                             and _is_syllable(w[i:]) for i in range(1, len(w))))
    if joined >= 3:
        causes.append(f"run together ({joined})")
    pieces = sum(1 for w in only_ours if not w.isascii() and any(w in t and w != t for t in only_theirs))
    if pieces >= 3:
        causes.append(f"split syllables ({pieces})")
    legacy = sum(1 for w in only_ours if _LEGACY_CHARS & set(w))
    if legacy >= 3:
        causes.append(f"legacy letters left ({legacy})")
    return causes


@dataclass
class Result:
    file: str
    format: str
    producer: str
    verdict: str  # right, wrong, refused, other (no Vietnamese text in either reading: not judged)
    vietnamese: bool = False
    reader: str = ""
    reader_mode: str = ""
    ours_seconds: float = 0.0
    reader_seconds: float = 0.0
    ours_invalid: float = 0.0
    reader_invalid: float = 0.0
    vietnamese_words: int = 0
    f1: float = 0.0
    coverage: float = 0.0
    ours_tokens: int = 0
    reader_tokens: int = 0
    reason: str = ""
    poor: bool = False
    u_horn: int = 0  # "ƣ" left in dangvu's text: both readers wrong, so neither measure shows it
    only_ours: list = field(default_factory=list)
    only_theirs: list = field(default_factory=list)
    causes: list = field(default_factory=list)


class _TimeLimit(Exception):
    pass


def _alarm(signum, frame):
    raise _TimeLimit()


def read_docs_together(paths: list[Path]) -> dict[Path, tuple[object, float]]:
    """The .doc files read as a scan reads them, in one batch (one LibreOffice start for all):
    each file's outcome (a Text, or the exception) and its share of the batch's time."""
    docs = [p for p in paths if p.suffix.lower() == ".doc"]
    if not docs:
        return {}
    started = time.perf_counter()
    outcomes = list(read_many(docs))
    each = (time.perf_counter() - started) / len(docs)
    return {path: (outcome, each) for path, outcome in zip(docs, outcomes, strict=True)}


def read_with_dangvu(path: Path, batched: tuple[object, float] | None = None) -> tuple[list[str] | None, str, float, str]:
    """(tokens or None when refused, the text, seconds, the refusal's message); `batched`, the
    file's outcome and time from read_docs_together."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(PER_FILE_TIMEOUT)
    started = time.perf_counter()
    try:
        if batched is not None:
            outcome, seconds = batched
            started -= seconds
            if isinstance(outcome, Exception):
                raise outcome
        text = outcome if batched is not None else read(path)
        words = tokens(text.original, text.encoding)
        return words, text.original, time.perf_counter() - started, ""
    except UnreadableFile as exc:
        return None, "", time.perf_counter() - started, str(exc)
    except _TimeLimit:
        return None, "", time.perf_counter() - started, "CRASH: time limit"
    except Exception as exc:  # a crash is a finding, not the end of the run
        return None, "", time.perf_counter() - started, f"CRASH: {type(exc).__name__}: {exc}"[:300]
    finally:
        signal.alarm(0)


def judge(file: str, fmt: str, made_by: str, ours: tuple, readings: dict[str, Reading]) -> Result:
    words, text, seconds, refusal = ours
    result = Result(file, fmt, made_by, "right", ours_seconds=seconds)
    candidates = []
    for name, reading in readings.items():
        if reading.text is None:
            continue
        theirs, mode = best_tokens(reading.text)
        candidates.append((name, reading, theirs, mode))
    if candidates:  # the best reader: fewest invalid words among those that found most of the text
        most = max(len(c[2]) for c in candidates)
        name, reading, theirs, mode = min((c for c in candidates if len(c[2]) >= most / 2),
                                          key=lambda c: invalid_share(c[2])[0])
        result.reader, result.reader_mode, result.reader_seconds = name, mode, reading.seconds
    else:
        theirs = []
        failed = [f"{n}: {r.error}" for n, r in readings.items()]
        result.reader, result.reader_seconds = "none", sum(r.seconds for r in readings.values())
        result.reason = "reader failed (" + "; ".join(failed) + ")"
    result.reader_tokens = len(theirs)
    result.reader_invalid, reader_vietnamese = invalid_share(theirs)
    result.vietnamese = is_vietnamese(theirs)
    if words is None:
        right = (len(theirs) < EMPTY or POLICY_REFUSAL.search(refusal)) and not refusal.startswith("CRASH")
        result.verdict = "refused" if right else "wrong"
        result.reason = f"refused: {refusal}" + (f" (reader read {len(theirs)} syllables)"
                                                if result.verdict == "wrong" else "")
        return result
    result.ours_tokens = len(words)
    result.u_horn = text.count("ƣ") + text.count("Ƣ")
    result.ours_invalid, ours_vietnamese = invalid_share(words)
    result.vietnamese_words = max(ours_vietnamese, reader_vietnamese)
    result.vietnamese = is_vietnamese(words) or is_vietnamese(theirs)
    result.f1, result.coverage = agreement(words, theirs)
    result.only_ours, result.only_theirs = differing(words, theirs)
    measured = result.vietnamese and result.vietnamese_words >= MIN_VIETNAMESE
    result.poor = measured and result.ours_invalid > POOR
    if not result.vietnamese:
        result.verdict = "other"
        return result
    if not theirs:
        return result  # the reader found nothing (or failed): whatever dangvu read is more
    worse = measured and result.ours_invalid > result.reader_invalid + TOLERANCE
    better = measured and result.ours_invalid < result.reader_invalid - CLEARLY_BETTER
    missing = result.coverage < MIN_COVERAGE and len(theirs) >= EMPTY
    if worse or (missing and not better):
        result.verdict = "wrong"
        result.reason = ("more invalid words" if worse else "") + (" and " if worse and missing else "") + \
            (f"misses {1 - result.coverage:.0%} of the reader's syllables" if missing else "")
        result.causes = suspected_causes(text, words, theirs)
    return result


def run_bench(root: Path, limit: int | None, only: str | None) -> list[Result]:
    rows = [r for r in load_origins() if (root / r["file"]).exists()]
    if only:
        rows = [r for r in rows if re.search(only, r["file"])]
    rows = rows[:limit] if limit else rows
    paths = [root / r["file"] for r in rows]
    print(f"{len(paths)} files under {root}; producers…", flush=True)
    made_by = {p: producer(p) for p in paths}
    office = [p for p in paths if p.suffix.lower() in (".docx", ".doc", ".rtf", ".odt")]
    print(f"LibreOffice on {len(office)} office files…", flush=True)
    started = time.perf_counter()
    lo = libreoffice_texts(office)
    print(f"  {time.perf_counter() - started:.0f} s", flush=True)
    print("dangvu on the .doc files, one batch…", flush=True)
    docs = read_docs_together(paths)
    results = []
    for index, path in enumerate(paths, 1):
        fmt = path.suffix.lower()
        readings: dict[str, Reading] = {}
        if fmt == ".pdf":
            readings["pdftotext"] = pdftotext(path)
        else:
            readings["LibreOffice"] = lo[path]
            if fmt == ".doc" and shutil.which("antiword"):
                readings["antiword"] = antiword(path)
        ours = read_with_dangvu(path, docs.get(path))
        results.append(judge(str(path.relative_to(root)), fmt, made_by[path], ours, readings))
        if index % 50 == 0:
            print(f"  {index}/{len(paths)} read", flush=True)
    return results


# --- the report -----------------------------------------------------------------------------

def _mean(values) -> float:
    values = list(values)
    return statistics.fmean(values) if values else 0.0


def print_table(results: list[Result]) -> None:
    groups = collections.defaultdict(list)
    for r in results:
        groups[(r.format, r.producer)].append(r)
    for fmt in FORMATS:
        groups[(fmt, "= all")] = [r for r in results if r.format == fmt]
    header = (f"{'format':6} {'producer':34} {'files':>5} {'vi':>4} {'right':>5} {'wrong':>5} {'refus':>5} "
              f"{'other':>5} {'poor':>4} {'inv dv':>6} {'inv rd':>6} {'F1':>5} {'cover':>5} {'s dv':>6} {'s rd':>6} {'ratio':>6}")
    print(header)
    print("-" * len(header))
    for (fmt, made_by), group in sorted(groups.items(), key=lambda kv: (FORMATS.index(kv[0][0]), kv[0][1] != "= all",
                                                                        -len(kv[1]), kv[0][1])):
        if not group:
            continue
        read_ = [r for r in group if r.verdict != "refused" and r.ours_tokens]
        measured = [r for r in read_ if r.vietnamese and r.vietnamese_words >= MIN_VIETNAMESE]
        ours_s, reader_s = _mean(r.ours_seconds for r in group), _mean(r.reader_seconds for r in group)
        count = collections.Counter(r.verdict for r in group)
        print(f"{fmt:6} {made_by[:34]:34} {len(group):5} {sum(r.vietnamese for r in group):4} {count['right']:5} "
              f"{count['wrong']:5} {count['refused']:5} {count['other']:5} {sum(r.poor for r in group):4} {_mean(r.ours_invalid for r in measured):6.1%} "
              f"{_mean(r.reader_invalid for r in measured):6.1%} {_mean(r.f1 for r in read_):5.3f} "
              f"{_mean(r.coverage for r in read_):5.3f} {ours_s:6.3f} {reader_s:6.3f} "
              f"{(ours_s / reader_s if reader_s else 0):5.1f}×")
    print("vi: files in Vietnamese; other: no Vietnamese text in either reading, not judged; inv dv / inv rd: mean share of Vietnamese words that are no syllable "
          f"(Vietnamese files with ≥ {MIN_VIETNAMESE} such words), dangvu / the reader; F1, cover: agreement with the reader; "
          "s: seconds a file (LibreOffice: its batch's time shared out); poor: dangvu's invalid share "
          f"over {POOR:.0%}")


def print_files(results: list[Result]) -> None:
    wrong = [r for r in results if r.verdict == "wrong"]
    print(f"\nWrong ({len(wrong)}):")
    for r in sorted(wrong, key=lambda r: (r.format, r.producer, r.file)):
        print(f"- {r.file}  [{r.format} {r.producer}{'' if r.vietnamese else ', not Vietnamese'}] {r.reason}; inv {r.ours_invalid:.1%} vs {r.reader} "
              f"{r.reader_invalid:.1%} ({r.reader_mode}), F1 {r.f1:.3f}, cover {r.coverage:.3f}"
              + (f"; suspected: {', '.join(r.causes)}" if r.causes else ""))
        if r.only_ours or r.only_theirs:
            print(f"    dangvu only: {' '.join(r.only_ours)}\n    {r.reader} only: {' '.join(r.only_theirs)}")
    refused = [r for r in results if r.verdict == "refused"]
    print(f"\nRefused ({len(refused)}), the reader finding no text either (or a limit of the policy):")
    for message, group in collections.Counter(r.reason for r in refused).most_common():
        print(f"- {group} × {message}")
    poor = [r for r in results if r.poor and r.verdict == "right"]
    print(f"\nRead right but poorly: dangvu's invalid share over {POOR:.0%} ({len(poor)}):")
    for r in sorted(poor, key=lambda r: -r.ours_invalid):
        print(f"- {r.file}  [{r.format} {r.producer}] inv {r.ours_invalid:.1%} vs {r.reader} {r.reader_invalid:.1%}"
              f" ({r.reader_mode}); dangvu only: {' '.join(r.only_ours[:6])}")
    u_horn = [r for r in results if r.u_horn]
    print(f"\n\"ƣ\" (U+01A3) left in dangvu's text ({len(u_horn)}):")
    for r in sorted(u_horn, key=lambda r: -r.u_horn):
        print(f"- {r.file}  [{r.format} {r.producer}] {r.u_horn} ×, verdict {r.verdict}")
    failed = [r for r in results if r.reader == "none" and r.verdict == "right"]
    if failed:
        print(f"\nThe independent reader failed, dangvu read ({len(failed)}):")
        for r in failed:
            print(f"- {r.file}  [{r.format} {r.producer}] {r.reason}; dangvu {r.ours_tokens} syllables, "
                  f"inv {r.ours_invalid:.1%}")


def summary(results: list[Result]) -> dict:
    out = {"bench": "real_documents", "machine": machine(), "files": len(results)}
    for fmt in FORMATS:
        group = [r for r in results if r.format == fmt]
        if group:
            count = collections.Counter(r.verdict for r in group)
            ours, theirs = _mean(r.ours_seconds for r in group), _mean(r.reader_seconds for r in group)
            out[fmt[1:]] = {"files": len(group), "right": count["right"], "wrong": count["wrong"],
                            "refused": count["refused"], "other": count["other"],
                            "u_horn": sum(1 for r in group if r.u_horn), "poor": sum(r.poor for r in group),
                            "dangvu_s": round(ours, 4), "reader_s": round(theirs, 4),
                            "ratio": round(ours / theirs, 2) if theirs else None}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="where the collection lives")
    parser.add_argument("--collect", nargs="+", type=Path, metavar="GIT_DIR", help="add these snapshots' documents")
    parser.add_argument("--per-producer", type=int, default=40, help="with --collect: files of one format and producer")
    parser.add_argument("--rebuild", action="store_true", help="the collection again from the origins list")
    parser.add_argument("--limit", type=int, help="only the first N files")
    parser.add_argument("--only", help="only files whose path matches this regular expression")
    parser.add_argument("--results", type=Path, help="write every file's result here as JSON")
    args = parser.parse_args()
    if args.collect:
        collect(args.collect, args.root, args.per_producer)
        return
    if args.rebuild:
        rebuild(args.root)
        return
    import dangvu

    print(machine())
    print(f"dangvu from {Path(dangvu.__file__).parent}")
    results = run_bench(args.root, args.limit, args.only)
    print()
    print_table(results)
    print_files(results)
    if args.results:
        args.results.write_text(json.dumps([r.__dict__ for r in results], ensure_ascii=False, indent=1),
                                encoding="utf-8")
    print(json.dumps(summary(results), ensure_ascii=False))


if __name__ == "__main__":
    main()
