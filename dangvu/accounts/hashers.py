"""Argon2 with a cap on how many hashes run at once.

One Argon2 hash takes about 100 MiB for a moment; sixteen wrong passwords sent in
parallel took the web process to 1.7 GB. Past the cap a login waits its turn
(the lockout stops the guessing itself; this stops the memory)."""

import threading

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

_slots = threading.BoundedSemaphore(getattr(settings, "PASSWORD_HASHES_AT_ONCE", 2))


class BoundedArgon2PasswordHasher(Argon2PasswordHasher):
    # the same algorithm name: hashes already stored stay valid
    algorithm = "argon2"

    def encode(self, password, salt):
        with _slots:
            return super().encode(password, salt)

    def verify(self, password, encoded):
        with _slots:
            return super().verify(password, encoded)
