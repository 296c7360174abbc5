// Countdowns from absolute server deadlines, corrected by the clock offset measured on the socket.
import { useEffect, useState } from "preact/hooks";
import { language } from "./i18n";

// Times and dates in the reader's language, in the browser's own variant of it where it has one (British English
// writes "1 March", German readers on an English browser read German).
const locale = (typeof navigator === "undefined" ? [] : navigator.languages).find((l) => l.split("-")[0] === language) ?? language;

/** Re-render every second, on the second. */
export function useTick(enabled = true): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!enabled) return;
    let timer: number;
    const tick = () => {
      setNow(Date.now());
      timer = window.setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
    };
    timer = window.setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
    return () => window.clearTimeout(timer);
  }, [enabled]);
  return now;
}

export function remainingMs(deadline: string | null | undefined, offsetMs: number): number | null {
  if (!deadline) return null;
  const end = Date.parse(deadline);
  if (Number.isNaN(end)) return null;
  return Math.max(0, end - (Date.now() + offsetMs));
}

export function formatClock(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = hours ? String(minutes).padStart(2, "0") : String(minutes);
  return `${hours ? `${hours}:` : ""}${mm}:${String(seconds).padStart(2, "0")}`;
}

/** "14:05 CET": this device's clock time, with its zone named (a facilitator online may be elsewhere than the
 * room, and a bare time read as UTC or as the venue's is an hour off). */
export function localTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return date.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
}

export function localDate(iso: string | null | undefined): string {
  if (!iso) return "";
  return new Date(iso).toLocaleDateString(locale, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
}
