"""The bench's fixtures (bench/fixtures.py): idle_10k's room kept between runs through a manifest under var/, checked
against the database before it is reused (anything off: built again), a fresh session for each run, and couples
made by several threads with the same shape as one thread makes them. Small rooms; no server runs."""

import os
import threading
from datetime import timedelta

import pytest

from bench import fixtures
from bench.procs import on_cores
from bench.scenarios import settle

DATABASE = "postgres://postgres:secret@127.0.0.1:5432/attune_perf_x"


def manifest(**overrides):
    value = {
        "version": fixtures.MANIFEST_VERSION,
        "database": fixtures.database_label(DATABASE),
        "workshop_id": 7,
        "workshop_title": "Bench x",
        "couples": 2,
        "pairs": [["sessionid=a", "sessionid=b"], ["sessionid=c", "sessionid=d"]],
    }
    value.update(overrides)
    return value


# --- the manifest alone ------------------------------------------------------------------------------


def test_the_manifest_names_the_database_without_its_password_and_lives_under_var_per_database():
    assert fixtures.database_label(DATABASE) == "127.0.0.1:5432/attune_perf_x"
    assert "secret" not in fixtures.database_label(DATABASE)
    path = fixtures.manifest_path(DATABASE)
    assert path.parent == fixtures.ROOT / "var" and path.name == "bench-idle-room.attune_perf_x.json"
    assert fixtures.manifest_path("postgres://h/a/../b") != fixtures.manifest_path("postgres://h/other")
    assert "/" not in fixtures.manifest_path("postgres://h/a/../b").name


def test_a_manifest_is_read_back_as_written_and_a_missing_or_broken_one_is_none(tmp_path):
    path = tmp_path / "sub" / "room.json"
    assert fixtures.read_manifest(path) is None
    fixtures.write_manifest(path, manifest())
    assert fixtures.read_manifest(path) == manifest()
    assert not list(path.parent.glob("*.tmp"))
    path.write_text("{not json")
    assert fixtures.read_manifest(path) is None
    path.write_text("[1, 2]")
    assert fixtures.read_manifest(path) is None


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"version": fixtures.MANIFEST_VERSION + 1}, "version"),
        ({"database": "127.0.0.1:5432/attune_perf"}, "database"),
        ({"couples": 3}, "couples"),
        ({"pairs": [["sessionid=a", "sessionid=b"]]}, "pairs"),
        ({"pairs": [["sessionid=a"], ["sessionid=c", "sessionid=d"]]}, "two cookies"),
        ({"workshop_id": None}, "workshop id"),
    ],
)
def test_a_manifest_for_another_database_size_or_version_is_not_reused(change, why):
    assert fixtures.manifest_problem(manifest(), database=fixtures.database_label(DATABASE), couples=2) is None
    problem = fixtures.manifest_problem(manifest(**change), database=fixtures.database_label(DATABASE), couples=2)
    assert problem and why in problem
    assert fixtures.manifest_problem(None, database="x", couples=2) == "no manifest"


# --- against the database ----------------------------------------------------------------------------


@pytest.fixture
def room(builtin_library, tmp_path):
    """A room of 3 couples made by 2 threads, recorded in a manifest of its own."""
    path = tmp_path / "room.json"
    world, pairs, info = fixtures.idle_room(database_url=DATABASE, couples=3, workers=2, path=path)
    return world, pairs, info, path


def build(path, **kwargs):
    kwargs.setdefault("couples", 3)
    return fixtures.idle_room(database_url=DATABASE, workers=2, path=path, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_a_room_is_built_once_then_reused_with_a_fresh_session_each_run(room):
    from realtime.models import Couple, Participant, SessionState
    from workshops.models import Session

    world, pairs, info, path = room
    assert info["fixture_reused"] is False and info["fixture_rebuilt_because"] == "no manifest"
    assert info["fixture_s"] >= 0
    written = fixtures.read_manifest(path)
    assert written["workshop_id"] == world.workshop.pk and written["pairs"] == pairs and written["couples"] == 3
    first = world.sessions[0]
    SessionState.objects.create(session=first, version=5)  # a live state left by the run

    again, same_pairs, info = build(path)
    assert info == {"fixture_reused": True, "fixture_s": info["fixture_s"]}
    assert again.workshop.pk == world.workshop.pk and same_pairs == pairs
    session = again.sessions[0]
    assert session.pk != first.pk and again.join_code == session.join_code
    # the earlier session and its live state are gone: the new one is the workshop's first part, not overlapping
    assert list(Session.objects.filter(workshop=world.workshop)) == [session]
    assert not SessionState.objects.filter(session_id=first.pk).exists()
    assert Participant.objects.filter(workshop=world.workshop).count() == 6
    assert Couple.objects.filter(workshop=world.workshop).count() == 3


@pytest.mark.django_db(transaction=True)
def test_bench_fresh_and_another_size_build_a_new_room(room):
    world, pairs, _, path = room
    rebuilt, new_pairs, info = build(path, fresh=True)
    assert info["fixture_reused"] is False and info["fixture_rebuilt_because"] == "BENCH_FRESH=1"
    assert rebuilt.workshop.pk != world.workshop.pk and set(sum(new_pairs, [])).isdisjoint(sum(pairs, []))
    assert fixtures.read_manifest(path)["workshop_id"] == rebuilt.workshop.pk
    bigger, bigger_pairs, info = build(path, couples=4)
    assert info["fixture_reused"] is False and "couples" in info["fixture_rebuilt_because"]
    assert len(bigger_pairs) == 4


def _drop_a_device_session(world, pairs):
    from django.contrib.sessions.models import Session as DjangoSession

    DjangoSession.objects.filter(session_key=pairs[1][0].split("=", 1)[1]).delete()


def _expire_the_device_sessions(world, pairs):
    from django.contrib.sessions.models import Session as DjangoSession
    from django.utils import timezone

    DjangoSession.objects.filter(session_key=pairs[0][1].split("=", 1)[1]).update(
        expire_date=timezone.now() + timedelta(hours=1)
    )


def _remove_a_participant(world, pairs):
    from realtime.models import Participant

    Participant.objects.filter(workshop=world.workshop).order_by("pk").last().delete()


def _unpair_a_couple(world, pairs):
    from realtime.models import Participant

    first = Participant.objects.filter(workshop=world.workshop).order_by("pk").first()
    Participant.objects.filter(pk=first.pk).update(couple=None)


def _remove_a_couple(world, pairs):
    from django.utils import timezone

    from realtime.models import Couple

    Couple.objects.filter(workshop=world.workshop).update(removed_at=timezone.now())


def _delete_the_workshop(world, pairs):
    world.workshop.delete()


def _swap_two_cookies_between_couples(world, pairs):
    path = world.manifest_path
    written = fixtures.read_manifest(path)
    written["pairs"][0][1], written["pairs"][1][1] = written["pairs"][1][1], written["pairs"][0][1]
    fixtures.write_manifest(path, written)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (_drop_a_device_session, "device sessions in django_session"),
        (_expire_the_device_sessions, "expire"),
        (_remove_a_participant, "participants"),
        (_unpair_a_couple, "not one couple"),
        (_remove_a_couple, "removed"),
        (_delete_the_workshop, "missing"),
        (_swap_two_cookies_between_couples, "not one couple"),
    ],
)
def test_a_room_the_database_no_longer_holds_as_made_is_built_again(room, damage, why):
    world, pairs, _, path = room
    world.manifest_path = path
    damage(world, pairs)
    rebuilt, new_pairs, info = build(path)
    assert info["fixture_reused"] is False and why in info["fixture_rebuilt_because"], info
    assert rebuilt.workshop.pk != world.workshop.pk and len(new_pairs) == 3
    assert fixtures.room_problem(rebuilt.workshop.pk, new_pairs, title=rebuilt.workshop.title) is None
    _, _, info = build(path)
    assert info["fixture_reused"] is True


@pytest.mark.django_db(transaction=True)
def test_device_cookies_signed_with_another_secret_key_or_another_workshop_title_are_not_reused(room, settings):
    world, pairs, _, path = room
    assert "not 'Other'" in fixtures.room_problem(world.workshop.pk, pairs, title="Other")
    settings.SECRET_KEY = "another-" + "k" * 50
    problem = fixtures.room_problem(world.workshop.pk, pairs, title=world.workshop.title)
    assert problem and "decode" in problem


@pytest.mark.django_db(transaction=True)
def test_couples_made_by_threads_have_the_shape_one_thread_gives_them(builtin_library):
    from realtime.models import Participant

    one = fixtures.make_world(couples=5, parts=1)
    serial = fixtures.couples_in_database(one, 5)
    many = fixtures.make_world(couples=5, parts=1)
    threaded = fixtures.couples_in_database(many, 5, workers=3, cpus=os.sched_getaffinity(0))
    for world, pairs in ((one, serial), (many, threaded)):
        assert len(pairs) == 5 and all(len(pair) == 2 for pair in pairs)
        assert fixtures.room_problem(world.workshop.pk, pairs) is None
    names = lambda world: sorted(  # noqa: E731
        Participant.objects.filter(workshop=world.workshop).values_list("display_name", flat=True)
    )
    assert names(one) == names(many) == sorted(f"{who}{n}" for n in range(5) for who in "ab")
    assert fixtures.couples_in_database(many, 0, workers=3) == []


# --- no database ------------------------------------------------------------------------------------------


def test_fixture_threads_run_on_every_core_and_the_process_is_pinned_back_after():
    every = os.sched_getaffinity(0)
    one = {min(every)}
    os.sched_setaffinity(0, one)
    try:
        seen = []
        with on_cores(every):
            assert os.sched_getaffinity(0) == every
            thread = threading.Thread(target=lambda: seen.append(os.sched_getaffinity(0)))
            thread.start()
            thread.join()
        assert seen == [every] and os.sched_getaffinity(0) == one
        with on_cores(None):
            assert os.sched_getaffinity(0) == one
    finally:
        os.sched_setaffinity(0, every)


async def test_a_couple_step_waits_for_its_last_messages_only_as_long_as_some_are_missing():
    import time

    class Phone:
        waiting = None

    couples = [(Phone(), Phone()) for _ in range(3)]
    started = time.perf_counter()
    await settle(couples, 5.0, shortest=0.05)
    assert time.perf_counter() - started < 1.0
    couples[1][0].waiting = (0.0, 1)
    started = time.perf_counter()
    await settle(couples, 0.3, shortest=0.05)
    assert 0.3 <= time.perf_counter() - started < 1.0
