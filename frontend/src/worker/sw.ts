// The participant app's service worker (served as /live/sw.js, scope /live/: realtime/installable.py).
//
// It keeps the app's public shell, and nothing else: the shell page in each language Attune speaks
// (/live/shell/<language>: no session, no cookie, nobody's content), the app's script and styles, and the icons.
// The server heads this script with that list and a version (a digest of those files), so a deploy that changes
// any of them installs a new worker, which replaces the old cache. Opening /live/ goes to the network first; only
// when the network fails does the shell answer, in the phone's language, and the app shows "Waiting for the
// network" (participant/Offline.tsx). The shell's files come from the cache.
//
// The phone's language is the one it chose (Django's language cookie), which a worker cannot read: the app tells
// it on every load (a message { language }), and the worker keeps that in a cache of its own, which outlives a new
// version. Until it is told, the browser's languages decide, as they do on the server.
// Everything else (the JSON endpoints, the socket, the staff's pages) is never touched, so never kept.

interface ShellList {
  version: string;
  shells: Record<string, string>; // language -> the shell's path
  fallback: string;
  assets: string[];
}

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Response | Promise<Response>): void;
}

interface ExtendableMessageEvent extends ExtendableEvent {
  data: unknown;
}

interface WorkerScope {
  ATTUNE_SHELL: ShellList;
  location: { origin: string };
  clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: "install" | "activate", listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: "fetch", listener: (event: FetchEvent) => void): void;
  addEventListener(type: "message", listener: (event: ExtendableMessageEvent) => void): void;
}

const worker = self as unknown as WorkerScope;
const SHELL = worker.ATTUNE_SHELL;
const PREFIX = "attune-shell-";
const CACHE = `${PREFIX}${SHELL.version}`;
const SHELLS = new Map(Object.entries(SHELL.shells));
const ASSETS = new Set(SHELL.assets);
const KEPT = [...SHELLS.values(), ...ASSETS];
// The phone's language: its own cache (not PREFIX's, so a new version keeps it), one entry under a key that is
// never fetched.
const LANGUAGE_CACHE = "attune-language";
const LANGUAGE_KEY = "/live/sw-language";

async function keepShell(): Promise<void> {
  const cache = await caches.open(CACHE);
  await Promise.all(
    KEPT.map(async (path) => {
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

async function rememberLanguage(language: string): Promise<void> {
  const cache = await caches.open(LANGUAGE_CACHE);
  await cache.put(LANGUAGE_KEY, new Response(language, { headers: { "Content-Type": "text/plain" } }));
}

/** The browser's first language that Attune speaks (as Django negotiates Accept-Language: de-AT reads de). */
function browserLanguage(): string {
  for (const tag of navigator.languages ?? []) {
    const code = tag.toLowerCase();
    const primary = code.split("-")[0];
    if (SHELLS.has(code)) return code;
    if (SHELLS.has(primary)) return primary;
  }
  return SHELL.fallback;
}

async function phoneLanguage(): Promise<string> {
  const kept = await caches.match(LANGUAGE_KEY, { cacheName: LANGUAGE_CACHE });
  const language = kept ? await kept.text() : "";
  return SHELLS.has(language) ? language : browserLanguage();
}

async function openApp(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (error) {
    const path = SHELLS.get(await phoneLanguage());
    const shell = path ? await caches.match(path, { cacheName: CACHE }) : undefined;
    if (shell) return shell;
    throw error;
  }
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
    if (url.pathname === "/live/") event.respondWith(openApp(request));
    return;
  }
  if (!url.search && ASSETS.has(url.pathname)) event.respondWith(shellFile(request, url.pathname));
});

worker.addEventListener("message", (event) => {
  // From a page of the app (only this origin's pages can write to its worker): { language } it is read in.
  const language = (event.data as { language?: unknown } | null)?.language;
  if (typeof language === "string" && SHELLS.has(language)) event.waitUntil(rememberLanguage(language));
});
