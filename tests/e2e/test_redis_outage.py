"""The facilitator's console in a real browser while Redis is down (killed: connections refused): it stays
connected, and each command it runs shows on it within a second or two, although the change's push is lost (the
console asks for the state when its command's own frame does not come, rather than wait for the next ping and
have the next press refused as stale). Once Redis is back, a command's frame is pushed again."""

import time

import pytest

from tests.e2e.browser import LAPTOP
from tests.e2e.conftest import login_cookie
from tests.platform.servers import daphne_processes
from tests.realtime.conftest import _live_workshop
from tests.support import redis_on_its_port

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.multiprocess, pytest.mark.slow]

SHOWN_WITHIN_MS = 4000  # the console's wait for its own frame (1 s), a sync, and a browser on a busy machine


def test_the_console_stays_connected_and_shows_each_step_it_runs_while_redis_is_down(
    transactional_db, built_apps, screens, builtin_library
):
    session, facilitator, _ = _live_workshop()
    with redis_on_its_port() as redis, daphne_processes(1, REDIS_URL=redis.url) as servers:
        (_, base) = servers[0]
        staff = screens.open("facilitator", base, cookie=login_cookie(facilitator), **LAPTOP)
        staff.goto(f"/live/facilitate/{session.pk}/")
        staff.see("Run of show")
        staff.click("Start the session")
        staff.see("Now: step 1 of")

        redis.stop()
        shown_in = []
        for step in (2, 3, 4):
            started = time.monotonic()
            staff.click("Next (N)")
            staff.see(f"Now: step {step} of", timeout=SHOWN_WITHIN_MS)
            shown_in.append(time.monotonic() - started)
        text = staff.text()
        assert "Reconnecting" not in text and "Connecting" not in text
        assert "Someone else changed the session" not in text  # no press refused as stale

        redis.start()
        time.sleep(2)  # pushes resume within this long of Redis answering again
        staff.click("Next (N)")
        staff.see("Now: step 5 of", timeout=SHOWN_WITHIN_MS)
    print(f"\nwhile Redis was down, each step showed in {', '.join(f'{s * 1000:.0f}' for s in shown_in)} ms")
