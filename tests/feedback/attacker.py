"""The harness of tests/feedback/test_unlinkable.py: a room whose answers are stored, and someone who holds the
database and tries to tell who answered what (issue 15, point 2).

The room: a PostgreSQL cluster of its own (tests/e2e/canary_capture.py), a Redis of its own, two Attune server
processes, a session with seven couples who joined by code and paired by the key exchange, and a facilitator who
adds two prompts live over the socket. Then the fourteen participants answer one at a time over the real socket
protocol, the scale prompt first and the text prompt after, each with a value the test records.

The attacker knows nothing of Attune's models. From the catalog it takes every table whose name starts with
`feedback_`, the columns that name a participant (a foreign key to realtime_participant, or "participant" in the
column's name) and every other column that could hold an answer (jsonb, json, text, varchar, bytea). A stored
answer is found as its bytes: a text answer is a canary (canary_capture.Canaries: found as written or in base64)
and a scale answer is found where a column holds exactly the bytes PostgreSQL stores for that number in a column
of that type (the attacker asks PostgreSQL, in a scratch database, how it stores each number).

It reads three things, each as a sequence of states of the feedback tables (who has a row, which answers are
readable):
- old row versions: every tuple of every block with pageinspect, dead ones included; the state after each
  transaction is the tuples with t_xmin <= xid < t_xmax. It holds one snapshot open through the session
  (`old_snapshot`), so no pruning removes a dead tuple before it reads them; the pages' raw bytes, free space
  included, are searched for text answers too.
- the WAL: pg_waldump lists every record; the records of the feedback tables are read from the WAL files and
  replayed (inserts, deletes, updates; their tuples decoded by pageinspect's tuple_data_split, full-page images by
  heap_page_items); a state after each transaction. Every WAL file's bytes are searched for text answers too,
  whatever table wrote them.
- the live tables: plain SELECTs after every answer.

What it does not read: indexes (no answer in them today), TOAST tables (answers are small), compressed full-page
images (wal_compression is off, the default). If a new storage hides which participant a row is for, the attack
stops seeing every participant and the tests fail as blind: teach `feedback_tables` how to read it. The couples
are walk-ins: the facilitator admits them from the console before the prompts open (issue 15, point 1).

Linking (`link`): between consecutive states, what appeared (a participant's row, a readable answer). A tie is a
participant who appeared alone beside exactly one answer that appeared alone, in the same change, the change just
after or the change just before (the attacker knows the code, so it tries the three). A tie is right when that
answer is the participant's own.
"""

import contextlib
import json
import random
import re
import shutil
import struct
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import psycopg
from psycopg import sql
from websockets.sync.client import connect

from tests.e2e.canary_capture import Canaries, find_canaries, own_postgres
from tests.e2e.test_feedback import SocketPhone, _couple_by_http
from tests.platform.servers import server_env, uvicorn_processes
from tests.support import ROOT, private_redis, require_binary

COUPLES = 7
SCALE_Q = "How close do you feel to your partner right now?"
TEXT_Q = "What should the facilitator know?"
SCALE = {"min": 0, "max": 10, "min_label": "Not at all", "max_label": "Very"}
PROMPTS = [
    {"kind": "scale", "question": SCALE_Q, "scale": SCALE},
    {"kind": "text", "question": TEXT_Q},
]
PAUSE_S = 0.05  # after each answer (and a CHECKPOINT): transactions well apart, as in a real room


# --- the room ---------------------------------------------------------------------------------------------------


@dataclass
class Person:
    name: str
    participant_id: int
    phone: SocketPhone
    scale: int  # what they answer to SCALE_Q
    text: str  # what they answer to TEXT_Q: a canary


@dataclass
class Room:
    cluster: object  # canary_capture.OwnPostgres
    people: list
    canaries: Canaries

    def answer_one_at_a_time(self, after_each=lambda person, kind: None):
        """Everyone answers the scale prompt, one at a time, then the text prompt; `after_each(person, kind)` runs
        after each answer is acknowledged (the server acknowledges once it is stored)."""
        for question, kind in ((SCALE_Q, "scale"), (TEXT_Q, "text")):
            for person in self.people:
                person.phone.answer(question, getattr(person, kind))
                self.cluster.sql("CHECKPOINT")
                time.sleep(PAUSE_S)
                after_each(person, kind)

    def truth(self):
        """participant id -> {"scale": value, "text": canary}: what each one answered."""
        return {p.participant_id: {"scale": p.scale, "text": p.text} for p in self.people}


@contextlib.contextmanager
def feedback_room():
    """The room, ready to answer: its cluster, Redis and servers are stopped and removed afterwards."""
    with own_postgres() as cluster, private_redis() as (_, redis_url):
        keep_every_trace(cluster)
        seeded = migrate_and_seed(server_env(DATABASE_URL=cluster.url(), REDIS_URL=redis_url))
        session = SimpleNamespace(pk=seeded["session_id"], join_code=seeded["join_code"])
        with (
            uvicorn_processes(2, DATABASE_URL=cluster.url(), REDIS_URL=redis_url) as servers,
            contextlib.ExitStack() as sockets,
        ):
            bases = [base for _, base in servers]
            canaries, scales = Canaries(), scale_answers(2 * COUPLES)
            people = []
            for n in range(COUPLES):
                names = (f"P{2 * n + 1:02d}", f"P{2 * n + 2:02d}")
                devices = _couple_by_http(bases[n % 2], session, *((name, True) for name in names))
                for i, (name, device) in enumerate(zip(names, devices, strict=True)):
                    # each partner's socket on another server process: their frames cross Redis
                    phone = SocketPhone(sockets, bases[(n + i) % 2], session.pk, device, name)
                    people.append(Person(name, 0, phone, scales[len(people)], canaries.new(name)))
            ids = participant_ids(cluster)
            for person in people:
                person.participant_id = ids[person.name]
            admit_walk_ins(bases[0], session.pk, seeded["cookie"], COUPLES)
            add_prompts(bases[0], session.pk, seeded["cookie"], PROMPTS)
            yield Room(cluster, people, canaries)


def scale_answers(count):
    """Random numbers on the scale, no two neighbours (in the answering order) alike: a tie to a neighbour's answer
    is then never right by chance."""
    rng, numbers = random.SystemRandom(), []
    while len(numbers) < count:
        number = rng.randint(SCALE["min"], SCALE["max"])
        if not numbers or number != numbers[-1]:
            numbers.append(number)
    return numbers


@contextlib.contextmanager
def old_snapshot(cluster):
    """A transaction that holds one snapshot open, as a pg_dump running through the session does: while it is
    open, no read or write may prune the row versions it could see, so every dead tuple stays on its page."""
    with psycopg.connect(cluster.url()) as holder:
        holder.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        holder.execute("SELECT count(*) FROM pg_class")  # the snapshot is taken by the first statement
        yield
        holder.rollback()


def keep_every_trace(cluster):
    """The attacker's best case: no autovacuum, so every old row version stays until it is read (only the pruning
    that reads and writes do on a full page removes some), and the WAL is kept, as an archive or a backup keeps it."""
    cluster.sql("ALTER SYSTEM SET autovacuum = off", database="postgres")
    cluster.sql("ALTER SYSTEM SET wal_keep_size = '1GB'", database="postgres")
    cluster.sql("SELECT pg_reload_conf()", database="postgres")


SEED = """
import json
from django.core.management import call_command
from tests.feedback.attacker import seed_session
call_command("migrate", verbosity=0)
print(json.dumps(seed_session()))
"""


def migrate_and_seed(env):
    """The schema and the session, made in a Django process of their own against the room's cluster."""
    command = [sys.executable, "manage.py", "shell", "-c", SEED]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    if result.returncode != 0:
        raise RuntimeError(f"migrating and seeding failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def seed_session():
    """Runs inside `manage.py shell`: an online workshop (the built-in 90-minute program) with room for the seven
    couples, whose session started five minutes ago, and a signed-in session cookie for its facilitator."""
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from tests import factories
    from workshops.models import Program
    from workshops.services import scheduling

    org = factories.organization()
    facilitator = factories.member(org, "facilitator")
    workshop = scheduling.workshop_create(
        organization=org,
        program=Program.objects.get(organization=None, key="online-90"),
        title="Feedback attack",
        timezone_name="UTC",
        capacity_couples=COUPLES + 1,
        format="online",
        video_link="https://v.example/x",
    )
    start = timezone.now() - timezone.timedelta(minutes=5)
    session = scheduling.session_create(workshop=workshop, starts_at=start, ends_at=start + timezone.timedelta(hours=2))
    scheduling.workshop_set_facilitators(workshop=workshop, users=[facilitator])
    scheduling.workshop_publish(workshop=workshop)
    client = Client()
    client.force_login(facilitator)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"session_id": session.pk, "join_code": session.join_code, "cookie": cookie}


def participant_ids(cluster):
    """display name -> participant id, from the room's database (the test's ground truth, not the attacker's)."""
    with psycopg.connect(cluster.url()) as connection:
        return dict(connection.execute("SELECT display_name, id FROM realtime_participant").fetchall())


@contextlib.contextmanager
def console(base, session_id, cookie):
    """The facilitator's console socket."""
    from django.conf import settings

    url = base.replace("http://", "ws://") + f"/ws/live/{session_id}/?as=facilitator"
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
    with connect(url, origin=base, additional_headers=headers) as socket:
        yield socket


def command(socket, message_id, message):
    """Send a command on the console and wait for its ack."""
    socket.send(json.dumps({"id": message_id, **message}))
    while (frame := json.loads(socket.recv(timeout=15))).get("id") != message_id:
        pass
    assert frame["type"] == "ack", frame


def admit_walk_ins(base, session_id, cookie, couples):
    """The facilitator admits the room's walk-in couples from the console's roster (`couple.admit`), once it
    lists all `couples` of them."""
    with console(base, session_id, cookie) as socket:
        while True:
            frame = json.loads(socket.recv(timeout=15))
            if frame["type"] == "roster" and len(frame["couples"]) == couples:
                break
        for couple in frame["couples"]:
            if not couple["admitted"]:
                admit = {"type": "couple.admit", "couple_id": couple["couple_id"]}
                command(socket, f"admit-{couple['couple_id']}", admit)


def add_prompts(base, session_id, cookie, prompts):
    """The facilitator's console adds each prompt live (`feedback.add` over the staff socket)."""
    with console(base, session_id, cookie) as socket:
        for n, prompt in enumerate(prompts):
            command(socket, f"add-{n}", {"type": "feedback.add", **prompt})


# --- what the attacker reads the tables with --------------------------------------------------------------------

ANSWER_TYPES = ("jsonb", "json", "text", "character varying", "bytea")  # column types that could hold an answer
HEAP_XMAX_LOCK_ONLY, HEAP_XMIN_INVALID, HEAP_XMAX_INVALID = 0x0080, 0x0200, 0x0800
HEAP_XMIN_COMMITTED = 0x0100
HEAP_HASNULL, HEAP_NATTS_MASK = 0x0001, 0x07FF
TUPLE_HEADER = 23  # SizeofHeapTupleHeader: a tuple's null bitmap starts there


@dataclass
class Table:
    name: str
    oid: int
    filenode: int
    columns: list  # [(name, type)] by attnum, dropped columns included (tuple_data_split returns them too)
    who: list  # indexes of the columns that name a participant


@dataclass
class Tuple:
    """What one tuple says: the participants it names and the answers it holds readably."""

    who: tuple
    values: tuple
    t_data: bytes = b""


class Reader:
    """The attacker's view of the room's database: its feedback tables, and how an answer would look in them."""

    def __init__(self, cluster, canaries, scale_values):
        self.cluster, self.canaries = cluster, canaries
        self.db = psycopg.connect(cluster.url(), autocommit=True)
        self.db.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        self.tables = feedback_tables(self.db)
        self.forms = stored_forms(cluster, {t for table in self.tables for _, t in table.columns}, scale_values)

    def close(self):
        self.db.close()

    def meaning(self, table, datums, t_data=b""):
        """The participants a tuple names and the answers it holds, from its attributes' stored bytes."""
        who = tuple(int.from_bytes(datums[i], "little", signed=True) for i in table.who if datums[i] is not None)
        values = []
        for i, (_, type_) in enumerate(table.columns):
            if datums[i] is None or i in table.who:
                continue
            values += sorted(find_canaries(datums[i], self.canaries))
            if (type_, datums[i]) in self.forms:
                values.append(self.forms[(type_, datums[i])])
        return Tuple(who, tuple(values), t_data)

    def split(self, table, infomask, infomask2, bits, t_data):
        """A tuple's attributes as stored (pageinspect's tuple_data_split), or None where it cannot be read."""
        try:
            row = self.db.execute(
                "SELECT tuple_data_split(%s::oid, %s::bytea, %s::int, %s::int, %s::text)",
                (table.oid, t_data, infomask, infomask2, bits),
            ).fetchone()
        except psycopg.Error:
            return None
        return self.meaning(table, row[0], t_data)

    def page_tuples(self, table, page):
        """Every tuple of a heap page (bytes, as get_raw_page or a full-page image gives it):
        [(line pointer, xmin, xmax or 0 if none deleted it, Tuple)], aborted insertions left out."""
        items = """SELECT lp, t_xmin::text::bigint, t_xmax::text::bigint, t_infomask, t_infomask2, t_bits, t_data{}
                   FROM heap_page_items(%(page)s::bytea) WHERE t_data IS NOT NULL"""
        try:  # split in the same query; one tuple it cannot split fails the query, and then each is split alone
            split = ", tuple_data_split(%(oid)s::oid, t_data, t_infomask, t_infomask2, t_bits)"
            rows = self.db.execute(items.format(split), {"page": page, "oid": table.oid}).fetchall()
        except psycopg.Error:
            rows = [(*row, False) for row in self.db.execute(items.format(""), {"page": page}).fetchall()]
        found = []
        for lp, xmin, xmax, infomask, infomask2, bits, t_data, datums in rows:
            if infomask & HEAP_XMIN_INVALID and not infomask & HEAP_XMIN_COMMITTED:
                continue
            deleted_by = 0 if infomask & (HEAP_XMAX_INVALID | HEAP_XMAX_LOCK_ONLY) else xmax
            if datums is False:
                read = self.split(table, infomask, infomask2, bits, bytes(t_data))
            else:
                read = self.meaning(table, datums, bytes(t_data))
            found.append((lp, xmin, deleted_by, read))
        return found


def feedback_tables(db):
    """Every table whose name starts with feedback_, as the catalog describes it."""
    tables = []
    rows = db.execute(
        r"""SELECT c.oid, c.relname, pg_relation_filenode(c.oid) FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname = 'public' AND c.relname LIKE 'feedback\_%' ORDER BY c.relname"""
    ).fetchall()
    for oid, name, filenode in rows:
        columns = db.execute(
            """SELECT attnum, CASE WHEN attisdropped THEN NULL ELSE attname END, format_type(atttypid, NULL)
               FROM pg_attribute WHERE attrelid = %s AND attnum > 0 ORDER BY attnum""",
            (oid,),
        ).fetchall()
        to_participant = {
            n
            for (n,) in db.execute(
                """SELECT unnest(conkey) FROM pg_constraint
                   WHERE conrelid = %s AND contype = 'f' AND confrelid = 'realtime_participant'::regclass""",
                (oid,),
            ).fetchall()
        }
        who = [num - 1 for num, col, _ in columns if col and (num in to_participant or "participant" in col)]
        tables.append(Table(name, oid, filenode, [(col, type_) for _, col, type_ in columns], who))
    return tables


def stored_forms(cluster, types, scale_values):
    """{(column type, stored bytes): scale value}: how PostgreSQL stores each scale answer in a column of each type
    that could hold an answer, asked of it in a scratch database (a JSON number in jsonb, its digits in text)."""
    cluster.sql("CREATE DATABASE attacker", database="postgres")
    forms = {}
    with psycopg.connect(cluster.url("attacker"), autocommit=True) as scratch:
        scratch.execute("CREATE EXTENSION pageinspect")
        for n, type_ in enumerate(sorted(t for t in types if t in ANSWER_TYPES)):
            probe = sql.Identifier(f"probe_{n}")
            scratch.execute(sql.SQL("CREATE TABLE {} (v {})").format(probe, sql.SQL(type_)))
            for value in sorted(set(scale_values)):
                scratch.execute(sql.SQL("INSERT INTO {} VALUES (%s::{})").format(probe, sql.SQL(type_)), [str(value)])
            stored = scratch.execute(
                """SELECT (tuple_data_split(%(name)s::regclass::oid, t_data, t_infomask, t_infomask2, t_bits))[1]
                   FROM heap_page_items(get_raw_page(%(name)s, 0)) ORDER BY lp""",
                {"name": f"probe_{n}"},
            ).fetchall()
            forms.update({(type_, raw): v for (raw,), v in zip(stored, sorted(set(scale_values)), strict=True)})
    return forms


# --- attack A: every row version, dead ones included (pageinspect) ------------------------------------------------


def row_versions(reader):
    """Every tuple of every block of every feedback table: [(table, xmin, xmax, Tuple)] (unreadable ones as None),
    and the text answers found anywhere in those pages' bytes (a pruned tuple's bytes may stay in free space)."""
    versions, in_pages = [], set()
    for table in reader.tables:
        blocks = reader.db.execute(
            "SELECT pg_relation_size(%s::oid::regclass) / current_setting('block_size')::int", (table.oid,)
        ).fetchone()[0]
        for block in range(blocks):
            page = bytes(reader.db.execute("SELECT get_raw_page(%s::text, %s::int)", (table.name, block)).fetchone()[0])
            versions += [(table, xmin, xmax, t) for _, xmin, xmax, t in reader.page_tuples(table, page)]
            in_pages |= find_canaries(page, reader.canaries)
    return versions, in_pages


def states_from_versions(versions):
    """The feedback tables after each transaction that wrote them: the tuples it and earlier ones inserted and no
    transaction up to it deleted. [(xid, who Counter, values Counter)]."""
    xids = sorted({xmin for _, xmin, _, _ in versions} | {xmax for _, _, xmax, _ in versions if xmax})
    for xid in xids:
        visible = [t for _, xmin, xmax, t in versions if t and xmin <= xid and not (xmax and xmax <= xid)]
        yield xid, Counter(p for t in visible for p in t.who), Counter(v for t in visible for v in t.values)


# --- attack B: the WAL (pg_waldump, and the records' bytes) -------------------------------------------------------

RM_HEAP2, RM_HEAP = 9, 10
HEAP_INSERT, HEAP_DELETE, HEAP_UPDATE, HEAP_HOT_UPDATE = 0x00, 0x10, 0x20, 0x40
UPDATE_PREFIX_FROM_OLD, UPDATE_SUFFIX_FROM_OLD = 0x20, 0x40
BLOCK_FORK_MASK, BLOCK_HAS_IMAGE, BLOCK_SAME_REL = 0x0F, 0x10, 0x80
IMAGE_HAS_HOLE = 0x01
WALDUMP_LINE = re.compile(r"^rmgr: (\S+)\s+len \(rec/tot\):\s*\d+/\s*(\d+), tx:\s*(\d+), lsn: ([0-9A-F]+)/([0-9A-F]+)")
REL = re.compile(r"rel (\d+)/(\d+)/(\d+)")


@dataclass
class Block:
    rel: tuple  # (tablespace, database, filenode)
    fork: int  # 0: the main fork, the heap's pages
    number: int
    page: bytes | None  # its full-page image, if the record holds one (uncompressed)
    data: bytes


@dataclass
class Record:
    lsn: int
    xid: int
    rmid: int
    info: int
    blocks: list = field(default_factory=list)
    main: bytes = b""


class Wal:
    """The cluster's WAL files, read as one stream of bytes by LSN (page headers skipped)."""

    def __init__(self, reader):
        self.folder = Path(reader.cluster.data) / "pg_wal"
        settings = dict(
            reader.db.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN ('wal_segment_size', 'wal_block_size', "
                "'block_size', 'server_version_num')"
            ).fetchall()
        )
        self.segment, self.page = int(settings["wal_segment_size"]), int(settings["wal_block_size"])
        self.block = int(settings["block_size"])
        # a compressed full-page image is not decoded: the cluster runs with wal_compression off, the default
        self.compressed = 0x1C if int(settings["server_version_num"]) >= 150000 else 0x02
        self.timeline = reader.db.execute("SELECT timeline_id FROM pg_control_checkpoint()").fetchone()[0]

    def read(self, lsn, length):
        out = bytearray()
        while len(out) < length:
            if lsn % self.page == 0:  # a page header: long on a segment's first page
                lsn += 40 if lsn % self.segment == 0 else 24
            take = min(length - len(out), self.page - lsn % self.page)
            segno, offset = divmod(lsn, self.segment)
            per_id = 0x100000000 // self.segment
            name = f"{self.timeline:08X}{segno // per_id:08X}{segno % per_id:08X}"
            with (self.folder / name).open("rb") as segment:
                segment.seek(offset)
                out += segment.read(take)
            lsn += take
        return bytes(out)

    def record(self, lsn):
        """The record at `lsn`, decoded as DecodeXLogRecord does: its header, block references (with their images
        and data) and main data."""
        head = self.read(lsn, 24)
        total, xid = struct.unpack_from("<II", head)
        raw = self.read(lsn, total)
        record = Record(lsn, xid, rmid=raw[17], info=raw[16])
        pos, payload, main_length, rel, headers = 24, 0, 0, None, []
        while total - pos > payload:
            block_id = raw[pos]
            if block_id in (255, 254):  # main data's length: short or long
                main_length = raw[pos + 1] if block_id == 255 else struct.unpack_from("<I", raw, pos + 1)[0]
                pos += 2 if block_id == 255 else 5
                break  # by convention the last header
            if block_id in (253, 252):  # replication origin, top-level xid
                pos += 3 if block_id == 253 else 5
                continue
            flags, data_length = raw[pos + 1], struct.unpack_from("<H", raw, pos + 2)[0]
            pos += 4
            image = None
            if flags & BLOCK_HAS_IMAGE:
                image_length, hole_offset, image_info = struct.unpack_from("<HHB", raw, pos)
                pos += 5
                hole = 0
                if image_info & IMAGE_HAS_HOLE:
                    if image_info & self.compressed:
                        hole = struct.unpack_from("<H", raw, pos)[0]
                        pos += 2
                    else:
                        hole = self.block - image_length
                image = (image_length, hole_offset, hole, bool(image_info & self.compressed))
                payload += image_length
            if not flags & BLOCK_SAME_REL:
                rel = struct.unpack_from("<III", raw, pos)
                pos += 12
            number = struct.unpack_from("<I", raw, pos)[0]
            pos += 4
            payload += data_length
            headers.append((rel, flags & BLOCK_FORK_MASK, number, image, data_length))
        for rel, fork, number, image, data_length in headers:
            page = None
            if image:
                length, hole_offset, hole, compressed = image
                stored, pos = raw[pos : pos + length], pos + length
                if not compressed:
                    page = stored[:hole_offset] + bytes(hole) + stored[hole_offset:]
            record.blocks.append(Block(rel, fork, number, page, raw[pos : pos + data_length]))
            pos += data_length
        record.main = raw[pos : pos + main_length]
        return record


def wal_records(reader):
    """Every WAL record that touches a feedback table, in order (pg_waldump lists them; their bytes are read here);
    how many records it listed in all; the database's oid."""
    waldump = shutil.which("pg_waldump", path=reader.cluster.bindir) or require_binary("pg_waldump")
    reader.db.execute("CHECKPOINT")
    database = reader.db.execute("SELECT oid FROM pg_database WHERE datname = current_database()").fetchone()[0]
    end = reader.db.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]
    wal = Wal(reader)
    first = min(p.name for p in wal.folder.iterdir() if re.fullmatch(r"[0-9A-F]{24}", p.name))
    start = (int(first[8:16], 16) * (0x100000000 // wal.segment) + int(first[16:], 16)) * wal.segment
    command = [waldump, "-p", str(wal.folder), "-s", f"{start >> 32:X}/{start & 0xFFFFFFFF:X}", "-e", end]
    listing = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if listing.returncode != 0:
        raise RuntimeError(f"pg_waldump failed: {listing.stderr}")
    ours = {str(t.filenode) for t in reader.tables}
    records, listed = [], 0
    for line in listing.stdout.splitlines():
        found = WALDUMP_LINE.match(line)
        if not found:
            continue
        listed += 1
        rels = REL.findall(line)
        if any(db == str(database) and node in ours for _, db, node in rels):
            records.append(wal.record((int(found[4], 16) << 32) + int(found[5], 16)))
    return records, listed, database


class WalReplay:
    """The feedback tables rebuilt from their WAL records: tuples by (filenode, block, line pointer)."""

    def __init__(self, reader, database):
        self.reader, self.database = reader, database
        self.tables = {t.filenode: t for t in reader.tables}
        self.located = {}
        self.unreadable = 0  # inserted tuples this replay could not decode
        self.in_images = []  # every tuple of every full-page image of a feedback table

    def states(self, records):
        """The feedback tables after each transaction: [(xid, who Counter, values Counter)]."""
        xid = None
        for record in records:
            for block in record.blocks:
                if block.page and self._table(block):
                    self.in_images += [t for *_, t in self.reader.page_tuples(self._table(block), block.page) if t]
            if record.xid == 0:  # pruning, freezing, visibility: no transaction's insert or delete
                continue
            if xid is not None and record.xid != xid:
                yield xid, *self._counts()
            xid = record.xid
            self._replay(record)
        if xid is not None:
            yield xid, *self._counts()

    def _table(self, block):
        """The feedback table whose heap (main fork) the block is, or None."""
        ours = block.rel and block.rel[1] == self.database and block.fork == 0
        return self.tables.get(block.rel[2]) if ours else None

    def _counts(self):
        live = [t for t in self.located.values() if t]
        return Counter(p for t in live for p in t.who), Counter(v for t in live for v in t.values)

    def _replay(self, record):
        if record.rmid != RM_HEAP or not record.blocks or not self._table(record.blocks[0]):
            return  # Heap2's multi-insert is COPY's; Django never uses it
        op, new = record.info & 0x70, record.blocks[0]
        if op == HEAP_INSERT:
            offset = struct.unpack_from("<H", record.main)[0]
            self.located[(new.rel[2], new.number, offset)] = self._tuple(new, offset)
        elif op == HEAP_DELETE:
            self.located.pop((new.rel[2], new.number, struct.unpack_from("<H", record.main, 4)[0]), None)
        elif op in (HEAP_UPDATE, HEAP_HOT_UPDATE):
            old_block = record.blocks[1] if len(record.blocks) > 1 else new
            old_offset = struct.unpack_from("<H", record.main, 4)[0]
            old = self.located.pop((old_block.rel[2], old_block.number, old_offset), None)
            offset = struct.unpack_from("<H", record.main, 12)[0]
            self.located[(new.rel[2], new.number, offset)] = self._tuple(new, offset, old, flags=record.main[7])

    def _tuple(self, block, offset, old=None, flags=0):
        """The tuple a record wrote at `offset`: from its data (xl_heap_header, then the tuple from its null bitmap
        on; an update may leave out a prefix and suffix shared with the old tuple), or from its full-page image."""
        table = self._table(block)
        if not block.data:  # left out because the record holds the page's image, which holds the tuple
            on_page = self.reader.page_tuples(table, block.page) if block.page else []
            found = [t for lp, *_, t in on_page if lp == offset]
            return self._readable(found[0] if found else None)
        data, prefix, suffix = block.data, 0, 0
        if flags & UPDATE_PREFIX_FROM_OLD:
            prefix, data = struct.unpack_from("<H", data)[0], data[2:]
        if flags & UPDATE_SUFFIX_FROM_OLD:
            suffix, data = struct.unpack_from("<H", data)[0], data[2:]
        infomask2, infomask, hoff = struct.unpack_from("<HHB", data)
        body = data[5:]
        if (prefix or suffix) and old is None:
            return self._readable(None)
        shared = old.t_data if old else b""
        t_data = shared[:prefix] + body[hoff - TUPLE_HEADER :] + (shared[len(shared) - suffix :] if suffix else b"")
        bits = None
        if infomask & HEAP_HASNULL:
            width = ((infomask2 & HEAP_NATTS_MASK) + 7) // 8 * 8
            bits = "".join("1" if body[i // 8] >> (i % 8) & 1 else "0" for i in range(width))
        return self._readable(self.reader.split(table, infomask, infomask2, bits, t_data))

    def _readable(self, found):
        if found is None:
            self.unreadable += 1
        return found


# --- attack C: the live tables, read after every answer ------------------------------------------------------------


def live_state(db, tables, canaries, scale_values):
    """One read of every feedback table as anyone holding the database reads it: (who Counter, values Counter). An
    answer column holds a scale answer when PostgreSQL prints it as exactly that number."""
    who, values = Counter(), Counter()
    numbers = {str(v): v for v in scale_values}
    for table in tables:
        columns = [(i, name, type_) for i, (name, type_) in enumerate(table.columns) if name]
        query = sql.SQL("SELECT {} FROM {}").format(
            sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(name)) for _, name, _ in columns),
            sql.Identifier(table.name),
        )
        for row in db.execute(query).fetchall():
            for (i, _, type_), cell in zip(columns, row, strict=True):
                if cell is None:
                    continue
                if i in table.who:
                    who[int(cell)] += 1
                elif type_ in ANSWER_TYPES:
                    values.update(find_canaries(cell.encode(), canaries))
                    if cell in numbers:
                        values[numbers[cell]] += 1
    return who, values


# --- linking --------------------------------------------------------------------------------------------------------

STRATEGIES = ("same change", "answer in the change just after", "answer in the change just before")


@dataclass
class Change:
    label: object  # an xid, or the number of the read
    new_who: Counter
    new_values: Counter


@dataclass
class Findings:
    """What one attack got: the participants it saw answer, the answers it could read, its ties."""

    name: str
    seen: set = field(default_factory=set)  # participants whose rows it saw
    readable: Counter = field(default_factory=Counter)  # answer values it found stored readably, with how often
    changes: list = field(default_factory=list)
    ties: dict = field(default_factory=dict)  # strategy -> [(participant, value)]

    def right(self, strategy, truth):
        """The ties of `strategy` that name a participant's own answer: {(participant, "scale" or "text")}."""
        return {
            (who, kind)
            for who, value in self.ties[strategy]
            for kind in ("scale", "text")
            if who in truth and truth[who][kind] == value and isinstance(value, type(truth[who][kind]))
        }


def link(name, states, extra_readable=()):
    """Tie participants to answers across consecutive states (see the module's docstring)."""
    findings = Findings(name)
    before_who, before_values = Counter(), Counter()
    for label, who, values in states:
        findings.seen |= set(who)
        findings.readable |= values
        change = Change(label, who - before_who, values - before_values)
        if change.new_who or change.new_values:
            findings.changes.append(change)
        before_who, before_values = who, values
    findings.readable.update(extra_readable)
    findings.ties = {strategy: [] for strategy in STRATEGIES}
    changes = findings.changes
    for i, change in enumerate(changes):
        if change.new_who.total() != 1:
            continue
        (who,) = change.new_who
        neighbours = zip(STRATEGIES, (i, i + 1, i - 1), strict=True)
        for strategy, j in neighbours:
            if not 0 <= j < len(changes) or (j != i and changes[j].new_who):
                continue
            if changes[j].new_values.total() == 1:
                findings.ties[strategy].append((who, next(iter(changes[j].new_values))))
    return findings


def describe(findings, truth, canaries, extra=""):
    """A few lines for the test's report: what the attack saw and how many of its ties were right."""
    texts = {v for v in findings.readable if isinstance(v, str)}
    numbers = sum(1 for v in findings.readable if not isinstance(v, str))
    lines = [
        f"{findings.name}: {len(findings.changes)} changes; rows of {len(findings.seen & set(truth))}/{len(truth)} "
        f"participants seen; readable: {len(texts)}/{len(truth)} text canaries, {numbers} distinct scale numbers"
        + (f"; {extra}" if extra else "")
    ]
    for strategy in STRATEGIES:
        ties, right = findings.ties[strategy], findings.right(strategy, truth)
        exposed = {who for who, _ in right}
        by_kind = {k: sum(1 for _, kind in right if kind == k) for k in ("scale", "text")}
        lines.append(
            f"  ties, {strategy}: {len(ties)}, right {len(right)} (scale {by_kind['scale']}/{len(truth)}, "
            f"text {by_kind['text']}/{len(truth)}; participants exposed {len(exposed)}/{len(truth)})"
        )
    examples = [(w, v) for s in STRATEGIES for w, v in findings.ties[s] if w in truth and truth[w]["text"] == v]
    for who, value in examples[:3]:
        lines.append(f"  e.g. participant {who} wrote {canaries.label(value)}")
    return "\n".join(lines)
