"""`dangvu housekeeping --once`: the files no record names, older than an hour, are swept;
the files of records, and a file being uploaded right now, stay."""

import os
import time
from pathlib import Path

from django.core.management import call_command

from dangvu.essays import services as essay_services


def test_stray_files_go_and_the_files_of_records_stay(org, campaign, settings, capsys):
    essay = essay_services.essay_submit(actor=None, campaign=campaign, member=org.mem_member,
                                        file_name="bai.txt", data="Bài thu hoạch của tôi về nghị quyết.".encode())
    media = Path(settings.MEDIA_ROOT)
    kept = media / essay.file.name
    stray = media / "essays" / "2026" / "left-by-a-killed-request.docx"
    recent = media / "documents" / "2026" / "being-uploaded.pdf.part"
    for path in (stray, recent):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    for path in (stray, kept):
        os.utime(path, (two_hours_ago, two_hours_ago))
    call_command("housekeeping", "--once")
    assert (kept.exists(), stray.exists(), recent.exists()) == (True, False, True)
    assert "Đã xóa 1 tệp" in capsys.readouterr().out
