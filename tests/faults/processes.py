"""Real processes for the fault tests: the task worker, an application server (gunicorn) and a
PostgreSQL of the test's own, started, held inside their work by a table lock, killed, and
looked at the way an operator's server would be. Nothing here mocks: a test waits for a real
process to reach a real state, with a deadline."""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import requests
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SECRET = "test-only-" + "f" * 40


def wait_for(predicate, seconds: float = 20.0, every: float = 0.05):
    """The predicate's first true value, polled until the deadline; its last value after it."""
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(every)


# --- the test database, seen from outside the test's connection -----------------------------

def db_params() -> dict:
    db = connection.settings_dict
    return {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or "5432", "dbname": db["NAME"],
            "user": db["USER"], "password": db["PASSWORD"] or None}


def pg(**params) -> psycopg.Connection:
    return psycopg.connect(**(params or db_params()), autocommit=True)


class TableLock:
    """A table locked from a connection of its own until `release()`: whoever writes (or, in
    ACCESS EXCLUSIVE mode, reads) it waits inside their transaction."""

    def __init__(self, table: str, mode: str = "EXCLUSIVE"):
        self.table, self.mode = table, mode

    def __enter__(self):
        self.holder = psycopg.connect(**db_params())
        self.holder.execute(f'LOCK TABLE "{self.table}" IN {self.mode} MODE')
        self.watcher = pg()
        return self

    def waiting(self) -> int | None:
        """The backend (pid) waiting for this lock, once one is."""
        row = self.watcher.execute(
            "SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = %s AND NOT l.granted AND l.database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database())", [self.table]).fetchone()
        return row[0] if row else None

    def release(self) -> None:
        if not self.holder.closed:
            self.holder.rollback()
            self.holder.close()

    def backend_gone(self, pid: int) -> bool:
        """The backend ended, its transaction with it (rolled back: its client never committed)."""
        return self.watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()[0] == 0

    def __exit__(self, *exc):
        self.release()
        self.watcher.close()


# --- processes -------------------------------------------------------------------------------

def children(pid: int) -> list[int]:
    """Processes whose parent is `pid`, read from /proc (psutil may not be installed)."""
    found = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(Path(stat).parent.name))
    return found


def ended(pid: int) -> bool:
    """The process is gone, or dead and waiting to be reaped (a zombie)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(var_dir: Path, **extra) -> dict:
    """The environment of a dangvu process on the test database (files under `var_dir`)."""
    db = db_params()
    env = dict(os.environ, DB="postgres", PGHOST=db["host"], PGPORT=str(db["port"]), PGDATABASE=db["dbname"],
               PGUSER=db["user"], DANGVU_VAR_DIR=str(var_dir), SECRET_KEY=SECRET, ALLOWED_HOSTS="127.0.0.1")
    env.pop("PGTESTDATABASE", None)
    if db["password"]:
        env["PGPASSWORD"] = db["password"]
    env.update({k: str(v) for k, v in extra.items()})
    return env


def start_worker(var_dir: Path) -> subprocess.Popen:
    """A real task worker (`dangvu db_worker`) beating every 0.2 s."""
    with (Path(var_dir) / "worker.log").open("ab") as log:  # read when a test fails
        return subprocess.Popen([sys.executable, "-m", "dangvu", "db_worker", "--no-startup-delay", "--interval",
                                 "0.2"], env=app_env(var_dir, JOB_HEARTBEAT_SECONDS=0.2), cwd=ROOT,
                                stdout=log, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(10)


def server_password(user, password: str) -> None:
    """A password the application server checks with its own hashers (the tests hash with MD5,
    which it does not know): PBKDF2, cheap."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(password, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])


class AppServer:
    """gunicorn serving dangvu with one sync worker, as a committee's server runs it."""

    def __init__(self, var_dir: Path, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(var_dir) / "gunicorn.log"
        self.env = env if "DB" in env else app_env(var_dir, **env)

    def __enter__(self):
        Path(self.env["DANGVU_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.master = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "dangvu.wsgi:application", "-b", f"127.0.0.1:{self.port}",
                 "-w", "1", "--timeout", "60", "--graceful-timeout", "2"],
                env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        if not wait_for(self._answers, 30):
            self.__exit__()
            raise AssertionError("gunicorn did not start:\n" + self.log_tail())
        return self

    def _answers(self) -> bool:
        if self.master.poll() is not None:
            raise AssertionError("gunicorn stopped:\n" + self.log_tail())
        try:
            return requests.get(self.url + "/login/", timeout=5).status_code == 200
        except requests.ConnectionError:
            return False

    def worker_pid(self) -> int:
        workers = children(self.master.pid)
        assert len(workers) == 1, workers
        return workers[0]

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def __exit__(self, *exc):
        if self.master.poll() is None:
            self.master.terminate()
            try:
                self.master.wait(10)
            except subprocess.TimeoutExpired:
                self.master.kill()
                self.master.wait(10)


def login(url: str, username: str, password: str) -> requests.Session:
    """A real browser's way in: the login page's CSRF token, then the form."""
    client = requests.Session()
    page = client.get(url + "/login/", timeout=10)
    token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    answer = client.post(url + "/login/", data={"csrfmiddlewaretoken": token, "username": username,
                                                 "password": password}, allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text[:2000]
    return client


def csrf(client: requests.Session) -> dict:
    """The form field a POST carries (the cookie's token, rotated at login)."""
    return {"csrfmiddlewaretoken": client.cookies["csrftoken"]}


# --- a PostgreSQL of the test's own ----------------------------------------------------------

def postgres_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PrivateCluster:
    """A throwaway PostgreSQL in a temporary folder, on a port of its own: restarted by the test,
    never the machine's. PostgreSQL refuses to run as root: as root (CI) it runs as the
    postgres user, through runuser."""

    # fsync guards against the machine losing power, which no test here does: a restart, fast or
    # not, keeps every committed transaction without it (the shutdown writes them out), and the
    # migrations run in seconds instead of tens of seconds on a busy disk
    SPEED = "-c fsync=off -c full_page_writes=off"

    def __init__(self):
        self.bin = postgres_binaries()
        self.port = free_port()
        self.as_user: list[str] = []
        self.owner = None
        if os.geteuid() == 0:
            try:
                self.owner = pwd.getpwnam("postgres")
            except KeyError:
                self.owner = None
            runuser = shutil.which("runuser")
            self.as_user = [runuser, "-u", "postgres", "--"] if runuser and self.owner else []

    def unavailable(self) -> str | None:
        """Why no cluster can be made here (None: it can)."""
        if self.bin is None:
            return "PostgreSQL's server programs (initdb, pg_ctl) are not installed"
        if os.geteuid() == 0 and not self.as_user:
            return "running as root without a postgres user and runuser: PostgreSQL refuses to run as root"
        return None

    def _run(self, *args, timeout: float = 60) -> None:
        subprocess.run([*self.as_user, *args], check=True, timeout=timeout, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, cwd=self.dir)  # a folder the postgres user may enter

    def __enter__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="dangvu-pg-"))
        if self.owner is not None:
            os.chown(self.dir, self.owner.pw_uid, self.owner.pw_gid)
        self.data = self.dir / "data"
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        self.start()
        return self

    def _pg_ctl(self, action: str, *extra: str) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-t", "30",
                  "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 {self.SPEED}", *extra, action)

    def start(self) -> None:
        self._pg_ctl("start")

    def restart(self) -> None:
        """A fast restart: sessions are cut, open transactions rolled back, committed ones kept."""
        self._pg_ctl("restart", "-m", "fast")

    def copy_of(self, params: dict) -> None:
        """The database `params` names (schema and rows), copied into this cluster's `postgres`:
        the test database is migrated already, and copying it takes a second where migrating
        an empty one takes ten or more."""
        source = ["-h", str(params["host"]), "-p", str(params["port"]), "-U", params["user"]]
        target = ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        env = dict(os.environ, PGPASSWORD=params.get("password") or "")
        dump = subprocess.run([str(self.bin / "pg_dump"), *source, "--no-owner", "--no-privileges", params["dbname"]],
                              check=True, capture_output=True, timeout=60, env=env).stdout
        subprocess.run([str(self.bin / "psql"), *target, "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres"],
                       input=dump, check=True, capture_output=True, timeout=60)

    def params(self) -> dict:
        return {"host": "127.0.0.1", "port": self.port, "dbname": "postgres", "user": "postgres"}

    def env(self, var_dir: Path, **extra) -> dict:
        env = dict(os.environ, DB="postgres", PGHOST="127.0.0.1", PGPORT=str(self.port), PGDATABASE="postgres",
                   PGUSER="postgres", DANGVU_VAR_DIR=str(var_dir), SECRET_KEY=SECRET, ALLOWED_HOSTS="127.0.0.1")
        for name in ("PGPASSWORD", "PGTESTDATABASE", "DATABASE_URL"):
            env.pop(name, None)
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def __exit__(self, *exc):
        try:
            self._pg_ctl("stop", "-m", "immediate")
        except subprocess.SubprocessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)
