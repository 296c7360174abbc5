"""Where the sockets' database work runs.

Channels' `database_sync_to_async` runs all database work of a process in one thread, one call after another.
With thousands of sockets, that thread was the live engine's ceiling (docs/performance.md): while it waited on
PostgreSQL for one socket, every other socket's connect, message and renewal queued behind it.

On PostgreSQL, `in_db_thread()` runs the work on a small pool of threads instead (DB_THREADS, each taking a
connection from the process's connection pool for the length of one call and giving it back after), so one
socket's wait on the database no longer holds up the others. Each call is still one unit: a socket's own calls
stay in order, since a socket awaits each before the next, and the services were written for concurrent callers
(versioned conditional updates, row locks), as they must be with several server processes anyway.

On SQLite (the embedded default: one writer at a time) the work stays on Channels' single thread.
"""

from concurrent.futures import ThreadPoolExecutor

from channels.db import DatabaseSyncToAsync, database_sync_to_async
from django.conf import settings

DB_THREADS = 8  # below DATABASE_POOL_MAX (20 by default): HTTP requests take connections too

_executor = None


def _pooled():
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _get_executor():
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=DB_THREADS, thread_name_prefix="attune-db")
    return _executor


def in_db_thread(fn):
    """`fn` as a coroutine function running in a database thread (closing stale connections around it)."""
    if not _pooled():
        return database_sync_to_async(fn)
    return DatabaseSyncToAsync(fn, thread_sensitive=False, executor=_get_executor())
