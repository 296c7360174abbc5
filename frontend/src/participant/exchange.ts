// The pairing exchange as this phone runs it over the JSON endpoints (docs/privacy.md): the joiner commits to
// its key, the couple's phone answers with its own, the joiner reveals its key; both phones derive the three
// words; the couple's phone confirms with the couple key wrapped under the exchange, the joiner unwraps it,
// keeps it and confirms last, which pairs them. The server relays the public values and never sees the words.
import { api } from "../shared/api";
import { gettext } from "../shared/i18n";
import {
  agree,
  CannotRead,
  commitmentOf,
  type Ephemeral,
  fromB64,
  keys,
  newEphemeral,
  pairingSecrets,
  toB64,
  unwrapCoupleKey,
  wrapCoupleKey,
} from "./e2e";

/** An exchange as the server relays it to one of its two phones. */
export interface Pending {
  request_id: number;
  couple_id: number;
  role: "creator" | "joiner";
  rekey: boolean;
  commitment: string;
  creator_key: string | null;
  joiner_key: string | null;
  creator_confirmed: boolean;
  wrapped_key: string | null;
  partner: string | null;
  expires_at: string;
}

/** The exchange cannot go on; `message` says why, in words for the person holding the phone. */
export class ExchangeFailed extends Error {}

const START_AGAIN = gettext("The pairing was interrupted on this phone. Start again with a fresh code.");
const NOT_MATCHING = gettext(
  "Your phones did not agree on the same words, so no key was shared. Someone may have come between them: start again.",
);

export async function fetchPending(sessionId: number): Promise<Pending | null> {
  return (await api.get<{ pending: Pending | null }>(`sessions/${sessionId}/pair/pending`)).pending;
}

/** Join a couple's exchange (by the typed code, the QR link's code, or the invitation link): commit to a key. */
export async function joinExchange(sessionId: number, code?: string): Promise<Pending> {
  const ephemeral = newEphemeral();
  const joined = await api.post<Pending>("pair/join", {
    session_id: sessionId,
    commitment: commitmentOf(ephemeral.public),
    ...(code === undefined ? {} : { code }),
  });
  pairingSecrets.save(joined.request_id, ephemeral);
  return joined;
}

async function sendKey(sessionId: number, pending: Pending, ephemeral: Ephemeral): Promise<void> {
  const body = { session_id: sessionId, request_id: pending.request_id, public_key: toB64(ephemeral.public) };
  await api.post("pair/key", body);
}

/** This phone's turn in the exchange, if it has one; then the words and wrapping key once both keys are in. */
export async function advance(sessionId: number, pending: Pending) {
  let mine = pairingSecrets.load(pending.request_id);
  if (pending.role === "creator") {
    if (!pending.creator_key) {
      mine = newEphemeral();
      pairingSecrets.save(pending.request_id, mine);
      await sendKey(sessionId, pending, mine);
      return null;
    }
    if (!mine || toB64(mine.public) !== pending.creator_key) throw new ExchangeFailed(START_AGAIN);
    if (!pending.joiner_key) return null;
    // The joiner's key must be the one it committed to before it saw ours.
    if (commitmentOf(fromB64(pending.joiner_key)) !== pending.commitment) throw new ExchangeFailed(NOT_MATCHING);
    return agree(mine, fromB64(pending.joiner_key), transcriptOf(pending, mine.public, fromB64(pending.joiner_key)));
  }
  if (!mine) throw new ExchangeFailed(START_AGAIN);
  if (!pending.creator_key) return null;
  if (!pending.joiner_key) await sendKey(sessionId, pending, mine);
  return agree(mine, fromB64(pending.creator_key), transcriptOf(pending, fromB64(pending.creator_key), mine.public));
}

function transcriptOf(pending: Pending, creatorKey: Uint8Array, joinerKey: Uint8Array) {
  return { couple: pending.couple_id, request: pending.request_id, commitment: pending.commitment, creatorKey, joinerKey };
}

/** The couple's phone confirms the words: with the couple key, wrapped so that only the joining phone opens it. */
export async function confirmAsCreator(sessionId: number, pending: Pending, wrapKey: Uint8Array): Promise<void> {
  // The couple's first phone makes the key if it has none yet (it was alone in the couple until now).
  const coupleKey = keys.couple(pending.couple_id) ?? (pending.rekey ? null : keys.makeCouple(pending.couple_id));
  if (!coupleKey) throw new ExchangeFailed(gettext("This phone doesn't hold your couple's key, so it can't share it."));
  const wrapped_key = wrapCoupleKey(wrapKey, coupleKey);
  await api.post("pair/confirm", { session_id: sessionId, request_id: pending.request_id, wrapped_key });
}

/** The joining phone, once the couple's phone has confirmed: unwrap and keep the couple key, then confirm, which
 *  pairs the phones. A key that does not unwrap means the two phones did not run the same exchange. */
export async function confirmAsJoiner(sessionId: number, pending: Pending, wrapKey: Uint8Array): Promise<void> {
  let coupleKey: Uint8Array;
  try {
    coupleKey = unwrapCoupleKey(wrapKey, pending.wrapped_key!);
  } catch (error) {
    if (error instanceof CannotRead) throw new ExchangeFailed(NOT_MATCHING);
    throw error;
  }
  keys.setCouple(pending.couple_id, coupleKey);
  await api.post("pair/confirm", { session_id: sessionId, request_id: pending.request_id });
  pairingSecrets.forget(pending.request_id);
}
