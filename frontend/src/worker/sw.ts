// The participant app's service worker (served as /live/sw.js, scope /live/: realtime/installable.py).
//
// It keeps the app's public shell, and nothing else: the shell page in each language (/live/shell?lang=<code>: no
// session, no cookie, nobody's content; it draws the join screen), the app's script and styles, and the icons. The
// server heads this script with that list and a version (a digest of those files), so a deploy that changes any of
// them installs a new worker, which replaces the old cache.
//
// Opening /live/ on a phone that is in no session (the app's note, shared/deviceNote.ts) answers at once with the
// kept shell in the phone's language: the join screen takes typing without a round trip over a slow network, and
// the app asks the server who this device is meanwhile (participant/state.ts, boot). On a phone in a session, or
// with a join link's query, it goes to the network first; only when the network fails does the shell answer, and
// the app shows "Waiting for the network" (participant/Offline.tsx). The shell's files come from the cache.
// Everything else (the JSON endpoints, the socket, the staff's pages) is never touched, so never kept.

import { readDeviceNote } from "../shared/deviceNote";

interface ShellList {
  version: string;
  shells: Record<string, string>; // language code -> the shell's address in it; the first is the default
  assets: string[];
}

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Response | Promise<Response>): void;
}

interface WorkerScope {
  ATTUNE_SHELL: ShellList;
  location: { origin: string };
  clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: "install" | "activate", listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: "fetch", listener: (event: FetchEvent) => void): void;
}

const worker = self as unknown as WorkerScope;
const SHELL = worker.ATTUNE_SHELL;
const PREFIX = "attune-shell-";
const CACHE = `${PREFIX}${SHELL.version}`;
const SHELLS = Object.values(SHELL.shells);
const KEPT = new Set([...SHELLS, ...SHELL.assets]);

async function keepShell(): Promise<void> {
  const cache = await caches.open(CACHE);
  await Promise.all(
    [...KEPT].map(async (path) => {
      // Without cookies, past the HTTP cache: the public file as it is now.
      const response = await fetch(new Request(path, { credentials: "omit", cache: "reload" }));
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      await cache.put(path, response);
    }),
  );
}

async function dropOldShells(): Promise<void> {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name)));
}

/** The browser's first language that Attune speaks (as Django negotiates Accept-Language: de-AT reads de). */
function browserLanguage(): string | undefined {
  for (const tag of navigator.languages ?? []) {
    const code = tag.toLowerCase();
    const primary = code.split("-")[0];
    if (SHELL.shells[code]) return code;
    if (SHELL.shells[primary]) return primary;
  }
  return undefined;
}

/** The kept shell in the phone's language: the one it reads (the app's note), else its browser's, else the
 *  default language's. */
async function keptShell(language: string | undefined): Promise<Response | undefined> {
  const chosen = [language, browserLanguage()].find((code) => code && SHELL.shells[code]);
  return caches.match(chosen ? SHELL.shells[chosen] : SHELLS[0], { cacheName: CACHE });
}

async function openApp(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (error) {
    const shell = await keptShell((await readDeviceNote())?.language);
    if (shell) return shell;
    throw error;
  }
}

/** /live/ itself: the kept join screen at once for a phone in no session, else the network first. */
async function openJoinScreenOrApp(request: Request): Promise<Response> {
  const note = await readDeviceNote();
  if (note && !note.inSession && SHELL.shells[note.language]) {
    const shell = await keptShell(note.language);
    if (shell) return shell;
  }
  return openApp(request);
}

async function shellFile(request: Request, path: string): Promise<Response> {
  return (await caches.match(path, { cacheName: CACHE })) ?? fetch(request);
}

worker.addEventListener("install", (event) => {
  event.waitUntil(keepShell().then(() => worker.skipWaiting()));
});

worker.addEventListener("activate", (event) => {
  event.waitUntil(dropOldShells().then(() => worker.clients.claim()));
});

worker.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;
  if (request.mode === "navigate") {
    // The participant app only (a join link's ?code= included); the staff's pages under /live/ go their own way.
    if (url.pathname === "/live/") event.respondWith(url.search ? openApp(request) : openJoinScreenOrApp(request));
    return;
  }
  if (!url.search && KEPT.has(url.pathname)) event.respondWith(shellFile(request, url.pathname));
});
