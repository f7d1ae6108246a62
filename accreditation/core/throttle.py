"""A fixed-window counter per client address, in Django's cache: the one limit the
verification page and the API's public verification share."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest


def allow(request: HttpRequest, *, scope: str, limit: int, window: int = 3600) -> bool:
    """Count one use of ``scope`` by the request's address; False once more than
    ``limit`` uses fall in the current ``window`` seconds. Behind a proxy, the
    deployment must set REMOTE_ADDR to the client's address."""
    address = request.META.get("REMOTE_ADDR", "")
    key = f"web-throttle:{scope}:{address}:{int(time.time() // window)}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= limit
