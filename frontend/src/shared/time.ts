// Countdowns from absolute server deadlines, corrected by the clock offset measured on the socket.
import { useEffect, useState } from "preact/hooks";
import { language } from "./i18n";

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

// Spoken durations in the reader's language ("3 minutes 5 seconds", "3 Minuten, 5 Sekunden"): CLDR's unit
// names and its way of listing them, so no language's words or plurals are written here.
const minutesLong = new Intl.NumberFormat(language, { style: "unit", unit: "minute", unitDisplay: "long" });
const secondsLong = new Intl.NumberFormat(language, { style: "unit", unit: "second", unitDisplay: "long" });
const unitList = new Intl.ListFormat(language, { type: "unit", style: "narrow" });

const minutesShort = new Intl.NumberFormat(language, { style: "unit", unit: "minute", unitDisplay: "short" });

/** "3 min" ("3 Min." in German): a planned length. */
export function shortMinutes(minutes: number): string {
  return minutesShort.format(minutes);
}

/** "3 minutes 5 seconds", for screen readers. */
export function spokenClock(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts = [];
  if (minutes) parts.push(minutesLong.format(minutes));
  if (seconds || !minutes) parts.push(secondsLong.format(seconds));
  return unitList.format(parts);
}

// Dates and times in the reader's language, in the device's own regional form when the device speaks that
// language ("1 March" on a British phone, "March 1" on an American one); else in the language's usual form.
const deviceLocale = new Intl.DateTimeFormat().resolvedOptions().locale;
const dateLocale = deviceLocale.split("-")[0] === language.split("-")[0] ? deviceLocale : language;

/** "14:05 CET": this device's clock time in the reader's format, with its zone named (a facilitator online may be
 * elsewhere than the room, and a bare time read as UTC or as the venue's is an hour off). */
export function localTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return date.toLocaleTimeString(dateLocale, { hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
}

/** "Sunday, 6 December 2026", "Sonntag, 6. Dezember 2026": a date in the reader's language. */
export function localDate(iso: string | null | undefined): string {
  if (!iso) return "";
  return new Date(iso).toLocaleDateString(dateLocale, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
}
