"""What is this client's address: the one place that answers it (Attune's limits, django-axes, DRF's throttles).

Behind `NUM_PROXIES` proxies (nginx in production), the address that counts is the one the outermost proxy saw
and appended to X-Forwarded-For: the entry `NUM_PROXIES` from the right. Entries further left were written by
the client itself and prove nothing, so a spoofed leftmost address cannot escape a limit. With no proxies, or a
request that came past them without the header, it is the connection's own address (REMOTE_ADDR).

Note for uvicorn's --proxy-headers with --forwarded-allow-ips "*": it puts the *leftmost* X-Forwarded-For entry
into REMOTE_ADDR, which a client can choose; that is why this reads the header itself. The algorithm is DRF's
(`BaseThrottle.get_ident`), so its throttles and these limits agree on who a client is.
"""

from django.conf import settings


def client_address(request) -> str:
    remote_addr = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if settings.NUM_PROXIES == 0 or not forwarded:
        return remote_addr
    entries = forwarded.split(",")
    return entries[-min(settings.NUM_PROXIES, len(entries))].strip()
