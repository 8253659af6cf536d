/**
 * Putting an apt "session" (`apt-get update`, `apt-get install`, removing the lists) into one
 * RUN, so the downloaded package lists never reach a layer (Docker's best practices:
 * https://docs.docker.com/build/building/best-practices/#apt-get). Used by DL3009 and DD002.
 *
 * Merging RUNs keeps the build's meaning only when each RUN is a plain `&&`/`|` chain: no
 * state that later RUNs would now inherit (`cd`, `export`, `set`, assignments, ...), no
 * `;`/`||`/`&` whose precedence would change once joined with `&&`, no comment that would
 * swallow the joined text, no heredoc, no flags (`--mount`, `--network`: each RUN's own).
 */
import type { Instruction } from "../../dockerfile/parse.ts";
import { basename } from "../../dockerfile/shell.ts";
import type { Fix, RuleContext, RunInfo } from "../types.ts";
import { runRemovesAptLists, runUpdatesApt } from "./apt.ts";
import { ObjectMemo } from "./memo.ts";
import { mapArgs, sourceSpan } from "./source-map.ts";

const CLEANUP = "rm -rf /var/lib/apt/lists/*";

/** Commands whose effect outlives the RUN's own commands in the same shell. */
const STATEFUL = new Set([
  "cd",
  "pushd",
  "popd",
  "export",
  "unset",
  "set",
  "shopt",
  "source",
  ".",
  "alias",
  "umask",
  "ulimit",
  "trap",
  "exec",
  "exit",
  "return",
  "eval",
  "readonly",
  "declare",
  "typeset",
  "local",
  "hash",
]);

/** The RUN whose instruction starts at `line` (top level only). */
export function runAt(ctx: RuleContext, line: number): RunInfo | null {
  const run = ctx.runs.find((r) => r.outer.line === line);
  return run && run.outer === run.instruction ? run : null;
}

/**
 * The RUNs that directly follow each other around `run` in its stage (no other instruction
 * in between), in order, as far as each can be merged. Worked out once per block: the fixes of
 * the findings in one block all ask for it (shared: do not modify).
 */
export function adjacentRuns(ctx: RuleContext, run: RunInfo): readonly RunInfo[] {
  const blocks = runsByInstruction(ctx.runs).blocks;
  let block = blocks.get(run);
  if (!block) {
    block = findAdjacentRuns(ctx, run);
    // Each member's block is this one.
    for (const member of block) blocks.set(member, block);
    blocks.set(run, block);
  }
  return block;
}

const NO_RUNS: readonly RunInfo[] = [];

function findAdjacentRuns(ctx: RuleContext, run: RunInfo): readonly RunInfo[] {
  const stage = ctx.dockerfile.stages[run.outer.stage];
  if (!stage) return NO_RUNS;
  const instructions = stage.instructions;
  const at = instructions.indexOf(run.outer);
  const runs = runsByInstruction(ctx.runs);
  const asRun = (k: number) => {
    const i = instructions[k];
    const found = i && runs.of.get(i);
    return found && runs.mergeable(found) ? found : null;
  };
  if (!asRun(at)) return NO_RUNS;
  let from = at;
  while (from > 0 && asRun(from - 1)) from--;
  let to = at;
  while (asRun(to + 1)) to++;
  return instructions.slice(from, to + 1).map((_, k) => asRun(from + k)!);
}

/**
 * The RUNs of a file by instruction, and which can be merged (asked again by every fix); the
 * blocks of adjacent RUNs and the merges worked out so far (the fixes of the findings in one
 * block ask for the same ones). Kept with the file's run list, not on each RunInfo: a memo slot
 * added to a RunInfo would change its shape under the rules.
 */
interface RunLookup {
  of: Map<Instruction, RunInfo>;
  mergeable(run: RunInfo): boolean;
  blocks: Map<RunInfo, readonly RunInfo[]>;
  /** Merges by their first RUN. */
  merges: Map<RunInfo, { runs: readonly RunInfo[]; merged: MergedRuns | null }[]>;
}

const runLookups = new ObjectMemo<readonly RunInfo[], RunLookup>();

function runsByInstruction(runs: readonly RunInfo[]): RunLookup {
  let lookup = runLookups.get(runs);
  if (!lookup) {
    const of = new Map<Instruction, RunInfo>();
    // The first RUN of an instruction, as `runs.find` gives it.
    for (const run of runs) if (!of.has(run.instruction)) of.set(run.instruction, run);
    const answers = new Map<RunInfo, boolean>();
    lookup = {
      of,
      mergeable(run) {
        let answer = answers.get(run);
        if (answer === undefined) {
          answer = mergeable(run);
          answers.set(run, answer);
        }
        return answer;
      },
      blocks: new Map(),
      merges: new Map(),
    };
    runLookups.set(runs, lookup);
  }
  return lookup;
}

function mergeable(run: RunInfo): boolean {
  const i = run.instruction;
  return (
    run.outer === i &&
    i.flags.length === 0 &&
    i.json === null &&
    i.heredocs.length === 0 &&
    run.script === i.args &&
    run.commands.length > 0 &&
    !/(^|[\s;&|()])#/.test(run.script)
  );
}

/** Operators that may join the commands of a RUN merged into an `&&` chain ("": none). */
const CHAINING: readonly string[] = ["&&", "|", ""];
/** Commands that end the shell, and with it every command joined after them. */
const ENDS_SHELL: readonly string[] = ["exit", "exec"];

/** A script that can sit between `&&`s: only `&&` and `|` join its commands, no state kept. */
function chainsCleanly(run: RunInfo, last: boolean): boolean {
  const script = run.script.trim();
  if (/[;&|\\]$/.test(script)) return false;
  return run.commands.every(
    (c) =>
      CHAINING.includes(c.before) &&
      CHAINING.includes(c.after) &&
      !ENDS_SHELL.includes(basename(c.name)) &&
      (last || (!STATEFUL.has(c.name) && c.name !== "")),
  );
}

/**
 * One RUN made of `runs` joined with ` && \` continuation lines; with `appendAptCleanup`,
 * ending with the lists cleanup when none of them has it. Comments between the RUNs move into the continuation;
 * an ignore pragma or `check=` directive between them (it would lose its target) gives no fix.
 */
export function mergeRuns(
  ctx: RuleContext,
  runs: readonly RunInfo[],
  description: string,
  appendAptCleanup: boolean,
): Fix | null {
  const merged = mergedRuns(ctx, runs);
  if (!merged) return null;
  let text = merged.text;
  if (appendAptCleanup && !merged.removesAptLists)
    text += ` && ${ctx.dockerfile.escape}\n${merged.continued}${CLEANUP}`;
  return { description, edits: [{ start: merged.start, end: merged.end, text }] };
}

/** The joined RUN replacing source[start, end), before any cleanup is appended. */
interface MergedRuns {
  start: number;
  end: number;
  text: string;
  /** The indentation of a continuation line. */
  continued: string;
  /** True when one of the RUNs already removes the apt lists. */
  removesAptLists: boolean;
}

/** The merge of `runs`, worked out once per file (DD002 and DL3009 often ask for the same one). */
function mergedRuns(ctx: RuleContext, runs: readonly RunInfo[]): MergedRuns | null {
  if (runs.length === 0) return null;
  const merges = runsByInstruction(ctx.runs).merges;
  let known = merges.get(runs[0]!);
  if (!known) {
    known = [];
    merges.set(runs[0]!, known);
  }
  const same = known.find(
    (entry) => entry.runs.length === runs.length && entry.runs.every((r, k) => r === runs[k]),
  );
  if (same) return same.merged;
  const merged = joinRuns(ctx, runs);
  known.push({ runs: [...runs], merged });
  return merged;
}

function joinRuns(ctx: RuleContext, runs: readonly RunInfo[]): MergedRuns | null {
  const lookup = runsByInstruction(ctx.runs);
  if (!runs.every((run, k) => lookup.mergeable(run) && chainsCleanly(run, k === runs.length - 1)))
    return null;
  const df = ctx.dockerfile;
  const first = runs[0]!.outer;
  const last = runs.at(-1)!.outer;
  // A pragma above the first RUN would silence findings in the RUNs merged into it.
  const above = df.instructions.findLast((i) => i.endLine < first.line)?.endLine ?? 0;
  if (runs.length > 1 && commentsBetween(ctx, above, first.line) === null) return null;
  const indent = /^[ \t]*/.exec(df.source.slice(first.start))![0];
  const continued = `${indent}    `;
  let text = `${indent}${first.rawKeyword} `;
  for (const [k, run] of runs.entries()) {
    const map = mapArgs(df, run.instruction);
    if (!map || map.args.length === 0) return null;
    text += df.source.slice(sourceSpan(map, 0, map.args.length).start, run.outer.end);
    const next = runs[k + 1];
    if (!next) break;
    const between = commentsBetween(ctx, run.outer.endLine, next.outer.line);
    if (between === null) return null;
    // Comment lines inside a continuation are skipped by the parser, so they can stay.
    text += ` && ${df.escape}\n${between.map((c) => `${continued}${c}\n`).join("")}${continued}`;
  }
  return {
    // The instruction's start is the start of its first line.
    start: first.start,
    end: last.end,
    text,
    continued,
    removesAptLists: runs.some(runRemovesAptLists),
  };
}

/**
 * Comment lines strictly between two lines (blank lines dropped), or null when one of them
 * is a pragma that must stay in front of its instruction.
 */
function commentsBetween(ctx: RuleContext, afterLine: number, beforeLine: number): string[] | null {
  const comments = ctx.dockerfile.comments.filter((c) => c.line > afterLine && c.line < beforeLine);
  if (comments.some((c) => /^(hadolint|drydock)\b|^check\s*=|^syntax\s*=/i.test(c.text))) return null;
  return comments.map((c) => ctx.dockerfile.lines[c.line - 1]!.trim());
}

/**
 * The merge that repairs the apt session containing `installRun`: from the nearest preceding
 * adjacent RUN that runs `apt-get update` (if any) through the install, and on to `cleanup`
 * (default: the first adjacent RUN after the install that removes the lists, if any).
 */
export function mergeSessionAround(
  ctx: RuleContext,
  installRun: RunInfo,
  description: string,
  cleanup?: RunInfo,
): Fix | null {
  const block = adjacentRuns(ctx, installRun);
  const at = block.indexOf(installRun);
  if (at === -1) return null;
  let from = at;
  for (let k = at; k >= 0; k--) {
    if (runUpdatesApt(block[k]!)) {
      from = k;
      break;
    }
  }
  let to = at;
  if (cleanup) {
    to = block.indexOf(cleanup);
    if (to < at) return null;
  } else if (!runRemovesAptLists(installRun)) {
    const next = block.findIndex((run, k) => k > at && runRemovesAptLists(run));
    if (next !== -1) to = next;
  }
  // A single RUN that already cleans up: nothing for us to do.
  if (from === to && runRemovesAptLists(installRun)) return null;
  return mergeRuns(ctx, block.slice(from, to + 1), description, true);
}
