/**
 * Linting many Dockerfiles on every core. The main thread and `threads - 1` worker threads take
 * files from one shared counter (Atomics), so a thread that starts late or gets the long files
 * simply takes fewer; results are put back in input order, so the report is the same as from
 * one thread. Workers run the same per-file code (lint-file.ts) from the compiled build: their
 * cost is start-up (loading the rules, ~0.1 s of CPU), which is why small runs stay on one
 * thread.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { workerThreads } from "../builtins.ts";
import { ContextFiles, type LintFileResult, type LintSource, lintFile } from "./lint-file.ts";
import type { LintSettings } from "./settings.ts";

/** Files per thread below which one more thread costs more (its start-up) than it saves. */
export const MIN_FILES_PER_THREAD = 64;

/** Threads worth using for `fileCount` files when `jobs` are allowed. */
export function threadsFor(fileCount: number, jobs: number): number {
  return Math.max(1, Math.min(Math.floor(jobs), Math.floor(fileCount / MIN_FILES_PER_THREAD)));
}

/**
 * The worker's compiled module, or undefined when running from TypeScript sources (tests under
 * vitest): a worker thread cannot load `.ts` on Node 20, so those runs use one thread.
 */
export function lintWorkerUrl(): URL | undefined {
  if (!import.meta.url.endsWith(".js")) return undefined;
  const url = new URL("./lint-worker.js", import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/** Worker state slots in shared memory: a worker is cancelled only before it took any file. */
const NOT_STARTED = 0;
const STARTED = 1;
const CANCELLED = 2;

/** What a worker receives (structured-cloned; the Int32Arrays share memory). */
export interface LintWorkerData {
  sources: LintSource[];
  settings: LintSettings;
  contextDir?: string;
  fix: boolean;
  /** [0]: the next file index to take. */
  next: Int32Array;
  /** One slot per worker: NOT_STARTED, STARTED or CANCELLED. */
  states: Int32Array;
  slot: number;
}

export type LintWorkerMessage =
  | { type: "done"; results: [number, LintFileResult][] }
  | { type: "error"; message: string };

export interface ParallelLintJob {
  sources: LintSource[];
  settings: LintSettings;
  contextDir?: string;
  fix: boolean;
}

/** Lints `job.sources` on `threads` threads (this one included); results in input order. */
export async function lintInParallel(
  job: ParallelLintJob,
  threads: number,
  workerUrl: URL,
): Promise<LintFileResult[]> {
  const results: LintFileResult[] = new Array(job.sources.length);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const states = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, threads - 1)));
  const workers = Array.from({ length: threads - 1 }, (_, slot) => {
    const data: LintWorkerData = { ...job, next, states, slot };
    return startWorker(workerUrl, data, results);
  });
  try {
    const linter = { ...job, contextFiles: new ContextFiles() };
    for (let index = Atomics.add(next, 0, 1); index < job.sources.length; index = Atomics.add(next, 0, 1)) {
      results[index] = await lintFile(job.sources[index]!, linter);
    }
    // A worker still loading its modules would only find nothing left: stop it instead of waiting.
    for (const [slot, worker] of workers.entries()) {
      if (Atomics.compareExchange(states, slot, NOT_STARTED, CANCELLED) === NOT_STARTED) worker.cancel();
    }
    await Promise.all(workers.map((worker) => worker.finished));
  } finally {
    for (const worker of workers) worker.cancel();
  }
  return results;
}

interface RunningWorker {
  finished: Promise<void>;
  cancel(): void;
}

function startWorker(url: URL, data: LintWorkerData, results: LintFileResult[]): RunningWorker {
  const worker = new (workerThreads().Worker)(url, { workerData: data });
  let cancelled = false;
  const finished = new Promise<void>((resolve, reject) => {
    worker.on("message", (message: LintWorkerMessage) => {
      if (message.type === "error") {
        reject(new Error(`lint worker: ${message.message}`));
        return;
      }
      for (const [index, result] of message.results) results[index] = result;
      resolve();
    });
    worker.on("error", reject);
    worker.on("exit", (code) => {
      if (cancelled) resolve();
      else reject(new Error(`lint worker stopped (exit code ${code}) before reporting`));
    });
  });
  // Awaited only after this thread's share: a failure before then must not count as unhandled.
  finished.catch(() => {});
  return {
    finished,
    cancel() {
      if (cancelled) return;
      cancelled = true;
      void worker.terminate();
    },
  };
}

/** The worker side, run by lint-worker.ts: takes files until none is left, then reports. */
export async function runLintWorker(data: LintWorkerData, post: (message: LintWorkerMessage) => void) {
  if (Atomics.compareExchange(data.states, data.slot, NOT_STARTED, STARTED) !== NOT_STARTED) {
    post({ type: "done", results: [] });
    return;
  }
  try {
    const linter = { ...data, contextFiles: new ContextFiles() };
    const results: [number, LintFileResult][] = [];
    for (
      let index = Atomics.add(data.next, 0, 1);
      index < data.sources.length;
      index = Atomics.add(data.next, 0, 1)
    ) {
      results.push([index, await lintFile(data.sources[index]!, linter)]);
    }
    post({ type: "done", results });
  } catch (error) {
    post({ type: "error", message: error instanceof Error ? error.message : String(error) });
  }
}
