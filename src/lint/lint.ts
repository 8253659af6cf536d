import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { errorMessage, UsageError } from "../errors.ts";
import {
  type Analysis,
  compareFindings,
  failsThreshold,
  finalize,
  prepareAnalysis,
  type RawHit,
  runRules,
} from "./engine.ts";
import { findDockerfiles } from "./files.ts";
import { applyFixes } from "./fix.ts";
import { defaultLintSettings, type LintSettings } from "./settings.ts";
import { buildShellScripts, findShellCheck, runShellCheck, type ShellCheckOptions } from "./shellcheck.ts";
import type { ContextAccess, Finding } from "./types.ts";

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
}

export interface FixOutcome {
  output: string;
  changed: boolean;
  applied: { code: string; line: number; description: string }[];
  /** Unified diff from the original to the fixed file ("" when unchanged). */
  diff: string;
}

export interface LintFileResult {
  /** The file as reported: relative to `cwd` when inside it. */
  file: string;
  /** Absolute path on disk (absent for stdin). */
  path?: string;
  /** True for stdin: fixes are never written back. */
  stdin: boolean;
  findings: Finding[];
  fix?: FixOutcome;
  /** The text that was analysed (LF-normalised; the fixed text under --fix), for code frames. */
  source?: string;
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
  const contextFiles = new ContextFiles();
  const contextDir = options.contextDir ? resolve(options.cwd ?? ".", options.contextDir) : undefined;

  const prepare = async (source: Source): Promise<PreparedFile> => {
    const context = contextFor(source.path ? (contextDir ?? dirname(source.path)) : null, contextFiles);
    const fix = options.fix ? await fixFile(source, settings, context) : undefined;
    return {
      analysis: prepareAnalysis(fix?.output ?? source.text, source.file, settings, context),
      source,
      fix,
    };
  };

  let files: LintFileResult[];
  if (!shellcheck.binary) {
    // One file at a time, start to finish: its parse and rule data can go as soon as it is done.
    files = [];
    for (const source of sources) {
      const prepared = await prepare(source);
      runRules(prepared.analysis);
      files.push(fileResult(prepared, finalize(prepared.analysis, [], settings)));
    }
  } else {
    // ShellCheck needs only the parsed files: start it first, and run the rules while it works.
    const prepared: PreparedFile[] = [];
    for (const source of sources) prepared.push(await prepare(source));
    const checked = startShellCheck(
      prepared.map((p) => p.analysis),
      shellcheck.binary,
      options.shellcheckOptions,
    );
    // The rules' findings (and their fixes) are worked out while ShellCheck runs too.
    const ruleFindings: Finding[][] = [];
    for (const [index, file] of prepared.entries()) {
      runRules(file.analysis);
      ruleFindings.push(finalize(file.analysis, [], settings));
      // Let ShellCheck's processes and pipes make progress.
      if (index % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
    }
    const hits = await checked;
    files = prepared.map((file, index) => {
      const shellcheckFindings = finalize({ ...file.analysis, hits: [] }, hits[index] ?? [], settings);
      const findings = ruleFindings[index]!;
      // Both lists are sorted; one stable sort of the two gives finalize's order of all hits.
      const all =
        shellcheckFindings.length === 0
          ? findings
          : [...findings, ...shellcheckFindings].sort(compareFindings);
      return fileResult(file, all);
    });
  }
  const findings = files.flatMap((f) => f.findings);
  return {
    files,
    findings,
    failed: failsThreshold(findings, settings),
    shellcheck: { status: shellcheck.status, binary: shellcheck.binary },
    settings,
  };
}

/** Files analysed between two turns of the event loop while ShellCheck runs. */
const YIELD_EVERY = 8;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface PreparedFile {
  analysis: Analysis;
  source: Source;
  fix?: FixOutcome;
}

async function fixFile(source: Source, settings: LintSettings, context: ContextAccess): Promise<FixOutcome> {
  const text = source.text;
  const result = applyFixes(text, source.file, settings, context);
  const changed = result.output !== text;
  // The diff library is loaded only when there is a diff to write.
  const diff = changed
    ? (await import("diff")).createTwoFilesPatch(source.file, source.file, text, result.output)
    : "";
  return { output: result.output, changed, applied: result.applied, diff };
}

function fileResult(prepared: PreparedFile, findings: Finding[]): LintFileResult {
  const { analysis, source, fix } = prepared;
  return {
    file: analysis.file,
    ...(source.path ? { path: source.path } : {}),
    stdin: source.stdin,
    findings,
    fix,
    source: analysis.dockerfile.source,
  };
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

interface Source {
  file: string;
  path?: string;
  text: string;
  stdin: boolean;
}

async function readSources(options: LintOptions): Promise<Source[]> {
  if (options.paths.length === 0) {
    throw new UsageError("no Dockerfile given", "pass a file, a directory or - for stdin");
  }
  const cwd = resolve(options.cwd ?? ".");
  const sources: Source[] = [];
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

function contextFor(dir: string | null, files: ContextFiles): ContextAccess {
  if (dir === null) return { dir: null, readFile: () => null };
  const root = resolve(dir);
  return {
    dir: root,
    readFile(relativePath) {
      const full = join(root, relativePath);
      if (!full.startsWith(root)) return null;
      return files.read(full);
    },
  };
}

/**
 * The build-context files read during one lint run. Every Dockerfile of a folder asks for the
 * same `.dockerignore` and for its own `<name>.dockerignore`, which mostly does not exist: a
 * file is read once, and a name missing from its folder's listing is not tried at all.
 */
class ContextFiles {
  readonly #texts = new Map<string, string | null>();
  /** Lower-cased entry names per folder (a case-insensitive file system may still match). */
  readonly #listings = new Map<string, Set<string> | null>();

  read(path: string): string | null {
    let text = this.#texts.get(path);
    if (text === undefined) {
      text = this.#mayExist(path) ? readTextOrNull(path) : null;
      this.#texts.set(path, text);
    }
    return text;
  }

  #mayExist(path: string): boolean {
    const folder = dirname(path);
    let names = this.#listings.get(folder);
    if (names === undefined) {
      try {
        names = new Set(readdirSync(folder).map((name) => name.toLowerCase()));
      } catch {
        names = null;
      }
      this.#listings.set(folder, names);
    }
    // An unreadable folder gives no answer: try the file itself.
    return names === null || names.has(basename(path).toLowerCase());
  }
}

function readTextOrNull(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
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
