"""What a login's password check costs, and how long a crowd of logins arriving at once waits.

The day load of issue 28 has 220 members logging in within the same minute; with Django's own
Argon2 cost (100 MiB, 2 passes, 8 lanes) that minute saturated both cores (docs/benchmarks.md).
dangvu hashes at OWASP's cost (19 MiB, 2 passes, 1 lane: dangvu/accounts/hashers.py). This bench
verifies the same passwords both ways in the same run: one check alone (median of --repeat),
then --crowd checks started at once through the web process's cap of PASSWORD_HASHES_AT_ONCE
threads (the last one's wait is what the last member to arrive sees).

    python bench/password_hash.py --crowd 220

Prints the machine and the ratios Django ÷ dangvu. Not a test.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")

import django  # noqa: E402

django.setup()

from common import machine  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import Argon2PasswordHasher  # noqa: E402

from dangvu.accounts.hashers import BoundedArgon2PasswordHasher  # noqa: E402


def one_check(hasher, encoded: str, password: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        assert hasher.verify(password, encoded)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def crowd(hasher, encoded: str, password: str, n: int, at_once: int) -> list[float]:
    """n checks submitted together to a pool the size of the web process's cap; each one's time
    from arrival to answer."""
    slots = threading.BoundedSemaphore(at_once)
    arrived = time.perf_counter()

    def check(_):
        with slots:
            assert hasher.verify(password, encoded)
        return time.perf_counter() - arrived

    with ThreadPoolExecutor(max_workers=min(n, 64)) as pool:
        return sorted(pool.map(check, range(n)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crowd", type=int, default=220)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    password = "Mật-khẩu-đủ-dài-2026"
    at_once = settings.PASSWORD_HASHES_AT_ONCE
    print(machine())
    print(f"{args.crowd} logins at once, at most {at_once} checks at a time (PASSWORD_HASHES_AT_ONCE)")
    rows = []
    for name, hasher in (("Django's Argon2", Argon2PasswordHasher()), ("dangvu (OWASP)", BoundedArgon2PasswordHasher())):
        encoded = hasher.encode(password, hasher.salt())
        params = encoded.split("$")[3]
        alone = one_check(hasher, encoded, password, args.repeat)
        waits = crowd(hasher, encoded, password, args.crowd, at_once)
        p50, p95 = waits[len(waits) // 2], waits[int(len(waits) * 0.95) - 1]
        rows.append((name, params, alone, p50, p95, waits[-1]))
    print(f"{'hasher':<18}{'cost':<22}{'one check':>11}{'crowd p50':>11}{'crowd p95':>11}{'last':>9}")
    for name, params, alone, p50, p95, last in rows:
        print(f"{name:<18}{params:<22}{alone * 1000:>9.0f} ms{p50:>9.1f} s{p95:>9.1f} s{last:>7.1f} s")
    (_, _, a0, m0, p0, l0), (_, _, a1, m1, p1, l1) = rows
    print(f"ratio Django ÷ dangvu: one check {a0 / a1:.1f}×, crowd p50 {m0 / m1:.1f}×, p95 {p0 / p1:.1f}×, "
          f"last {l0 / l1:.1f}×")


if __name__ == "__main__":
    main()
