import threading

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction


def test_embedded_default_is_sqlite_in_wal_mode_with_immediate_transactions(db):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("this run uses PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_wait_instead_of_failing():
    """Eight threads each read-then-write in a transaction at once: all commit."""
    User = get_user_model()
    errors = []
    barrier = threading.Barrier(8)

    def writer(n):
        try:
            barrier.wait()
            with transaction.atomic():
                User.objects.count()  # a read first: with DEFERRED transactions SQLite fails the upgrade
                User.objects.create(username=f"writer-{n}")
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert User.objects.filter(username__startswith="writer-").count() == 8


@pytest.mark.postgres
def test_postgres_is_the_database_when_configured(db):
    assert connection.vendor == "postgresql"


@pytest.mark.redis
def test_redis_is_the_channel_layer_and_cache_when_configured():
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    # Redis, answering a miss while it is down (config/cache.py)
    assert settings.CACHES["default"]["BACKEND"] == "config.cache.FailOpenRedisCache"
