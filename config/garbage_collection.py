"""The server process's garbage collector, set for a live session's latency.

A server holding a room's sockets has hundreds of thousands of live objects, and CPython's full collection walks
all of them: in `make bench` (2,000 phones on one process) each full collection paused every socket for 100-165 ms,
several times a minute, and a couple message caught in one waited that long (docs/performance.md, issue 18). Two
settings, both CPython's own:

- `gc.freeze()` once the application is loaded: Django's, the libraries' and Attune's module-level objects (about
  124,000) are never garbage, and no collection walks them again.
- A first-generation threshold of 10,000 allocations instead of 700: the young collections run 14 times less
  often, so fewer of the short-lived objects of a frame or a command are promoted to the older generations, whose
  collections are the long pauses. The garbage waiting for a collection stays a few megabytes at most.
"""

import gc

YOUNG_THRESHOLD = 10_000  # CPython's default: 700
OLDER_THRESHOLDS = (20, 10)  # young collections per middle one, middle ones per full one (defaults: 10, 10)


def tune_for_live_sockets():
    """Called once by the ASGI entry point (config/asgi.py), after the application and its modules are loaded."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *OLDER_THRESHOLDS)
