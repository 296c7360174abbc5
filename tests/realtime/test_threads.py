"""The database threads' pool (realtime/threads.py): what a socket hands it comes back to the socket, result or
exception, in the socket's language, from one of the pool's threads; calls run side by side up to the pool's
size; a call whose socket stopped waiting before a thread took it is not run, and the rest go on."""

import asyncio
import threading

import pytest
from django.utils import translation

from realtime.errors import LiveError
from realtime.threads import Pool


async def test_a_calls_result_and_its_exception_come_back_to_the_caller_in_its_language():
    pool = Pool("test-results", 2)

    def worded(n):
        if n < 0:
            raise LiveError("not_running", translation.get_language())
        return n, translation.get_language(), threading.current_thread().name

    number, language, thread = await pool.submit("de", worded, (7,))
    assert (number, language) == (7, "de")
    assert thread.startswith("attune-test-results_")
    assert thread != threading.current_thread().name
    with pytest.raises(LiveError) as refused:
        await pool.submit("en", worded, (-1,))
    assert (refused.value.code, refused.value.message) == ("not_running", "en")


async def test_calls_run_side_by_side_up_to_the_pools_size_and_one_given_up_on_is_not_run():
    pool = Pool("test-side-by-side", 2)
    release = threading.Event()
    ran = []

    def held(name):
        ran.append(name)
        assert release.wait(10)
        return name

    first, second = pool.submit(None, held, ("first",)), pool.submit(None, held, ("second",))
    given_up = pool.submit(None, held, ("given up",))  # both threads are held: it waits in the queue
    last = pool.submit(None, held, ("last",))
    for _ in range(500):
        if len(ran) == 2:
            break
        await asyncio.sleep(0.01)
    assert sorted(ran) == ["first", "second"]  # two at once, the third waiting for a thread
    given_up.cancel()
    release.set()
    assert await asyncio.gather(first, second, last) == ["first", "second", "last"]
    assert "given up" not in ran
    assert given_up.cancelled()
