"""LibreOffice headless, for converting between office formats (old .doc in, PDF out).

A file handed in by a member is hostile input for the converter. Each conversion runs:
- in a fresh temporary directory with its own user profile (two at once never share a lock),
  whose settings refuse to load linked content;
- with no network: in a network namespace of its own (`unshare --net`, where the kernel lets
  an unprivileged process make one), so a linked image or object can reach no address, not
  even this machine's;
- with limits: CPU seconds, the size of files it writes, and a wall-clock time for each file
  after which the whole process group is killed (soffice starts children of its own).

Many files are converted by one start (`converted`): LibreOffice's start costs a second or more,
a small .doc a few hundredths. It converts the files one after another, so a file that hangs
holds up the rest: that file is refused alone, and the files after it go on in a new start.
No Django here: the essay engine uses it."""

import functools
import os
import re
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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
    with converted([data], source_ext, target_ext, timeout=timeout) as done:
        output = done.outputs[0]
        return output.read_bytes() if output else None


@dataclass
class Conversions:
    outputs: list[Path | None]  # each source's converted file, None where it failed or ran out of time
    starts: int  # LibreOffice processes started for them


@contextmanager
def converted(sources: Sequence[bytes | Path], source_ext: str, target: str, *, timeout: float,
              startup: float = 0) -> Iterator[Conversions]:
    """Every source (bytes, or a file copied as it is) converted to `target` ("docx", or a filter
    as "doc:MS Word 97"), in as few LibreOffice starts as the files allow: one, unless a file
    takes more than `timeout` seconds (it is refused, the rest go on in a new start) or
    LibreOffice stops before the end. The first file of a start has `startup` seconds more.
    The outputs lie in a temporary folder that lasts as long as the context."""
    with tempfile.TemporaryDirectory(prefix="dangvu-office-") as tmp:
        inputs, out = Path(tmp) / "in", Path(tmp) / "out"
        inputs.mkdir()
        out.mkdir()
        files = []
        for index, source in enumerate(sources):
            file = inputs / f"{index}.{source_ext}"  # a plain name: a member's file name is never an argument
            if isinstance(source, bytes):
                file.write_bytes(source)
            else:
                shutil.copyfile(source, file)
            files.append(file)
        batch = _Batch(out, target.split(":", 1)[0])
        office, starts, pending = office_binary(), 0, files
        while pending and office is not None:
            starts += 1
            profile = Path(tmp) / f"profile-{starts}"  # a fresh profile for each start
            pending = batch.one_start(office, profile, target, pending, timeout, startup)
        yield Conversions([batch.output(file) if batch.done(file) else None for file in files], starts)


_CONVERTING = re.compile(rb"^convert (.+?) -> ")  # printed once a file is loaded, before it is saved


@dataclass
class _Batch:
    out: Path
    suffix: str

    def output(self, file: Path) -> Path:
        return self.out / f"{file.stem}.{self.suffix}"

    def done(self, file: Path) -> bool:
        """Saved whole: LibreOffice writes the output while its lock file stands."""
        return self.output(file).exists() and not (self.out / f".~lock.{file.stem}.{self.suffix}#").exists()

    def one_start(self, office: str, profile: Path, target: str, pending: list[Path], timeout: float,
                  startup: float) -> list[Path]:
        """Converts `pending` by one LibreOffice; the files left for another start.

        Progress is read from LibreOffice's lines (merged stdout and stderr: "convert A -> B"
        once A is loaded, an "Error:" line for a file it could not load or save) and from the
        outputs as they are saved. Past a file's time the process group is killed and that file
        refused; a start that ends before the end hands on the files it did not reach, and one
        that reached none refuses its first (LibreOffice dies on it)."""
        user = profile / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")
        cpu = int(timeout * len(pending) + startup) + 5
        command = [*limits_prefix(cpu), *no_network_prefix(), office, f"-env:UserInstallation=file://{profile}",
                   "--headless", "--norestore", "--nolockcheck", "--convert-to", target,
                   "--outdir", str(self.out), *map(str, pending)]
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        except OSError:
            return []
        position = 0  # pending[position] is the file being converted now
        deadline = time.monotonic() + startup + timeout
        order = {file.stem: n for n, file in enumerate(pending)}
        with process, selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            lines, ended = _Lines(process.stdout.fileno()), False
            while not ended:
                ready = selector.select(timeout=max(0.0, min(0.05, deadline - time.monotonic())))
                ended = bool(ready) and not lines.read()
                before = position
                for line in [b"", *lines.take()]:
                    while position < len(pending) and self.done(pending[position]):
                        position += 1
                    loaded = _CONVERTING.match(line)
                    if loaded:  # the files before it are over, saved or not
                        position = max(position, order.get(Path(os.fsdecode(loaded.group(1))).stem, position))
                    elif line.startswith(b"Error:") and position < len(pending):
                        position += 1  # the file at hand was not loaded or not saved
                if position != before:
                    deadline = time.monotonic() + timeout
                elif not ended and time.monotonic() > deadline:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                    return pending[position + 1:]  # pending[position] is refused
            try:
                process.wait(timeout=max(timeout, 1))
            except subprocess.TimeoutExpired:  # the pipe closed, the process not ended: killed all the same
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        left = [file for file in pending[position:] if not self.done(file)]
        return left[1:] if position == 0 and left == pending else left


class _Lines:
    """Whole lines read from a pipe as they come."""

    def __init__(self, fd: int):
        self.fd, self.buffer, self.lines = fd, b"", []

    def read(self) -> bool:
        """False at the end of the stream."""
        chunk = os.read(self.fd, 65536)
        *whole, self.buffer = (self.buffer + chunk).split(b"\n")
        self.lines += whole
        if not chunk and self.buffer:
            self.lines.append(self.buffer)
            self.buffer = b""
        return bool(chunk)

    def take(self) -> list[bytes]:
        lines, self.lines = self.lines, []
        return lines
