"""Prepared queries (realtime/prepared.py): the ORM's rows, without compiling the ORM's query each time."""

import importlib
import pkgutil
from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from realtime.models import CoupleEntry, CoupleSpace, Participant, Presence, ProcessedCommand, SessionState
from realtime.prepared import Prepared, insert_statement, read_together, save_fields, upsert_statement
from realtime.services.session import state_for
from realtime.snapshots_couple import SPACE
from tests.realtime.conftest import _couple, _live_workshop, marked

pytestmark = pytest.mark.django_db

PAYLOADS = [marked("first"), None, marked("third")]  # sealed on the phones: text to the server, or none (a pass)


@pytest.fixture
def space_with_entries(builtin_library):
    session, _, _ = _live_workshop()
    _couple(session, ["Ana", "Ben"])
    participant = Participant.objects.get(workshop=session.workshop, display_name="Ana")
    space, _ = CoupleSpace.objects.get_or_create(session=session, couple=participant.couple)
    for n, payload in enumerate(PAYLOADS):
        CoupleEntry.objects.create(
            space=space, step_index=n, kind="item", key=f"k{n}", scope="shared", author=participant, payload=payload
        )
    return session, space, participant


def test_model_rows_equal_the_orms_with_every_field_converted(space_with_entries):
    _, space, _ = space_with_entries

    def build(space_id, step):
        return CoupleEntry.objects.filter(space_id=space_id, step_index__gte=step).order_by("pk")

    prepared = Prepared(build)
    for step in (0, 1, 3):  # the same compiled SQL, new values each time
        got = prepared(space.pk, step)
        expected = list(build(space.pk, step))
        assert [e.pk for e in got] == [e.pk for e in expected]
        for a, b in zip(got, expected, strict=True):
            assert (a.payload, a.created_at, a.author_id, a.passed) == (b.payload, b.created_at, b.author_id, b.passed)
            assert isinstance(a.created_at, type(timezone.now())) and a.created_at.tzinfo is not None
    assert [e.payload for e in prepared(space.pk, 0)] == PAYLOADS
    assert prepared(space.pk + 1000, 0) == []


def test_values_rows_deferred_fields_and_text_arguments(space_with_entries):
    session, space, _ = space_with_entries
    rows = Prepared(
        lambda space_id, key: (
            CoupleEntry.objects.filter(Q(space_id=space_id) | Q(kind="agreement"), key=key)
            .values_list("key", "payload")
            .order_by("pk")
        )
    )
    assert rows(space.pk, "k0") == [("k0", PAYLOADS[0])]
    assert rows(space.pk, "k2") == [("k2", PAYLOADS[2])]
    assert rows(space.pk, "nothing") == []

    full = state_for(session)
    deferred = Prepared(lambda session_id: SessionState.objects.filter(session_id=session_id).defer("steps"))
    state = deferred.first(session.pk)
    assert (state.pk, state.version, state.status, state.step_log) == (full.pk, full.version, "lobby", [])
    assert "steps" in state.get_deferred_fields()
    assert state.steps == full.steps  # a deferred field still loads when read


def test_queries_it_cannot_prepare_are_refused_when_first_run(space_with_entries):
    _, space, _ = space_with_entries
    joined = Prepared(lambda space_id: CoupleEntry.objects.select_related("space").filter(space_id=space_id))
    with pytest.raises(ValueError, match="select_related"):
        joined(space.pk)
    unused = Prepared(lambda space_id, other: CoupleEntry.objects.filter(space_id=space_id))
    with pytest.raises(ValueError, match="Every argument"):
        unused(space.pk, 3)


def test_save_fields_writes_what_save_would(space_with_entries):
    _, space, participant = space_with_entries
    space.dialogue = {"step": 2, "speaker": participant.pk, "deadline": "2026-11-24T12:00:00+00:00"}
    space.paused_by, space.paused_at, space.version = participant, timezone.now(), space.version + 5
    assert save_fields(space, "dialogue", "paused_by", "paused_at", "version") == 1
    again = CoupleSpace.objects.get(pk=space.pk)
    assert (again.dialogue, again.paused_by_id, again.paused_at, again.version) == (
        space.dialogue,
        participant.pk,
        space.paused_at,
        space.version,
    )
    space.paused_by = None
    save_fields(space, "paused_by")
    assert CoupleSpace.objects.get(pk=space.pk).paused_by_id is None


def test_an_insert_unless_it_exists_inserts_once_and_tells_whether_it_did(space_with_entries):
    _, space, participant = space_with_entries
    now = timezone.now()

    def record(client):
        return insert_statement(ProcessedCommand, unless_exists=True, client=client, message_id="m1", created_at=now)

    assert record("p1").run() == 1
    assert record("p1").run() == 0
    assert read_together(record("p2"), record("p2")) == [1, 0]  # sent together, the second sees the first
    assert list(ProcessedCommand.objects.order_by("client").values_list("client", "message_id", "created_at")) == [
        ("p1", "m1", now),
        ("p2", "m1", now),
    ]
    insert_statement(
        Presence,
        channel_name="live!x",
        session_id=space.session_id,
        participant_id=participant.pk,
        role="participant",
        last_seen=now,
    ).run()
    row = Presence.objects.get(channel_name="live!x")
    assert (row.session_id, row.participant_id, row.role, row.last_seen) == (
        space.session_id,
        participant.pk,
        "participant",
        now,
    )


def test_an_upsert_makes_the_row_or_changes_only_the_named_fields_and_counts_the_version(space_with_entries):
    session, space, participant = space_with_entries
    other_couple = Participant.objects.get(pk=_couple(session, ["Cleo", "Dan"])[0].participant_id).couple
    CoupleSpace.objects.filter(session=session, couple=other_couple).delete()  # as a couple formed without one
    earlier, now = timezone.now() - timedelta(minutes=5), timezone.now()

    def pause(couple, by, at, when, returns=None):
        return upsert_statement(
            CoupleSpace,
            returns=returns,
            key=("session_id", "couple_id"),
            counter="version",
            changed=("paused_by_id", "paused_at", "updated_at"),
            session_id=session.pk,
            couple_id=couple.pk,
            version=1,
            done_step=2,  # a new row's; an existing row keeps its own
            paused_by_id=by,
            paused_at=at,
            dialogue={"step": 1},
            updated_at=when,
        )

    CoupleSpace.objects.filter(pk=space.pk).update(version=7, done_step=4, dialogue={"round": 3})
    assert pause(participant.couple, participant.pk, earlier, earlier).run() == 1
    changed = CoupleSpace.objects.get(pk=space.pk)
    assert (changed.version, changed.paused_by_id, changed.paused_at, changed.updated_at) == (
        8,
        participant.pk,
        earlier,
        earlier,
    )
    assert (changed.done_step, changed.dialogue) == (4, {"round": 3})  # not named: as they were
    # Sent with reads, the reads after it see what it wrote.
    _, (version,) = read_together(
        pause(participant.couple, None, None, now),
        (Prepared(lambda pk: CoupleSpace.objects.filter(pk=pk).values_list("version")), (space.pk,)),
    )
    assert version == (9,)
    assert CoupleSpace.objects.get(pk=space.pk).paused_by_id is None

    assert pause(other_couple, None, None, now).run() == 1  # no space yet: made, at version 1
    made = CoupleSpace.objects.get(session=session, couple=other_couple)
    assert (made.version, made.done_step, made.dialogue, made.updated_at) == (1, 2, {"step": 1}, now)

    # Returning the row as a Prepared read of the model returns it: the same instance, every field converted.
    (returned,) = pause(other_couple, participant.pk, now, now, returns=SPACE).run()
    stored = CoupleSpace.objects.get(pk=made.pk)
    assert stored.version == 2
    assert [getattr(returned, f.attname) for f in CoupleSpace._meta.concrete_fields] == [
        getattr(stored, f.attname) for f in CoupleSpace._meta.concrete_fields
    ]

    # A new row's columns not given take the model's defaults.
    CoupleSpace.objects.filter(pk=made.pk).delete()
    upsert_statement(
        CoupleSpace,
        key=("session_id", "couple_id"),
        counter="version",
        changed=("paused_at",),
        session_id=session.pk,
        couple_id=other_couple.pk,
        paused_at=now,
    ).run()
    fresh = CoupleSpace.objects.get(session=session, couple=other_couple)
    assert (fresh.version, fresh.done_step, fresh.paused_by_id, fresh.dialogue, fresh.paused_at) == (
        1,
        None,
        None,
        {},
        now,
    )


# --- every Prepared of the live engine, against the plain ORM ------------------------------------------------------

PREPARED_MODULES = (
    "realtime.identity",
    "realtime.member",
    "realtime.snapshots",
    "realtime.snapshots_couple",
    "feedback.snapshots",
    "realtime.services.couple",
)


def _every_prepared():
    """{"module.name": Prepared} for every module-level Prepared in realtime/ and feedback/."""
    found = {}
    for package in ("realtime", "feedback"):
        for info in pkgutil.walk_packages(importlib.import_module(package).__path__, f"{package}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                if isinstance(value, Prepared) and value.build.__module__ == info.name:  # defined there
                    found[f"{info.name}.{name}"] = value
    return found


def _rows(rows):
    """Rows comparable whatever they are: tuples as they are, model instances as every field's value."""
    return [row if isinstance(row, tuple) else (type(row), row.pk, _fields(row)) for row in rows]


def _fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.fixture
def running_couple(space_with_entries):
    """A running session whose couple has entries, an agreement from an earlier session, open help requests and a
    receipt for a feedback answer: every prepared read finds rows."""
    from django.contrib.sessions.models import Session as DjangoSession

    from feedback import services as feedback_services
    from realtime.models import HelpRequest
    from realtime.services.session import session_command

    session, space, participant = space_with_entries
    state = session_command(session=session, action="start", expected_version=state_for(session).version)
    HelpRequest.objects.create(session=session, couple=participant.couple)
    HelpRequest.objects.create(session=session, participant=participant, private=True)
    prompt = feedback_services.prompt_add_live(session=session, data={"kind": "scale", "question": "How was it?"})
    feedback_services.answer(prompt=prompt, participant=participant, passed=True)
    device = DjangoSession.objects.order_by("expire_date").last()
    return session, space, participant, state, device


def _arguments(session, space, participant, device):
    """The arguments each prepared read is run with."""
    entry = space.entries.order_by("pk").first()
    return {
        "realtime.identity._session_row": (device.session_key,),
        "realtime.identity._participant_and_couple": (participant.pk,),
        "realtime.identity.couple_by_id": (participant.couple_id,),
        "realtime.snapshots._version": (session.pk,),
        "realtime.member._couple_version": (session.pk, participant.pk),
        "realtime.snapshots._state": (session.pk,),
        "realtime.snapshots._state_without_steps": (session.pk,),
        "realtime.snapshots_couple.SPACE": (session.pk, participant.couple_id),
        "realtime.snapshots_couple._partners": (participant.couple_id,),
        "realtime.snapshots_couple._entries": (session.pk, participant.couple_id),
        "realtime.snapshots_couple._couple_helps": (session.pk, participant.couple_id),
        "realtime.snapshots_couple._private_helps": (session.pk, participant.pk),
        "realtime.snapshots._step_index": (session.pk,),
        "feedback.snapshots._receipts": (session.pk, participant.pk),
        "realtime.services.couple._locked": (session.pk, participant.couple_id),
        "realtime.services.couple._entry_at": (
            session.pk,
            participant.couple_id,
            entry.step_index,
            entry.kind,
            entry.key,
            entry.scope,
        ),
    }


def test_every_prepared_read_returns_what_the_orm_returns(running_couple):
    """Each prepared read of the live engine (the connect's and the ping's) gives the rows its plain ORM queryset
    gives, with rows to compare: a Django upgrade that changes the compiler or the converters Prepared relies on
    fails here, and a new Prepared without arguments here fails too."""
    session, space, participant, _, device = running_couple
    arguments = _arguments(session, space, participant, device)
    everything = _every_prepared()
    assert sorted(everything) == sorted(arguments), "give every Prepared its arguments in _arguments()"
    assert {name.rsplit(".", 1)[0] for name in everything} == set(PREPARED_MODULES)
    for name, prepared in everything.items():
        args = arguments[name]
        expected = list(prepared.build(*args))
        assert expected, f"{name}: no rows to compare"
        assert _rows(prepared(*args)) == _rows(expected), name


def test_reads_sent_together_return_what_each_returns_alone_in_and_out_of_a_transaction(running_couple):
    """read_together (PostgreSQL's pipeline mode there) gives each read's rows in order, as the read alone gives
    them, also inside a transaction that wrote first and with the same read twice."""
    from django.db import transaction

    from realtime.prepared import read_together

    session, space, participant, _, device = running_couple
    arguments = _arguments(session, space, participant, device)
    everything = _every_prepared()
    reads = [(prepared, arguments[name]) for name, prepared in everything.items()]
    reads.append(reads[0])
    alone = [_rows(prepared(*args)) for prepared, args in reads]
    assert [_rows(rows) for rows in read_together(*reads)] == alone
    with transaction.atomic():
        space.dialogue = {"topic": "written in this transaction"}
        space.save(update_fields=["dialogue"])
        together = read_together(*reads)
        assert [_rows(rows) for rows in together] == [_rows(prepared(*args)) for prepared, args in reads]
        written = [row for rows in together for row in rows if isinstance(row, type(space)) and row.pk == space.pk]
        assert written and all(row.dialogue == {"topic": "written in this transaction"} for row in written)
        transaction.set_rollback(True)


def test_a_write_sent_with_reads_is_seen_by_the_reads_after_it_and_fails_as_it_would_alone(space_with_entries):
    """A Write in read_together (a phone's connect sends its presence with its reads): its result is its row count,
    the reads sent after it see its row, and one that fails raises Django's error, as run alone, leaving nothing."""
    from django.db import IntegrityError, transaction

    from realtime.prepared import insert_statement, read_together

    commands = Prepared(lambda client: ProcessedCommand.objects.filter(client=client).values_list("message_id"))
    now = timezone.now()

    def record(message_id, **once):
        return insert_statement(ProcessedCommand, client="p1", message_id=message_id, created_at=now, **once)

    before, written, after = read_together((commands, ("p1",)), record("m1", unless_exists=True), (commands, ("p1",)))
    assert (before, written, after) == ([], 1, [("m1",)])
    assert read_together(record("m1", unless_exists=True), (commands, ("p1",))) == [0, [("m1",)]]
    with pytest.raises(IntegrityError), transaction.atomic():
        read_together(record("m2"), record("m1"), (commands, ("p1",)))  # the second breaks the unique constraint
    assert commands("p1") == [("m1",)]


def test_a_participant_and_their_couple_come_from_one_read_as_the_orm_has_them(space_with_entries):
    """participant_with_couple reads both rows in one query: each has every field as the ORM reads it, a
    participant in no couple has none, and one that is not there is None."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from realtime.identity import participant_with_couple

    session, _, ana = space_with_entries
    (loner,) = _couple(session, ["Cleo"])  # waiting for a partner: a couple of one
    Participant.objects.filter(pk=loner.participant_id).update(couple=None)
    for participant in Participant.objects.filter(pk__in=[ana.pk, loner.participant_id]).select_related("couple"):
        with CaptureQueriesContext(connection) as queries:
            read = participant_with_couple(participant.pk)
        assert len(queries) == 1
        assert _fields(read) == _fields(participant)
        if participant.couple_id is None:
            assert read.couple is None
        else:
            assert _fields(read.couple) == _fields(participant.couple)
    assert participant_with_couple(0) is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_keeps_every_live_statement_prepared_through_a_rollback(running_couple):
    """On PostgreSQL each statement of this module is parsed and planned once per connection (realtime/prepared.py,
    _send_together): after the reads run, the connection holds every one of them prepared. PostgreSQL keeps
    prepared statements through a rollback, and nothing of psycopg's deallocates them (config/settings.py leaves
    preparing to this module): the reads after one give the same rows without preparing anything again."""
    from django.db import IntegrityError, connection, transaction

    session, space, participant, _, device = running_couple
    arguments = _arguments(session, space, participant, device)
    reads = [(prepared, arguments[name]) for name, prepared in _every_prepared().items()]

    def read_them():
        with transaction.atomic():  # one of them locks (select_for_update)
            together = [_rows(result) for result in read_together(*reads)]
            assert [_rows(prepared(*args)) for prepared, args in reads] == together
            return together

    rows = read_them()

    def prepared_here():
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, statement FROM pg_prepared_statements")
            return dict(cursor.fetchall())

    def as_postgresql_has_it(prepared, args):  # sent with the values apart, as $1, $2...
        sql = prepared._compiled(len(args), "default").sql
        for number in range(1, sql.count("%s") + 1):
            sql = sql.replace("%s", f"${number}", 1)
        return sql

    statements = {as_postgresql_has_it(prepared, args) for prepared, args in reads}
    record = insert_statement(ProcessedCommand, client="p1", message_id="m1", created_at=timezone.now())
    record.run()
    before = prepared_here()
    assert statements <= set(before.values())
    with pytest.raises(IntegrityError), transaction.atomic():
        record.run()  # the same row again breaks the unique constraint: the transaction rolls back
    assert read_them() == rows
    assert prepared_here() == before


def _commands(client):
    return ProcessedCommand.objects.filter(client=client).values_list("message_id")


def _record(message_id):
    return insert_statement(ProcessedCommand, client="p1", message_id=message_id, created_at=timezone.now())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_statements_sent_in_a_transaction_of_djangos_are_part_of_it():
    """Inside atomic(), a statement of this module that comes first opens the transaction (as psycopg would, with
    its BEGIN), and the rollback takes back what it wrote; one that comes after an ORM write sees that write."""
    from django.db import transaction

    commands = Prepared(_commands)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        _record("m1").run()
        assert commands("p1") == [("m1",)]
        1 / 0  # noqa: B018 - a failure in the block: the transaction rolls back
    assert commands("p1") == []
    with transaction.atomic():
        ProcessedCommand.objects.create(client="p1", message_id="m2", created_at=timezone.now())
        assert commands("p1") == [("m2",)]
        transaction.set_rollback(True)
    assert commands("p1") == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_statements_deallocated_behind_its_back_are_prepared_again():
    """Should something deallocate the connection's prepared statements (DEALLOCATE ALL), the next statement
    outside a transaction is prepared again and runs; inside one, it fails as a database error (the transaction
    is rolled back as for any), and the one after is prepared again."""
    from django.db import DatabaseError, connection, transaction

    commands = Prepared(_commands)
    _record("m1").run()

    def deallocate_all():
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")

    deallocate_all()
    assert commands("p1") == [("m1",)]
    deallocate_all()
    with pytest.raises(DatabaseError), transaction.atomic():
        commands("p1")
    assert commands("p1") == [("m1",)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_after_a_failing_one_is_prepared_when_next_sent():
    """A statement first sent after one that fails in the same pipeline was never prepared (PostgreSQL skips the
    rest of the pipeline): the next time it is sent, it is prepared then, under a name not used before."""
    from django.db import IntegrityError, transaction

    fresh = Prepared(lambda client: ProcessedCommand.objects.filter(client=client).values_list("message_id", "id"))
    _record("m1").run()
    with pytest.raises(IntegrityError), transaction.atomic():
        read_together(_record("m1"), (fresh, ("p1",)))  # the INSERT fails before the read's PREPARE runs
    with transaction.atomic():  # where a statement found missing would fail, not be prepared again and sent
        assert [message_id for message_id, _ in fresh("p1")] == ["m1"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_takes_values_of_different_types_from_one_call_to_the_next():
    """psycopg sends a small integer as an int2 and a large one as an int8: the same read with either gives its
    rows (each kind of values has a statement of its own)."""
    by_id = Prepared(lambda pk: ProcessedCommand.objects.filter(pk=pk).values_list("message_id"))
    _record("m1").run()
    (pk,) = ProcessedCommand.objects.values_list("pk", flat=True)
    assert by_id(pk) == [("m1",)]
    assert by_id(2**40) == []
    assert by_id(pk) == [("m1",)]


@pytest.mark.postgres
def test_datetimes_come_as_the_orms_with_time_zones_and_without(space_with_entries):
    """On PostgreSQL a datetime is read by psycopg's compiled reader where that gives Django's (the connection in
    Django's time zone), else by Django's own: either way the value, and its zone, are the ORM's."""
    from django.test import override_settings

    _, space, _ = space_with_entries

    def build(space_id):
        return CoupleEntry.objects.filter(space_id=space_id).values_list("created_at").order_by("pk")

    entries = Prepared(build)

    def ours_and_the_orms():
        ours, orms = [row[0] for row in entries(space.pk)], [row[0] for row in build(space.pk)]
        assert len(ours) == len(PAYLOADS)
        assert ours == orms and [value.tzinfo for value in ours] == [value.tzinfo for value in orms]
        return ours

    assert all(value.tzinfo is not None for value in ours_and_the_orms())
    with override_settings(USE_TZ=False):
        assert all(value.tzinfo is None for value in ours_and_the_orms())
    assert all(value.tzinfo is not None for value in ours_and_the_orms())


@pytest.mark.postgres
def test_what_it_keeps_of_a_connection_goes_with_the_connection(db):
    """The statements prepared on a connection and its adapters are kept beside it, not holding it: a connection
    the pool lets go is freed."""
    import gc
    import weakref

    import psycopg
    from django.db import connection

    from realtime.prepared import _named, _named_on

    conn = psycopg.connect(**connection.get_connection_params())
    freed = weakref.ref(conn)
    _named_on(conn).adapting(connection, conn)
    assert conn in _named
    conn.close()
    del conn
    gc.collect()
    assert freed() is None
