"""The password hasher: Argon2id at the cost the settings name (OWASP's by default), and a password
stored at Django's heavier cost still accepted, then re-hashed at the lighter one when its owner
logs in."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password

from dangvu.accounts.hashers import BoundedArgon2PasswordHasher


def test_hashes_at_the_configured_cost(settings):
    encoded = BoundedArgon2PasswordHasher().encode("một mật khẩu dài", "saltsaltsalt")
    assert encoded.split("$")[2:4] == ["v=19", f"m={settings.ARGON2_MEMORY_KIB},t={settings.ARGON2_TIME_COST},"
                                                f"p={settings.ARGON2_PARALLELISM}"]
    assert encoded.split("$")[3] == "m=19456,t=2,p=1"
    assert BoundedArgon2PasswordHasher().verify("một mật khẩu dài", encoded)
    assert not BoundedArgon2PasswordHasher().verify("mật khẩu khác", encoded)


@pytest.mark.django_db
def test_a_password_stored_at_djangos_cost_is_rehashed_at_login(settings):
    settings.PASSWORD_HASHERS = ["dangvu.accounts.hashers.BoundedArgon2PasswordHasher"]
    heavy = Argon2PasswordHasher().encode("một mật khẩu dài", "saltsaltsalt")
    assert "m=102400,t=2,p=8" in heavy
    user = get_user_model().objects.create(username="cu", password=heavy)
    assert user.check_password("một mật khẩu dài")  # what the login backend calls
    user.refresh_from_db()
    assert user.password.split("$")[3] == "m=19456,t=2,p=1"
    assert check_password("một mật khẩu dài", user.password)
