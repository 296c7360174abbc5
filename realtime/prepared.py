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

On PostgreSQL every statement here is also prepared there, once per connection (_execute): PostgreSQL parsing and
planning the same few statements on every connect and couple message cost it more CPU than running them.
"""

import threading
import time
from typing import NamedTuple

import psycopg
from django.db import connections

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

    def rows_from(self, cursor, using="default"):
        return self._as_built(using).converted(cursor.fetchall(), using)

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
        connection = connections[using]
        with _cursor(connection) as cursor:
            _execute(connection, cursor, self.sql, self.params_for(args))
            return self.converted(cursor.fetchall(), using)

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
        connection = connections[using]
        with _cursor(connection) as cursor:
            _execute(connection, cursor, self.sql, self.params)
            return self.result(cursor, using)

    def result(self, cursor, using):
        return cursor.rowcount if self.returns is None else self.returns.rows_from(cursor, using)


def read_together(*statements, using="default"):
    """The results of several statements, in their order: each a Prepared read given as (prepared, its arguments),
    whose result is its rows, or a Write, whose result is its row count (or the rows it returns: Write.returns).
    On PostgreSQL they are sent together and answered together (psycopg's pipeline mode): one round trip and a
    few system calls instead of those of each, which for a couple's four reads saved this machine about 120 µs of
    CPU and 280 µs from the first send to the last row (docs/performance.md). Outside a transaction they then
    commit together, as one implicit transaction (a Write and the reads after it see the same state), and a
    failing statement fails them all. Elsewhere (SQLite) one after another, each as it would run alone."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return [_run_alone(statement, using) for statement in statements]
    compiled = [_compiled_of(statement, using) for statement in statements]
    connection.ensure_connection()
    cursors = []
    try:
        # Answered as the block ends (its sync), where a failed statement raises: as Django's error, as the
        # statement alone would have raised it. Results are fetched after.
        with connection.wrap_database_errors, connection.connection.pipeline():
            for query, statement in zip(compiled, statements, strict=True):
                cursor = _cursor(connection)
                cursors.append(cursor)
                params = query.params if isinstance(query, Write) else query.params_for(statement[1])
                _execute(connection, cursor, query.sql, params)
        return [
            query.result(cursor, using) if isinstance(query, Write) else query.converted(cursor.fetchall(), using)
            for query, cursor in zip(compiled, cursors, strict=True)
        ]
    finally:
        for cursor in cursors:
            cursor.close()


def _cursor(connection):
    """A cursor for this module's statements. On PostgreSQL, psycopg's own, which sends the values apart from the
    SQL (server-side binding), so that PostgreSQL can keep the statement prepared (_execute). Django's cursors
    write the values into the SQL's text (client-side binding, Django's default, kept for the rest of the ORM),
    which makes every statement new to PostgreSQL. Elsewhere (SQLite), Django's."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    return psycopg.Cursor(connection.connection)


def _execute(connection, cursor, sql, params):
    """Run one of this module's statements as Django would (its errors as Django's, a broken transaction refused,
    logged where Django logs queries: in tests, with DEBUG), on PostgreSQL prepared: parsed and planned once per
    connection (the pool keeps connections open; config/settings.py lets psycopg prepare), then only executed.
    A rollback makes psycopg deallocate every prepared statement of its connection (the transaction may have
    dropped what they name); they are prepared again as they next run."""
    if connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    connection.validate_no_broken_transaction()
    started = time.monotonic()
    with connection.wrap_database_errors:
        cursor.execute(sql, params, prepare=True)
    if connection.queries_logged:
        connection.queries_log.append(
            {"sql": connection.ops.compose_sql(sql, params), "time": f"{time.monotonic() - started:.3f}"}
        )


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
