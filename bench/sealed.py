"""What a phone sends the server in the key exchange and in a couple's entries, in the shapes the server checks,
for the tests and benchmarks that drive the server without a browser.

The server never reads couple content (it is sealed on the phones: frontend/src/participant/e2e.ts), so these
are random bytes in the sealed form; the real sealing and the exchange's words are tested in real browsers
(tests/e2e). The joining phone's commitment is computed as the phones compute it, so the server's check of it
runs for real.
"""

import base64
import secrets

from realtime.exchange import commitment_of


def b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def sealed(size=48):
    """A payload in the sealed form: an 8-character key id, a dot, base64url of a nonce, `size` bytes and a tag."""
    return f"{b64(secrets.token_bytes(6))}.{b64(secrets.token_bytes(24 + size + 16))}"


def public_key():
    return b64(secrets.token_bytes(32))


def wrapped_key():
    """A couple key wrapped under the exchange: a key id, then a nonce, the 32-byte key and a tag."""
    return sealed(32)


class Exchange:
    """The public values of one pairing exchange: the joiner's key and its commitment, and the first phone's key."""

    def __init__(self):
        self.joiner_key = public_key()
        self.commitment = commitment_of(self.joiner_key)
        self.creator_key = public_key()
