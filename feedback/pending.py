"""A prompt's pending answers: one sealed set per prompt (feedback.models.PendingSet), rewritten whole, shuffled
and sealed afresh with each answer under the prompt's ephemeral key (feedback/keys.py), which PostgreSQL never
holds. So no row, old row version, WAL record or backup shows which answer came when: each version of the set is
ciphertext of the same size per answer, and the key that opens them is destroyed when the answers are released or
the prompt closes (docs/privacy.md, section 3).
"""

import json
import os
import random

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from feedback import keys
from feedback.models import PendingSet
from feedback.prompts import MAX_TEXT

# Every answer of a kind takes the same room in the set, whatever it says, so the sizes of the set's old versions
# tell nothing about what was answered. (Compact JSON in UTF-8: a character takes at most 6 bytes, escaped.)
SLOT_BYTES = {"scale": 16, "single": 16, "multiple": 64, "words": 30 * 6 + 2, "text": MAX_TEXT * 6 + 2}
NONCE_BYTES = 12
_shuffle = random.SystemRandom().shuffle


class KeyLost(Exception):
    """Answers wait under a key that is gone (Redis or every process restarted): nobody can read them now."""


def _associated(prompt):
    return f"attune pending answers of prompt {prompt.pk}".encode()


def _pack(prompt, values):
    slot = SLOT_BYTES[prompt.kind]
    packed = [json.dumps(v, ensure_ascii=False, separators=(",", ":")).encode().ljust(slot) for v in values]
    assert all(len(p) == slot for p in packed), "an answer larger than its slot (feedback.prompts.validate_answer)"
    return b"".join(packed)


def _unpack(prompt, plain):
    slot = SLOT_BYTES[prompt.kind]
    return [json.loads(plain[at : at + slot]) for at in range(0, len(plain), slot)]


def _seal(key, prompt, values):
    nonce = os.urandom(NONCE_BYTES)
    return nonce + ChaCha20Poly1305(key).encrypt(nonce, _pack(prompt, values), _associated(prompt))


def _open(key, prompt, sealed):
    sealed = bytes(sealed)
    try:
        plain = ChaCha20Poly1305(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], _associated(prompt))
    except InvalidTag:
        raise KeyLost from None  # sealed under a key that is gone (a new one took its name)
    return _unpack(prompt, plain)


def waiting(prompt):
    """The prompt's pending answers (the caller holds the prompt's row lock); KeyLost if they can't be read."""
    row = PendingSet.objects.filter(prompt=prompt).first()
    if row is None:
        return []
    key = keys.current(prompt.pk)
    if key is None:
        raise KeyLost
    return _open(key, prompt, row.sealed)


def add(prompt, value):
    """Add one answer: the whole set, shuffled, sealed afresh (the caller holds the prompt's row lock)."""
    values = waiting(prompt) + [value]
    _shuffle(values)
    sealed = _seal(keys.current_or_new(prompt.pk), prompt, values)
    PendingSet.objects.update_or_create(prompt=prompt, defaults={"sealed": sealed})


def drop(prompt):
    """Delete the pending answers and destroy their key: once released, or unread (a prompt closing below the
    threshold, answers under a lost key)."""
    PendingSet.objects.filter(prompt=prompt).delete()
    keys.destroy(prompt.pk)
