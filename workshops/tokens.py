"""Capability tokens: single-purpose, revocable, stored only as a digest.

The raw token exists in the link sent to its holder and nowhere else: the
database keeps its SHA-256, so a database dump opens nothing.
"""

import hashlib
import secrets


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def mint() -> tuple[str, str]:
    """A new token (192 bits) and its digest."""
    raw = secrets.token_urlsafe(24)
    return raw, digest(raw)
