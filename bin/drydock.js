#!/usr/bin/env node
// drydock's command-line entry: runs the built CLI from dist/ (npm install builds it).
import { existsSync } from "node:fs";
import module from "node:module";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";

// A batch CLI needs no short GC pauses. With V8's incremental marking on, the Buffer memory of
// image layers streaming through (gigabytes, counted against a limit set by the ~15 MB heap)
// starts a full mark-compact every few dozen MB: 50-100 per image and a third of the CPU time
// of reading it (bench/image-read/README.md). Without it V8 collects when the heap is full.
setFlagsFromString("--no-incremental-marking");

// Node >= 22.1 keeps compiled code of drydock's modules between runs (in the OS temp folder),
// as npm does for itself; Node 20 has no such cache and starts as before.
module.enableCompileCache?.();

// The bundled CLI (scripts/bundle-cli.mjs): one module to load instead of ~160.
const entry = new URL("../dist/bundle/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    "drydock: not built yet: run `npm install` (or `npm run build`) in the drydock folder\n",
  );
  process.exit(2);
}
const { main } = await import(entry.href);
await main();
