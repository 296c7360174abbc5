// Bundles crypto-bench.ts, with the participant app's e2e.ts and its @noble libraries, into
// <outDir>/crypto-bench.js for bench/crypto.py: `node src/bench/build.mjs <outDir>`. The bench builds it on the fly
// into a temporary directory, so it is never in dist/ (which ships as static files) nor counted in the
// participant app's budget. The settings are the live apps' (build.mjs): ES2020, minified, one ES module.
import { build } from "vite";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const outDir = process.argv[2];
if (!outDir) throw new Error("usage: node src/bench/build.mjs <outDir>");

await build({
  configFile: false,
  root,
  logLevel: "warn",
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: true,
    target: "es2020",
    modulePreload: false,
    sourcemap: false,
    rolldownOptions: {
      input: `${root}src/bench/crypto-bench.ts`,
      output: { format: "es", entryFileNames: "crypto-bench.js", codeSplitting: false },
    },
  },
});
