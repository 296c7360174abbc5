"""A limit behind the production proxy, for real: nginx with platform/nginx.conf in front of two Attune processes
sharing Redis, NUM_PROXIES=1. Tries spread over both processes count into one number; the address nginx saw is the
client, whatever a client writes into X-Forwarded-For itself; another address (127.0.0.2) is another client."""

import httpx
import pytest

from tests.platform.servers import daphne_processes
from tests.support import require_binary

pytestmark = [
    pytest.mark.redis,
    pytest.mark.multiprocess,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


def phone(base, local_address="127.0.0.1"):
    """An HTTP client from `local_address` holding a CSRF cookie, as the participant app does."""
    client = httpx.Client(base_url=base, transport=httpx.HTTPTransport(local_address=local_address), timeout=10)
    assert client.get("/live/").status_code == 200
    return client


def guess(client, spoofed=None):
    headers = {"X-CSRFToken": client.cookies["csrftoken"]}
    if spoofed:
        headers["X-Forwarded-For"] = spoofed
    return client.post("/live/api/join/code", json={"code": "ZZZZZZ"}, headers=headers)


def test_behind_nginx_a_spoofed_forwarded_for_does_not_escape_and_processes_share_the_count():
    require_binary("nginx")
    from bench import nginx

    with daphne_processes(2, NUM_PROXIES="1") as servers, open("/dev/null", "w") as log:
        ports = [int(base.rsplit(":", 1)[1]) for _, base in servers]
        proxy = nginx.Nginx(nginx.find_nginx(), ports, sockets=16, log=log)
        try:
            proxy.wait_ready()
            guesser = phone(proxy.base)
            answers = [guess(guesser, spoofed=f"6.6.{n // 250}.{n % 250}").status_code for n in range(120)]
            assert answers == [404] * 120
            refused = guess(guesser, spoofed="7.7.7.7")
            assert refused.status_code == 429
            assert 540 < int(refused.headers["Retry-After"]) <= 600
            assert refused.json()["message"] == "Too many tries. Try again in 10 minutes."
            assert guess(phone(proxy.base), spoofed="127.0.0.2").status_code == 429  # a new cookie changes nothing
            assert guess(phone(proxy.base, local_address="127.0.0.2")).status_code == 404  # another client
        finally:
            proxy.stop()
