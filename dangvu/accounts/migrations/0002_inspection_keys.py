"""Teams that could read everything keep reading everything now that inspections have a
key of their own; teams that held every key keep holding every key."""

from django.db import migrations

OLD_READ = {"units:read", "members:read", "audit:read", "documents:read", "study:read"}
OLD_FULL = OLD_READ | {"units:write", "members:write", "members:import", "documents:write", "study:write",
                       "essays:review", "access:manage", "targets:write"}


def forwards(apps, schema_editor):
    Team = apps.get_model("accounts", "Team")
    for team in Team.objects.all():
        keys = set(team.permissions)
        if OLD_READ <= keys:
            keys.add("inspections:read")
        if OLD_FULL <= keys:
            keys.add("inspections:write")
        if keys != set(team.permissions):
            team.permissions = sorted(keys)
            team.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
