/**
 * Bundles the compiled CLI (dist/cli/main.js, from tsc) into dist/bundle/ for a faster start:
 * Node 20 has no compile cache, and resolving, reading and compiling the ~160 ES modules a
 * `drydock lint` loads cost ~50 ms of every run (175 ms -> 127 ms for one small Dockerfile).
 * Commands stay lazily loaded: each dynamic import becomes its own chunk. npm packages stay
 * external (resolved from node_modules at run time). The library (dist/index.js) is not bundled.
 *
 * The lint worker thread is a second entry point, next to the chunks, where parallel.ts looks
 * for it. Run by `npm run build` after tsc.
 */
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}dist/bundle`;

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: "dist/cli/main.js", "lint-worker": "dist/lint/lint-worker.js" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.18",
  packages: "external",
  // Maps back to the TypeScript sources through tsc's maps (read only with --enable-source-maps).
  sourcemap: "linked",
  logLevel: "warning",
});
