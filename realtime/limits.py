"""Limits on the live JSON endpoints (the numbers are config/ratelimit.py's; docs/privacy.md has the table).

`counts_tries` sits between `json_endpoint` and a view: it counts the client against the view's per-client
limits before the view runs, and answers a limit reached there or anywhere under the view (the per-participant
pairing limit in realtime.services.joining) with json_endpoint's error shape, status 429 and Retry-After.
json_endpoint passes a JsonResponse through as it is.
"""

from functools import wraps

from config import ratelimit


def counts_tries(*client_limits):
    def decorate(view):
        @wraps(view)
        def wrapper(request, data, *args, **kwargs):
            try:
                for limit in client_limits:
                    ratelimit.hit_client(limit, request)
                return view(request, data, *args, **kwargs)
            except ratelimit.RateLimited as limited:
                return ratelimit.json_answer(limited)

        return wrapper

    return decorate
