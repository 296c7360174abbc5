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

A call goes to its pool with the event loop's own `run_in_executor`, not through asgiref's SyncToAsync: a connect
makes one such trip and a couple message one, and SyncToAsync's general machinery (a new wrapper and a copy of
the task's context each call, executors chosen per call, the context carried back after) cost the event loop's
thread 77 µs a trip against 50 (docs/performance.md, "The trip to a database thread"). What a database thread
needs of a socket is its language (its refusals are worded in it: config/i18n.py), which the socket knows from
its handshake and hands over with each call; each call closes stale connections around it, as Channels'
database_sync_to_async does.

On SQLite (the embedded default: one writer at a time) the work stays on Channels' single thread.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.utils import translation

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


def in_db_thread(fn, language=None):
    """`fn` as a coroutine function (positional arguments only) running in a database thread, in `language` if
    one is given (a socket's), closing stale connections around it."""
    return _in_pool(fn, language, "db", DB_THREADS)


def in_connect_thread(fn, language=None):
    """in_db_thread for a socket's connect: the same, on the connects' own threads."""
    return _in_pool(fn, language, "connect", CONNECT_THREADS)


def _in_pool(fn, language, name, threads):
    if not _pooled():
        return database_sync_to_async(fn)  # Channels' thread, which copies the task's context, its language too
    executor = _executor(name, threads)

    async def in_thread(*args):
        return await asyncio.get_running_loop().run_in_executor(executor, _call, language, fn, args)

    return in_thread


def _call(language, fn, args):
    """In a database thread: fn(*args), in `language` if given, with a connection that is not stale."""
    close_old_connections()
    try:
        if language is None:
            return fn(*args)
        with translation.override(language):
            return fn(*args)
    finally:
        close_old_connections()
