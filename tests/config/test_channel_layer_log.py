"""While Redis is away, channels_redis's pub/sub read logs a failure with its trace every second; the log keeps one
line a minute without a trace, and passes anything else of the layer as it came (config/channel_layer_log.py)."""

import logging

from redis.exceptions import ConnectionError as RedisConnectionError

from config.channel_layer_log import OUTAGE_NOTE_S, ReceiveOutageFilter


def failed_read(exc):
    try:
        raise exc
    except Exception:  # noqa: BLE001 - a record with its exc_info, as logger.exception makes it
        import sys

        return logging.LogRecord(
            "channels_redis.pubsub",
            logging.ERROR,
            __file__,
            1,
            "Unexpected exception in receive task",
            (),
            sys.exc_info(),
        )


def test_a_failed_read_while_redis_is_away_is_one_line_a_minute_without_its_trace(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("config.channel_layer_log.time.monotonic", lambda: clock[0])
    log_filter = ReceiveOutageFilter()
    first = failed_read(RedisConnectionError("Connection refused"))
    assert log_filter.filter(first) is True
    assert (first.levelname, first.exc_info) == ("WARNING", None)
    assert first.getMessage() == "channel layer: pushes stopped, Redis does not answer (ConnectionError); retrying"
    assert "Connection refused" not in logging.Formatter().format(first)

    kept = []
    for _ in range(int(OUTAGE_NOTE_S)):  # a read a second, as the layer retries
        clock[0] += 1.0
        kept.append(log_filter.filter(failed_read(RedisConnectionError("Connection refused"))))
    assert kept.count(True) == 1 and kept[-1] is True  # the next line a minute after the first


def test_any_other_record_of_the_layer_passes_as_it_came():
    log_filter = ReceiveOutageFilter()
    other = failed_read(KeyError("a bug"))
    assert log_filter.filter(other) is True
    assert other.levelname == "ERROR" and other.exc_info[0] is KeyError
    plain = logging.LogRecord("channels_redis.pubsub", logging.INFO, __file__, 1, "hello", (), None)
    assert log_filter.filter(plain) is True and plain.getMessage() == "hello"
