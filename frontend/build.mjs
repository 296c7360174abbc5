// Builds the three live apps into dist/live/<app>.js and .css (fixed names, one self-contained file per app,
// so Django templates reference them with {% static %}) and the participant app's service worker into
// dist/live/sw.js (a classic script: realtime/installable.py serves it as /live/sw.js), then prints each file's
// gzipped size and fails the build if the participant app is over its budget (the worker is not part of it).
import { build } from "vite";
import { gzipSync } from "node:zlib";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));
const APPS = ["participant", "facilitator", "projector"];
const BUDGET_KB = { participant: 60 };

rmSync(`${root}dist`, { recursive: true, force: true });
for (const app of APPS) {
  await build({
    configFile: false,
    root,
    logLevel: "warn",
    publicDir: false,
    oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
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
