"""Formats slow to read for their size are refused past a size no essay reaches, naming the file
(issue 24: a 15 MB RTF took 44 s of a member's request)."""

import pytest
from django.core.exceptions import ValidationError

from dangvu.lib.files import MAX_BYTES, extract_text


def test_a_huge_rtf_is_refused_at_once_naming_the_file():
    data = b"{\\rtf1\\ansi " + b"a" * MAX_BYTES[".rtf"] + b"}"
    with pytest.raises(ValidationError) as refused:
        extract_text("bai-thu-hoach.rtf", data)
    assert "bai-thu-hoach.rtf" in str(refused.value) and "5 MB" in str(refused.value)


def test_an_rtf_under_the_limit_is_read():
    assert extract_text("bai.rtf", b"{\\rtf1\\ansi H\\'ecc t\\'e2p}") != ""
