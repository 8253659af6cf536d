import type { Instruction, Stage } from "../../dockerfile/parse.ts";
import { mapToList, objectList } from "../../dockerfile/shapes.ts";
import { basename } from "../../dockerfile/shell.ts";
import {
  ARCHIVE_SUFFIXES,
  CACHE_KINDS,
  type CacheKind,
  type CommandPattern,
  CURL_VALUE_FLAGS,
  WGET_VALUE_FLAGS,
} from "../data/caches.ts";
import {
  type Invocation,
  indexByProgram,
  invocation,
  matchSubcommand,
  readCliArgs,
  type SubcommandMatch,
} from "../support/commands.ts";
import { cacheTargets, isWithin } from "../support/run-mounts.ts";
import { stageRuns, variableAt } from "../support/stages.ts";
import type { Rule, RuleContext, RuleHit, RunInfo } from "../types.ts";

/**
 * DD002: a cleanup runs in a later RUN than the install that created the files, so they stay in
 * the earlier layer (docs/rules/DD002.md; https://docs.docker.com/build/building/best-practices/#apt-get).
 * The hit is at the cleanup RUN and its message names the creating line(s): the DD002 fixer
 * relies on both.
 */
export const rule: Rule = {
  code: "DD002",
  severity: "warning",
  message:
    "A cleanup runs in a later RUN than the install it cleans: the files stay in the earlier layer; clean up in the same RUN",
  check(ctx) {
    const hits: RuleHit[] = [];
    const stages = ctx.dockerfile.stages;
    for (let s = 0; s < stages.length; s++) checkStage(ctx, stages[s]!, hits);
    return hits;
  },
};

/**
 * What the RUNs of one stage have left behind so far, told each creation and cleanup in
 * command order. A leftover is a package-manager cache (keyed by its kind's id) or one
 * downloaded file (`download:<name>`).
 */
class Leftovers {
  /** Leftover key → RUN lines whose layers still hold the data. */
  readonly #dirty = new Map<string, number[]>();
  /** The line of the RUN being read. */
  #line = 0;
  /** What this RUN cleans that earlier RUNs created (key → data, lines), in order; null: none. */
  #cleanedHere: Map<string, { what: string; creators: number[] }> | null = null;

  startRun(line: number): void {
    this.#line = line;
    this.#cleanedHere = null;
  }

  created(key: string): void {
    const lines = this.#dirty.get(key);
    if (lines === undefined) {
      this.#dirty.set(key, [this.#line]);
      return;
    }
    // The RUN's line moves to the end (the lists are this tracker's own: changed in place).
    const at = lines.indexOf(this.#line);
    if (at !== -1) lines.splice(at, 1);
    lines.push(this.#line);
  }

  cleaned(key: string, what: string): void {
    const lines = this.#dirty.get(key);
    if (lines === undefined) return;
    this.#dirty.delete(key);
    const line = this.#line;
    const earlier = lines.filter((l) => l !== line);
    if (earlier.length === 0) return;
    if (this.#cleanedHere === null) this.#cleanedHere = new Map();
    if (!this.#cleanedHere.has(key)) this.#cleanedHere.set(key, { what, creators: earlier });
  }

  /** The hits of the RUN just read: one per leftover it cleans that earlier RUNs created. */
  reportRun(hits: RuleHit[]): void {
    if (this.#cleanedHere === null) return;
    const line = this.#line;
    for (const { what, creators } of this.#cleanedHere.values()) {
      hits.push({ line, message: messageFor(line, what, creators) });
    }
  }
}

function checkStage(ctx: RuleContext, stage: Stage, hits: RuleHit[]): void {
  const leftovers = new Leftovers();
  const runs = stageRuns(ctx, stage);
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!;
    leftovers.startRun(run.instruction.line);
    readRun(ctx, stage, run, leftovers);
    leftovers.reportRun(hits);
  }
}

function messageFor(line: number, what: string, creators: number[]): string {
  const lines = creators.length === 1 ? `line ${creators[0]}` : `lines ${joinAnd(creators.map(String))}`;
  const layers = creators.length === 1 ? `line ${creators[0]}'s layer` : `the layers of ${lines}`;
  return (
    `line ${line} removes ${what} that ${lines} created: ` +
    `the cleanup must run in the same RUN (the files stay in ${layers})`
  );
}

function joinAnd(items: string[]): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Cache kinds a command of this program can create or clean (besides `rm`, which cleans any). */
const kindsFor = indexByProgram(CACHE_KINDS, (kind) =>
  [...kind.creators, ...kind.cleaners].flatMap((p) => p.programs),
);

/** Tells `leftovers` the creations and cleanups of one RUN, in command order. */
function readRun(ctx: RuleContext, stage: Stage, run: RunInfo, leftovers: Leftovers): void {
  const cachedDirs = cacheTargets(run.instruction);
  const commands = run.commands;
  for (let c = 0; c < commands.length; c++) {
    const inv = invocation(commands[c]!);
    const isRm = inv.program === "rm";
    // The kinds whose command patterns name this program: for any other kind, neither a
    // cleaner nor a creator pattern can match (an `rm` is asked about every kind's paths).
    const patterned = kindsFor(inv.program);
    // The paths an `rm` removes, read once for all the kinds of cache they may clean.
    const removed = isRm ? mapToList(readCliArgs(inv.args).positional, homeToRoot) : NOTHING_REMOVED;
    // An `rm` is asked about every kind's paths, unless it removes no cache of any kind.
    const kinds = isRm && removesAnyCache(removed) ? CACHE_KINDS : patterned;
    for (let k = 0; k < kinds.length; k++) {
      const kind = kinds[k]!;
      const matchable = !isRm || patterned.includes(kind);
      if ((matchable && matchesAny(inv, kind.cleaners)) || (isRm && removesPathOf(kind, removed)))
        leftovers.cleaned(kind.id, kind.what);
      else if (matchable && creates(ctx, stage, run.instruction, kind, inv, cachedDirs))
        leftovers.created(kind.id);
    }
    if (inv.program === "curl" || inv.program === "wget") {
      for (const file of downloadedArchives(inv)) {
        if (cachedDirs.some((dir) => isWithin(file, dir))) continue;
        leftovers.created(downloadKey(file));
      }
    }
    if (isRm) {
      const paths = readCliArgs(inv.args).positional;
      for (let p = 0; p < paths.length; p++) {
        const path = paths[p]!;
        if (isArchive(path)) leftovers.cleaned(downloadKey(path), path);
      }
    }
  }
}

function matchesAny(inv: Invocation, patterns: readonly CommandPattern[]): boolean {
  for (let p = 0; p < patterns.length; p++) {
    const pattern = patterns[p]!;
    if (matchSubcommand(inv, pattern.programs, pattern.subcommands) !== null) return true;
  }
  return false;
}

const NOTHING_REMOVED: readonly string[] = objectList();

/**
 * Every kind's `rm` targets in one pattern: most paths an `rm` removes (a download, a build
 * folder) are no cache, found with one test rather than one per kind and pattern. Null when a
 * pattern has flags, which an alternation could not keep.
 */
const ANY_REMOVED_PATH = CACHE_KINDS.every((kind) => kind.removedPaths.every((p) => p.flags === ""))
  ? new RegExp(CACHE_KINDS.flatMap((kind) => kind.removedPaths.map((p) => `(?:${p.source})`)).join("|"))
  : null;

/** True when some kind's pattern may match one of the paths (always, without the union). */
function removesAnyCache(removed: readonly string[]): boolean {
  if (ANY_REMOVED_PATH === null) return true;
  for (let p = 0; p < removed.length; p++) if (ANY_REMOVED_PATH.test(removed[p]!)) return true;
  return false;
}

/** @param removed the paths of an `rm` (`~` and `$HOME` read as /root) */
function removesPathOf(kind: CacheKind, removed: readonly string[]): boolean {
  const patterns = kind.removedPaths;
  for (let p = 0; p < removed.length; p++) {
    for (let r = 0; r < patterns.length; r++) if (patterns[r]!.test(removed[p]!)) return true;
  }
  return false;
}

function creates(
  ctx: RuleContext,
  stage: Stage,
  instruction: Instruction,
  kind: CacheKind,
  inv: Invocation,
  cachedDirs: string[],
): boolean {
  let match: SubcommandMatch | null = null;
  for (const pattern of kind.creators) {
    match = matchSubcommand(inv, pattern.programs, pattern.subcommands);
    if (match) break;
  }
  if (!match) return false;
  const parsed = match.parsed;
  if (kind.noCacheFlags?.some((flag) => parsed.flags.some((f) => f.name === flag))) return false;
  for (const name of kind.noCacheEnv ?? []) {
    const inline = inv.command.assignments.some((a) => a.startsWith(`${name}=`));
    if (inline || variableAt(ctx.dockerfile, stage, instruction, name) !== undefined) return false;
  }
  // A cache or tmpfs mount over the data's directory keeps it out of the layer.
  if (cachedDirs.length === 0) return true;
  return !kind.dirs.some((dir) => cachedDirs.some((mount) => isWithin(dir, mount)));
}

/** `~/.npm` and `$HOME/.npm` are /root/.npm for the root user builds run as by default. */
function homeToRoot(path: string): string {
  return path.replace(/^(~|\$HOME|\$\{HOME\})(?=\/|$)/, "/root");
}

/** The leftover key of a downloaded file. */
function downloadKey(path: string): string {
  // Relative and absolute spellings of one download are compared by file name.
  return `download:${basename(path)}`;
}

function isArchive(path: string): boolean {
  const name = basename(path).toLowerCase();
  return ARCHIVE_SUFFIXES.some((suffix) => name.endsWith(suffix) && name.length > suffix.length);
}

/** Files that `curl -o`/`-O` and `wget [-O]` write, when they are archives. */
function downloadedArchives(inv: Invocation): string[] {
  if (inv.program === "curl") {
    const parsed = readCliArgs(inv.args, CURL_VALUE_FLAGS);
    const outputs = parsed.flags
      .filter((f) => (f.name === "o" || f.name === "output") && f.value)
      .map((f) => f.value!);
    const remoteName = parsed.flags.some((f) => f.name === "O" || f.name === "remote-name");
    const urls = parsed.positional.filter((w) => /^[a-z]+:\/\//i.test(w));
    const files = [...outputs, ...(remoteName ? urls.map(urlFileName) : [])];
    return files.filter((f) => f !== "-" && isArchive(f));
  }
  if (inv.program === "wget") {
    const parsed = readCliArgs(inv.args, WGET_VALUE_FLAGS);
    const output = parsed.flags
      .filter((f) => f.name === "O" || f.name === "output-document")
      .map((f) => f.value);
    if (output.length > 0) return output.filter((f): f is string => !!f && f !== "-" && isArchive(f));
    const prefix = parsed.flags.find((f) => f.name === "P" || f.name === "directory-prefix")?.value;
    return parsed.positional
      .filter((w) => /^[a-z]+:\/\//i.test(w))
      .map((url) => (prefix ? `${prefix.replace(/\/+$/, "")}/${urlFileName(url)}` : urlFileName(url)))
      .filter(isArchive);
  }
  return [];
}

function urlFileName(url: string): string {
  const path = url.replace(/[?#].*$/, "").replace(/\/+$/, "");
  return path.slice(path.lastIndexOf("/") + 1);
}
