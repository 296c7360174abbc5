"""The shapes of the pairing exchange's public values, and the joiner's commitment, as the phones make them
(frontend/src/participant/e2e.ts). Plain Python (no Django), so the benchmark's clients use it as well."""

import base64
import hashlib
import re

# base64url of 32 bytes: an X25519 public key, or a SHA-256 commitment.
PUBLIC_VALUE = re.compile(r"[A-Za-z0-9_-]{43}")
# The couple key wrapped under the exchange: a key id, a dot, base64url of a 24-byte nonce, the 32-byte key and a
# 16-byte tag.
WRAPPED_KEY = re.compile(r"[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]{96}")


def commitment_of(public_key):
    """The hash a joining phone commits to its public key with, before it sees the first phone's."""
    raw = base64.urlsafe_b64decode(public_key + "=")
    digest = hashlib.sha256(b"attune pairing commitment" + raw).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
