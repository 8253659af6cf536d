/**
 * ShellCheck on RUN bodies, the way hadolint does it (src/Hadolint/Shell.hs and
 * src/Hadolint/Rule/Shellcheck.hs; reference §1.3 in shared/reference/dockerfile-linters.md).
 *
 * hadolint links ShellCheck as a library; we run the `shellcheck` binary instead
 * (https://github.com/koalaman/shellcheck/blob/master/shellcheck.1.md), so the expensive part is
 * process start-up: every script of every linted file goes through as few processes as possible,
 * spread over a few parallel ones.
 */
import { accessSync, constants, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { access, rm, stat } from "node:fs/promises";
import { availableParallelism, platform, tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { childProcess } from "../builtins.ts";
import type { Dockerfile, Instruction } from "../dockerfile/parse.ts";
import { DrydockError, errorMessage } from "../errors.ts";
import type { Analysis, RawHit } from "./engine.ts";
import { parentStages } from "./support/stages.ts";
import { argNames, envKeys } from "./support/words.ts";
import type { RunInfo, Severity } from "./types.ts";

/** One RUN body prepared for ShellCheck (shebang and `export NAME=1` lines prepended). */
export interface ShellScript {
  /** Line of the RUN in the Dockerfile (findings are reported there). */
  line: number;
  script: string;
}

export interface ShellCheckOptions {
  /** Path or name of the shellcheck binary. */
  binary?: string;
  /** Parallel shellcheck processes (default: available cores). */
  concurrency?: number;
  /**
   * The PATH to search for the binary (the caller passes its environment's PATH; core code
   * never reads the environment). Without it: /usr/local/bin, /usr/bin, /bin.
   */
  path?: string;
  /** A shellcheck process that runs longer than this is killed (default 120 s). */
  timeoutMs?: number;
  /**
   * Where the scripts are written for ShellCheck to read (a private folder is made inside and
   * removed after). Default: scratchRoot().
   */
  tempDir?: string;
}

/** Linux's shared-memory file system: a RAM-backed folder every user may write to. */
const SHARED_MEMORY_DIR = "/dev/shm";

/**
 * Where to write the scripts by default: /dev/shm where it exists (Linux), else the OS temp
 * folder. A lint run writes one small file per distinct RUN script, and creating files costs far
 * more on a disk file system than on tmpfs: on the CI machine (ext4 /tmp) 2,688 scripts took
 * 1.3 s of kernel time to create, a fifth of the time ShellCheck itself needs for them, against
 * 0.1 s in /dev/shm (bench/lint/README.md).
 */
export function scratchRoot(): string {
  try {
    accessSync(SHARED_MEMORY_DIR, constants.W_OK | constants.X_OK);
    if (statSync(SHARED_MEMORY_DIR).isDirectory()) return SHARED_MEMORY_DIR;
  } catch {
    // No such folder or not writable: use the temp folder.
  }
  return tmpdir();
}

// ---------------------------------------------------------------------------------------------
// Building the scripts

const DEFAULT_SHELL = "/bin/sh -c";

/** Always known to the shell in a build (Docker's predefined proxy ARGs). */
const PROXY_VARIABLES = [
  "HTTP_PROXY",
  "http_proxy",
  "HTTPS_PROXY",
  "https_proxy",
  "FTP_PROXY",
  "ftp_proxy",
  "NO_PROXY",
  "no_proxy",
];

/** Shells ShellCheck understands (ash is checked as dash; its SC2187 notice is excluded). */
const CHECKABLE_SHELLS = new Set(["sh", "bash", "dash", "ksh", "ash"]);

/**
 * Interpreters that get a heredoc body which is not shell (`RUN python3 <<EOF`): hadolint skips
 * ShellCheck for these (hadolint PR #696).
 */
const NON_SHELL_INTERPRETER =
  /^(?:python[0-9.]*|pypy[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node(?:js)?|deno|bun|php[0-9.]*|lua[0-9.]*|luajit|rscript|julia|tclsh[0-9.]*|wish|pwsh|powershell|cmd|osascript|groovy|jshell|expect)$/;

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SHELL_PRAGMA = /^hadolint\s+shell\s*=\s*(\S+)/;

/** The shell a stage's RUNs run in, and the variables the Dockerfile defines for them. */
interface StageState {
  shell: string;
  /** ARG and ENV names seen so far in the stage. */
  variables: Set<string>;
  /** ENV names only: a stage built FROM this one inherits them (ARGs are not inherited). */
  envNames: Set<string>;
}

/**
 * The scripts of a Dockerfile that ShellCheck should see, in hadolint's way: shell-form RUN and
 * ONBUILD RUN only, each prefixed with the current shell's shebang and `export NAME=1` for the
 * proxy variables and every ARG/ENV name seen so far in the stage (so SC2154 does not fire on
 * them). SHELL changes the shell for later RUNs; FROM resets shell and variables, except that a
 * stage built `FROM <earlier stage>` continues from that stage's shell (and its ENV names, which
 * Docker passes on too); `# hadolint shell=X` before the first FROM sets the default shell, inside
 * a stage it acts like SHELL. Non-POSIX shells (pwsh, powershell, cmd) and scripts for other
 * interpreters are skipped.
 */
export function buildShellScripts(analysis: Analysis): ShellScript[] {
  const { dockerfile, runs } = analysis.ruleContext;
  const runOf = new Map<Instruction, RunInfo>(runs.map((r) => [r.outer, r]));
  const pragmas = shellPragmas(dockerfile);
  const firstFrom = dockerfile.instructions.find((i) => i.keyword === "FROM");
  let defaultShell = DEFAULT_SHELL;
  for (const pragma of pragmas) if (!firstFrom || pragma.line < firstFrom.line) defaultShell = pragma.shell;
  const inStagePragmas = pragmas.filter((p) => firstFrom && p.line > firstFrom.line);

  const parents = parentStages(dockerfile);
  const finishedStages: StageState[] = [];
  let state = freshState(defaultShell);
  const scripts: ShellScript[] = [];
  for (const instruction of dockerfile.instructions) {
    while (inStagePragmas.length > 0 && inStagePragmas[0]!.line < instruction.line) {
      state.shell = inStagePragmas.shift()!.shell;
    }
    const target = instruction.onbuild ?? instruction;
    // Other ONBUILD triggers act in a later build, not on the RUNs that follow here.
    if (instruction.onbuild && target.keyword !== "RUN") continue;
    switch (target.keyword) {
      case "FROM": {
        if (instruction.stage > 0) finishedStages[instruction.stage - 1] = state;
        const parent = parents[instruction.stage];
        state = parent == null ? freshState(defaultShell) : inherit(finishedStages[parent]!);
        break;
      }
      case "ARG":
        for (const name of argNames(target, dockerfile.escape)) state.variables.add(name);
        break;
      case "ENV":
        for (const name of envKeys(target, dockerfile.escape)) {
          state.variables.add(name);
          state.envNames.add(name);
        }
        break;
      case "SHELL":
        if (target.json && target.json.length > 0) state.shell = target.json.join(" ");
        break;
      case "RUN": {
        const run = runOf.get(instruction);
        const script = run && !target.json ? shellScriptFor(run, state) : null;
        if (script !== null) scripts.push({ line: instruction.line, script });
        break;
      }
    }
  }
  return scripts;
}

function freshState(shell: string): StageState {
  return { shell, variables: new Set(), envNames: new Set() };
}

function inherit(parent: StageState): StageState {
  return { shell: parent.shell, variables: new Set(parent.envNames), envNames: new Set(parent.envNames) };
}

function shellPragmas(df: Dockerfile): { line: number; shell: string }[] {
  const found: { line: number; shell: string }[] = [];
  for (const comment of df.comments) {
    const match = SHELL_PRAGMA.exec(comment.text);
    if (match) found.push({ line: comment.line, shell: match[1]! });
  }
  return found.sort((a, b) => a.line - b.line);
}

/**
 * The full script for one RUN, or null when ShellCheck must not see it: a non-POSIX shell, a
 * shebang for another interpreter, or a heredoc fed to a non-shell interpreter.
 */
function shellScriptFor(run: RunInfo, state: StageState): string | null {
  let shebang = shebangForShell(state.shell);
  let body = run.script;

  const heredocCommand = heredocCommandWords(run.instruction);
  if (heredocCommand) {
    const interpreter = interpreterName(heredocCommand);
    if (NON_SHELL_INTERPRETER.test(interpreter)) return null;
    if (CHECKABLE_SHELLS.has(interpreter)) {
      // `RUN bash <<EOF`: the body is the script, run by that shell.
      shebang = shebangForShell(heredocCommand.join(" "));
      body = run.instruction.heredocs[0]!.body;
    }
  }

  const ownShebang = /^\s*#!(.*)/.exec(body);
  if (ownShebang) {
    // A script with its own shebang is run by that interpreter (BuildKit heredocs).
    const words = ownShebang[1]!.trim().split(/\s+/);
    if (!CHECKABLE_SHELLS.has(interpreterName(words))) return null;
    shebang = `#!${ownShebang[1]!.trim()}`;
    body = body.replace(/^\s*#![^\n]*\n?/, "");
  }
  if (shebang === null) return null;

  const names = [...PROXY_VARIABLES, ...state.variables].filter((n) => VARIABLE_NAME.test(n));
  const exports = [...new Set(names)].map((n) => `export ${n}=1\n`).join("");
  return `${shebang}\n${exports}${body}${body.endsWith("\n") ? "" : "\n"}`;
}

/**
 * `#!<first word of the shell>` as in hadolint, or null for shells ShellCheck cannot check.
 * Unlike hadolint, `/usr/bin/env bash` and `busybox sh` keep the word that names the shell, and a
 * bare name (`SHELL ["bash", "-c"]`) becomes `/bin/bash`, so ShellCheck does not report our own
 * shebang (SC1008, SC2239).
 */
function shebangForShell(shell: string): string | null {
  const words = shell.trim().split(/\s+/);
  const interpreter = interpreterName(words);
  if (!CHECKABLE_SHELLS.has(interpreter)) return null;
  const first = words[0]!;
  const launcher = basenameOf(first).toLowerCase();
  const absolute = first.startsWith("/");
  if (launcher === "env") return `#!${absolute ? first : "/usr/bin/env"} ${interpreter}`;
  if (launcher === "busybox") return `#!${absolute ? first : "/bin/busybox"} ${interpreter}`;
  return absolute ? `#!${first}` : `#!/bin/${interpreter}`;
}

/** The interpreter a command line names: `bash`, `/usr/bin/env bash` → bash, `cmd.exe` → cmd. */
function interpreterName(words: string[]): string {
  let index = 0;
  const first = basenameOf(words[0] ?? "").toLowerCase();
  if (first === "env" || first === "busybox") {
    index = 1;
    while (words[index]?.startsWith("-") || words[index]?.includes("=")) index++;
  }
  return basenameOf(words[index] ?? "")
    .toLowerCase()
    .replace(/\.exe$/, "");
}

function basenameOf(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? "";
}

/**
 * For a heredoc RUN with a command (`RUN python3 <<EOF`, `RUN <<EOF bash`), the command's words
 * with the heredoc markers removed; null for a plain `RUN <<EOF` or a RUN without heredocs.
 */
function heredocCommandWords(instruction: Instruction): string[] | null {
  if (instruction.heredocs.length === 0) return null;
  const withoutMarkers = instruction.args.replace(/<<-?\s*(?:"[^"\n]*"|'[^'\n]*'|\\?[A-Za-z0-9_.-]+)/g, " ");
  const words = withoutMarkers.trim().split(/\s+/).filter(Boolean);
  // Leading `NAME=value` assignments are not the command.
  while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) words.shift();
  return words.length > 0 ? words : null;
}

// ---------------------------------------------------------------------------------------------
// Finding the binary

const lookups = new Map<string, Promise<string | null>>();
const FALLBACK_PATH = ["/usr/local/bin", "/usr/bin", "/bin"].join(delimiter);

/** Finds the shellcheck binary; null when it is not installed. The lookup is cached. */
export async function findShellCheck(options: ShellCheckOptions = {}): Promise<string | null> {
  const name = options.binary ?? "shellcheck";
  const path = options.path ?? FALLBACK_PATH;
  const key = `${name}\0${path}`;
  let lookup = lookups.get(key);
  if (!lookup) {
    lookup = locate(name, path);
    lookups.set(key, lookup);
  }
  return lookup;
}

async function locate(name: string, path: string): Promise<string | null> {
  const suffixes = platform() === "win32" ? ["", ".exe"] : [""];
  if (/[\\/]/.test(name)) return (await isExecutable(name)) ? name : null;
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    for (const suffix of suffixes) {
      const candidate = join(dir, name + suffix);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Running it

/** Codes hadolint excludes: ash is not supported (SC2187); `source` needs directives (SC1090/1). */
const EXCLUDED_CODES = "SC2187,SC1090,SC1091";
const DEFAULT_TIMEOUT_MS = 120_000;
/**
 * Command-line budget for file names per process. Far below Linux's ARG_MAX and under Windows'
 * 32 767 characters; with short names it still holds thousands of scripts.
 */
const COMMAND_LINE_BUDGET = 24_000;
/**
 * Work (script bytes plus a per-file cost) one process should get before another is worth its
 * start-up: ShellCheck starts in ~15 ms and checks a typical RUN in a few ms.
 */
const WORK_PER_PROCESS = 4_000;
const PER_FILE_COST = 256;

/** One distinct script, as written to the temporary folder. */
interface QueuedScript {
  id: number;
  text: string;
  file: string;
  weight: number;
}

interface ShellCheckComment {
  file: string;
  level: string;
  code: number;
  message: string;
}

/**
 * Runs ShellCheck over all scripts of all files in as few processes as possible: the scripts are
 * written to a temporary folder, split into at most `concurrency` groups balanced by size, and each
 * group is checked by one process (or a few, when its file names would overflow a command line).
 */
export async function runShellCheck(
  batches: { analysis: Analysis; scripts: ShellScript[] }[],
  binary: string,
  options: ShellCheckOptions = {},
): Promise<RawHit[][]> {
  // A script that occurs more than once (a common install line across many Dockerfiles) is
  // checked once: ShellCheck's verdict depends only on the text.
  const queued: QueuedScript[] = [];
  const occurrences: { batch: number; line: number; id: number }[] = [];
  const idOfText = new Map<string, number>();
  for (const [batch, { scripts }] of batches.entries()) {
    for (const script of scripts) {
      let id = idOfText.get(script.script);
      if (id === undefined) {
        id = queued.length;
        idOfText.set(script.script, id);
        queued.push({ id, text: script.script, file: `${id}.sh`, weight: script.script.length });
      }
      occurrences.push({ batch, line: script.line, id });
    }
  }
  const results: RawHit[][] = batches.map(() => []);
  if (queued.length === 0) return results;

  // Written synchronously, so the processes start at once: the caller runs the rules while
  // ShellCheck works, and only lets the event loop turn now and then.
  const dir = mkdtempSync(join(options.tempDir ?? scratchRoot(), "drydock-shellcheck-"));
  try {
    for (const q of queued) writeFileSync(join(dir, q.file), q.text);
    const concurrency = Math.max(1, Math.floor(options.concurrency ?? availableParallelism()) || 1);
    const chunks = planProcesses(queued, concurrency);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const outputs = await mapWithLimit(chunks, concurrency, (chunk) =>
      runOneProcess(binary, dir, chunk, timeoutMs),
    );
    const commentsById = new Map<number, ShellCheckComment[]>();
    const idOfFile = new Map(queued.map((q) => [q.file, q.id]));
    for (const comment of outputs.flat()) {
      const id = idOfFile.get(comment.file);
      if (id === undefined) continue;
      const list = commentsById.get(id) ?? [];
      list.push(comment);
      commentsById.set(id, list);
    }
    // Assemble in script order so the result does not depend on how the work was split.
    for (const { batch, line, id } of occurrences) {
      const analysis = batches[batch]!.analysis;
      for (const comment of commentsById.get(id) ?? []) results[batch]!.push(toHit(comment, line, analysis));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return results.map(dedupe);
}

/** Splits the scripts into process command lines: balanced groups, each within the budget. */
function planProcesses(queued: QueuedScript[], concurrency: number): QueuedScript[][] {
  const totalWork = queued.reduce((sum, q) => sum + q.weight + PER_FILE_COST, 0);
  const groupCount = Math.max(
    1,
    Math.min(concurrency, queued.length, Math.ceil(totalWork / WORK_PER_PROCESS)),
  );
  // Longest-processing-time-first: biggest script to the currently lightest group.
  const groups = Array.from({ length: groupCount }, () => ({ work: 0, scripts: [] as QueuedScript[] }));
  for (const q of [...queued].sort((a, b) => b.weight - a.weight || a.id - b.id)) {
    const lightest = groups.reduce((min, g) => (g.work < min.work ? g : min));
    lightest.scripts.push(q);
    lightest.work += q.weight + PER_FILE_COST;
  }
  const chunks: QueuedScript[][] = [];
  for (const group of groups) {
    let chunk: QueuedScript[] = [];
    let length = 0;
    for (const q of group.scripts.sort((a, b) => a.id - b.id)) {
      if (chunk.length > 0 && length + q.file.length + 1 > COMMAND_LINE_BUDGET) {
        chunks.push(chunk);
        chunk = [];
        length = 0;
      }
      chunk.push(q);
      length += q.file.length + 1;
    }
    if (chunk.length > 0) chunks.push(chunk);
  }
  return chunks;
}

async function mapWithLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function runOneProcess(
  binary: string,
  dir: string,
  chunk: QueuedScript[],
  timeoutMs: number,
): Promise<ShellCheckComment[]> {
  const args = ["-f", "json1", "--severity=style", "-e", EXCLUDED_CODES, ...chunk.map((q) => q.file)];
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn(binary, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    // Settle at once on timeout: a killed process's pipes may stay open in its children.
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      settle(() =>
        reject(
          new DrydockError(
            "SHELLCHECK_TIMEOUT",
            `shellcheck did not finish within ${Math.round(timeoutMs / 1000)} s on ${chunk.length} RUN scripts`,
            { hint: "use --shellcheck=off to lint without it" },
          ),
        ),
      );
    }, timeoutMs);
    child.stdout.on("data", (data: Buffer) => stdout.push(data));
    child.stderr.on("data", (data: Buffer) => stderr.push(data));
    child.on("error", (error) =>
      settle(() =>
        reject(new DrydockError("SHELLCHECK", `cannot run shellcheck (${binary}): ${errorMessage(error)}`)),
      ),
    );
    child.on("close", (code, signal) =>
      settle(() => {
        // Exit 1 means "findings", not failure.
        if (code !== 0 && code !== 1) {
          const detail =
            firstLine(Buffer.concat(stderr).toString("utf8")) ||
            (signal ? `killed by ${signal}` : `exit code ${code}`);
          reject(new DrydockError("SHELLCHECK", `shellcheck failed: ${detail}`));
          return;
        }
        try {
          resolve(parseJson1(Buffer.concat(stdout).toString("utf8")));
        } catch (error) {
          reject(new DrydockError("SHELLCHECK", `cannot read shellcheck's output: ${errorMessage(error)}`));
        }
      }),
    );
  });
}

function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .map((l) => l.trim())
      .find(Boolean) ?? ""
  );
}

/** `-f json1`: `{"comments": [{file, line, column, level, code, message, fix}, ...]}`. */
function parseJson1(text: string): ShellCheckComment[] {
  const data: unknown = JSON.parse(text);
  const comments = (data as { comments?: unknown }).comments;
  if (!Array.isArray(comments)) throw new Error("no comments array");
  return comments.filter(
    (c): c is ShellCheckComment =>
      typeof c === "object" &&
      c !== null &&
      typeof c.file === "string" &&
      typeof c.code === "number" &&
      typeof c.message === "string" &&
      typeof c.level === "string",
  );
}

const LEVELS: Record<string, Severity> = {
  error: "error",
  warning: "warning",
  info: "info",
  style: "style",
};

function toHit(comment: ShellCheckComment, line: number, analysis: Analysis): RawHit {
  const code = `SC${comment.code}`;
  return {
    code,
    severity: LEVELS[comment.level] ?? "error",
    line,
    column: 1,
    endLine: line,
    endColumn: (analysis.dockerfile.lines[line - 1]?.length ?? 0) + 1,
    message: comment.message,
    aliases: [],
    url: `https://www.shellcheck.net/wiki/${code}`,
  };
}

/** hadolint keeps a set of findings per RUN: the same code and message on a line count once. */
function dedupe(hits: RawHit[]): RawHit[] {
  const seen = new Set<string>();
  return hits.filter((hit) => {
    const key = `${hit.code}\0${hit.line}\0${hit.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
