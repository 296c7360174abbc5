// The participant app's state: how this phone entered, its socket, and the latest snapshots.
import { api, ApiError, type SessionInfo } from "../shared/api";
import { noteDevice } from "../shared/deviceNote";
import { gettext, language } from "../shared/i18n";
import type { MessageFields } from "../shared/protocol";
import { LiveSocket, type MessageType, type SendOptions } from "../shared/socket";
import { createStore } from "../shared/store";
import type { CoupleState, FeedbackPrompt, Frame, SessionState } from "../shared/types";
import { notify, readConfig } from "../shared/ui";
import { CannotRead, UNREADABLE_TEXT } from "./e2e";
import { openCouple, type PlainEntryPut, sealPut } from "./sealing";

export interface ShellConfig {
  session_id: number | null;
  qr_pairing: boolean;
  shell?: boolean; // the public shell the service worker answered with: it knows nobody, the server says who
}

/** Who this device is (/live/api/device): what its own page's configuration says, and the language it reads. */
interface Device extends ShellConfig {
  language: string;
}

export type Phase = "boot" | "waiting" | "join" | "consent" | "live" | "gone";

export interface PState {
  phase: Phase;
  info: SessionInfo | null;
  joinError: string;
  joinCode: string;
  qrPairing: boolean;
  session: SessionState | null;
  couple: CoupleState | null;
  coupleVersion: number;
  removed: boolean;
  goneReason: string;
  tick: number; // bumped when the socket's status or outbox changes
  feedback: FeedbackPrompt[]; // open anonymous questions (a poll step's, live ones, the survey's)
  feedbackDone: number[]; // the ones this participant answered or passed (server receipts and this phone)
  feedbackRefused: number[]; // the ones the server said this couple may not answer (not_eligible)
}

export const store = createStore<PState>({
  phase: "boot",
  info: null,
  joinError: "",
  joinCode: "",
  qrPairing: false,
  session: null,
  couple: null,
  coupleVersion: -1,
  removed: false,
  goneReason: "",
  tick: 0,
  feedback: [],
  feedbackDone: [],
  feedbackRefused: [],
});

export let socket: LiveSocket | null = null;

// --- local, per-phone choices (never sent anywhere) ---------------------------------------------------------

function localKey(name: string, id: number | string) {
  return `attune.live.${name}.${id}`;
}
export function localGet(name: string, id: number | string): string | null {
  try {
    return localStorage.getItem(localKey(name, id));
  } catch {
    return null;
  }
}
export function localSet(name: string, id: number | string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(localKey(name, id));
    else localStorage.setItem(localKey(name, id), value);
  } catch {
    /* private mode: the choice lasts as long as the page */
  }
}

// --- entering ------------------------------------------------------------------------------------------------

/** The server drew the join screen (templates/live/_join_screen.html) and the phone may already be typing its code:
 *  start on that screen with what it holds, so the first render takes over the very same elements (Preact reuses
 *  them: the input keeps its text, focus and caret) instead of drawing "Opening…" over them. */
export function takeOverJoinScreen(root: HTMLElement): void {
  const drawn = root.querySelector<HTMLInputElement>("#join-code");
  if (drawn) store.set({ phase: "join", joinCode: drawn.value });
}

/** Opened without a network: the waiting screen (Offline.tsx). Any other failure: the join screen, saying why. */
function cannotEnter(error: unknown): void {
  if (error instanceof ApiError && error.code === "offline") store.set({ phase: "waiting" });
  else store.set({ phase: "join", joinError: error instanceof ApiError ? error.message : String(error) });
}

export async function boot(): Promise<void> {
  const page = readConfig<ShellConfig>();
  let config: Device;
  try {
    // The worker's kept shell (src/worker/sw.ts) drew the join screen without asking the server: now ask it. Without
    // a network the phone waits, and the address keeps a join link's code for when the network is back.
    config = page.shell ? await api.get<Device>("device") : { ...page, language };
  } catch (error) {
    cannotEnter(error);
    return;
  }
  const noted = noteDevice({ inSession: config.session_id !== null, language: config.language });
  if (config.language !== language) {
    // The worker's shell is in the language its note named, but the phone reads another now (chosen on one of the
    // site's pages, which leave no note): come again once the note says so, and the worker answers in that one.
    if (await noted) {
      location.reload();
      return;
    }
  }
  const params = new URLSearchParams(location.search);
  const code = params.get("code");
  const via = params.get("via");
  if (code || via) {
    // The join code came in the link: take it and clean the address bar (history, screenshots, shares).
    history.replaceState(null, "", location.pathname);
  }
  store.set({ qrPairing: !!config.qr_pairing });
  try {
    if (code) {
      await joinByCode(code);
      return;
    }
    if (via === "invitation") {
      enterSession(await api.post<SessionInfo>("join/invitation"));
      return;
    }
    if (config.session_id) {
      enterSession(await api.get<SessionInfo>(`sessions/${config.session_id}/me`));
      return;
    }
  } catch (error) {
    cannotEnter(error);
    return;
  }
  store.set({ phase: "join" });
}

export async function joinByCode(code: string): Promise<void> {
  store.set({ joinCode: code.toUpperCase() });
  try {
    enterSession(await api.post<SessionInfo>("join/code", { code }));
  } catch (error) {
    store.set({ phase: "join", joinError: error instanceof ApiError ? error.message : String(error) });
  }
}

export function enterSession(info: SessionInfo): void {
  store.set({ info, joinError: "" });
  void noteDevice({ inSession: true });
  if (!info.me) {
    store.set({ phase: "consent" });
    return;
  }
  if (info.me.couple?.removed) {
    store.set({ phase: "gone", removed: true });
    return;
  }
  store.set({ phase: "live" });
  connect(info);
}

export async function refreshMe(): Promise<void> {
  const info = store.get().info;
  if (!info) return;
  try {
    store.set({ info: await api.get<SessionInfo>(`sessions/${info.session_id}/me`) });
  } catch {
    /* kept as it was; the socket keeps the live state current anyway */
  }
}

// --- the socket -----------------------------------------------------------------------------------------------

function connect(info: SessionInfo): void {
  if (socket) return;
  const me = info.me!;
  socket = new LiveSocket(
    LiveSocket.urlFor(info.session_id),
    onFrame,
    onSocketChange,
    `attune.live.outbox.${info.session_id}.${me.participant_id}`,
  );
  socket.start();
}

function onSocketChange(): void {
  const s = socket!;
  if (s.status === "closed") {
    if (s.closeCode === 4410) store.set({ phase: "gone", removed: true });
    else if (s.closeCode === 4404) store.set({ phase: "gone", goneReason: gettext("This session no longer exists.") });
    else if (s.closeCode === 4401)
      store.set({ phase: "gone", goneReason: gettext("This phone is no longer signed in to the session. Join again with the code.") });
  }
  store.set({ tick: store.get().tick + 1 });
}

// Shown by the question itself, next to its buttons.
const QUIET_ERRORS = new Set(["stale_version", "stale_item", "bad_answer", "prompt_closed", "no_feedback_consent"]);

// --- anonymous feedback: which questions this participant already answered or passed ----------------------------
// The server's receipts (my_feedback, on every connect) are the truth; this phone also remembers what it sent, so
// a question never asks twice, also before the answer has reached the server. Never the answer itself.

function doneKey(): string | null {
  const info = store.get().info;
  return info?.me ? `${info.session_id}.${info.me.participant_id}` : null;
}

function localDone(): number[] {
  const key = doneKey();
  try {
    const saved = key ? JSON.parse(localGet("feedback-done", key) || "[]") : [];
    return Array.isArray(saved) ? saved.filter((n) => typeof n === "number") : [];
  } catch {
    return [];
  }
}

/** What `feedbackDone` holds for a prompt: its id, or, for the second person on a shared phone (who answers for
 *  themself), its id negated. */
export function doneId(promptId: number, partner: 1 | 2 = 1): number {
  return partner === 2 ? -promptId : promptId;
}

export function markFeedbackDone(promptId: number, done: boolean, partner: 1 | 2 = 1): void {
  const id = doneId(promptId, partner);
  const key = doneKey();
  const mine = localDone().filter((n) => n !== id);
  if (done) mine.push(id);
  if (key) localSet("feedback-done", key, JSON.stringify(mine));
  const all = store.get().feedbackDone.filter((n) => n !== id);
  store.set({ feedbackDone: done ? [...all, id] : all });
}

/** The server refused an answer: this couple was not among those who could answer when the question opened (a
 *  frame that said otherwise was out of date). The question then says so instead of asking. */
export function markFeedbackRefused(promptId: number): void {
  const refused = store.get().feedbackRefused;
  if (!refused.includes(promptId)) store.set({ feedbackRefused: [...refused, promptId] });
}

function onFrame(frame: Frame): void {
  const state = store.get();
  switch (frame.type) {
    case "session":
      if (!state.session || frame.version >= state.session.version) store.set({ session: frame.state });
      break;
    case "couple": {
      const next = openCouple(frame.state as CoupleState, state.info!.session_id);
      const sameCouple = (state.couple?.couple?.id ?? null) === (next.couple?.id ?? null);
      if (!sameCouple || frame.version >= state.coupleVersion) store.set({ couple: next, coupleVersion: frame.version });
      if (next.removed) store.set({ phase: "gone", removed: true });
      break;
    }
    case "removed":
      store.set({ phase: "gone", removed: true });
      break;
    case "feedback":
      store.set({ feedback: Array.isArray(frame.prompts) ? frame.prompts : [] });
      break;
    case "my_feedback": {
      // `again`: prompts whose answers the server could not keep (their key was lost): this phone asks again.
      const again: number[] = Array.isArray(frame.again) ? frame.again : [];
      for (const promptId of again) for (const partner of [1, 2] as const) markFeedbackDone(promptId, false, partner);
      const second: number[] = Array.isArray(frame.done_second) ? frame.done_second : [];
      const done = new Set<number>([
        ...(Array.isArray(frame.done) ? frame.done : []),
        ...second.map((promptId) => doneId(promptId, 2)),
        ...localDone(),
      ]);
      store.set({ feedbackDone: [...done] });
      break;
    }
    case "error":
      if (frame.code === "stale_version") notify(gettext("Your partner just moved on; here is where you both are now."));
      else if (frame.code === "stale_item") notify(gettext("Your partner changed this just now; you're seeing their version."));
      else if (!QUIET_ERRORS.has(frame.code)) notify(frame.message || gettext("That didn't work."), "error");
      break;
  }
}

/** Send a participant message; content and signals wait in the outbox until the server answers. */
export function send<T extends MessageType>(type: T, fields: MessageFields<T>, options: SendOptions = { queue: true }) {
  if (!socket) return Promise.resolve<Frame>({ type: "error", code: "offline", message: gettext("Not connected yet.") });
  return socket.send(type, fields, options);
}

/** Save an entry: its content is sealed on this phone (sealing.ts) and waits in the outbox, sealed, until the
 *  server answers. */
export function putEntry(put: PlainEntryPut, options: SendOptions = { queue: true }): Promise<Frame> {
  const { couple, info } = store.get();
  let fields: MessageFields<"entry.put">;
  try {
    fields = sealPut(put, couple!, info!.session_id);
  } catch (error) {
    const message = error instanceof CannotRead ? UNREADABLE_TEXT.no_key : error instanceof Error ? error.message : String(error);
    notify(message, "error");
    return Promise.resolve<Frame>({ type: "error", code: "not_sealed", message });
  }
  return send("entry.put", fields, options);
}

export function offset(): number {
  return socket?.offsetMs ?? 0;
}

export function serverNow(): number {
  return Date.now() + offset();
}

// --- derived -------------------------------------------------------------------------------------------------

/** The breakout as it is now: a closing breakout is closed once its warning has run out. */
export function breakoutNow(session: SessionState | null): "open" | "closing" | "closed" {
  if (!session) return "closed";
  const b = session.breakout;
  if (b.state === "closing" && b.closes_at && Date.parse(b.closes_at) <= serverNow()) return "closed";
  return b.state;
}

export function partnerNames(state: PState): { me: string; partner: string; second: string } {
  const couple = state.couple?.couple;
  const meId = state.couple?.participant.id;
  const me = state.couple?.participant.name ?? state.info?.me?.name ?? gettext("You");
  const partner = couple?.partners.find((p) => p.id !== meId)?.name ?? gettext("your partner");
  const second = (couple && localGet("partner2", couple.id)) || gettext("your partner");
  return { me, partner, second };
}
