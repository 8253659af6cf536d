/**
 * Node built-ins that only some runs need, loaded on their first use instead of at start-up.
 * Evaluating node:child_process (with net and dgram under it), node:worker_threads or
 * node:crypto costs 5-6 ms each, and a plain `drydock lint` (no ShellCheck, one thread, no
 * GitLab report) or `drydock inspect` of a docker-archive uses none of them.
 *
 * Type-only imports of these modules are free: TypeScript erases them.
 */
import { createRequire } from "node:module";

const loadBuiltin = createRequire(import.meta.url);

/** node:child_process, for running ShellCheck and docker-credential helpers. */
export function childProcess(): typeof import("node:child_process") {
  return loadBuiltin("node:child_process");
}

/** node:worker_threads, for `lint --jobs` and the zstd decompression workers. */
export function workerThreads(): typeof import("node:worker_threads") {
  return loadBuiltin("node:worker_threads");
}

/** node:crypto, where hashing is the rare case (GitLab report fingerprints). */
export function crypto(): typeof import("node:crypto") {
  return loadBuiltin("node:crypto");
}
