// X25519 (RFC 7748), the pairing exchange's key agreement, built on @noble/curves' Montgomery ladder alone.
//
// The library's ready-made x25519 (in its ed25519 module) makes public keys on the equivalent Edwards curve with
// precomputed tables, about twice as fast, and so brings the whole Edwards implementation and SHA-512 into the
// participant app: 7 KB of its gzipped JavaScript. A phone makes one key pair per pairing, so the ladder's extra
// millisecond costs less than the kilobytes cost every phone on a slow venue network (docs/performance.md).
// tests/realtime/test_x25519_module.py checks this module against RFC 7748's vectors.
import { montgomery } from "@noble/curves/abstract/montgomery.js";
import { pow } from "@noble/curves/abstract/modular.js";

const P = 2n ** 255n - 19n;

/** RFC 7748's decodeScalar25519: the low three bits cleared, the top bit cleared and the next one set. */
function clamp(bytes: Uint8Array): Uint8Array {
  const scalar = Uint8Array.from(bytes);
  scalar[0] &= 248;
  scalar[31] &= 127;
  scalar[31] |= 64;
  return scalar;
}

export const x25519 = montgomery({
  P,
  type: "x25519",
  adjustScalarBytes: clamp,
  powPminus2: (x) => pow(x, P - 2n, P), // Fermat's inverse
});
