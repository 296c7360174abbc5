// The phones' end-to-end cryptography, timed in a browser page for `make bench` (bench/crypto.py,
// docs/performance.md): the participant app's own e2e.ts, bundled on its own into a temporary directory by
// build.mjs next to this file. It never ships: it is not in dist/ and not part of the participant app.
import { randomBytes } from "@noble/hashes/utils.js";
import {
  agree,
  commitmentOf,
  fromB64,
  newEphemeral,
  open,
  type Place,
  seal,
  toB64,
  unwrapCoupleKey,
  wrapCoupleKey,
} from "../participant/e2e";

// A typical couple entry: a worksheet item of a few sentences, about 300 bytes of JSON once stringified.
const ENTRY = {
  section: "wishes",
  text:
    "I would like us to keep Sunday mornings for the two of us: no phones, a slow breakfast and a walk by the " +
    "river if the weather lets us. When the week has been hard, I want to be able to say so without it turning " +
    "into a list of who did what. Let's try it for a month.",
};
const PLACE: Place = { couple: 4211, session: 318, step: 6, kind: "item", key: "w3k9", scope: "shared", version: 3 };

/** One entry as a phone handles it: sealed on the way out, opened on the way in (associated data included). */
function entryRoundTrip(coupleKey: Uint8Array): void {
  const sealed = seal(coupleKey, ENTRY, PLACE);
  const back = open(coupleKey, sealed, PLACE) as typeof ENTRY;
  if (back.text !== ENTRY.text) throw new Error("the entry did not open to what was sealed");
}

/** One whole pairing exchange's cryptography, both phones' share of it (the network round trips left out):
 *  the joiner's key and commitment, the couple's phone's key, the commitment checked, the words and wrapping key
 *  derived on both sides, the couple key wrapped by the couple's phone and unwrapped by the joiner. */
function pairing(coupleKey: Uint8Array): void {
  const joiner = newEphemeral();
  const commitment = commitmentOf(joiner.public);
  const creator = newEphemeral();
  const creatorKey = fromB64(toB64(creator.public)); // each public key crosses the wire as base64url
  const joinerKey = fromB64(toB64(joiner.public));
  if (commitmentOf(joinerKey) !== commitment) throw new Error("the commitment did not match");
  const transcript = { couple: PLACE.couple, request: 977, commitment, creatorKey, joinerKey };
  const onCreator = agree(creator, joinerKey, transcript);
  const onJoiner = agree(joiner, creatorKey, transcript);
  if (onCreator.words.join(" ") !== onJoiner.words.join(" ")) throw new Error("the phones' words differ");
  const received = unwrapCoupleKey(onJoiner.wrapKey, wrapCoupleKey(onCreator.wrapKey, coupleKey));
  if (toB64(received) !== toB64(coupleKey)) throw new Error("the couple key did not come through");
}

/** `runs` timings in milliseconds (performance.now()) of `work`, after `warmup` untimed runs. */
function timed(work: (key: Uint8Array) => void, runs: number, warmup: number): number[] {
  const coupleKey = randomBytes(32);
  for (let i = 0; i < warmup; i++) work(coupleKey);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work(coupleKey);
    times.push(performance.now() - started);
  }
  return times;
}

Object.assign(window, {
  attuneCryptoBench: {
    entry: (runs: number, warmup: number) => timed(entryRoundTrip, runs, warmup),
    pairing: (runs: number, warmup: number) => timed(pairing, runs, warmup),
    entryJsonBytes: new TextEncoder().encode(JSON.stringify(ENTRY)).length,
  },
});
