// End-to-end encryption of a couple's space (docs/privacy.md, "Keys and the pairing exchange").
//
// The couple's key is made on its first phone and kept in that phone's storage; it reaches the partner's phone
// only through the pairing exchange below, wrapped under a key that exchange derived. A private reflection is
// sealed with this device's own key, so a partner holding the couple key cannot read it either. Everything is
// the audited, pure-JavaScript @noble family, because a page on plain-http venue Wi-Fi has no crypto.subtle
// (crypto.getRandomValues, which they use for randomness, is there in every context).
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { x25519 } from "./x25519";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, randomBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { gettext } from "../shared/i18n";
import { PAIRING_WORDS } from "./pairingWords";

const NONCE_BYTES = 24;
const KEY_BYTES = 32;
// The server refuses a sealed payload longer than this (realtime/services/couple.py, MAX_SEALED_CHARS).
export const MAX_SEALED_CHARS = 16 * 1024;

// --- base64url (no padding), the form every key and ciphertext takes on the wire ----------------------------

export function toB64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromB64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new CannotRead("tampered");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

// --- why something cannot be read, in words the phone shows -----------------------------------------------

export type Unreadable = "no_key" | "other_key" | "tampered";

export class CannotRead extends Error {
  constructor(readonly reason: Unreadable) {
    super(reason);
  }
}

export const UNREADABLE_TEXT: Record<Unreadable, string> = {
  no_key: gettext("This phone doesn't hold the key to read this."),
  other_key: gettext("This was written with a key this phone doesn't hold."),
  tampered: gettext("This can't be read: it isn't what your phone sealed (it was changed or moved)."),
};

// --- the keys this phone keeps ---------------------------------------------------------------------------------

function stored(name: string): Uint8Array | null {
  try {
    const text = localStorage.getItem(`attune.e2e.${name}`);
    const key = text ? fromB64(text) : null;
    return key && key.length === KEY_BYTES ? key : null;
  } catch {
    return null;
  }
}

function store(name: string, key: Uint8Array | null): void {
  try {
    if (key) localStorage.setItem(`attune.e2e.${name}`, toB64(key));
    else localStorage.removeItem(`attune.e2e.${name}`);
  } catch {
    /* private mode: the key lasts as long as the page, and the app says so when it is gone */
  }
}

export const keys = {
  couple: (coupleId: number) => stored(`couple.${coupleId}`),
  setCouple: (coupleId: number, key: Uint8Array) => store(`couple.${coupleId}`, key),
  /** A fresh couple key: the first phone of a couple makes it; never sent anywhere in the clear. */
  makeCouple(coupleId: number): Uint8Array {
    const key = randomBytes(KEY_BYTES);
    store(`couple.${coupleId}`, key);
    return key;
  },
  /** This participant's own key on this phone (made on first use), for what only they may read. */
  device(participantId: number): Uint8Array {
    const key = stored(`device.${participantId}`) ?? randomBytes(KEY_BYTES);
    store(`device.${participantId}`, key);
    return key;
  },
};

/** A short, public name of a key, carried with each ciphertext so a phone can tell "another key" from tampering. */
export function keyId(key: Uint8Array): string {
  return toB64(sha256(concatBytes(utf8ToBytes("attune key id"), key)).slice(0, 6));
}

// --- sealing an entry --------------------------------------------------------------------------------------------

/** Where a ciphertext belongs. All of it is bound to the ciphertext as associated data, so a ciphertext moved to
 *  another couple, session, step, entry, scope or version fails to open. */
export interface Place {
  couple: number;
  session: number;
  step: number;
  kind: string;
  key: string;
  scope: string;
  version: number;
}

function associatedData(place: Place): Uint8Array {
  const { couple, session, step, kind, key, scope, version } = place;
  return utf8ToBytes(JSON.stringify(["attune entry 1", couple, session, step, kind, key, scope, version]));
}

function sealBytes(key: Uint8Array, plain: Uint8Array, ad: Uint8Array): string {
  const nonce = randomBytes(NONCE_BYTES);
  const sealed = xchacha20poly1305(key, nonce, ad).encrypt(plain);
  return `${keyId(key)}.${toB64(concatBytes(nonce, sealed))}`;
}

function openBytes(key: Uint8Array | null, sealed: string, ad: Uint8Array): Uint8Array {
  if (!key) throw new CannotRead("no_key");
  const [id, body] = sealed.split(".");
  if (!body) throw new CannotRead("tampered");
  if (id !== keyId(key)) throw new CannotRead("other_key");
  const bytes = fromB64(body);
  if (bytes.length <= NONCE_BYTES) throw new CannotRead("tampered");
  try {
    return xchacha20poly1305(key, bytes.subarray(0, NONCE_BYTES), ad).decrypt(bytes.subarray(NONCE_BYTES));
  } catch {
    throw new CannotRead("tampered");
  }
}

/** The entry's content as the server will hold it: `<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`. */
export function seal(key: Uint8Array, value: unknown, place: Place): string {
  return sealBytes(key, utf8ToBytes(JSON.stringify(value)), associatedData(place));
}

/** The entry's content, if `sealed` was sealed with `key` for exactly this place; CannotRead otherwise. */
export function open(key: Uint8Array | null, sealed: string, place: Place): unknown {
  const plain = openBytes(key, sealed, associatedData(place));
  return JSON.parse(new TextDecoder().decode(plain));
}

// --- the pairing exchange ------------------------------------------------------------------------------------------
// The joining phone commits to its public key (a hash) before it sees the other's; the first phone then sends
// its key, the joiner reveals its own, and both derive the three words and a wrapping key from the shared
// secret and the whole transcript. A server that swapped the keys holds a different secret with each phone, so
// the words differ; and having committed first, it gets one guess (1 in 16.7 million) at matching them.

export interface Ephemeral {
  secret: Uint8Array;
  public: Uint8Array;
}

export function newEphemeral(): Ephemeral {
  const secret = x25519.utils.randomSecretKey();
  return { secret, public: x25519.getPublicKey(secret) };
}

export function commitmentOf(publicKey: Uint8Array): string {
  return toB64(sha256(concatBytes(utf8ToBytes("attune pairing commitment"), publicKey)));
}

/** The pairing as both phones see it: who, and the three public values exchanged. */
export interface Transcript {
  couple: number;
  request: number;
  commitment: string;
  creatorKey: Uint8Array;
  joinerKey: Uint8Array;
}

export interface Agreed {
  words: string[];
  wrapKey: Uint8Array;
}

/** What this phone derives from its own secret and the other phone's public key: the words and the wrapping key. */
export function agree(mine: Ephemeral, theirs: Uint8Array, t: Transcript): Agreed {
  const shared = x25519.getSharedSecret(mine.secret, theirs);
  const context = utf8ToBytes(JSON.stringify(["attune pairing 1", t.couple, t.request, t.commitment]));
  const salt = sha256(concatBytes(context, t.creatorKey, t.joinerKey));
  const sas = hkdf(sha256, shared, salt, utf8ToBytes("attune pairing words"), 3);
  const wrapKey = hkdf(sha256, shared, salt, utf8ToBytes("attune pairing key"), KEY_BYTES);
  return { words: Array.from(sas, (byte) => PAIRING_WORDS[byte]), wrapKey };
}

const WRAP_AD = utf8ToBytes("attune couple key 1");

export function wrapCoupleKey(wrapKey: Uint8Array, coupleKey: Uint8Array): string {
  return sealBytes(wrapKey, coupleKey, WRAP_AD);
}

export function unwrapCoupleKey(wrapKey: Uint8Array, wrapped: string): Uint8Array {
  const key = openBytes(wrapKey, wrapped, WRAP_AD);
  if (key.length !== KEY_BYTES) throw new CannotRead("tampered");
  return key;
}

// An exchange's secret survives a reload of the page in the middle of it (and nothing longer).
export const pairingSecrets = {
  save(requestId: number, ephemeral: Ephemeral): void {
    try {
      sessionStorage.setItem(`attune.e2e.pairing.${requestId}`, toB64(ephemeral.secret));
    } catch {
      /* the exchange then lasts as long as the page */
    }
  },
  load(requestId: number): Ephemeral | null {
    try {
      const text = sessionStorage.getItem(`attune.e2e.pairing.${requestId}`);
      if (!text) return null;
      const secret = fromB64(text);
      return { secret, public: x25519.getPublicKey(secret) };
    } catch {
      return null;
    }
  },
  forget(requestId: number): void {
    try {
      sessionStorage.removeItem(`attune.e2e.pairing.${requestId}`);
    } catch {
      /* nothing kept */
    }
  },
};
