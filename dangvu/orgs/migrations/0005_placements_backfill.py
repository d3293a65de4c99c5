"""Every unit's placement in the tree, as it stands (the history before this migration was
not kept: a merge already made moved its sub-units' paths), and the database's guards that
no two placements of a unit, nor two stretches of a member, overlap."""

import datetime

from django.db import migrations

STEP = 4
EARLIEST = datetime.date(1930, 2, 3)  # a unit's first placement reaches back before its founding date

_OVERLAP = {
    "placement": ("orgs_unitplacement", "unit_id"),
    "span": ("orgs_memberspan", "member_id"),
}


def backfill(apps, schema_editor):
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    UnitPlacement = apps.get_model("orgs", "UnitPlacement")
    ids = dict(OrgUnit.objects.values_list("path", "id"))
    UnitPlacement.objects.bulk_create(
        (UnitPlacement(unit_id=u.id, path=u.path, parent_id=ids.get(u.path[:-STEP]), kind=u.kind,
                       has_committee=u.has_committee, start=EARLIEST,
                       end=u.valid_to + datetime.timedelta(days=1) if u.valid_to else None)
         for u in OrgUnit.objects.order_by("path").iterator(chunk_size=5000)),
        batch_size=2000)


def guards(apps, schema_editor):
    """PostgreSQL: exclusion constraints. SQLite: triggers that refuse the same."""
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run("CREATE EXTENSION IF NOT EXISTS btree_gist")
        for name, (table, owner) in _OVERLAP.items():
            run(f'ALTER TABLE {table} ADD CONSTRAINT {name}s_do_not_overlap EXCLUDE USING gist '
                f'({owner} WITH =, daterange(start, "end", \'[)\') WITH &&)')
    elif schema_editor.connection.vendor == "sqlite":
        for name, (table, owner) in _OVERLAP.items():
            clash = (f'EXISTS (SELECT 1 FROM {table} o WHERE o.{owner} = NEW.{owner} AND o.id IS NOT NEW.id '
                     f'AND (o."end" IS NULL OR o."end" > NEW.start) AND (NEW."end" IS NULL OR NEW."end" > o.start) '
                     f'AND NEW."end" IS NOT NEW.start AND o."end" IS NOT o.start)')
            for event in ("INSERT", 'UPDATE OF start, "end", ' + owner):
                trigger = f"{name}s_do_not_overlap_{event.split()[0].lower()}"
                run(f"CREATE TRIGGER {trigger} BEFORE {event} ON {table} WHEN {clash} "
                    f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}s_do_not_overlap'); END")


def drop_guards(apps, schema_editor):
    run = schema_editor.execute
    for name, (table, _owner) in _OVERLAP.items():
        if schema_editor.connection.vendor == "postgresql":
            run(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}s_do_not_overlap")
        elif schema_editor.connection.vendor == "sqlite":
            for event in ("insert", "update"):
                run(f"DROP TRIGGER IF EXISTS {name}s_do_not_overlap_{event}")


class Migration(migrations.Migration):

    dependencies = [("orgs", "0004_unit_placements")]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(guards, drop_guards),
    ]
