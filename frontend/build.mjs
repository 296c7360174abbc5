// Builds the three live apps into dist/live/<app>.js and .css (fixed names, one self-contained file per app,
// so Django templates reference them with {% static %}) and the participant app's service worker into
// dist/live/sw.js (a classic script: realtime/installable.py serves it as /live/sw.js), then prints each file's
// gzipped size and fails the build if the participant app is over its budget (the worker is not part of it).
import { build } from "vite";
import { gzipSync } from "node:zlib";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));
const APPS = ["participant", "facilitator", "projector"];
const BUDGET_KB = { participant: 60 };

// The texts each app translates (its modules' gettext/ngettext calls: a double-quoted literal, as the catalog test
// requires), written to dist/live/<app>.texts.json: the server hands each page only its own app's part of the
// catalog (config/i18n.py), so a phone does not carry the console's words.
const CALLS = /\b(?:gettext|ngettext)\(\s*"((?:[^"\\\n]|\\.)*)"(?:\s*,\s*"((?:[^"\\\n]|\\.)*)")?/g;
function collectTexts(texts) {
  return {
    name: "attune-texts",
    transform(code, id) {
      if (!id.startsWith(`${root}src/`)) return null;
      for (const match of code.matchAll(CALLS)) {
        for (const literal of match.slice(1)) if (literal !== undefined) texts.add(JSON.parse(`"${literal}"`));
      }
      return null;
    },
  };
}

rmSync(`${root}dist`, { recursive: true, force: true });
for (const app of APPS) {
  const texts = new Set();
  await build({
    configFile: false,
    root,
    logLevel: "warn",
    publicDir: false,
    oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
    plugins: [collectTexts(texts)],
    build: {
      outDir: "dist/live",
      emptyOutDir: false,
      target: "es2020",
      modulePreload: false,
      sourcemap: false,
      cssCodeSplit: false,
      rolldownOptions: {
        input: `${root}src/${app}/main.tsx`,
        output: {
          format: "es",
          entryFileNames: `${app}.js`,
          assetFileNames: `${app}[extname]`,
          codeSplitting: false,
        },
      },
    },
  });
  writeFileSync(`${root}dist/live/${app}.texts.json`, JSON.stringify([...texts].sort()));
}

await build({
  configFile: false,
  root,
  logLevel: "warn",
  publicDir: false,
  build: {
    outDir: "dist/live",
    emptyOutDir: false,
    target: "es2020",
    modulePreload: false,
    sourcemap: false,
    rolldownOptions: {
      input: `${root}src/worker/sw.ts`,
      output: { format: "iife", entryFileNames: "sw.js", codeSplitting: false },
    },
  },
});

let failed = false;
for (const app of [...APPS, "sw"]) {
  for (const ext of ["js", "css"]) {
    const file = `${root}dist/live/${app}.${ext}`;
    if (!existsSync(file)) continue;
    const raw = readFileSync(file);
    const gz = gzipSync(raw, { level: 9 }).length;
    const kb = (gz / 1024).toFixed(1);
    let note = "";
    if (ext === "js" && BUDGET_KB[app]) {
      note = gz > BUDGET_KB[app] * 1024 ? ` OVER the ${BUDGET_KB[app]} KB budget` : ` (budget ${BUDGET_KB[app]} KB)`;
      failed ||= gz > BUDGET_KB[app] * 1024;
    }
    console.log(`live/${app}.${ext}: ${(raw.length / 1024).toFixed(1)} KB, ${kb} KB gzipped${note}`);
  }
}
if (failed) process.exit(1);
