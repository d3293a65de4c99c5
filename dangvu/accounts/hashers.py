"""Argon2id at OWASP's cost, with a cap on how many hashes run at once.

Django's own Argon2 cost (100 MiB, 2 passes, 8 lanes) made 220 members logging in within a
minute saturate two cores for that minute (docs/benchmarks.md). The Password Storage Cheat
Sheet's second configuration, 19 MiB and 2 passes on one lane, is ~5× cheaper and still
memory-hard; stored hashes of another cost are re-hashed at their next login (Django's
`must_update`). Past the cap a login waits its turn (the lockout stops the guessing itself;
this stops the memory). The cost is a setting (ARGON2_*), measured by bench/password_hash.py."""

import threading

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

_slots = threading.BoundedSemaphore(settings.PASSWORD_HASHES_AT_ONCE)


class BoundedArgon2PasswordHasher(Argon2PasswordHasher):
    # the same algorithm name: hashes already stored stay valid
    algorithm = "argon2"
    time_cost = settings.ARGON2_TIME_COST
    memory_cost = settings.ARGON2_MEMORY_KIB
    parallelism = settings.ARGON2_PARALLELISM

    def encode(self, password, salt):
        with _slots:
            return super().encode(password, salt)

    def verify(self, password, encoded):
        with _slots:
            return super().verify(password, encoded)
