"""ORM queries compiled once (per database alias and thread: a compiler belongs to its thread's connection), then
run with new values.

Building and compiling a queryset costs this machine 0.4–0.7 ms of CPU each time; sending the compiled SQL and
reading its rows, about 0.1 ms. A phone's connect and a couple's message each ran about eight such queries, so
query compilation was a large part of what a live socket costs the server (docs/performance.md). A `Prepared`
query is still written with the ORM (so it stays the same on PostgreSQL and SQLite): its queryset is built
and compiled once, with stand-in values for its arguments, and each call runs that SQL with the real values,
converting the rows as the ORM would (Django's own field converters) into tuples or model instances.

Only what the ORM compiles to one plain SELECT fits: a values_list(), or a queryset of one model without
select_related or annotations (defer() and select_for_update() are fine). Arguments are compared to the
stand-ins only where they are parameters of the SQL, so each argument must be one value (not a list), passed
as it is stored (an id, not a model instance), and compared with an exact lookup or a comparison (a text
argument too: its stand-in is the text of a number).

On PostgreSQL every statement here is also prepared there, once per connection: PostgreSQL parsing and planning
the same few statements on every connect and couple message cost it more CPU than running them. And they are sent
below psycopg's cursors, at the level of libpq's protocol (_send_together), one statement or several alike.
"""

import contextlib
import re
import threading
import time
import weakref
from typing import NamedTuple

from django.db import connections
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg import adapters as psycopgs_adapters
from psycopg import errors as pg_errors
from psycopg import pq
from psycopg.adapt import AdaptersMap, PyFormat, Transformer
from psycopg.generators import fetch_many, send

# Stand-ins: integers no id or count here reaches, inside a 32-bit integer column's range (Django leaves a
# comparison with a value out of its column's range out of the SQL: it would match all rows or none).
_STAND_IN_BASE = 2_147_000_000


class Prepared:
    """A read compiled once per database alias and thread. Kept for the reads of a socket's connect and ping (and
    the snapshots built from the same reads), where the saving pays; every one in realtime/ and feedback/ is run
    against the plain ORM by tests/realtime/test_prepared.py, so a Django upgrade that changes what it relies on
    fails there."""

    def __init__(self, build):
        """`build(*args)` returns the queryset for those arguments."""
        self.build = build
        self.compiled = {}  # (database alias, thread) -> _Compiled: a compiler belongs to its thread's connection

    def __call__(self, *args, using="default"):
        """The rows for these arguments: tuples (values_list) or model instances."""
        return self._compiled(len(args), using).run(args, using)

    def _compiled(self, arity, using):
        key = (using, threading.get_ident())
        compiled = self.compiled.get(key)
        if compiled is None:
            compiled = self.compiled[key] = _Compiled(self.build, arity, using)
        return compiled

    def first(self, *args, using="default"):
        rows = self(*args, using=using)
        return rows[0] if rows else None

    def returning(self, using="default"):
        """The RETURNING clause that makes a Write of this read's model return its rows as this read returns them
        (the same columns, in its order): its result is then those rows, converted as this read's are."""
        quote = connections[using].ops.quote_name
        return " RETURNING " + ", ".join(quote(column) for column in self._as_built(using).columns)

    def rows_from(self, rows, using="default"):
        return self._as_built(using).converted(rows, using)

    def _as_built(self, using):
        """Compiled for as many arguments as `build` takes (for what does not depend on them: columns, converters)."""
        return self._compiled(self.build.__code__.co_argcount, using)


class _Compiled:
    def __init__(self, build, arity, using):
        stand_ins = [_STAND_IN_BASE + n for n in range(arity)]
        queryset = build(*stand_ins)
        query = queryset.query
        if query.select_related or query.annotation_select or query.extra_select or query.combinator:
            raise ValueError("Prepared takes one plain SELECT: no select_related, annotations or combinations.")
        compiler = query.get_compiler(using=using)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        # (parameter index, argument index, the parameter's type: psycopg's Int4 and the like, as Django chose them)
        self.slots = [
            (i, _stand_in(p, stand_ins), type(p)) for i, p in enumerate(self.params) if _stand_in(p, stand_ins) >= 0
        ]
        if sorted({arg for _, arg, _ in self.slots}) != list(range(arity)):
            raise ValueError("Every argument of a Prepared query must be a parameter of its SQL.")
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        self.columns = [field.target.column for field in fields]  # for a Write returning rows as this read's
        self.converters = compiler.get_converters(fields)
        self.compiler = compiler
        self.model = None if query.values_select else queryset.model
        if self.model is not None:
            self.attnames = [field.target.attname for field in fields]

    def run(self, args, using):
        rows, _ = _run_one(connections[using], self.sql, self.params_for(args))
        return self.converted(rows, using)

    def params_for(self, args):
        params = list(self.params)
        for slot, arg, kind in self.slots:
            value = args[arg]
            params[slot] = value if kind is str or value is None or type(value) is kind else kind(value)
        return params

    def converted(self, rows, using):
        if self.converters:
            rows = [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]
        if self.model is not None:
            return [self.model.from_db(using, self.attnames, row) for row in rows]
        return rows


class Write(NamedTuple):
    """A statement that changes rows (its SQL and parameters as the database takes them), to run, or for
    read_together to send with reads: its result is the number of rows it changed, or, if it returns them as a
    Prepared read of its model would (`returns`, its SQL ending in that read's Prepared.returning()), those rows."""

    sql: str
    params: list
    returns: Prepared | None = None

    def run(self, using="default"):
        return self.result(_run_one(connections[using], self.sql, self.params), using)

    def result(self, outcome, using):
        rows, count = outcome
        return count if self.returns is None else self.returns.rows_from(rows, using)


def read_together(*statements, using="default"):
    """The results of several statements, in their order: each a Prepared read given as (prepared, its arguments),
    whose result is its rows, or a Write, whose result is its row count (or the rows it returns: Write.returns).
    On PostgreSQL they are sent together and answered together (_send_together): one round trip and a few
    system calls instead of those of each. Outside a transaction they then commit together, as one implicit
    transaction (a Write and the reads after it see the same state), and a failing statement fails them all.
    Elsewhere (SQLite) one after another, each as it would run alone."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return [_run_alone(statement, using) for statement in statements]
    compiled = [_compiled_of(statement, using) for statement in statements]
    outcomes = _send_together(
        connection,
        [
            (query.sql, query.params if isinstance(query, Write) else query.params_for(statement[1]))
            for query, statement in zip(compiled, statements, strict=True)
        ],
    )
    return [
        query.result(outcome, using) if isinstance(query, Write) else query.converted(outcome[0], using)
        for query, outcome in zip(compiled, outcomes, strict=True)
    ]


def _run_one(connection, sql, params):
    """One statement of this module: (its rows, or None if it returns none; the rows it changed or read). On
    PostgreSQL a pipeline of one (_send_together); elsewhere (SQLite) through Django's cursor."""
    if connection.vendor == "postgresql":
        (outcome,) = _send_together(connection, [(sql, params)])
        return outcome
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return (cursor.fetchall() if cursor.description is not None else None), cursor.rowcount


# --- PostgreSQL: how the statements are sent -------------------------------------------------------------------


def _send_together(connection, statements):
    """On PostgreSQL, run [(sql, params)] as one pipeline: [(rows or None, the rows it changed or read), ...].

    psycopg's own pipeline mode (through its cursors) wrote each statement to the socket in a system call of its
    own and ran a cursor and several generators for each; on this machine that cost a connect's database thread
    more CPU than the statements' own work (docs/performance.md, "The live engine's statements sent below
    psycopg's cursors"). Here they go through libpq's pipeline mode directly (psycopg's `pq` wrapper), all in one
    write, their values converted both ways by psycopg's Transformer with the connection's adapters, as its
    cursors convert them. Each statement is prepared on a connection the first time it is sent there (its
    PREPARE in the same pipeline; _Named), then only executed.

    What Django's cursor gives a statement is kept: inside Django's transaction (atomic) the statements are part
    of it, its BEGIN sent first when they open it, as psycopg would; a failing statement raises as Django's error
    (the statements after it are not run); a broken transaction is refused; the query log (tests, DEBUG)."""
    connection.ensure_connection()
    connection.validate_thread_sharing()
    connection.validate_no_broken_transaction()
    conn = connection.connection
    named = _named_on(conn)
    started = time.monotonic()
    with connection.wrap_database_errors, conn.lock:
        try:
            outcomes = conn.wait(_pipeline(conn, named, named.adapting(connection, conn), statements))
        except pg_errors.InvalidSqlStatementName:
            # Something deallocated this connection's prepared statements (DEALLOCATE ALL; psycopg itself does
            # not since config/settings.py leaves preparing to this module): prepared again from now on, and sent
            # again at once unless the failure broke a transaction of Django's, which then rolls back.
            named.names.clear()
            if not conn.autocommit:
                raise
            outcomes = conn.wait(_pipeline(conn, named, named.adapting(connection, conn), statements))
    if connection.queries_logged:
        took = f"{time.monotonic() - started:.3f}"
        connection.queries_log.extend(
            {"sql": connection.ops.compose_sql(sql, params), "time": took} for sql, params in statements
        )
    return outcomes


class _Named:
    """The statements prepared on one PostgreSQL connection, (SQL, parameter types) -> name: psycopg picks a type by
    value (a small integer is an int2, a large one an int8), and a statement is prepared for the types it gets. A
    name is never used twice on a connection, whatever was forgotten. And what values are converted with there
    (_adapters)."""

    def __init__(self):
        self.names = {}
        self.made = 0
        self.zone = self.adapters = None  # the Django time zone `adapters` were made for (no reference to the
        # connection here: it is this object's key, which would then never be let go)

    def adapting(self, connection, conn):
        if self.adapters is None or self.zone != connection.timezone:
            self.zone, self.adapters = connection.timezone, _adapters(connection, conn)
        return _Context(self.adapters, conn)

    def new_name(self):
        self.made += 1
        return f"attune_{self.made}".encode()


_named = weakref.WeakKeyDictionary()  # psycopg connection -> _Named, gone with the connection
_named_lock = threading.Lock()


def _named_on(conn):
    named = _named.get(conn)
    if named is None:
        with _named_lock:  # database threads take connections from one pool
            named = _named.setdefault(conn, _Named())
    return named


class _Context(NamedTuple):
    """What a Transformer takes its adapters from."""

    adapters: AdaptersMap
    connection: object


_TIMESTAMPTZ = psycopgs_adapters.types["timestamptz"].oid


def _adapters(connection, conn):
    """The connection's adapters (Django's), with datetimes read as Django's cursors read them: in the time zone of
    Django's connection (Django registers its reader on each cursor where the connection's differs). Where that is
    the connection's own time zone (UTC, unless the database's TIME_ZONE setting says otherwise), by psycopg's own
    reader (compiled, with psycopg-binary), which then gives the same datetime: Django's is Python (psycopg's
    Python parser, then the zone set again), 3.9 µs a value on this machine against 0.16, and a connect reads a
    dozen."""
    context = _Context(AdaptersMap(conn.adapters), conn)
    if connection.timezone is not None and connection.timezone == conn.info.timezone:
        context.adapters.register_loader(_TIMESTAMPTZ, psycopgs_adapters.get_loader(_TIMESTAMPTZ, pq.Format.TEXT))
    else:
        register_tzloader(connection.timezone, context)
    return context.adapters


_BEGIN = object()  # a result read for the transaction's BEGIN (else: a PREPARE's key, or a statement's index)
_AUTO = PyFormat.AUTO


def _pipeline(conn, named, context, statements):
    """The generator conn.wait() runs: everything sent in one write (libpq's pipeline sync flushes), then every
    result read. Each value is converted before anything is sent, so a value psycopg cannot send fails with the
    connection as it was."""
    pgconn = conn.pgconn
    transformer = Transformer(context)
    converted = []
    for sql, params in statements:
        values = transformer.dump_sequence(params, [_AUTO] * len(params))
        converted.append((sql, transformer.types, values, transformer.formats))
    pgconn.enter_pipeline_mode()
    try:
        reads, preparing = _queue(conn, named, converted)
        pgconn.pipeline_sync()
        yield from send(pgconn)
        outcomes, error = yield from _results(conn, named, transformer, reads, preparing, len(statements))
        yield from fetch_many(pgconn)  # the sync's
    except BaseException:
        with contextlib.suppress(Exception):  # a broken connection: the pool discards it
            pgconn.exit_pipeline_mode()
        raise
    pgconn.exit_pipeline_mode()
    if error is not None:
        raise error
    return outcomes


def _queue(conn, named, converted):
    """Each statement put in libpq's buffer (nothing is written yet), its PREPARE before it where its connection
    does not have it, and first the transaction's BEGIN where they open Django's: what each result to read is for
    (_BEGIN, a PREPARE's key, a statement's index), and the names being prepared."""
    pgconn = conn.pgconn
    preparing = {}
    reads = []
    if not conn.autocommit and pgconn.transaction_status == pq.TransactionStatus.IDLE:
        pgconn.send_query_params(_begin(conn), None)
        reads.append(_BEGIN)
    for index, (sql, types, values, formats) in enumerate(converted):
        key = (sql, types)
        name = named.names.get(key) or preparing.get(key)
        if name is None:
            name = preparing[key] = named.new_name()
            pgconn.send_prepare(name, _numbered(sql), param_types=types)
            reads.append(key)
        pgconn.send_query_prepared(name, values, param_formats=formats)
        reads.append(index)
    return reads, preparing


def _results(conn, named, transformer, reads, preparing, count):
    """Every result read: each statement's (rows or None, its row count), and the first error (PostgreSQL runs
    nothing of the pipeline after it). A PREPARE is recorded once PostgreSQL has done it."""
    outcomes = [None] * count
    error = None
    for read in reads:
        result = (yield from fetch_many(conn.pgconn))[0]
        if result.status == pq.ExecStatus.FATAL_ERROR:
            error = error or pg_errors.error_from_result(result, encoding=conn.info.encoding)
        elif error is not None or read is _BEGIN:
            continue
        elif isinstance(read, tuple):
            named.names[read] = preparing[read]
        else:
            rows = None
            if result.status == pq.ExecStatus.TUPLES_OK:
                transformer.set_pgresult(result)
                rows = transformer.load_rows(0, result.ntuples, tuple)
            outcomes[read] = (rows, -1 if result.command_tuples is None else result.command_tuples)
    return outcomes, error


def _begin(conn):
    """The BEGIN psycopg sends to open a transaction on this connection (its isolation level and access mode)."""
    parts = ["BEGIN"]
    if conn.isolation_level is not None:
        parts.append("ISOLATION LEVEL " + conn.isolation_level.name.replace("_", " "))
    if conn.read_only is not None:
        parts.append("READ ONLY" if conn.read_only else "READ WRITE")
    if conn.deferrable is not None:
        parts.append("DEFERRABLE" if conn.deferrable else "NOT DEFERRABLE")
    return " ".join(parts).encode()


_numbered_sql = {}  # Django's SQL -> PostgreSQL's


def _numbered(sql):
    """Django's placeholders (%s) as PostgreSQL's ($1, $2...); Django writes a literal % as %%."""
    numbered = _numbered_sql.get(sql)
    if numbered is None:
        count = iter(range(1, len(sql)))
        numbered = re.sub(r"%([%s])", lambda match: "%" if match[1] == "%" else f"${next(count)}", sql)
        numbered = _numbered_sql[sql] = numbered.encode()
    return numbered


def _run_alone(statement, using):
    if isinstance(statement, Write):
        return statement.run(using)
    prepared, args = statement
    return prepared(*args, using=using)


def _compiled_of(statement, using):
    if isinstance(statement, Write):
        return statement
    prepared, args = statement
    return prepared._compiled(len(args), using)


def _stand_in(value, stand_ins):
    """Which argument a parameter of the compiled SQL stands for (-1: none). A text column's lookup turns the
    stand-in into text."""
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return (
        stand_ins.index(value) if isinstance(value, int) and not isinstance(value, bool) and value in stand_ins else -1
    )


_updates = {}  # (model, field names, database alias) -> the UPDATE's SQL
_inserts = {}  # (model, field names, its ON CONFLICT, returns, database alias) -> the INSERT's SQL
_DO_NOTHING = "DO NOTHING"


def save_fields(instance, *names, using="default"):
    """`instance.save(update_fields=names)` as one UPDATE whose SQL is written once per model and fields, the values
    prepared by their fields as save() prepares them. Nothing else of save() happens (no signals): for the live
    engine's own rows, saved on its hot paths."""
    return update_statement(instance, *names, using=using).run(using)


def update_statement(instance, *names, using="default"):
    """save_fields' UPDATE as a Write, to run or to send with other statements (read_together)."""
    model = type(instance)
    connection = connections[using]
    fields = [model._meta.get_field(name) for name in names]
    key = (model, names, using)
    sql = _updates.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        columns = ", ".join(f"{quote(field.column)} = %s" for field in fields)
        sql = _updates[key] = (
            f"UPDATE {quote(model._meta.db_table)} SET {columns} WHERE {quote(model._meta.pk.column)} = %s"  # noqa: S608
        )
    params = [field.get_db_prep_save(getattr(instance, field.attname), connection) for field in fields]
    return Write(sql, [*params, instance.pk])


def insert_statement(model, *, unless_exists=False, using="default", **values):
    """A Write of one row of `model` (`values` by field name or attname) in one INSERT whose SQL is written once per
    model and fields, each value prepared by its field as save() prepares it; no signals, no defaults filled in.
    With `unless_exists`, a row that would break a unique constraint is not inserted (ON CONFLICT DO NOTHING, on
    PostgreSQL and SQLite alike: its result is then 0 rows), and a concurrent transaction inserting the same
    makes this one wait for its outcome. Run it (.run()) or send it with reads (read_together)."""
    return _insert(model, values, using, on_conflict=_DO_NOTHING if unless_exists else None)


def upsert_statement(model, *, key, counter, changed, returns=None, using="default", **values):
    """A Write that inserts one row of `model` (`values` by attname; the model's defaults for the others) or,
    where a row with the same `key` fields exists, sets the `changed` fields of that row to theirs in `values`
    and counts its `counter` field (a version) one up: INSERT … ON CONFLICT (key) DO UPDATE, on PostgreSQL and
    SQLite alike. Either way the row stays locked until the transaction ends, as select_for_update() would have
    locked it, and reads sent after it in the transaction see it. `returns`: a Prepared read of `model` whose
    rows it returns (the row as it wrote it), instead of its row count."""
    new_row = {field.attname: field.get_default() for field in model._meta.concrete_fields if not field.primary_key}
    return _insert(model, {**new_row, **values}, using, on_conflict=(key, counter, changed), returns=returns)


def _insert(model, values, using, *, on_conflict=None, returns=None):
    """insert_statement's and upsert_statement's one INSERT, its SQL written once per model, fields, ON CONFLICT
    (None, _DO_NOTHING, or upsert_statement's (key, counter, changed)) and RETURNING."""
    connection = connections[using]
    fields = [model._meta.get_field(name) for name in values]
    cache_key = (model, tuple(values), on_conflict, returns, using)
    sql = _inserts.get(cache_key)
    if sql is None:
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        column = {name: quote(field.column) for name, field in zip(values, fields, strict=True)}
        sql = f"INSERT INTO {table} ({', '.join(column.values())}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        if on_conflict == _DO_NOTHING:
            sql += " ON CONFLICT DO NOTHING"
        elif on_conflict is not None:
            key, counter, changed = on_conflict
            updates = [f"{column[name]} = EXCLUDED.{column[name]}" for name in changed]
            updates.append(f"{column[counter]} = {table}.{column[counter]} + 1")
            sql += f" ON CONFLICT ({', '.join(column[name] for name in key)}) DO UPDATE SET {', '.join(updates)}"
        if returns is not None:
            sql += returns.returning(using)
        _inserts[cache_key] = sql
    params = [field.get_db_prep_save(value, connection) for field, value in zip(fields, values.values(), strict=True)]
    return Write(sql, params, returns)
