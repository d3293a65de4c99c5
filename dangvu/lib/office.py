"""LibreOffice headless, for converting between office formats (old .doc in, PDF out).

A file handed in by a member is hostile input for the converter. Each conversion runs:
- in a fresh temporary directory with its own user profile (two at once never share a lock),
  whose settings refuse to load linked content;
- with no network: in a network namespace of its own (`unshare --net`, where the kernel lets
  an unprivileged process make one), so a linked image or object can reach no address, not
  even this machine's;
- with limits: CPU seconds, the size of files it writes, and a wall-clock timeout after which
  the whole process group is killed (soffice starts children of its own).
No Django here: the essay engine uses it."""

import functools
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

MAX_OUTPUT_BYTES = 512 * 1024 * 1024

# the user profile's settings: linked images and objects from anywhere are not loaded
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def office_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@functools.cache
def no_network_prefix() -> tuple[str, ...]:
    """The command prefix that runs a process without network, or () where this machine
    cannot make a network namespace (then the profile's settings are the only guard)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    for prefix in ((unshare, "--net", "--map-root-user"), (unshare, "--net")):
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0:
                return prefix
        except (OSError, subprocess.TimeoutExpired):
            continue
    return ()


def limits_prefix(cpu_seconds: int) -> tuple[str, ...]:
    """CPU seconds and the size of files written, set by prlimit (util-linux) on the command
    itself: a pre-exec hook in Python is not safe beside the worker's heartbeat thread."""
    prlimit = shutil.which("prlimit")
    return (prlimit, f"--cpu={cpu_seconds}", f"--fsize={MAX_OUTPUT_BYTES}", "--") if prlimit else ()


def convert(data: bytes, source_ext: str, target_ext: str, *, timeout: float = 120) -> bytes | None:
    """The converted file's bytes; None when LibreOffice is missing, failed or ran out of time."""
    office = office_binary()
    if office is None:
        return None
    with tempfile.TemporaryDirectory(prefix="dangvu-office-") as tmp:
        source = Path(tmp) / f"input.{source_ext}"
        source.write_bytes(data)
        user = Path(tmp) / "profile" / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")
        command = [*limits_prefix(int(timeout) + 5), *no_network_prefix(), office, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", target_ext, "--outdir", tmp, str(source)]
        try:
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       start_new_session=True)
        except OSError:
            return None
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return None
        converted = Path(tmp) / f"input.{target_ext}"
        return converted.read_bytes() if converted.exists() else None
