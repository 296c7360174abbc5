"""Nothing stored links an anonymous answer to its author, for someone who holds the database (issue 15, point 2
and its first "Done when").

Seven couples answer two prompts (a 0-10 scale, then free text), fourteen participants one at a time over the real
socket protocol, against a PostgreSQL cluster of the test's own. Then someone who holds that database tries to tie
each participant to their answer (the harness, tests/feedback/attacker.py, says how):

- A: every row version of every `feedback_` table, dead ones included (pageinspect);
- B: the whole WAL (pg_waldump lists the records; their tuples and full-page images are decoded);
- C (the second test): the live tables, read with plain SELECTs after every single answer.

Each attack must see every participant's row (else it is blind and proves nothing), tie no participant to their own
answer, and find no answer stored readably anywhere it reads (nothing is released in this run). Every figure is
printed, and is the failure's message. Today (two transactions per answer, one for the receipt and one for the
value) all three tie every one of the 28 answers to its author.
"""

import re
import time
from collections import Counter

import psycopg
import pytest

from tests.e2e.canary_capture import find_canaries, wal_without_page_headers
from tests.feedback.attacker import (
    SCALE,
    STRATEGIES,
    Reader,
    WalReplay,
    describe,
    feedback_room,
    feedback_tables,
    link,
    live_state,
    old_snapshot,
    row_versions,
    states_from_versions,
    wal_records,
)

pytestmark = [pytest.mark.slow, pytest.mark.multiprocess]

SCALE_VALUES = range(SCALE["min"], SCALE["max"] + 1)


def test_old_row_versions_and_the_wal_tie_no_participant_to_their_answer():
    started = time.monotonic()
    with feedback_room() as room:
        answering = time.monotonic()
        # The attacker holds one snapshot open through the session, as a pg_dump running meanwhile does. Without it,
        # the pruning that reads do on full pages leaves only the last page's history (4 of 14 participants tied).
        with old_snapshot(room.cluster):
            room.answer_one_at_a_time()
            attacking = time.monotonic()
            reader = Reader(room.cluster, room.canaries, SCALE_VALUES)
            try:
                versions, in_pages = row_versions(reader)
                records, listed, database = wal_records(reader)
                replay = WalReplay(reader, database)
                wal_states = list(replay.states(records))
            finally:
                reader.close()
        in_files = Counter(_canaries_in_wal_files(room))
        truth = room.truth()
    finished = time.monotonic()
    heap = link("A. old row versions (pageinspect)", states_from_versions(versions), Counter(in_pages))
    in_images = Counter(v for t in replay.in_images for v in t.values)
    wal = link("B. WAL (pg_waldump)", wal_states, extra_readable=in_images + in_files)

    report = "\n".join(
        [
            f"{len(room.people)} participants answered one at a time; seconds: setup {answering - started:.1f}, "
            f"answers {attacking - answering:.1f}, attacks {finished - attacking:.1f}",
            describe(
                heap,
                truth,
                room.canaries,
                extra=f"{len(versions)} tuple versions; {len(in_pages)} canaries in the pages' bytes",
            ),
            describe(
                wal,
                truth,
                room.canaries,
                extra=f"{len(records)} of {listed} records touch the feedback tables; {len(in_files)} canaries in the "
                f"WAL files' bytes; {sum(in_images.values())} answers in full-page images; "
                f"{replay.unreadable} tuples not decodable",
            ),
        ]
    )
    print(report)
    problems = _problems(heap, truth) + _problems(wal, truth)
    if replay.unreadable:
        problems.append(f"{wal.name}: {replay.unreadable} written tuples not decodable: the attack is partly blind")
    assert not problems, "\n".join([*problems, "", report])


def test_reading_the_live_tables_after_every_answer_ties_no_participant_to_their_answer():
    started = time.monotonic()
    with feedback_room() as room, psycopg.connect(room.cluster.url(), autocommit=True) as db:
        tables = feedback_tables(db)
        reads = [(0, *live_state(db, tables, room.canaries, SCALE_VALUES))]

        def read_after(person, kind):
            reads.append((len(reads), *live_state(db, tables, room.canaries, SCALE_VALUES)))

        room.answer_one_at_a_time(after_each=read_after)
        truth = room.truth()
    live = link("C. live tables read after every answer", reads)

    report = "\n".join(
        [
            f"{len(truth)} participants answered one at a time; {len(reads)} reads of {len(tables)} feedback tables; "
            f"{time.monotonic() - started:.1f} s in all",
            describe(live, truth, room.canaries),
        ]
    )
    print(report)
    problems = _problems(live, truth)
    assert not problems, "\n".join([*problems, "", report])


def _problems(findings, truth):
    problems = []
    unseen = set(truth) - findings.seen
    if unseen:
        problems.append(f"{findings.name}: saw no row of {len(unseen)} participants: the attack is blind")
    for strategy in STRATEGIES:
        right = findings.right(strategy, truth)
        if right:
            exposed = len({who for who, _ in right})
            problems.append(f"{findings.name}: {exposed} participants tied to their own answer ({strategy})")
    if findings.readable:
        problems.append(f"{findings.name}: {findings.readable.total()} answers stored readably, none of them released")
    return problems


def _canaries_in_wal_files(room):
    """The text answers found in the bytes of the WAL files (as written or in base64; also across page breaks)."""
    found = set()
    for path in (room.cluster.data / "pg_wal").iterdir():
        if re.fullmatch(r"[0-9A-F]{24}", path.name):
            data = path.read_bytes()
            found |= find_canaries(data, room.canaries) | find_canaries(wal_without_page_headers(data), room.canaries)
    return found
