"""Figures kept between requests, and never once the rows they count have changed.

A province's figures take seconds to count from a million rows; its pages ask for the same
figures again and again between two changes. Every statement that writes to a table other
than the ones figures never read (sessions, jobs, audit, reports, progress counters) raises
the data version when its transaction commits; a kept figure is used only under the version
it was computed at. The version is raised after the commit, so a reader that sees the new
version also sees the new rows. Within a transaction that has written and not yet committed,
nothing is read from or kept in the cache: its own changes are not yet in the version.
Changes made outside dangvu (psql, a restore) need `dangvu refresh_figures`.
"""

import functools
import re
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.dispatch import Signal, receiver
from django.utils import timezone

KEEP_SECONDS = 24 * 3600
changed = Signal()  # sent after the version was raised (figures/warm.py counts the top units again)
TABLE = "figures_dataversion"
# Written often and never counted: a write here says nothing about any figure.
_IGNORED = re.compile(r"^(django_|figures_|jobs_|audit_|reports_|accounts_|auth_|axes_|otp_|orgs_importjob$|"
                      r"study_integrityscan$|documents_numbercounter$)")
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "TRUNCATE", "MERGE")
_TARGET = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+"?(\w+)"?',
                     re.I)


def _writes_counted_rows(sql: str) -> bool:
    if not sql.lstrip()[:10].upper().startswith(_WRITES):
        return False  # reads, transactions, and schema changes (migrations mark the change once after)
    table = _TARGET.match(sql)
    return not (table and _IGNORED.match(table.group(1).lower()))


_migrating = False


@receiver(pre_migrate)
def _pause(sender, **kwargs) -> None:
    """While migrating, the version table may not exist yet: the change is marked once after."""
    global _migrating
    _migrating = True


@receiver(post_migrate)
def _resume(sender, using="default", **kwargs) -> None:
    """Sent once per app after every migration ran: the version is raised once, for the figures app."""
    global _migrating
    _migrating = False
    connection = connections[using]
    if sender.label == "figures" and TABLE in connection.introspection.table_names():
        _raise_version(connection)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if not _migrating and isinstance(sql, str) and _writes_counted_rows(sql):
        _changed(context["connection"])
    return result


def _changed(connection) -> None:
    if not connection.in_atomic_block:
        _raise_version(connection)
    elif not _pending(connection):
        connection.on_commit(connection._figures_raise)


def _pending(connection) -> bool:
    """This connection wrote in the transaction now open (its raise waits for the commit)."""
    bump = getattr(connection, "_figures_raise", None)
    return any(entry[1] is bump for entry in connection.run_on_commit)


def _raise_version(connection) -> None:
    """After a commit or outside a transaction: a failure here (the table not created yet)
    cannot undo a change; it leaves the cache unused until the table exists (version() None)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET number = number + 1 WHERE id = 1")
            if cursor.rowcount == 0:  # a database emptied by hand (or by a test's flush)
                cursor.execute(f"INSERT INTO {TABLE} (id, number, epoch) VALUES (1, 1, %s)", [secrets.token_hex(8)])
    except DatabaseError:
        if connection.in_atomic_block:
            raise
        return
    changed.send(sender=None)


@receiver(connection_created)
def install(sender, connection, **kwargs) -> None:
    """Watch the connection's writes (on connecting, and at start-up for those already made)."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)
        connection._figures_raise = functools.partial(_raise_version, connection)


def version(using: str = "default") -> tuple[str, int] | None:
    """(epoch, number) of the rows as this connection sees them; None when the cache must not
    be used (switched off, no version row yet, or changes of this transaction not committed)."""
    if not getattr(settings, "FIGURE_CACHE", True):
        return None
    connection = connections[using]
    connection.ensure_connection()
    if connection.in_atomic_block and _pending(connection):
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT epoch, number FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def remembered(parts: tuple, compute: Callable, current: tuple[str, int] | None):
    """compute(), or what it returned before under the same parts and data version (`current`,
    from version(): None computes)."""
    if current is None:
        return compute()
    key = "figures:" + ":".join(map(str, (*current, timezone.localdate(), *parts)))
    key = key if len(key) < 200 else "figures:" + _digest(key)
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, KEEP_SECONDS)
    return found


def _digest(text: str) -> str:
    import hashlib

    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def refresh() -> int:
    """Forget every kept figure (after changes made outside dangvu): the new version number."""
    connection = connections["default"]
    connection.ensure_connection()
    _raise_version(connection)
    return version()[1]
