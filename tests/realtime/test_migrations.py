"""realtime/migrations/0002_sealed_couple_content.py removes the couple content written in plaintext before
couple spaces were end-to-end encrypted, and the pairings under way (their words were the server's), and keeps
the couples, their partners (in their couple since they took part) and their spaces (issue 14). Run on the
database itself: back to 0001, rows in the old shape, then forward again."""

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from realtime.models import Couple, CoupleEntry, CoupleSpace, Participant
from tests.realtime.conftest import _couple, _live_workshop, marked

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("realtime", "0001_initial")]
PLAINTEXT = "PLAINTEXT-FROM-BEFORE-THE-MIGRATION"


def migrate(targets):
    """Migrate to `targets` (going back unapplies the later migrations of other apps that depend on them too);
    returns the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def migrate_to_the_latest():
    """Every app's latest migration, as the test database had it before."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def raw_count(table, text=None):
    """Rows of a table, or those whose text holds `text`, read with SQL (not through a model of either shape)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (our own table names)
        rows = cursor.fetchall()
    return len([row for row in rows if text is None or text in json.dumps(row, default=str)])


def test_the_sealed_content_migration_removes_plaintext_entries_and_pairings_and_keeps_the_couples(builtin_library):
    session, _, _ = _live_workshop()
    _couple(session, ["Ana", "Ben"])
    _couple(session, ["Cleo"])  # Cleo's couple waits for a partner's phone
    couple = Couple.objects.get(participants__display_name="Ana")
    waiting = Couple.objects.get(participants__display_name="Cleo")
    space = CoupleSpace.objects.get(session=session, couple=couple)
    ana = Participant.objects.get(display_name="Ana")  # read now: the model's columns are this migration's
    try:
        old = migrate(BEFORE)
        OldEntry, OldRequest = old.get_model("realtime", "CoupleEntry"), old.get_model("realtime", "PairingRequest")
        for n, kind in enumerate(("reflection", "answer", "item", "agreement")):
            OldEntry.objects.create(
                space_id=space.pk, step_index=n, kind=kind, key="0", scope="shared", payload={"text": PLAINTEXT}
            )
        OldRequest.objects.create(
            couple_id=waiting.pk,
            joiner_id=ana.pk,
            words="otter maple tide",
            expires_at=timezone.now() + timezone.timedelta(minutes=10),
        )
        assert raw_count("realtime_coupleentry", PLAINTEXT) == 4
        assert raw_count("realtime_pairingrequest", "otter maple tide") == 1
    finally:
        migrate_to_the_latest()
        connection.close()  # statements the server prepared for the old columns go with the connection

    assert raw_count("realtime_coupleentry") == 0
    assert raw_count("realtime_pairingrequest") == 0
    assert sorted(Participant.objects.values_list("display_name", "couple_id")) == [
        ("Ana", couple.pk),
        ("Ben", couple.pk),
        ("Cleo", waiting.pk),
    ]
    assert CoupleSpace.objects.filter(pk=space.pk).exists()
    # Each partner has been in their couple since they took part: no earlier partner's content shows to them.
    assert all(p.couple_since == p.created_at for p in Participant.objects.all())
    sealed = marked("AFTER")  # and the table takes sealed content now
    CoupleEntry.objects.create(space=space, step_index=1, kind="reflection", key="0", scope="shared", payload=sealed)
    assert list(CoupleEntry.objects.values_list("payload", flat=True)) == [sealed]
