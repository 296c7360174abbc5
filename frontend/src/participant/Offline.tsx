// The participant app without a network. The service worker (src/worker/sw.ts) keeps the app's public shell, so
// /live/ opens with no network on this screen, which says what still works and what will happen, and goes back to
// the session by itself once the server answers again.
import { useEffect, useRef, useState } from "preact/hooks";
import { gettext, interpolate, language, ngettext } from "../shared/i18n";

const RETRY_MS = 5000;
const OUTBOX_PREFIX = "attune.live.outbox."; // shared/socket.ts's outbox, kept in sessionStorage (state.ts names it)

/** Register the worker that keeps the app's shell, and tell it the language this page is in: the one this phone
 *  chose (the language cookie, which the worker cannot read), so that the shell opens in it without a network. A
 *  new choice reloads the page, which tells it again. The shell itself (`offlineShell`) says nothing: its language
 *  is the one the worker picked, not a choice. Service workers need a secure context (https, or localhost): on a
 *  venue's plain-http Wi-Fi there is none, and the app works as before, online only. */
export function registerShellWorker(offlineShell: boolean): void {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/live/sw.js", { scope: "/live/" }).catch(() => undefined);
  if (offlineShell) return;
  navigator.serviceWorker.ready.then((registration) => registration.active?.postMessage({ language })).catch(() => undefined);
}

/** Changes this page made that the server has not acknowledged yet (they are sent when the socket is back). */
function unsentChanges(): number {
  let count = 0;
  try {
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i);
      if (!key?.startsWith(OUTBOX_PREFIX)) continue;
      const saved = JSON.parse(sessionStorage.getItem(key) || "[]");
      if (Array.isArray(saved)) count += saved.length;
    }
  } catch {
    /* storage disabled: nothing kept to count */
  }
  return count;
}

async function serverAnswers(): Promise<boolean> {
  try {
    const response = await fetch("/healthz", { cache: "no-store", credentials: "omit" });
    return response.ok;
  } catch {
    return false;
  }
}

function backToTheSession(): void {
  // The address the phone opened (a join link's code too), unless this is the shell's own address.
  location.replace(location.pathname === "/live/" ? location.href : "/live/");
}

/** Asks the server every few seconds, when the phone says it is back online, when the page is shown again, and on
 *  demand; goes back to the session once it answers. */
function useReconnect(): { checking: boolean; tries: number; now: () => void } {
  const [checking, setChecking] = useState(false);
  const [tries, setTries] = useState(0);
  const check = useRef<() => void>(() => undefined);
  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    let running = false;
    check.current = async () => {
      if (running || stopped) return;
      running = true;
      window.clearTimeout(timer);
      setChecking(true);
      const back = await serverAnswers();
      running = false;
      if (stopped) return;
      if (back) return backToTheSession();
      setChecking(false);
      setTries((n) => n + 1);
      timer = window.setTimeout(() => check.current(), RETRY_MS);
    };
    const onVisible = () => document.visibilityState === "visible" && check.current();
    const onOnline = () => check.current();
    window.addEventListener("online", onOnline);
    document.addEventListener("visibilitychange", onVisible);
    timer = window.setTimeout(() => check.current(), RETRY_MS);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      window.removeEventListener("online", onOnline);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, []);
  return { checking, tries, now: () => check.current() };
}

export function WaitingScreen() {
  const { checking, tries, now } = useReconnect();
  const unsent = unsentChanges();
  return (
    <main class="live-main" id="main">
      <h1>{gettext("Waiting for the network")}</h1>
      <p class="lead">{gettext("This phone can't reach the session right now.")}</p>
      <p>
        {unsent > 0
          ? interpolate(
              ngettext(
                "Nothing is lost: everything you saved is kept, and %(count)s change you made is kept on this phone and will be sent when you're back.",
                "Nothing is lost: everything you saved is kept, and %(count)s changes you made are kept on this phone and will be sent when you're back.",
                unsent,
              ),
              { count: unsent },
            )
          : gettext("Nothing is lost: everything you saved is kept.")}
      </p>
      <p>
        {gettext(
          "Keep this page open: it reconnects by itself as soon as the network is back, and takes you to where the session is now.",
        )}
      </p>
      <p>
        {gettext(
          "Until then this phone can't show the session or save anything new. Check that Wi-Fi or mobile data is on; you can go on talking with your partner, and if the room's Wi-Fi is down, tell a facilitator.",
        )}
      </p>
      <button type="button" onClick={now} disabled={checking}>
        {gettext("Try again now")}
      </button>
      <p class="hint" role="status">
        {checking
          ? gettext("Checking the connection…")
          : tries > 0
            ? gettext("Still no network. Trying again by itself every few seconds.")
            : ""}
      </p>
    </main>
  );
}
