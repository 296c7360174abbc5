"""Anonymous feedback that stays anonymous: the release rule, and storage that cannot be linked back."""

import itertools

import pytest
from django.db import connection

from feedback import keys, pending, services
from feedback.models import PendingSet, Prompt, Receipt, Release, ReleasedAnswer
from feedback.selectors import result
from realtime.errors import LiveError
from realtime.services.session import session_set_k
from tests.feedback.conftest import Room
from workshops.services import organizations

pytestmark = pytest.mark.django_db(transaction=True)


def scale_prompt(room):
    return services.prompt_add_live(session=room.session, data={"kind": "scale", "question": "How was it?"})


def answer_all(prompt, people, values):
    for person, value in zip(people, values, strict=True):
        services.answer(prompt=prompt, participant=person, value=value)


def test_nothing_is_released_below_k_answers(room):
    people = room.couples(2)  # 4 answers from 2 couples, k = 5
    prompt = scale_prompt(room)
    answer_all(prompt, people, [1, 2, 3, 4])
    assert services.show(prompt=prompt) is None
    assert result(prompt) is None
    assert ReleasedAnswer.objects.count() == 0
    prompt.refresh_from_db()
    assert prompt.on_projector is False


def test_k_answers_from_three_couples_are_released_shuffled_and_pending_rows_deleted(room):
    people = room.couple() + room.couple() + room.couple()[:1]
    prompt = scale_prompt(room)
    answer_all(prompt, people, [5, 4, 4, 2, 1])
    made = services.show(prompt=prompt)
    assert (made.answers, made.couples) == (5, 3)
    prompt.refresh_from_db()
    assert (result(prompt)["answers"], result(prompt)["couples"]) == (5, 3)
    assert PendingSet.objects.count() == 0 and keys.current(prompt.pk) is None  # the set and its key are gone
    assert result(prompt)["counts"] == [{"value": v, "count": c} for v, c in [(1, 1), (2, 1), (3, 0), (4, 2), (5, 1)]]
    assert set(Receipt.objects.values_list("released", flat=True)) == {True}


def test_k_answers_from_two_couples_are_not_enough():
    room = Room(k=3)
    people = room.couples(2)
    prompt = scale_prompt(room)
    answer_all(prompt, people, [1, 2, 3, 4])
    assert services.close(prompt=prompt) is None
    assert result(prompt) is None


def refused(prompt, person, **answer):
    with pytest.raises(LiveError) as caught:
        services.answer(prompt=prompt, participant=person, **answer)
    return caught.value.code


def test_only_couples_in_the_session_and_admitted_when_a_prompt_opened_may_answer_it(room):
    """Invented walk-ins (issue 15, point 1): a participant in no couple, a walk-in couple nobody admitted and
    a couple that came, or was admitted, after the prompt opened can neither answer nor pass it; the count of
    couples who can answer is frozen when it opens and never goes down."""
    from realtime.services import joining

    real = room.couples(3)
    waiting = room.couple(("W1", "W2"), admitted=False)
    prompt = scale_prompt(room)
    assert (len(prompt.eligible), prompt.walk_ins) == (3, 3)  # Room's couples are admitted walk-ins
    assert refused(prompt, room.walk_in("Solo"), value=3) == "not_eligible"
    assert refused(prompt, waiting[0], value=3) == "not_eligible"
    assert refused(prompt, waiting[0], passed=True) == "not_eligible"
    joining.couple_admit(couple=waiting[0].couple, session=room.session)  # admitted after it opened
    assert refused(prompt, waiting[1], value=3) == "not_eligible"
    assert refused(prompt, room.couple(("Late", "Comer"))[0], value=3) == "not_eligible"
    joining.couple_remove(couple=real[0].couple, session=room.session)
    prompt.refresh_from_db()
    assert (len(prompt.eligible), prompt.walk_ins) == (3, 3)  # removed, still counted
    later = scale_prompt(room)  # the admitted couple and the latecomers can answer what opens now
    assert (len(later.eligible), later.walk_ins) == (4, 4)
    services.answer(prompt=later, participant=waiting[1], value=3)
    assert Receipt.objects.filter(prompt=prompt).count() == 0


def test_enrolled_couples_need_no_admitting_and_are_not_walk_ins(room):
    from tests import factories

    enrolled = room.couple(("E1", "E2"), admitted=False)[0].couple
    enrolled.enrollment, _ = factories.register(room.workshop)
    enrolled.save(update_fields=["enrollment"])
    room.couples(1)
    prompt = scale_prompt(room)
    assert (len(prompt.eligible), prompt.walk_ins) == (2, 1)


def test_every_later_release_also_needs_k_answers_from_three_couples(room):
    first, late, third = room.couple() + room.couple() + room.couple()[:1], room.couples(2), room.couple()[:1]
    prompt = scale_prompt(room)
    answer_all(prompt, first, [1, 1, 1, 1, 1])
    assert services.show(prompt=prompt).answers == 5
    answer_all(prompt, late, [5, 5, 5, 5])  # 4 more: below k
    assert services.show(prompt=prompt) is None
    assert result(prompt)["answers"] == 5
    answer_all(prompt, third, [5])  # the 5th, from a third couple
    assert services.show(prompt=prompt).answers == 5
    prompt.refresh_from_db()
    assert (result(prompt)["answers"], result(prompt)["couples"]) == (10, 6)


def test_words_and_free_text_need_at_least_eight_answers(room):
    people = room.couples(4)
    prompt = services.prompt_add_live(session=room.session, data={"kind": "words", "question": "One word?"})
    answer_all(prompt, people[:7], ["calm", "tired", "open", "calm", "shy", "warm", "calm"])
    assert services.show(prompt=prompt) is None  # 7 < max(k, 8)
    answer_all(prompt, people[7:], ["hopeful"])
    assert services.show(prompt=prompt).answers == 8
    assert result(prompt, for_projector=True)["words"][0] == {"word": "calm", "count": 3}


def test_a_hidden_word_leaves_the_projector_but_not_the_facilitators_view(room):
    people = room.couples(4)
    prompt = services.prompt_add_live(session=room.session, data={"kind": "text", "question": "Anything else?"})
    answer_all(prompt, people, [f"note {n}" for n in range(8)])
    services.show(prompt=prompt)
    target = ReleasedAnswer.objects.filter(prompt=prompt).first()
    services.hide(prompt=prompt, answer_id=target.pk, hidden=True)
    assert target.value not in [i["value"] for i in result(prompt, for_projector=True)["items"]]
    assert target.value in [i["value"] for i in result(prompt)["items"]]


def test_a_participant_answers_once_and_can_pass_and_without_consent_can_only_pass(room):
    (ana, ben), (cleo, _dan) = room.couple(), room.couple()
    prompt = scale_prompt(room)
    services.answer(prompt=prompt, participant=ana, value=3)
    with pytest.raises(LiveError, match="already answered"):
        services.answer(prompt=prompt, participant=ana, value=4)
    services.answer(prompt=prompt, participant=ben, passed=True)
    assert pending.waiting(prompt) == [3]
    cleo.feedback_consent = False
    with pytest.raises(LiveError, match="chose not to give anonymous feedback"):
        services.answer(prompt=prompt, participant=cleo, value=2)
    services.answer(prompt=prompt, participant=cleo, passed=True)


@pytest.mark.parametrize(
    ("kind", "value"),
    [("scale", 9), ("scale", "3"), ("single", 7), ("multiple", [0, 0]), ("words", "two words"), ("text", "")],
)
def test_invalid_answers_are_refused_and_nothing_is_stored(room, kind, value):
    person = room.couple()[0]
    data = {"kind": kind, "question": "Q?", "options": ["a", "b"] if kind in ("single", "multiple") else []}
    prompt = services.prompt_add_live(session=room.session, data=data)
    with pytest.raises(LiveError) as caught:
        services.answer(prompt=prompt, participant=person, value=value)
    assert caught.value.code == "bad_answer"
    assert (Receipt.objects.count(), PendingSet.objects.count()) == (0, 0)


def test_lowering_k_during_a_session_is_refused_and_the_organization_change_does_not_reach_it(room):
    assert room.state.anonymity_k == 5
    with pytest.raises(LiveError, match="can only go up"):
        session_set_k(session=room.session, k=4)
    organizations.organization_update(organization=room.org, anonymity_k=3)
    assert services.session_k(room.session) == 5
    assert session_set_k(session=room.session, k=7) == 7


# --- Storage that cannot be linked --------------------------------------------------------------------------


def test_no_feedback_table_has_a_time_or_a_link_to_a_person():
    from django.db import models

    for model in (PendingSet, ReleasedAnswer, Receipt):
        kinds = {type(f) for f in model._meta.get_fields() if f.concrete}
        assert models.DateTimeField not in kinds and models.DateField not in kinds
    for model in (ReleasedAnswer, Receipt):
        assert isinstance(model._meta.pk, models.UUIDField)
    assert {f.name for f in PendingSet._meta.get_fields() if f.concrete} == {"prompt", "sealed"}
    answer_fields = {f.name for f in ReleasedAnswer._meta.get_fields()}
    assert not answer_fields & {"participant", "couple", "receipt", "created_at", "ip", "device"}


def stored_order(table, column):
    """Rows as the database hands them out with no ORDER BY: the physical order a dump would show."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - fixed table names
        return [row[0] for row in cursor.fetchall()]


def test_the_stored_set_holds_no_answer_grows_alike_for_every_answer_and_receipts_follow_no_order(room):
    """Whoever reads the database sees one sealed set per prompt, growing by the same number of bytes whatever an
    answer says (a one-letter text or a long one), and receipts in an order unrelated to the order of answering."""
    people = room.couples(6)
    prompt = services.prompt_add_live(session=room.session, data={"kind": "text", "question": "Q?"})
    sizes = []
    for n, person in enumerate(people):
        services.answer(prompt=prompt, participant=person, value=f"answer-{n:02d} " + "long " * (n * 8))
        sealed = bytes(PendingSet.objects.get(prompt=prompt).sealed)
        assert b"answer-" not in sealed
        sizes.append(len(sealed))
    assert len({later - earlier for earlier, later in itertools.pairwise(sizes)}) == 1
    assert sorted(v.split()[0] for v in pending.waiting(prompt)) == [f"answer-{n:02d}" for n in range(12)]
    # Selecting a column outside the (prompt, participant) index reads the table itself, in physical order.
    receipts_physical = [
        row.split(":")[0] for row in stored_order("feedback_receipt", "participant_id || ':' || answered")
    ]
    assert sorted(receipts_physical) == sorted(str(p.pk) for p in people)
    assert receipts_physical != [str(p.pk) for p in people]


def test_a_release_destroys_the_key_so_no_earlier_version_of_the_set_can_be_read(room):
    people = room.couple() + room.couple() + room.couple()[:1]
    fourth = room.couple()[:1]
    prompt = scale_prompt(room)
    answer_all(prompt, people[:4], [5, 4, 4, 2])
    earlier = bytes(PendingSet.objects.get(prompt=prompt).sealed)  # as an old row version keeps it
    key = keys.current(prompt.pk)
    assert pending._open(key, prompt, earlier) is not None  # readable while the key lives
    answer_all(prompt, people[4:], [1])
    assert services.show(prompt=prompt) is not None
    assert keys.current(prompt.pk) is None
    answer_all(prompt, fourth, [3])  # the next batch has a key of its own
    assert keys.current(prompt.pk) not in (None, key)
    with pytest.raises(pending.KeyLost):
        pending._open(keys.current(prompt.pk), prompt, earlier)


def test_answers_under_a_lost_key_are_dropped_and_their_authors_may_answer_again(room):
    ana, ben = room.couple()
    prompt = scale_prompt(room)
    answer_all(prompt, [ana], [2])
    keys.destroy(prompt.pk)  # Redis, or every process, restarted
    services.answer(prompt=prompt, participant=ben, value=4)
    assert pending.waiting(prompt) == [4]
    assert list(Receipt.objects.values_list("participant_id", flat=True)) == [ben.pk]
    services.answer(prompt=prompt, participant=ana, value=2)  # told on her phone, she answers again
    assert sorted(pending.waiting(prompt)) == [2, 4]


@pytest.mark.postgres
def test_xmin_and_ctid_do_not_link_receipts_to_answers(room):
    people = room.couples(5)
    prompt = services.prompt_add_live(session=room.session, data={"kind": "text", "question": "Q?"})
    for n, person in enumerate(people):
        services.answer(prompt=prompt, participant=person, value=f"v{n}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM feedback_pendingset WHERE prompt_id = %s", [prompt.pk])
        assert cursor.fetchone() == (1,)  # one sealed set, rewritten whole with each answer
        cursor.execute("SELECT DISTINCT xmin::text FROM feedback_receipt WHERE prompt_id = %s", [prompt.pk])
        assert len(cursor.fetchall()) == 1
    services.show(prompt=prompt)
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT xmin::text FROM feedback_releasedanswer WHERE prompt_id = %s", [prompt.pk])
        assert len(cursor.fetchall()) == 1  # released in one transaction
        cursor.execute("SELECT DISTINCT xmin::text FROM feedback_receipt WHERE prompt_id = %s", [prompt.pk])
        assert len(cursor.fetchall()) == 1


@pytest.mark.postgres
def test_a_database_dump_shows_no_link(room, tmp_path):
    import shutil
    import subprocess

    if shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is needed for this test")
    people = room.couples(4)
    prompt = services.prompt_add_live(session=room.session, data={"kind": "text", "question": "Q?"})
    for n, person in enumerate(people):
        services.answer(prompt=prompt, participant=person, value=f"dumped-{n}")
    db = connection.settings_dict
    out = subprocess.run(
        [
            "pg_dump",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"] or "postgres",
            "-t",
            "feedback_pendingset",
            "-t",
            "feedback_receipt",
            "--data-only",
            db["NAME"],
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "dumped-" not in out  # the pending answers are sealed
    assert out.count("\\x") == 1  # as one set: a single bytea value
    assert sorted(pending.waiting(prompt)) == sorted(f"dumped-{n}" for n in range(8))


def test_answering_writes_nothing_but_a_receipt_and_a_pending_answer(room):
    from realtime.models import CoupleSpace, Presence, ProcessedCommand, SessionState

    person = room.couple()[0]
    prompt = scale_prompt(room)
    before = (
        SessionState.objects.get(session=room.session).version,
        CoupleSpace.objects.count(),
        Presence.objects.count(),
        ProcessedCommand.objects.count(),
        Release.objects.count(),
    )
    services.answer(prompt=prompt, participant=person, value=3)
    after = (
        SessionState.objects.get(session=room.session).version,
        CoupleSpace.objects.count(),
        Presence.objects.count(),
        ProcessedCommand.objects.count(),
        Release.objects.count(),
    )
    assert before == after
    assert (Receipt.objects.count(), len(pending.waiting(prompt)), Prompt.objects.get().version) == (1, 1, 1)


def test_closing_below_the_threshold_deletes_the_answers_that_can_never_be_released(room):
    (ana, ben), (cleo, _dan) = room.couple(), room.couple()
    prompt = scale_prompt(room)
    answer_all(prompt, [ana, ben], [2, 3])
    assert services.close(prompt=prompt) is None
    assert PendingSet.objects.count() == 0 and keys.current(prompt.pk) is None
    with pytest.raises(LiveError, match="closed"):
        services.answer(prompt=prompt, participant=cleo, value=1)


def test_on_a_shared_phone_each_partner_answers_for_themself_and_both_count_for_one_couple(room):
    from feedback.snapshots import my_feedback

    (phone,) = room.couple(("Ana",), one_phone=True)
    (alone, _partner), others = room.couple(("Cleo", "Dan")), room.couple() + room.couple()[:1]
    prompt = scale_prompt(room)
    services.answer(prompt=prompt, participant=phone, value=2)
    services.answer(prompt=prompt, participant=phone, value=4, as_partner=2)
    with pytest.raises(LiveError, match="already answered"):
        services.answer(prompt=prompt, participant=phone, value=5, as_partner=2)
    assert sorted(pending.waiting(prompt)) == [2, 4]
    assert my_feedback(room.session, phone) == {"type": "my_feedback", "done": [prompt.pk], "done_second": [prompt.pk]}
    assert refused(prompt, alone, value=3, as_partner=2) == "bad_partner"
    answer_all(prompt, others, [1, 5, 3])
    made = services.show(prompt=prompt)
    assert (made.answers, made.couples) == (5, 3)  # the shared phone's two answers, one couple


def test_while_redis_fails_an_answer_is_refused_and_can_be_sent_again(room, monkeypatch):
    """A Redis that doesn't answer (a real client, to a port nothing listens on): the answer is refused with a
    clear error, and no receipt stays behind, so the person may send it again once Redis is back."""
    from tests.support import free_port

    ana, _ben = room.couple()
    prompt = scale_prompt(room)
    monkeypatch.setattr(keys, "_store", keys._Redis(f"redis://127.0.0.1:{free_port()}/0"))
    with pytest.raises(LiveError) as refused:
        services.answer(prompt=prompt, participant=ana, value=2)
    assert refused.value.code == "feedback_unavailable"
    assert Receipt.objects.count() == 0
    monkeypatch.undo()
    services.answer(prompt=prompt, participant=ana, value=2)
    assert pending.waiting(prompt) == [2]
