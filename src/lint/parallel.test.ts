import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCorpus } from "../../bench/lint/corpus.mjs";
import { REPO_ROOT } from "../test-helpers/shared.ts";
import { ContextFiles, type LintSource, lintFile } from "./lint-file.ts";
import {
  type LintWorkerData,
  type LintWorkerMessage,
  lintInParallel,
  lintWorkerUrl,
  MIN_FILES_PER_THREAD,
  runLintWorker,
  threadsFor,
} from "./parallel.ts";
import { defaultLintSettings } from "./settings.ts";

const settings = { ...defaultLintSettings(), shellcheck: "off" as const };
/** Generated Dockerfiles of every kind the benchmark has (syntax errors included). */
const sources: LintSource[] = generateCorpus({ count: 150 }).map((file) => ({
  file: file.name,
  text: file.content,
  stdin: false,
}));

async function oneThread(list: LintSource[]) {
  const linter = { settings, fix: true, contextFiles: new ContextFiles() };
  const results = [];
  for (const source of list) results.push(await lintFile(source, linter));
  return results;
}

function workerData(slot: number, states: Int32Array): LintWorkerData {
  return { sources, settings, fix: true, next: new Int32Array(new SharedArrayBuffer(4)), states, slot };
}

describe("threadsFor", () => {
  it("uses one thread per MIN_FILES_PER_THREAD files, up to the jobs allowed", () => {
    expect(threadsFor(0, 8)).toBe(1);
    expect(threadsFor(MIN_FILES_PER_THREAD * 2 - 1, 8)).toBe(1);
    expect(threadsFor(MIN_FILES_PER_THREAD * 2, 8)).toBe(2);
    expect(threadsFor(10_000, 3)).toBe(3);
    expect(threadsFor(10_000, 1)).toBe(1);
  });

  it("has no worker module when run from the TypeScript sources", () => {
    expect(lintWorkerUrl()).toBeUndefined();
  });
});

describe("runLintWorker (the worker's loop, on this thread)", () => {
  it("takes every file left and reports the same results as lintFile", async () => {
    const messages: LintWorkerMessage[] = [];
    const data = workerData(0, new Int32Array(new SharedArrayBuffer(4)));
    await runLintWorker(data, (message) => messages.push(message));
    expect(messages).toHaveLength(1);
    const done = messages[0]!;
    if (done.type !== "done") throw new Error(done.message);
    expect(done.results.map(([index]) => index)).toEqual(sources.map((_, index) => index));
    expect(done.results.map(([, result]) => result)).toEqual(await oneThread(sources));
    expect(Atomics.load(data.states, 0)).toBe(1);
  });

  it("takes no file once the main thread cancelled it", async () => {
    const states = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(states, 0, 2);
    const data = workerData(0, states);
    const messages: LintWorkerMessage[] = [];
    await runLintWorker(data, (message) => messages.push(message));
    expect(messages).toEqual([{ type: "done", results: [] }]);
    expect(Atomics.load(data.next, 0)).toBe(0);
  });

  it("reports a failure as a message, not as an exception in the thread", async () => {
    const broken = { file: "broken", text: undefined as unknown as string, stdin: false };
    const data = { ...workerData(0, new Int32Array(new SharedArrayBuffer(4))), sources: [broken] };
    const messages: LintWorkerMessage[] = [];
    await runLintWorker(data, (message) => messages.push(message));
    expect(messages).toEqual([{ type: "error", message: expect.any(String) }]);
  });
});

/**
 * Real worker threads need the compiled worker (dist/, built by `npm test` before vitest runs):
 * the main thread runs these sources, the workers the build of the same code.
 */
describe("lintInParallel with worker threads", () => {
  const builtWorker = new URL("../../dist/lint/lint-worker.js", import.meta.url);

  it("gives the same results, in input order, as one thread", async () => {
    expect(existsSync(builtWorker), "run `npm run build` first").toBe(true);
    const job = { sources, settings, fix: true };
    const results = await lintInParallel(job, 3, builtWorker);
    expect(results).toEqual(await oneThread(sources));
  });
});

describe("drydock lint --jobs (the bundled CLI)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "drydock-jobs-"));
    const tree = join(dir, "tree");
    for (const [index, source] of sources.entries()) {
      const folder = join(tree, `app${index % 7}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, source.file), source.text);
    }
    writeFileSync(join(tree, "app3", ".dockerignore"), "node_modules\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const lintTree = (...flags: string[]) =>
    spawnSync(
      process.execPath,
      [join(REPO_ROOT, "bin/drydock.js"), "lint", "tree", "-f", "json", "--shellcheck", "off", ...flags],
      { cwd: dir, encoding: "utf8" },
    );

  it("reports byte for byte what one thread reports", () => {
    const serial = lintTree("--jobs", "1");
    const parallel = lintTree("--jobs", "2");
    expect(serial.status).toBe(1);
    expect(serial.stdout.length).toBeGreaterThan(1000);
    expect(parallel.stderr).toBe(serial.stderr);
    expect(parallel.status).toBe(serial.status);
    expect(parallel.stdout).toBe(serial.stdout);
    const dryRun = (jobs: string) => lintTree("--fix-dry-run", "--jobs", jobs).stdout;
    expect(dryRun("2")).toBe(dryRun("1"));
  });

  it("rejects a --jobs that is not a whole number from 1 to 256", () => {
    for (const bad of ["0", "1.5", "x", "257"]) {
      const result = lintTree("--jobs", bad);
      expect(result.status, bad).toBe(2);
      expect(result.stderr).toMatch(/--jobs .*whole number/);
    }
  });
});
