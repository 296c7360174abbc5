"""The ASGI entry point, which every server process loads (Daphne for make run, uvicorn in the image), leaves the
garbage collector set for live sockets: what was loaded is frozen out of every collection, and the young
generation collects every YOUNG_THRESHOLD allocations (config/garbage_collection.py; the pauses it removes are
measured by make bench, not here)."""

import json

from config.garbage_collection import OLDER_THRESHOLDS, YOUNG_THRESHOLD
from tests.support import python_with_settings

REPORT = (
    "import gc, json; before = gc.get_threshold(); import config.asgi; "
    "print(json.dumps({'before': before, 'after': gc.get_threshold(), 'frozen': gc.get_freeze_count()}))"
)


def test_a_server_process_freezes_what_it_loaded_and_collects_its_young_generation_less_often():
    result = python_with_settings(REPORT, {})
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["before"] == [700, 10, 10]  # CPython's own, until the entry point is loaded
    assert report["after"] == [YOUNG_THRESHOLD, *OLDER_THRESHOLDS]
    # Django, the libraries and Attune's modules: far more than a bare interpreter's few thousand objects.
    assert report["frozen"] > 50_000
