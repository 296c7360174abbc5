"""Where the sockets' database work runs.

Channels' `database_sync_to_async` runs all database work of a process in one thread, one call after another.
With thousands of sockets, that thread was the live engine's ceiling (docs/performance.md): while it waited on
PostgreSQL for one socket, every other socket's connect, message and renewal queued behind it.

On PostgreSQL, `in_db_thread()` runs the work on a small pool of threads instead (DB_THREADS, each taking a
connection from the process's connection pool for the length of one call and giving it back after), so one
socket's wait on the database no longer holds up the others. Each call is still one unit: a socket's own calls
stay in order, since a socket awaits each before the next, and the services were written for concurrent callers
(versioned conditional updates, row locks), as they must be with several server processes anyway.

Two pools, not one: a socket's connect (identify it, record its presence, read its first snapshots: several reads,
each a wait on PostgreSQL) runs on CONNECT_THREADS of its own, everything else (commands, pings, clean-up) on
DB_THREADS. A room arriving at once then does not queue couples' messages behind it, nor they it; and the
commands' pool stays small, because every thread that waits on PostgreSQL takes the GIL back after each
statement, away from the event loop that reads and writes every socket: in `make bench`, with eight threads for
everything, couple messages at 500 a second waited up to 145 ms (p99); with four, 36 ms (docs/performance.md).

On SQLite (the embedded default: one writer at a time) the work stays on Channels' single thread.
"""

from concurrent.futures import ThreadPoolExecutor

from channels.db import DatabaseSyncToAsync, database_sync_to_async
from django.conf import settings

DB_THREADS = 4  # commands, pings, clean-up
CONNECT_THREADS = 8  # connects; both together below DATABASE_POOL_MAX (20 by default): HTTP requests take some too

_executors = {}


def _pooled():
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _executor(name, threads):
    executor = _executors.get(name)
    if executor is None:
        executor = _executors[name] = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=f"attune-{name}")
    return executor


def in_db_thread(fn):
    """`fn` as a coroutine function running in a database thread (closing stale connections around it)."""
    return _in_pool(fn, "db", DB_THREADS)


def in_connect_thread(fn):
    """in_db_thread for a socket's connect: the same, on the connects' own threads."""
    return _in_pool(fn, "connect", CONNECT_THREADS)


def _in_pool(fn, name, threads):
    if not _pooled():
        return database_sync_to_async(fn)
    return DatabaseSyncToAsync(fn, thread_sensitive=False, executor=_executor(name, threads))
