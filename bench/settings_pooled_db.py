"""An experiment, not a deployment: Attune's settings with a psycopg connection pool per process
(BENCH_SERVER_SETTINGS=bench.settings_pooled_db make bench; needs `pip install psycopg-pool`).

With CONN_MAX_AGE=0 (config/settings.py), every hop of a consumer into the database thread opens, and closes,
a PostgreSQL connection: a connect storm, presence renewals and couple messages pay for one each time.
Persistent connections (CONN_MAX_AGE > 0) are no answer under ASGI: each HTTP request runs in a thread of its
own, and the connections it leaves behind exhaust the server's max_connections (measured: "too many clients"
within a few hundred sockets). A pool bounds them. docs/performance.md has the measurement."""

import os

from config.settings import *  # noqa: F403
from config.settings import DATABASES

DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
    "min_size": 2,
    "max_size": int(os.environ.get("BENCH_POOL_MAX", "8")),
    "timeout": 10,
}
DATABASES["default"]["CONN_MAX_AGE"] = 0  # required with a pool
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
