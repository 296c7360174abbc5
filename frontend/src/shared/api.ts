// JSON endpoints under /live/api/ (docs/protocol.md). POSTs carry Django's CSRF token from its cookie.
import { gettext, interpolate, ngettext } from "./i18n";

import { inReadersLanguage } from "./content";
import type { InLanguages } from "./content";

export class ApiError extends Error {
  constructor(
    public code: string,
    message: string,
    public status: number,
  ) {
    super(message);
  }
}

// Retry-After is seconds (what Attune sends) or an HTTP date (what a proxy may send).
export function retryAfterSeconds(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

// The same words as the server's (config/ratelimit.py), for a 429 that came without them.
export function tooManyTries(seconds: number | null): string {
  if (seconds === null) return gettext("Too many tries. Try again in a few minutes.");
  if (seconds < 60) {
    const text = ngettext("Too many tries. Try again in %(count)s second.", "Too many tries. Try again in %(count)s seconds.", seconds);
    return interpolate(text, { count: seconds });
  }
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) {
    const text = ngettext("Too many tries. Try again in %(count)s minute.", "Too many tries. Try again in %(count)s minutes.", minutes);
    return interpolate(text, { count: minutes });
  }
  const hours = Math.ceil(minutes / 60);
  const text = ngettext("Too many tries. Try again in %(count)s hour.", "Too many tries. Try again in %(count)s hours.", hours);
  return interpolate(text, { count: hours });
}

export function csrfToken(): string {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/live/api/${path}`, {
      method,
      credentials: "same-origin",
      cache: "no-store",
      headers:
        method === "POST"
          ? { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" }
          : { Accept: "application/json" },
      body: method === "POST" ? JSON.stringify(body ?? {}) : undefined,
    });
  } catch {
    throw new ApiError("offline", gettext("You seem to be offline. Check your connection and try again."), 0);
  }
  let data: any = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    if (response.status === 429) {
      const wait = retryAfterSeconds(response.headers.get("Retry-After"));
      throw new ApiError(data?.code ?? "rate_limited", data?.message ?? tooManyTries(wait), 429);
    }
    if (response.status === 403 && !data?.code) {
      throw new ApiError("csrf", gettext("This page is out of date. Reload it and try again."), 403);
    }
    throw new ApiError(data?.code ?? "error", data?.message ?? gettext("Something went wrong. Try again."), response.status);
  }
  return inReadersLanguage(data) as T; // workshop content (a session's item steps) in the reader's language
}

export const api = {
  get: <T>(path: string) => call<T>("GET", path),
  post: <T>(path: string, body?: unknown) => call<T>("POST", path, body),
};

export interface SessionInfo {
  session_id: number;
  workshop: string;
  starts_at: string;
  ends_at: string;
  join_code: string;
  me: Me | null;
  item_steps?: ItemStep[]; // once a participant: the steps its couple's shared items belong to (this and earlier sessions)
}

/** A step at which a couple builds shared items (a worksheet, a dialogue's topic), in this session or a
 *  retreat's earlier one: what a phone lays its couple's items out by. */
export interface ItemStep extends InLanguages {
  session_id: number;
  starts_at: string;
  step_index: number;
  kind: string;
  exercise: string;
  title: string;
  sections: { key: string; label: string }[];
}

export interface Me {
  participant_id: number;
  name: string;
  feedback_consent: boolean;
  content_deleted_after: string | null;
  couple: null | { id: number; partners: string[]; one_phone: boolean; removed: boolean };
  invited: boolean; // opened the couple's invitation link after the first partner: pairs by the key exchange
}
