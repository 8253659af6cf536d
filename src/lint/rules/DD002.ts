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
    return ctx.dockerfile.stages.flatMap((stage) => checkStage(ctx, stage));
  },
};

/** One kind of leftover: a package-manager cache, or one downloaded file. */
interface Leftover {
  key: string;
  what: string;
}

interface Event {
  leftover: Leftover;
  kind: "create" | "clean";
}

function checkStage(ctx: RuleContext, stage: Stage): RuleHit[] {
  const hits: RuleHit[] = [];
  /** key → RUN lines whose layers still hold the data. */
  const dirty = new Map<string, number[]>();
  for (const run of stageRuns(ctx, stage)) {
    const line = run.instruction.line;
    const cleanedHere = new Map<string, { what: string; creators: number[] }>();
    for (const event of runEvents(ctx, stage, run)) {
      const { key, what } = event.leftover;
      if (event.kind === "create") {
        dirty.set(key, [...(dirty.get(key) ?? []).filter((l) => l !== line), line]);
        continue;
      }
      const earlier = (dirty.get(key) ?? []).filter((l) => l !== line);
      if (earlier.length > 0 && !cleanedHere.has(key)) cleanedHere.set(key, { what, creators: earlier });
      dirty.delete(key);
    }
    for (const { what, creators } of cleanedHere.values()) {
      hits.push({ line, message: messageFor(line, what, creators) });
    }
  }
  return hits;
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

/** Creations and cleanups of one RUN, in command order. */
function runEvents(ctx: RuleContext, stage: Stage, run: RunInfo): Event[] {
  const events: Event[] = [];
  const cachedDirs = cacheTargets(run.instruction);
  for (const command of run.commands) {
    const inv = invocation(command);
    const isRm = inv.program === "rm";
    // The kinds whose command patterns name this program: for any other kind, neither a
    // cleaner nor a creator pattern can match (an `rm` is asked about every kind's paths).
    const patterned = kindsFor(inv.program);
    const kinds = isRm ? CACHE_KINDS : patterned;
    // The paths an `rm` removes, read once for all the kinds of cache they may clean.
    const removed = isRm ? mapToList(readCliArgs(inv.args).positional, homeToRoot) : NOTHING_REMOVED;
    for (let k = 0; k < kinds.length; k++) {
      const kind = kinds[k]!;
      const matchable = !isRm || patterned.includes(kind);
      if ((matchable && matchesAny(inv, kind.cleaners)) || (isRm && removesPathOf(kind, removed)))
        events.push({ leftover: { key: kind.id, what: kind.what }, kind: "clean" });
      else if (matchable && creates(ctx, stage, run.instruction, kind, inv, cachedDirs))
        events.push({ leftover: { key: kind.id, what: kind.what }, kind: "create" });
    }
    if (inv.program === "curl" || inv.program === "wget") {
      for (const file of downloadedArchives(inv)) {
        if (cachedDirs.some((dir) => isWithin(file, dir))) continue;
        events.push({ leftover: downloadLeftover(file), kind: "create" });
      }
    }
    if (inv.program === "rm") {
      for (const path of readCliArgs(inv.args).positional) {
        if (isArchive(path)) events.push({ leftover: downloadLeftover(path), kind: "clean" });
      }
    }
  }
  return events;
}

function matchesAny(inv: Invocation, patterns: readonly CommandPattern[]): boolean {
  return patterns.some((p) => matchSubcommand(inv, p.programs, p.subcommands) !== null);
}

const NOTHING_REMOVED: readonly string[] = objectList();

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
  return !kind.dirs.some((dir) => cachedDirs.some((mount) => isWithin(dir, mount)));
}

/** `~/.npm` and `$HOME/.npm` are /root/.npm for the root user builds run as by default. */
function homeToRoot(path: string): string {
  return path.replace(/^(~|\$HOME|\$\{HOME\})(?=\/|$)/, "/root");
}

function downloadLeftover(path: string): Leftover {
  // Relative and absolute spellings of one download are compared by file name.
  const name = basename(path);
  return { key: `download:${name}`, what: path };
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
