"""The bench harness itself (`make bench`; docs/performance.md): how it reads frames, counts losses and
computes its figures. Nothing here measures a timing."""

import asyncio
import json
import os

import pytest
from picows import WSMsgType
from picows.picows import _make_test_ws_frame

from bench import procs
from bench.client import SESSION, Conn, Pool
from bench.frames import frame
from bench.run import combine, production_server, ratio, table
from bench.scenarios import Config, loss_and_dups, pct, run_baseline


def text_frame(data):
    return _make_test_ws_frame(WSMsgType.TEXT, data.encode() if isinstance(data, str) else data, True, False)


def test_baseline_frames_have_the_size_of_a_session_snapshot_and_its_prefix():
    text = frame(42, size=1200)
    assert len(text) == 1200 and text.startswith('{"type":"session","version":42,')
    assert json.loads(text)["version"] == 42


def test_percentiles_are_nearest_rank():
    values = list(range(1, 101))
    assert pct(values, 50) in (50, 51) and pct(values, 99) == 99 and pct([], 99) is None


def test_ratios_say_how_many_times_worse_attune_is():
    assert ratio(30.0, 10.0) == 3.0
    assert ratio(5.0, 20.0, lower_is_better=False) == 4.0  # broadcasts per second: more is better
    assert ratio(None, 10.0) is None and ratio(3.0, 0) is None


async def test_a_phone_counts_versions_gaps_and_duplicates_without_parsing_json():
    pool = Pool()
    phone = Conn(pool, ready_on=SESSION)
    pool.conns.append(phone)
    for version in (3, 4, 4, 7):
        phone.on_ws_frame(None, text_frame(frame(version, size=300)))
    assert phone.ready.done()
    assert phone.session_v == 7 and phone.dups == 1 and phone.gaps == 2
    assert pool.arrivals[7][0] == 1 and pool.arrivals[4][0] == 1
    phone.open = True
    assert loss_and_dups(pool, final_version=9) == (2 + 2, 1)


async def test_the_partner_times_a_couple_message_and_the_facilitator_gets_its_ack():
    pool = Pool()
    sender, partner = Conn(pool), Conn(pool)
    sender.partner, partner.partner = partner, sender
    partner.waiting = (0.0, 5)
    partner.on_ws_frame(None, text_frame('{"type":"couple","version":4,"state":{}}'))
    assert partner.waiting is not None  # an older version is not the answer
    partner.on_ws_frame(None, text_frame('{"type":"couple","version":5,"state":{}}'))
    assert partner.waiting is None and len(pool.couple_latencies) == 1
    future = asyncio.get_running_loop().create_future()
    pool.acks["m1"] = future
    fac = Conn(pool, counted=False)
    fac.on_ws_frame(None, text_frame('{"type":"ack","id":"m1","duplicate":false}'))
    assert future.result()["type"] == "ack"


async def test_a_phone_is_ready_after_its_first_snapshots():
    pool = Pool()
    phone = Conn(pool)
    for text in ('{"type":"hello"}', frame(1, size=200), '{"type":"couple","version":1,"state":{}}'):
        phone.on_ws_frame(None, text_frame(text))
    assert not phone.ready.done()
    phone.on_ws_frame(None, text_frame('{"type":"my_feedback","done":[]}'))
    assert phone.ready.done()


class Wire:
    """What a socket's transport was given to send."""

    def __init__(self):
        self.sent = []

    def send(self, kind, data):
        self.sent.append(json.loads(data))

    def send_close(self, code):
        pass

    def disconnect(self):
        pass


async def test_a_socket_pings_as_the_apps_do_once_at_its_hello_and_then_every_interval_it_names():
    pool = Pool()
    phone = Conn(pool)
    phone.transport, phone.open = Wire(), True
    phone.on_ws_frame(None, text_frame('{"type":"hello","role":"participant","ping_interval_s":15}'))
    assert phone.transport.sent == [{"id": "ping1", "type": "ping"}]  # at once, as shared/socket.ts does
    loop = asyncio.get_running_loop()
    assert 14.5 < phone.ping_timer.when() - loop.time() <= 15  # the next, the interval later
    phone.on_ws_frame(None, text_frame('{"type":"pong","id":"ping1","versions":{"session":1}}'))
    assert phone.json_frames == [] and not phone.ready.done()  # a pong is nothing else
    phone.close()
    assert phone.ping_timer is None and phone.pings_sent == 1


def test_server_cpu_and_memory_come_from_proc():
    assert procs.cpu_seconds(os.getpid()) > 0
    assert procs.rss_kb(os.getpid()) > 1000
    client, server = procs.cores()
    assert client in os.sched_getaffinity(0) and server in os.sched_getaffinity(0)


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_databases_cpu_comes_from_proc_and_counts_what_a_query_costs_it():
    from django.db import connection

    before = procs.database_cpu_seconds()
    assert before is not None and before > 0  # the tests' PostgreSQL runs on this machine
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM generate_series(1, 3000000)")  # a few hundred ms of PostgreSQL's CPU
        assert cursor.fetchone() == (3000000,)
    assert procs.database_cpu_seconds() > before


def test_the_production_server_is_read_from_the_image():
    assert production_server() in ("daphne", "uvicorn")


def test_the_compression_measure_asks_as_browsers_do_and_changes_only_the_servers_compression():
    """bench.compression runs the image's uvicorn command with its one setting changed, and its clients ask for
    compression: granted with the setting on, not with the image's (off). Its figures are measured, not checked."""
    from bench.compression import measure, server_command

    image, granting = server_command(8000, False), server_command(8000, True)
    assert image == procs.command("raw", "uvicorn", 8000)
    assert [a for a, b in zip(image, granting, strict=True) if a != b] == ["false"]
    server_core = procs.cores()[1]
    refused, granted = (asyncio.run(measure(10, compression, server_core)) for compression in (False, True))
    assert refused["extension_granted"] is None
    assert granted["extension_granted"].startswith("permessage-deflate")
    for figures in (refused, granted):
        assert figures["rss_kb_per_socket"] is not None and figures["server_cpu_us_per_recipient"] >= 0


def test_results_carry_each_figure_with_its_ratio_to_each_baseline():
    attune = {"server": "uvicorn", "sockets": 10, "advance_p99_ms": 40.0, "server_cpu_us_per_recipient": 12.0}
    floor = {"broadcast_p99_ms": 10.0, "server_cpu_us_per_recipient": 6.0}
    raw = {"broadcast_p99_ms": 20.0, "server_cpu_us_per_recipient": 10.0}
    naive = {"broadcast_p99_ms": 400.0, "server_cpu_us_per_recipient": 120.0}
    row = combine(attune, floor, raw, naive)
    assert row["ratios"]["advance_p99_ms"] == {"floor": 4.0, "raw_asgi": 2.0, "naive": 0.1}
    assert row["ratios"]["server_cpu_us_per_recipient"]["raw_asgi"] == 1.2
    assert row["naive_server_cpu_us_per_recipient"] == 120.0
    printed = table({"by_server": {"uvicorn": row}, "baselines": {"floor": floor}})
    assert "advance_p99_ms" in printed and "4.0/2.0/0.1" in printed


@pytest.mark.slow
async def test_a_small_baseline_run_against_a_real_server_process(tmp_path):
    """The harness end to end on the raw ASGI app under uvicorn: 20 sockets, a few broadcasts (a few seconds)."""
    cfg = Config()
    cfg.baseline_idle_s, cfg.baseline_broadcasts, cfg.baseline_period_s, cfg.sustained_s = 0.5, 5, 0.05, 0.5
    env = {**os.environ, "BENCH_FRAME_BYTES": "500", "PYTHONPATH": str(procs.ROOT)}
    with open(tmp_path / "server.log", "w") as log:
        result = await run_baseline("raw", "uvicorn", env=env, core=procs.cores()[1], log=log, sockets=20, cfg=cfg)
    assert "error" not in result, result
    assert result["sockets"] == 20 and result["connect_failures"] == 0
    assert result["lost"] == 0 and result["duplicated"] == 0
    assert result["broadcast_p99_ms"] is not None and result["sustained_broadcasts_per_s"] > 0
