"""The participant app's X25519 (frontend/src/participant/x25519.ts, the pairing exchange's key agreement, built
on @noble/curves' Montgomery ladder alone) gives RFC 7748's answers: its section 5.2 vectors, one and a thousand
iterations of its iterated test, and the Diffie-Hellman example of section 6.1. Bundled as the app bundles it and
run in Node."""

import json
import subprocess

import pytest

from tests.support import ROOT, require_binary

FRONTEND = ROOT / "frontend"

# RFC 7748, section 5.2: scalar, u-coordinate, result.
SCALAR_MULTIPLICATIONS = [
    (
        "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
        "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
    ),
    (
        "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
        "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
        "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
    ),
]
ITERATED = {
    1: "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079",
    1000: "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51",
}
# Section 6.1: Alice's and Bob's private and public keys, and the secret they share.
ALICE = (
    "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
    "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
)
BOB = (
    "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
)
SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"

ANSWERS = """
import { x25519 } from "./x25519.mjs";
const hex = (bytes) => Buffer.from(bytes).toString("hex");
const bytes = (text) => Uint8Array.from(Buffer.from(text, "hex"));
const cases = JSON.parse(process.argv[2]);
function iterate(times) {
  let k = bytes("09".padEnd(64, "0"));
  let u = k;
  for (let i = 0; i < times; i++) [k, u] = [x25519.scalarMult(k, u), k];
  return hex(k);
}
console.log(JSON.stringify({
  multiplications: cases.multiplications.map(([k, u]) => hex(x25519.scalarMult(bytes(k), bytes(u)))),
  iterated: Object.fromEntries(cases.iterated.map((times) => [times, iterate(times)])),
  publics: cases.privates.map((secret) => hex(x25519.getPublicKey(bytes(secret)))),
  shared: [hex(x25519.getSharedSecret(bytes(cases.alice), bytes(cases.bob))),
           hex(x25519.getSharedSecret(bytes(cases.bob_private), bytes(cases.alice_public)))],
}));
"""


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    require_binary("node")
    rolldown = FRONTEND / "node_modules" / ".bin" / "rolldown"
    if not rolldown.exists():
        subprocess.run(["make", "frontend"], cwd=ROOT, capture_output=True, check=True)
    where = tmp_path_factory.mktemp("x25519")
    subprocess.run(
        [str(rolldown), "src/participant/x25519.ts", "--format", "esm", "--file", str(where / "x25519.mjs")],
        cwd=FRONTEND,
        capture_output=True,
        check=True,
    )
    (where / "answers.mjs").write_text(ANSWERS)
    cases = {
        "multiplications": [case[:2] for case in SCALAR_MULTIPLICATIONS],
        "iterated": list(ITERATED),
        "privates": [ALICE[0], BOB[0]],
        "alice": ALICE[0],
        "bob": BOB[1],
        "bob_private": BOB[0],
        "alice_public": ALICE[1],
    }
    run = subprocess.run(
        ["node", "answers.mjs", json.dumps(cases)], cwd=where, capture_output=True, text=True, check=True
    )
    return json.loads(run.stdout)


def test_scalar_multiplication_gives_the_rfc_vectors(answers):
    assert answers["multiplications"] == [case[2] for case in SCALAR_MULTIPLICATIONS]


def test_the_iterated_test_gives_the_rfc_results(answers):
    assert answers["iterated"] == {str(times): result for times, result in ITERATED.items()}


def test_alice_and_bob_get_their_public_keys_and_one_shared_secret(answers):
    assert answers["publics"] == [ALICE[1], BOB[1]]
    assert answers["shared"] == [SHARED, SHARED]
