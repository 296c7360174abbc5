// Where the participant app meets ciphertext: couple content is sealed here on its way out and opened here on
// its way in (e2e.ts does the cryptography), so the screens only ever see plain content, or why it can't be read.
import { gettext } from "../shared/i18n";
import type { MessageFields } from "../shared/protocol";
import type { CoupleState, Entry } from "../shared/types";
import { CannotRead, keys, MAX_SEALED_CHARS, open, seal, type Place } from "./e2e";

/** The couple's key on this phone; the first phone of a couple (or the one phone of both) makes it. None means
 *  this phone lost it, or never had it: it asks the partner's phone for it again (the pairing exchange). */
export function coupleKeyFor(state: CoupleState): Uint8Array | null {
  const couple = state.couple;
  if (!couple) return null;
  const key = keys.couple(couple.id);
  if (key || (couple.partners.length > 1 && !couple.one_phone)) return key;
  return keys.makeCouple(couple.id);
}

function keyOf(kind: string, coupleId: number, participantId: number): Uint8Array | null {
  // A private reflection is its author's alone: sealed with this device's key, which no partner holds.
  return kind === "reflection" ? keys.device(participantId) : keys.couple(coupleId);
}

// --- opening what the server sends ---------------------------------------------------------------------------

const opened = new Map<string, unknown>(); // frames repeat entries: each ciphertext is opened once per place
const newestSeen = new Map<string, number>(); // entry -> the highest version this page has opened

function entryId(place: Place): string {
  return [place.couple, place.session, place.step, place.kind, place.key, place.scope].join("|");
}

function openEntry(entry: Entry, coupleId: number, me: number, sessionId: number): Entry {
  if (typeof entry.payload !== "string") return entry; // passed, kept back, not yet revealed, or removed
  const place: Place = {
    couple: coupleId,
    session: entry.session_id ?? sessionId,
    step: entry.step_index,
    kind: entry.kind,
    key: entry.key,
    scope: entry.scope ?? "",
    version: entry.version ?? 0,
  };
  const id = entryId(place);
  const cacheKey = `${id}|${place.version}|${entry.payload}`;
  try {
    // A server can't hand back an older version as if it were the newest: the version is sealed in.
    if (place.version < (newestSeen.get(id) ?? 0)) throw new CannotRead("tampered");
    if (!opened.has(cacheKey)) opened.set(cacheKey, open(keyOf(entry.kind, coupleId, me), entry.payload, place));
    newestSeen.set(id, place.version);
    return { ...entry, payload: opened.get(cacheKey) };
  } catch (error) {
    if (!(error instanceof CannotRead)) throw error;
    return { ...entry, payload: null, unreadable: error.reason };
  }
}

/** The couple snapshot with every entry opened (or marked unreadable, with the reason). */
export function openCouple(state: CoupleState, sessionId: number): CoupleState {
  const couple = state.couple;
  if (!couple || !state.entries) return state;
  coupleKeyFor(state);
  const me = state.participant.id;
  return { ...state, entries: state.entries.map((entry) => openEntry(entry, couple.id, me, sessionId)) };
}

// --- sealing what this phone writes ------------------------------------------------------------------------------

/** entry.put as the screens call it: the content in the clear (sealed here before it goes anywhere). */
export type PlainEntryPut = Omit<MessageFields<"entry.put">, "payload"> & { payload?: unknown };

const sentVersions = new Map<string, number>(); // private entry -> the newest version this phone sealed it for

export class TooLong extends Error {}

/** The message to send for `put`: its payload sealed for exactly the entry, scope and version it will have. */
export function sealPut(put: PlainEntryPut, state: CoupleState, sessionId: number): MessageFields<"entry.put"> {
  const couple = state.couple!;
  const me = state.participant.id;
  const privateKind = put.kind === "reflection" || put.kind === "answer";
  const scope = privateKind ? (put.as_partner === 2 ? `p${me}.2` : `p${me}`) : "shared";
  const place: Place = { couple: couple.id, session: sessionId, step: put.step_index, kind: put.kind, key: put.key, scope, version: 0 };
  let expected = put.expected_version ?? 0;
  if (privateKind) {
    // Only its author writes a private entry: on from the newest version this phone knows, including edits of
    // its own still on their way (the server takes a private entry's versions upwards only).
    const known = state.entries?.find((e) => e.step_index === put.step_index && e.kind === put.kind && e.key === put.key && e.scope === scope);
    expected = Math.max(known?.version ?? 0, sentVersions.get(entryId(place)) ?? 0);
    sentVersions.set(entryId(place), expected + 1);
  }
  const fields = { ...put, expected_version: expected } as MessageFields<"entry.put">;
  if (put.passed || put.payload === null || put.payload === undefined) return { ...fields, payload: null };
  const key = keyOf(put.kind, couple.id, me);
  if (!key) throw new CannotRead("no_key");
  const sealed = seal(key, put.payload, { ...place, version: expected + 1 });
  if (sealed.length > MAX_SEALED_CHARS) throw new TooLong(gettext("That is too long to save."));
  return { ...fields, payload: sealed };
}
