// Calendar files made on the phone, so a couple's ritual or trial review doesn't depend on our server. Their
// texts are in the language of the phone that made them (the reader's).
import { gettext } from "../shared/i18n";

export type Repeat = "weekly" | "biweekly" | "monthly";

export const REPEAT_LABELS: Record<Repeat, string> = {
  weekly: gettext("Every week"),
  biweekly: gettext("Every two weeks"),
  monthly: gettext("Every month"),
};

const RRULES: Record<Repeat, string> = {
  weekly: "FREQ=WEEKLY;INTERVAL=1",
  biweekly: "FREQ=WEEKLY;INTERVAL=2",
  monthly: "FREQ=MONTHLY;INTERVAL=1",
};

function escapeText(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** Lines longer than 75 octets are folded (RFC 5545 §3.1). */
function fold(line: string): string {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = "";
  let size = 0;
  for (const ch of line) {
    const n = new TextEncoder().encode(ch).length;
    if (size + n > (parts.length ? 74 : 75)) {
      parts.push(current);
      current = "";
      size = 0;
    }
    current += ch;
    size += n;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function uid(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}@attune.live`;
}

export interface CalendarEvent {
  summary: string;
  description: string;
  date: string; // YYYY-MM-DD
  time?: string; // HH:MM, local (floating) time; without it, an all-day event
  minutes?: number;
  repeat?: Repeat;
}

// A reminder on the phone's calendar (RFC 5545 §3.6.6): ALARM_MINUTES before a timed event; for an all-day one
// (the trial's review date), at 9:00 that morning.
const ALARM_MINUTES = 15;

function alarm(event: CalendarEvent): string[] {
  const trigger = event.time ? `-PT${ALARM_MINUTES}M` : "PT9H";
  return ["BEGIN:VALARM", "ACTION:DISPLAY", `DESCRIPTION:${escapeText(event.summary)}`, `TRIGGER:${trigger}`, "END:VALARM"];
}

export function calendarFile(events: CalendarEvent[]): string {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Attune//Live apps//EN", "CALSCALE:GREGORIAN"];
  for (const event of events) {
    const day = event.date.replace(/-/g, "");
    lines.push("BEGIN:VEVENT", `UID:${uid()}`, `DTSTAMP:${stamp(new Date())}`);
    if (event.time) {
      lines.push(`DTSTART:${day}T${event.time.replace(":", "")}00`, `DURATION:PT${event.minutes ?? 30}M`);
    } else {
      lines.push(`DTSTART;VALUE=DATE:${day}`);
    }
    if (event.repeat) lines.push(`RRULE:${RRULES[event.repeat]}`);
    lines.push(`SUMMARY:${escapeText(event.summary)}`, `DESCRIPTION:${escapeText(event.description)}`);
    lines.push(...alarm(event), "END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.map(fold).join("\r\n") + "\r\n";
}

/** Offer a file made in the browser as a download. */
export function download(filename: string, type: string, body: string): void {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.rel = "noopener";
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function todayPlus(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() + days);
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, "0");
  const d = String(date.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}
