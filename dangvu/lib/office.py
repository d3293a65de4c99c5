"""LibreOffice headless, for converting between office formats (old .doc in, PDF out).

Each conversion runs in a fresh temporary directory with its own user profile (so that
two at once never share a lock) and a time limit. No Django here: the essay engine uses it."""

import shutil
import subprocess
import tempfile
from pathlib import Path


def office_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, source_ext: str, target_ext: str, *, timeout: float = 120) -> bytes | None:
    """The converted file's bytes; None when LibreOffice is missing, failed or ran out of time."""
    office = office_binary()
    if office is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"input.{source_ext}"
        source.write_bytes(data)
        try:
            subprocess.run([office, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                            "--convert-to", target_ext, "--outdir", tmp, str(source)],
                           capture_output=True, timeout=timeout, check=False)
        except (subprocess.TimeoutExpired, OSError):
            return None
        converted = Path(tmp) / f"input.{target_ext}"
        return converted.read_bytes() if converted.exists() else None
