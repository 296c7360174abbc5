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

A call goes to its pool through a queue of our own, not asgiref's SyncToAsync nor the event loop's
`run_in_executor`: a connect makes one or two such trips and a couple message one, and each of those layers costs
the event loop's thread (docs/performance.md, "A leaner trip to a database thread": 48 µs of its CPU a trip
here, 96-100 through `run_in_executor`, 124-146 through SyncToAsync). SyncToAsync makes a wrapper and
copies the task's context each call; `run_in_executor` makes a `concurrent.futures` Future (with its lock and
condition), a work item, and an asyncio Future chained to it by callbacks. Here a call is one asyncio Future
and one tuple on a `queue.SimpleQueue` (C, no lock taken in Python); a thread takes it, runs it, and hands the
result to the Future with the loop's `call_soon_threadsafe`. As with an executor, a call whose caller stopped
waiting before a thread took it (its socket's task cancelled) is not run. What a database thread needs of a
socket is its language (its refusals are worded in it: config/i18n.py), which the socket knows from its
handshake and hands over with each call; each call closes stale connections around it, as Channels'
database_sync_to_async does.

On SQLite (the embedded default: one writer at a time) the work stays on Channels' single thread.
"""

import asyncio
import contextlib
import queue
import threading

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.utils import translation

DB_THREADS = 4  # commands, pings, clean-up
CONNECT_THREADS = 8  # connects; both together below DATABASE_POOL_MAX (20 by default): HTTP requests take some too

_pools = {}
_pools_lock = threading.Lock()


def _pooled():
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


class Pool:
    """`threads` database threads taking calls from one queue."""

    def __init__(self, name, threads):
        self.calls = queue.SimpleQueue()
        for number in range(threads):
            # Daemon threads: by the process's exit its sockets' tasks are done or cancelled, so nothing waits on
            # them; a call still running there is cut short, and PostgreSQL rolls its transaction back.
            threading.Thread(target=self._serve, name=f"attune-{name}_{number}", daemon=True).start()

    def submit(self, language, fn, args):
        """An asyncio Future of the running loop, settled with fn(*args)'s result or exception (_call)."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.calls.put((loop, future, language, fn, args))
        return future

    def _serve(self):
        while True:
            self._run(*self.calls.get())

    @staticmethod
    def _run(loop, future, language, fn, args):
        if future.cancelled():  # its caller stopped waiting before a thread took it
            return
        result = error = None
        try:
            result = _call(language, fn, args)
        except BaseException as exc:  # handed to the caller, as an executor does
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop has closed: no one is waiting
            loop.call_soon_threadsafe(_settle, future, result, error)


def _settle(future, result, error):
    """In the event loop: the call's outcome to its caller, unless it stopped waiting meanwhile."""
    if future.cancelled():
        return
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)


def pool(name, threads):
    """The process's pool called `name`, made on first use."""
    if name not in _pools:
        with _pools_lock:  # two event loops (a test's and a server's) may ask at once: one pool each name
            if name not in _pools:
                _pools[name] = Pool(name, threads)
    return _pools[name]


def in_db_thread(fn, language=None):
    """`fn` as a function whose call (positional arguments only) returns an awaitable of `fn(*args)` run in a
    database thread, in `language` if one is given (a socket's), closing stale connections around it."""
    return _in_pool(fn, language, "db", DB_THREADS)


def in_connect_thread(fn, language=None):
    """in_db_thread for a socket's connect: the same, on the connects' own threads."""
    return _in_pool(fn, language, "connect", CONNECT_THREADS)


def _in_pool(fn, language, name, threads):
    if not _pooled():
        return database_sync_to_async(fn)  # Channels' thread, which copies the task's context, its language too
    calls = pool(name, threads)

    def in_thread(*args):
        return calls.submit(language, fn, args)

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
