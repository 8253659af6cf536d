import { existsSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, relative, resolve } from "node:path";
import { errorMessage, UsageError } from "../errors.ts";
import { type Analysis, compareFindings, failsThreshold, finalize, type RawHit, runRules } from "./engine.ts";
import { findDockerfiles } from "./files.ts";
import {
  ContextFiles,
  type FileLinter,
  fileResult,
  type LintFileResult,
  type LintSource,
  lintFile,
  type PreparedFile,
  prepareFile,
} from "./lint-file.ts";
import { lintInParallel, lintWorkerUrl, threadsFor } from "./parallel.ts";
import { defaultLintSettings, type LintSettings } from "./settings.ts";
import { buildShellScripts, findShellCheck, runShellCheck, type ShellCheckOptions } from "./shellcheck.ts";
import type { Finding } from "./types.ts";

export type { FixOutcome, LintFileResult } from "./lint-file.ts";

export interface LintOptions {
  /** Files or directories. `-` reads `stdin`. */
  paths: string[];
  /** Directory relative paths are resolved against, and reported relative to (default: "."). */
  cwd?: string;
  /** Content for the `-` path. */
  stdin?: string;
  /** Name shown for stdin in reports. */
  stdinName?: string;
  settings?: Partial<LintSettings>;
  /** Build context directory for context-aware rules (default: each Dockerfile's folder). */
  contextDir?: string;
  /** Compute fixes: the fixed text and a diff are returned; nothing is written. */
  fix?: boolean;
  shellcheckOptions?: ShellCheckOptions;
  /**
   * Threads that lint files at once when ShellCheck does not run (default 1: this thread only).
   * Each extra thread pays its own start-up and JIT warm-up (~0.3-0.8 s of CPU), so it pays off
   * with many cores and many files; runs of fewer than 64 files per thread use fewer threads.
   */
  jobs?: number;
}

export type ShellCheckStatus = "used" | "off" | "missing";

export interface LintReport {
  files: LintFileResult[];
  findings: Finding[];
  /** True when a finding reaches the failure threshold (exit code 1). */
  failed: boolean;
  shellcheck: { status: ShellCheckStatus; binary?: string };
  settings: LintSettings;
}

/** Lints Dockerfiles (hadolint rules, BuildKit checks, drydock rules and ShellCheck). */
export async function lint(options: LintOptions): Promise<LintReport> {
  const settings: LintSettings = { ...defaultLintSettings(), ...options.settings };
  const sources = await readSources(options);
  const shellcheck = await locateShellCheck(settings, options.shellcheckOptions);
  const contextDir = options.contextDir ? resolve(options.cwd ?? ".", options.contextDir) : undefined;
  const linter: FileLinter = {
    settings,
    contextDir,
    fix: Boolean(options.fix),
    contextFiles: new ContextFiles(),
  };

  const files = shellcheck.binary
    ? await lintWithShellCheck(sources, linter, shellcheck.binary, options.shellcheckOptions)
    : await lintWithoutShellCheck(sources, linter, options.jobs ?? 1);
  const findings = files.flatMap((f) => f.findings);
  return {
    files,
    findings,
    failed: failsThreshold(findings, settings),
    shellcheck: { status: shellcheck.status, binary: shellcheck.binary },
    settings,
  };
}

async function lintWithoutShellCheck(
  sources: LintSource[],
  linter: FileLinter,
  jobs: number,
): Promise<LintFileResult[]> {
  const threads = threadsFor(sources.length, jobs);
  const workerUrl = threads > 1 ? lintWorkerUrl() : undefined;
  if (workerUrl) {
    const { settings, contextDir, fix } = linter;
    return lintInParallel({ sources, settings, contextDir, fix }, threads, workerUrl);
  }
  // One file at a time, start to finish: its parse and rule data can go as soon as it is done.
  const files: LintFileResult[] = [];
  for (const source of sources) files.push(await lintFile(source, linter));
  return files;
}

/**
 * ShellCheck needs only the parsed files: it starts first, and the rules run on this thread
 * while its processes (one per core) work; they are the slow part, so no worker threads here.
 */
async function lintWithShellCheck(
  sources: LintSource[],
  linter: FileLinter,
  binary: string,
  options: ShellCheckOptions | undefined,
): Promise<LintFileResult[]> {
  const prepared: PreparedFile[] = [];
  for (const source of sources) prepared.push(await prepareFile(source, linter));
  const checked = startShellCheck(
    prepared.map((p) => p.analysis),
    binary,
    options,
  );
  // The rules' findings (and their fixes) are worked out while ShellCheck runs too.
  const ruleFindings: Finding[][] = [];
  for (const [index, file] of prepared.entries()) {
    runRules(file.analysis);
    ruleFindings.push(finalize(file.analysis, [], linter.settings));
    // Let ShellCheck's processes and pipes make progress.
    if (index % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
  }
  const hits = await checked;
  return prepared.map((file, index) => {
    const shellcheckFindings = finalize({ ...file.analysis, hits: [] }, hits[index] ?? [], linter.settings);
    const findings = ruleFindings[index]!;
    // Both lists are sorted; one stable sort of the two gives finalize's order of all hits.
    const all =
      shellcheckFindings.length === 0 ? findings : [...findings, ...shellcheckFindings].sort(compareFindings);
    return fileResult(file, all);
  });
}

/** Files analysed between two turns of the event loop while ShellCheck runs. */
const YIELD_EVERY = 8;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Writes fixed files back (only real files, only when changed). Returns the files written. */
export async function writeFixes(report: LintReport): Promise<string[]> {
  const written: string[] = [];
  for (const file of report.files) {
    if (file.stdin || !file.path || !file.fix?.changed) continue;
    const original = await readFile(file.path, "utf8");
    const output = original.includes("\r\n") ? file.fix.output.replace(/\r?\n/g, "\r\n") : file.fix.output;
    await writeFile(file.path, output);
    written.push(file.file);
  }
  return written;
}

async function readSources(options: LintOptions): Promise<LintSource[]> {
  if (options.paths.length === 0) {
    throw new UsageError("no Dockerfile given", "pass a file, a directory or - for stdin");
  }
  const cwd = resolve(options.cwd ?? ".");
  const sources: LintSource[] = [];
  for (const given of options.paths) {
    if (given === "-") {
      sources.push({ file: options.stdinName ?? "-", text: options.stdin ?? "", stdin: true });
      continue;
    }
    const absolute = resolve(cwd, given);
    if (!existsSync(absolute)) throw new UsageError(`cannot read ${given}: no such file or directory`);
    let found: string[];
    try {
      found = await findDockerfiles([absolute]);
    } catch (error) {
      throw new UsageError(`cannot read ${given}: ${errorMessage(error)}`);
    }
    if (found.length === 0) throw new UsageError(`no Dockerfile found in ${given}`);
    for (const path of found) {
      // Report files as the user named them: a file as given, a walked file under the given folder.
      const file = path === absolute ? given : join(given, relative(absolute, path));
      try {
        // Synchronous: for many small files one read each beats four thread-pool round trips.
        sources.push({ file, path, text: readFileSync(path, "utf8"), stdin: false });
      } catch (error) {
        throw new UsageError(`cannot read ${file}: ${errorMessage(error)}`);
      }
    }
  }
  return sources;
}

/** Where ShellCheck is, when it is to run; a usage error when it is required and missing. */
async function locateShellCheck(
  settings: LintSettings,
  options: ShellCheckOptions = {},
): Promise<{ status: ShellCheckStatus; binary?: string }> {
  if (settings.shellcheck === "off") return { status: "off" };
  const binary = await findShellCheck(options);
  if (!binary) {
    if (settings.shellcheck === "required") {
      throw new UsageError(
        "shellcheck is required (--shellcheck=required) but was not found on PATH",
        "install it (apt-get install shellcheck) or use --shellcheck=auto",
      );
    }
    return { status: "missing" };
  }
  return { status: "used", binary };
}

/** Starts ShellCheck on the RUN scripts of the prepared files; resolves to hits per file. */
function startShellCheck(
  analyses: Analysis[],
  binary: string,
  options: ShellCheckOptions = {},
): Promise<RawHit[][]> {
  const batches = analyses.map((analysis) => ({ analysis, scripts: buildShellScripts(analysis) }));
  const running = runShellCheck(batches, binary, {
    concurrency: options.concurrency ?? availableParallelism(),
    ...options,
  });
  // The caller awaits it after the rules; until then a failure must not count as unhandled.
  running.catch(() => {});
  return running;
}
