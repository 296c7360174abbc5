// Pieces shared by the three apps: the connection banner, countdowns, messages, the screen wake lock.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { gettext, interpolate, ngettext } from "./i18n";
import type { LiveSocket } from "./socket";
import { createStore, useStore } from "./store";
import { formatClock, remainingMs, spokenClock, useTick } from "./time";

// --- messages (one polite live region per page) ------------------------------------------------------

interface Notice {
  id: number;
  text: string;
  tone: "info" | "error";
}
const notices = createStore<{ items: Notice[] }>({ items: [] });
let noticeId = 0;

export function notify(text: string, tone: "info" | "error" = "info"): void {
  noticeId += 1;
  const id = noticeId;
  notices.set({ items: [...notices.get().items.filter((n) => n.text !== text), { id, text, tone }].slice(-3) });
  window.setTimeout(() => notices.set({ items: notices.get().items.filter((n) => n.id !== id) }), 7000);
}

export function Notices() {
  const { items } = useStore(notices);
  return (
    <div class="notices" role="status" aria-live="polite">
      {items.map((n) => (
        <p key={n.id} class={"notice-item " + n.tone}>
          {n.text}
        </p>
      ))}
    </div>
  );
}

// --- connection ---------------------------------------------------------------------------------------

export function ConnectionBanner({ socket, participant = false }: { socket: LiveSocket; participant?: boolean }) {
  useTick(socket.status !== "open");
  if (socket.status === "open" || socket.status === "closed") {
    return socket.unsent > 0 ? (
      <p class="banner sending" role="status">
        {interpolate(
          ngettext("Sending %(count)s change kept on this phone…", "Sending %(count)s changes kept on this phone…", socket.unsent),
          { count: socket.unsent },
        )}
      </p>
    ) : null;
  }
  if (socket.status === "connecting") {
    return (
      <p class="banner connecting" role="status">
        {gettext("Connecting…")}
      </p>
    );
  }
  const seconds = socket.offlineSince ? Math.round((Date.now() - socket.offlineSince) / 1000) : 0;
  const retrying = (
    <span aria-hidden="true">
      {" "}
      {seconds >= 5 ? interpolate(gettext("Trying again (%(seconds)s s)…"), { seconds }) : gettext("Trying again…")}
    </span>
  );
  if (!participant) {
    return (
      <div class="banner offline" role="alert">
        <strong>{gettext("You're offline.")}</strong> {gettext("Commands can't be sent until the connection is back.")}
        {retrying}
      </div>
    );
  }
  const unsent = socket.unsent;
  return (
    <div class="banner offline" role="alert">
      <strong>{gettext("You're offline.")}</strong> {gettext("What you type is kept on this phone and sent when you're back.")}
      {unsent > 0 && (
        <> {interpolate(ngettext("%(count)s change is waiting to be sent.", "%(count)s changes are waiting to be sent.", unsent), { count: unsent })}</>
      )}
      {retrying}
    </div>
  );
}

// --- countdowns ---------------------------------------------------------------------------------------

export function Countdown({
  deadline,
  pausedMs,
  offsetMs,
  label,
  class: className = "countdown",
}: {
  deadline: string | null | undefined;
  pausedMs?: number | null;
  offsetMs: number;
  label: string;
  class?: string;
}) {
  useTick(!!deadline);
  const ms = deadline ? remainingMs(deadline, offsetMs) : (pausedMs ?? null);
  if (ms === null) return null;
  const paused = !deadline;
  const spoken = { label, time: spokenClock(ms) };
  const classes = `${className}${ms === 0 ? " done" : ""}${paused ? " paused" : ""}`;
  return (
    <span class={classes}>
      <span class="visually-hidden">
        {paused ? interpolate(gettext("%(label)s: %(time)s (paused)"), spoken) : interpolate(gettext("%(label)s: %(time)s left"), spoken)}
      </span>
      <span aria-hidden="true">
        {formatClock(ms)}
        {paused && <> {gettext("(paused)")}</>}
      </span>
    </span>
  );
}

// --- screen wake lock -----------------------------------------------------------------------------------

/** Keep the screen on while the app is open (where the browser allows it); taken again on return. */
export function useWakeLock(enabled: boolean): void {
  useEffect(() => {
    const nav = navigator as Navigator & { wakeLock?: { request(type: "screen"): Promise<{ release(): Promise<void> }> } };
    if (!enabled || !nav.wakeLock) return;
    let lock: { release(): Promise<void> } | null = null;
    let cancelled = false;
    const take = async () => {
      if (document.visibilityState !== "visible" || cancelled) return;
      try {
        lock = await nav.wakeLock!.request("screen");
      } catch {
        lock = null; // battery saver, or not allowed here: the app works without it
      }
    };
    take();
    document.addEventListener("visibilitychange", take);
    return () => {
      cancelled = true;
      document.removeEventListener("visibilitychange", take);
      lock?.release().catch(() => undefined);
    };
  }, [enabled]);
}

// --- small helpers ----------------------------------------------------------------------------------------

/** A translated sentence with parts in it. Each %(name)s becomes parts[name] where the translation puts it: a
 *  value (formatted as interpolate does) or a part of the page (a countdown, a code). Words the translation wraps
 *  in <strong>…</strong> are stressed, so the catalog keeps the sentence whole and each language stresses its own
 *  words. Values go in after the split, so nothing a value holds is ever read as markup. */
export function fill(text: string, parts: Record<string, ComponentChildren> = {}): ComponentChildren[] {
  return text.split(/<strong>(.*?)<\/strong>/).map((piece, n) => {
    const placed = withParts(piece, parts);
    return n % 2 ? <strong key={n}>{placed}</strong> : placed;
  });
}

function withParts(text: string, parts: Record<string, ComponentChildren>): ComponentChildren[] {
  return text.split(/(%\(\w+\)s)/).map((piece) => {
    const name = /^%\((\w+)\)s$/.exec(piece)?.[1];
    if (name === undefined || !(name in parts)) return piece;
    const part = parts[name];
    return typeof part === "string" || typeof part === "number" ? interpolate(piece, { [name]: part }) : part;
  });
}

/** Moves focus to the page's heading when `key` changes, so a screen reader hears the new screen. */
export function useFocusHeading(key: unknown) {
  const ref = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    ref.current?.focus();
  }, [key]);
  return ref;
}

export function Busy({ children, busy }: { children: ComponentChildren; busy: boolean }) {
  return <span aria-busy={busy ? "true" : "false"}>{children}</span>;
}

/** Run an async action once at a time; the returned flag disables its button meanwhile. */
export function useAction(): [boolean, (fn: () => Promise<unknown>) => Promise<void>] {
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };
  return [busy, run];
}

export function readConfig<T>(): T {
  const node = document.getElementById("live-config");
  return JSON.parse(node?.textContent || "{}") as T;
}
