/**
 * The work done for one Dockerfile: parse, run the rules, work out fixes and turn hits into
 * findings. Shared by `lint` on the main thread and by the worker threads of parallel.ts, so
 * that both produce the same result for a file.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { type Analysis, finalize, prepareAnalysis, runRules } from "./engine.ts";
import { applyFixes } from "./fix.ts";
import type { LintSettings } from "./settings.ts";
import type { ContextAccess, Finding } from "./types.ts";

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

/** A Dockerfile read for linting (plain data: it is also sent to worker threads). */
export interface LintSource {
  file: string;
  path?: string;
  text: string;
  stdin: boolean;
}

/** What every file of one lint run shares (plain data, except the context-file cache). */
export interface FileLinter {
  settings: LintSettings;
  /** `--context`: one build context for every file (absolute); else each file's folder. */
  contextDir?: string;
  fix: boolean;
  contextFiles: ContextFiles;
}

export interface PreparedFile {
  analysis: Analysis;
  source: LintSource;
  fix?: FixOutcome;
}

/** Parses a file (its fixed text under --fix): the rules have not run yet. */
export async function prepareFile(source: LintSource, linter: FileLinter): Promise<PreparedFile> {
  const dir = source.path ? (linter.contextDir ?? dirname(source.path)) : null;
  const context = contextFor(dir, linter.contextFiles);
  const fix = linter.fix ? await fixFile(source, linter.settings, context) : undefined;
  return {
    analysis: prepareAnalysis(fix?.output ?? source.text, source.file, linter.settings, context),
    source,
    fix,
  };
}

/** One file start to finish, without ShellCheck. */
export async function lintFile(source: LintSource, linter: FileLinter): Promise<LintFileResult> {
  const prepared = await prepareFile(source, linter);
  runRules(prepared.analysis);
  return fileResult(prepared, finalize(prepared.analysis, [], linter.settings));
}

async function fixFile(
  source: LintSource,
  settings: LintSettings,
  context: ContextAccess,
): Promise<FixOutcome> {
  const text = source.text;
  const result = applyFixes(text, source.file, settings, context);
  const changed = result.output !== text;
  // The diff library is loaded only when there is a diff to write.
  const diff = changed
    ? (await import("diff")).createTwoFilesPatch(source.file, source.file, text, result.output)
    : "";
  return { output: result.output, changed, applied: result.applied, diff };
}

export function fileResult(prepared: PreparedFile, findings: Finding[]): LintFileResult {
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

const NO_CONTEXT: ContextAccess = { dir: null, readFile: () => null };

function contextFor(dir: string | null, files: ContextFiles): ContextAccess {
  return dir === null ? NO_CONTEXT : files.contextOf(dir);
}

/**
 * The build-context files read during one lint run. Every Dockerfile of a folder asks for the
 * same `.dockerignore` and for its own `<name>.dockerignore`, which mostly does not exist: a
 * file is read once, and a name missing from its folder's listing is not tried at all.
 */
export class ContextFiles {
  readonly #texts = new Map<string, string | null>();
  /** Lower-cased entry names per folder (a case-insensitive file system may still match). */
  readonly #listings = new Map<string, Set<string> | null>();
  /** One reader per context folder: the files of a folder share it (and its resolved path). */
  readonly #contexts = new Map<string, ContextAccess>();

  /** The reader of the build context at `dir`, made once per folder. */
  contextOf(dir: string): ContextAccess {
    let context = this.#contexts.get(dir);
    if (context === undefined) {
      const root = resolve(dir);
      context = {
        dir: root,
        readFile: (relativePath) => {
          // A plain file name (`.dockerignore`, `<name>.dockerignore`: what the rules ask for)
          // is in the root folder itself: no path to normalise or check.
          if (isPlainName(relativePath)) return this.#readIn(root, relativePath);
          const full = join(root, relativePath);
          if (!full.startsWith(root)) return null;
          return this.read(full);
        },
      };
      this.#contexts.set(dir, context);
    }
    return context;
  }

  read(path: string): string | null {
    return this.#readIn(dirname(path), basename(path), path);
  }

  /** The file `name` of `folder` (`path`: the two joined, when the caller has it). */
  #readIn(folder: string, name: string, path = joinName(folder, name)): string | null {
    let text = this.#texts.get(path);
    if (text === undefined) {
      text = this.#mayExist(folder, name) ? readTextOrNull(path) : null;
      this.#texts.set(path, text);
    }
    return text;
  }

  #mayExist(folder: string, name: string): boolean {
    let names = this.#listings.get(folder);
    if (names === undefined) {
      try {
        names = new Set(readdirSync(folder).map((entry) => entry.toLowerCase()));
      } catch {
        names = null;
      }
      this.#listings.set(folder, names);
    }
    // An unreadable folder gives no answer: try the file itself.
    return names === null || names.has(name.toLowerCase());
  }
}

/** A name without separators that is not `.` or `..`: `join(root, name)` is `root/name`. */
function isPlainName(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && !name.includes("/") && !name.includes("\\");
}

/** `join(folder, name)` for a plain name and a resolved folder (no trailing separator but the root's). */
function joinName(folder: string, name: string): string {
  return folder.endsWith(sep) ? folder + name : folder + sep + name;
}

function readTextOrNull(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}
