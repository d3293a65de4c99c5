"""Facts that cannot be, found and repaired once (issue 22): a mark at a session held on a day
the member did not take part in its campaign (before their admission, after they left, in
another unit) is removed, since the attendance service now refuses it; essays handed in
before the writer took part are listed on the console for the office to look at (an essay
is a member's work and is kept)."""

import datetime

from django.db import migrations
from django.utils import timezone


def repair(apps, schema_editor):
    from dangvu.study.participation import participation_sql

    Attendance = apps.get_model("study", "Attendance")
    Essay = apps.get_model("essays", "Essay")
    rule, params = participation_sql(("SELECT id FROM study_campaign", []))
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT a.id FROM study_attendance a JOIN study_studysession s ON s.id = a.session_id "
            f"JOIN ({rule}) p ON p.campaign_id = s.campaign_id AND p.member_id = a.member_id "
            "WHERE p.first_day <= s.held_on AND s.held_on <= p.last_day AND (p.until IS NULL OR s.held_on < p.until)",
            params)
        possible = {row[0] for row in cursor.fetchall()}
        cursor.execute(f"SELECT p.campaign_id, p.member_id, MIN(p.first_day) FROM ({rule}) p "
                       "GROUP BY p.campaign_id, p.member_id", params)
        first = {(c, m): d if isinstance(d, datetime.date) else datetime.date.fromisoformat(d)
                 for c, m, d in cursor.fetchall()}
    impossible = [pk for pk in Attendance.objects.values_list("pk", flat=True).iterator(chunk_size=20000)
                  if pk not in possible]
    for n in range(0, len(impossible), 5000):
        Attendance.objects.filter(pk__in=impossible[n:n + 5000]).delete()
    early = [pk for pk, c, m, at in Essay.objects.values_list("pk", "campaign_id", "member_id", "submitted_at")
             .iterator(chunk_size=20000) if (c, m) in first and timezone.localtime(at).date() < first[(c, m)]]
    if impossible or early:
        print(f"\n  Attendance marks on days the member did not take part, removed: {len(impossible)}."
              f"\n  Essays handed in before the writer took part (kept; ids): {len(early)} {early[:50]}")


class Migration(migrations.Migration):

    dependencies = [("study", "0007_essays_moved_out"), ("essays", "0001_initial"), ("orgs", "0005_placements_backfill")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
