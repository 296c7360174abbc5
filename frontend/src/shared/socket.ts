// The live socket (docs/protocol.md): one per page, reconnecting for as long as the page lives.
//
// Phones drop connections all the time, so:
// - a closed socket is reopened with exponential backoff and full jitter, and at once when the page becomes
//   visible again or the browser says it is back online; when the browser says it is offline, the socket is
//   dropped (it may look open, but nothing sent on it is sure to arrive);
// - messages that change something wait in an outbox (kept in sessionStorage, so a reload keeps them) until the
//   server acknowledges them, and are sent again after a reconnect with the same client ids, which the server
//   applies only once;
// - a ping every ping_interval_s renews presence, and its pong carries the server's versions: a client that is
//   behind asks for every snapshot again (sync);
// - server_time in hello and pong gives the clock offset used for every countdown;
// - a socket that has gone silent (no frame for two ping intervals) is treated as dead and replaced.

import { gettext } from "./i18n";
import type { ClientMessage, MessageFields } from "./protocol";
import type { Frame } from "./types";
import { frameInReadersLanguage } from "./content";

/** The type of a message the apps send: a command, or the transport's ping and sync. */
export type MessageType = ClientMessage["type"];

export type ConnStatus = "connecting" | "open" | "offline" | "closed";

export interface OutMessage {
  id: string;
  type: string;
  [field: string]: unknown;
}

interface Pending {
  message: OutMessage;
  replaceKey?: string;
}

export interface SendOptions {
  // Keep it in the outbox until the server answers (participant content and signals). Staff commands act on
  // a version and are not retried later: when offline they fail at once.
  queue?: boolean;
  // A newer message with the same key replaces an unanswered older one (e.g. a private text saved again).
  replaceKey?: string;
}

const TERMINAL_CODES = new Set([4401, 4403, 4404, 4410]);
const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 10000;
const ABUSE_BACKOFF_MS = 30000;

let counter = 0;
const prefix = Math.random().toString(36).slice(2, 10);
export function newId(): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter.toString(36)}`;
}

export class LiveSocket {
  status: ConnStatus = "connecting";
  closeCode: number | null = null;
  offsetMs = 0;
  offlineSince: number | null = null;
  private ws: WebSocket | null = null;
  private outbox: Pending[] = [];
  private waiters = new Map<string, (frame: Frame) => void>();
  private versions: { session: number; couple: number | null } = { session: -1, couple: null };
  private attempt = 0;
  private retryTimer: number | undefined;
  private pingTimer: number | undefined;
  private watchdogTimer: number | undefined;
  private pingsSent = new Map<string, number>();
  private bestRtt = Infinity;
  private pingIntervalMs = 15000;
  private lastFrameAt = 0;
  private stopped = false;

  constructor(
    private url: string,
    private onFrame: (frame: Frame) => void,
    private onChange: () => void,
    private outboxKey?: string,
  ) {
    if (outboxKey) {
      try {
        const saved = JSON.parse(sessionStorage.getItem(outboxKey) || "[]");
        if (Array.isArray(saved)) this.outbox = saved;
      } catch {
        this.outbox = [];
      }
    }
  }

  /** A session's socket, for a role; with `language` (a page that keeps its own, the projector's) its error
   *  frames are in that language whatever the language cookie says (config/i18n.py, language_of_socket). */
  static urlFor(sessionId: number, role?: "facilitator" | "projector", language?: string): string {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const query = new URLSearchParams();
    if (role) query.set("as", role);
    if (language) query.set("lang", language);
    const search = query.toString();
    return `${scheme}://${location.host}/ws/live/${sessionId}/${search ? `?${search}` : ""}`;
  }

  get unsent(): number {
    return this.outbox.length;
  }

  start(): void {
    document.addEventListener("visibilitychange", this.onVisible);
    window.addEventListener("online", this.reconnectNow);
    window.addEventListener("offline", this.onBrowserOffline);
    this.watchdogTimer = window.setInterval(this.watchdog, 5000);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    document.removeEventListener("visibilitychange", this.onVisible);
    window.removeEventListener("online", this.reconnectNow);
    window.removeEventListener("offline", this.onBrowserOffline);
    window.clearInterval(this.watchdogTimer);
    window.clearTimeout(this.retryTimer);
    window.clearInterval(this.pingTimer);
    this.drop();
  }

  /** Send a message; resolves with its ack or error frame. */
  send<T extends MessageType>(type: T, fields: MessageFields<T>, options: SendOptions = {}): Promise<Frame> {
    const message: OutMessage = { id: newId(), type, ...fields };
    if (options.queue) {
      if (options.replaceKey) {
        const older = this.outbox.filter((p) => p.replaceKey === options.replaceKey);
        this.outbox = this.outbox.filter((p) => p.replaceKey !== options.replaceKey);
        for (const p of older) this.resolve(p.message.id, { type: "ack", id: p.message.id, superseded: true });
      }
      this.outbox.push({ message, replaceKey: options.replaceKey });
      this.persist();
      this.onChange();
    } else if (this.status !== "open") {
      return Promise.resolve({
        type: "error",
        id: message.id,
        code: "offline",
        message: gettext("Not connected. Wait for the connection to come back, then try again."),
      });
    }
    const answered = new Promise<Frame>((resolve) => this.waiters.set(message.id, resolve));
    if (this.status === "open") this.transmit(message);
    return answered;
  }

  /** Ask for every snapshot again now, as a pong that shows this client behind does. */
  resync(): void {
    if (this.ws && this.status === "open") this.transmit({ id: newId(), type: "sync" });
  }

  /** Serverside time now, in ms since the epoch. */
  serverNow(): number {
    return Date.now() + this.offsetMs;
  }

  // --- connection ----------------------------------------------------------------------

  private connect = (): void => {
    if (this.stopped || this.status === "closed") return;
    window.clearTimeout(this.retryTimer);
    if (this.ws) return;
    if (this.status !== "offline") this.setStatus("connecting");
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    ws.onmessage = (event) => {
      if (this.ws !== ws) return;
      let frame: Frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      this.receive(frame);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.closed(event.code);
    };
  };

  private reconnectNow = (): void => {
    if (this.stopped || this.status === "closed") return;
    this.attempt = 0;
    if (!this.ws) this.connect();
  };

  private onVisible = (): void => {
    if (document.visibilityState !== "visible") return;
    if (this.ws && this.status === "open") this.ping();
    else this.reconnectNow();
  };

  private onBrowserOffline = (): void => {
    // The phone says it has no network. A socket may still look open (nothing has timed out yet), but nothing it
    // sends is sure to arrive: drop it, so whatever is written now waits in the outbox (and says so) until a new
    // socket is acknowledged. Reconnecting goes on as after any drop, and at once when the phone is back online.
    if (this.stopped || this.status === "closed") return;
    this.drop();
    this.closed(4000);
  };

  private watchdog = (): void => {
    if (this.status === "open" && Date.now() - this.lastFrameAt > this.pingIntervalMs * 2 + 5000) {
      // Silent for too long: the network path is gone even if the socket hasn't noticed.
      this.drop();
      this.closed(4000);
    }
  };

  private drop(): void {
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onmessage = null;
      ws.onclose = null;
      try {
        ws.close();
      } catch {
        /* already closed */
      }
    }
  }

  private closed(code: number): void {
    this.ws = null;
    window.clearInterval(this.pingTimer);
    this.pingsSent.clear();
    // Staff commands are not retried: tell whoever waits for them that they were not answered.
    for (const [id, resolve] of this.waiters) {
      if (!this.outbox.some((p) => p.message.id === id)) {
        this.waiters.delete(id);
        resolve({ type: "error", id, code: "offline", message: gettext("The connection dropped before an answer came.") });
      }
    }
    if (TERMINAL_CODES.has(code)) {
      this.closeCode = code;
      this.setStatus("closed");
      return;
    }
    this.markOffline();
    this.scheduleRetry(code === 4429 ? ABUSE_BACKOFF_MS : undefined);
  }

  private markOffline(): void {
    if (this.status === "closed") return;
    if (this.offlineSince === null) this.offlineSince = Date.now();
    this.setStatus("offline");
  }

  private scheduleRetry(minimum?: number): void {
    if (this.stopped) return;
    window.clearTimeout(this.retryTimer);
    // Full jitter: a random wait between 0 and the exponential ceiling, so a room of phones that lost the
    // Wi-Fi together doesn't come back in one burst.
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** this.attempt);
    const delay = minimum ?? Math.random() * ceiling;
    this.attempt += 1;
    this.retryTimer = window.setTimeout(this.connect, delay);
  }

  private setStatus(status: ConnStatus): void {
    if (this.status === status) return;
    this.status = status;
    if (status === "open") this.offlineSince = null;
    this.onChange();
  }

  // --- frames ------------------------------------------------------------------------------

  private receive(frame: Frame): void {
    this.lastFrameAt = Date.now();
    switch (frame.type) {
      case "hello":
        this.attempt = 0;
        this.pingIntervalMs = Math.max(5, Number(frame.ping_interval_s) || 15) * 1000;
        // A first guess of the clock offset (one-way delay unknown); the ping right after measures it.
        if (this.bestRtt === Infinity) {
          const server = Date.parse(frame.server_time);
          if (!Number.isNaN(server)) this.offsetMs = server - Date.now();
        }
        this.setStatus("open");
        window.clearInterval(this.pingTimer);
        this.pingTimer = window.setInterval(() => this.ping(), this.pingIntervalMs);
        this.ping();
        // Everything still unanswered goes again, in order, with the same ids.
        for (const pending of this.outbox) this.transmit(pending.message);
        break;
      case "pong": {
        const sent = frame.id ? this.pingsSent.get(frame.id) : undefined;
        if (frame.id) this.pingsSent.delete(frame.id);
        if (sent !== undefined) this.sampleClock(frame.server_time, Date.now() - sent);
        const v = frame.versions || {};
        const behind =
          (typeof v.session === "number" && v.session > this.versions.session) ||
          (typeof v.couple === "number" && this.versions.couple !== null && v.couple !== this.versions.couple);
        if (behind) this.transmit({ id: newId(), type: "sync" });
        break;
      }
      case "session":
        this.versions.session = Math.max(this.versions.session, Number(frame.version) || 0);
        break;
      case "couple":
        this.versions.couple = Number(frame.version) || 0;
        break;
      case "ack":
      case "error":
        if (frame.id) {
          const before = this.outbox.length;
          this.outbox = this.outbox.filter((p) => p.message.id !== frame.id);
          if (this.outbox.length !== before) {
            this.persist();
            this.onChange();
          }
          if (this.resolve(frame.id, frame)) return;
        }
        break;
    }
    this.onFrame(frameInReadersLanguage(frame));
  }

  private resolve(id: string, frame: Frame): boolean {
    const waiter = this.waiters.get(id);
    if (!waiter) return false;
    this.waiters.delete(id);
    waiter(frame);
    // Errors are also shown by the app's general handler.
    return frame.type === "ack";
  }

  private ping(): void {
    const id = newId();
    this.pingsSent.set(id, Date.now());
    this.transmit({ id, type: "ping" });
  }

  private sampleClock(serverTime: string, rttMs: number): void {
    const server = Date.parse(serverTime);
    if (Number.isNaN(server)) return;
    // Trust the sample with the shortest round trip; let the best one age so drift is followed.
    this.bestRtt *= 1.2;
    if (rttMs <= this.bestRtt) {
      this.bestRtt = rttMs;
      this.offsetMs = server + rttMs / 2 - Date.now();
    }
  }

  private transmit(message: OutMessage): void {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    try {
      this.ws.send(JSON.stringify(message));
    } catch {
      /* the close handler reconnects and resends */
    }
  }

  private persist(): void {
    if (!this.outboxKey) return;
    try {
      sessionStorage.setItem(this.outboxKey, JSON.stringify(this.outbox));
    } catch {
      /* storage full or disabled: the outbox still lives in memory */
    }
  }
}
