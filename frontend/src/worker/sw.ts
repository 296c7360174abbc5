// The participant app's service worker (served as /live/sw.js, scope /live/: realtime/installable.py).
//
// It keeps the app's public shell, and nothing else: the shell page (/live/shell: no session, no cookie, nobody's
// content), the app's script and styles, and the icons. The server heads this script with that list and a
// version (a digest of those files), so a deploy that changes any of them installs a new worker, which replaces
// the old cache. Opening /live/ goes to the network first; only when the network fails does the shell answer, and
// the app shows "Waiting for the network" (participant/Offline.tsx). The shell's files come from the cache.
// Everything else (the JSON endpoints, the socket, the staff's pages) is never touched, so never kept.

interface ShellList {
  version: string;
  shell: string;
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
const KEPT = new Set([SHELL.shell, ...SHELL.assets]);

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

async function openApp(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (error) {
    const shell = await caches.match(SHELL.shell, { cacheName: CACHE });
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
  if (!url.search && KEPT.has(url.pathname) && url.pathname !== SHELL.shell) event.respondWith(shellFile(request, url.pathname));
});
