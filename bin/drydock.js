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

// A run is short and mostly first-time code: V8's background threads spent more CPU compiling
// optimised code (inlining up to 920 bytes of bytecode per function) than the main thread spent
// linting, and on two cores they take it from the main thread. With less inlining the same lint
// of 1,200 files takes 0.81 s instead of 0.97 s (1.46 -> 1.11 s of CPU); image reads, audit and
// SBOMs run as fast as before (bench/lint/README.md).
setFlagsFromString("--max-inlined-bytecode-size-cumulative=200");

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
