"""The event loop of this process's sockets, for database threads to hand it work without waiting for it.

A socket's command runs in a database thread (realtime.threads); what it publishes after commit, and the roster nudge
it sends, go out on the event loop. Waiting there for Redis would hold the thread (and its database connection)
for each change's round trips, behind everything else the loop is doing; handing the work over lets the thread
take the next command at once. Where no socket has run yet (a management command, a process serving HTTP only,
a test without a loop), there is nothing to hand to, and the caller does the work itself.
"""

import asyncio
import weakref

_loop_ref = None  # the event loop of this process's sockets (a weak reference), once one has connected


def note_running_loop():
    """Remember the running event loop as the sockets' (called from the event loop, e.g. a socket's connect)."""
    global _loop_ref
    loop = asyncio.get_running_loop()
    if _loop_ref is None or _loop_ref() is not loop:
        _loop_ref = weakref.ref(loop)
    return loop


def call_soon(fn, *args):
    """Schedule fn(*args) on the sockets' event loop from another thread; False (nothing scheduled) when there is
    no such loop running, or when this thread is the loop's own."""
    loop = _loop_ref() if _loop_ref is not None else None
    if loop is None or not loop.is_running() or _in_loop_thread(loop):
        return False
    loop.call_soon_threadsafe(fn, *args)
    return True


def _in_loop_thread(loop):
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
