// What the participant app's service worker (src/worker/sw.ts) needs to know to open the app without waiting for
// the network: whether this phone is in a session (never which one) and the language it reads. A phone that is
// in none opens on the join screen, which the worker keeps drawn (the public shell, in that language) and answers
// with at once; a phone in a session waits for its own page, as without a worker.
//
// The app writes the note each time it learns either (the page's config, the server's answer, a language chosen
// on this device); a stale note costs time only, never the wrong screen: the app always asks the server who this
// device is (state.ts, boot). Kept in the cache storage the page and the worker share (a secure context's only:
// on a venue's plain-http Wi-Fi there is neither a worker nor a note).

export interface DeviceNote {
  inSession: boolean;
  language: string;
}

const NOTE_CACHE = "attune-device";
const NOTE_PATH = "/live/device-note";

export async function readDeviceNote(): Promise<DeviceNote | null> {
  if (typeof caches === "undefined") return null;
  try {
    const found = await caches.match(NOTE_PATH, { cacheName: NOTE_CACHE });
    return found ? ((await found.json()) as DeviceNote) : null;
  } catch {
    return null;
  }
}

/** Changes the note (a part of it: a language chosen keeps whether the phone is in a session). Whether it is kept. */
export async function noteDevice(change: Partial<DeviceNote>): Promise<boolean> {
  if (typeof caches === "undefined") return false;
  try {
    const note = { inSession: true, language: "", ...(await readDeviceNote()), ...change };
    const cache = await caches.open(NOTE_CACHE);
    await cache.put(NOTE_PATH, new Response(JSON.stringify(note), { headers: { "Content-Type": "application/json" } }));
    return true;
  } catch {
    return false; // storage refused (private mode, quota): the worker waits for the network, as without a note
  }
}
