/**
 * Building blocks for fixers that edit commands inside a shell-form RUN: find the commands a
 * rule complains about, then insert or replace words at their source positions.
 */
import { withMemoSlot } from "../../dockerfile/shapes.ts";
import { basename, type ShellCommand } from "../../dockerfile/shell.ts";
import type { Fix, Rule, RuleContext, RunInfo, TextEdit } from "../types.ts";
import { type CommandWords, commandWords, type WordSpan } from "./shell-words.ts";
import { type ShellRun, shellRunAt, sourceSpan } from "./source-map.ts";

const ANY_COMMAND = (): boolean => true;

/** An edit that inserts ` text` right after a word of the RUN script. */
export function insertAfterWord(shellRun: ShellRun, word: WordSpan, text: string): TextEdit {
  const at = sourceSpan(shellRun.map, word.start, word.end).end;
  return { start: at, end: at, text: ` ${text}` };
}

/** An edit that replaces a word of the RUN script. */
export function replaceWord(shellRun: ShellRun, word: WordSpan, text: string): TextEdit {
  const span = sourceSpan(shellRun.map, word.start, word.end);
  return { start: span.start, end: span.end, text };
}

/** Whether a rule flags one command of a RUN (the commands a fixer must edit). */
export type CommandTest = (cmd: ShellCommand, run: RunInfo, ctx: RuleContext) => boolean;

/**
 * True when `rule` reports this one command of the RUN on its own: the fixer edits exactly the
 * commands the rule flags, so the two never disagree about what is wrong.
 */
export function ruleFlags(rule: Rule, ctx: RuleContext, run: RunInfo, cmd: ShellCommand): boolean {
  const alone: RunInfo = { ...run, commands: [cmd] };
  // With the memo slot, like the contexts and run lists the engine makes: rules see one shape.
  const aloneCtx = withMemoSlot({ ...ctx, runs: withMemoSlot([alone]) });
  return rule.check(aloneCtx).some((hit) => hit.line === run.outer.line);
}

/**
 * Asks the whole rule about each command alone (`ruleFlags`), for rules whose verdict on a
 * command depends on more than the command and its RUN (DL3042 reads the stage's ENV).
 *
 * @param mayFlag a cheap test that is true for every command the rule can flag (false only
 *   where `ruleFlags` would be false): asking the whole rule about each command of a long RUN
 *   is slow
 */
export function flaggedByRule(
  rule: Rule,
  mayFlag: (cmd: ShellCommand) => boolean = ANY_COMMAND,
): CommandTest {
  return (cmd, run, ctx) => mayFlag(cmd) && ruleFlags(rule, ctx, run, cmd);
}

/**
 * The test of a rule that checks each command on its own with `runsWhere(runs, matches,
 * programs)`: the rule flags a command alone exactly when it runs one of `programs` and
 * `matches(cmd, run)` holds, so this gives what `ruleFlags` would without running the rule on a
 * made-up context (that was most of the cost of computing `fixable` for these rules).
 */
export function flaggedByRunsWhere(
  programs: readonly string[],
  matches: (cmd: ShellCommand, run: RunInfo) => boolean,
): CommandTest {
  return (cmd, run) => programs.includes(basename(cmd.name)) && matches(cmd, run);
}

/**
 * Runs `edit` on every command of the RUN at `line` that `flags` says the rule flags.
 * All-or-nothing: if one flagged command cannot be edited safely, the RUN gets no fix (a
 * partial fix would leave the finding in place and hide the reason).
 */
export function fixRunCommands(
  ctx: RuleContext,
  line: number,
  description: string,
  edit: (cmd: ShellCommand, words: CommandWords, shellRun: ShellRun) => TextEdit[] | null,
  flags: CommandTest,
): Fix | null {
  const shellRun = shellRunAt(ctx, line);
  if (!shellRun) return null;
  const run = shellRun.run;
  const edits: TextEdit[] = [];
  for (const cmd of run.commands) {
    if (!flags(cmd, run, ctx)) continue;
    const words = commandWords(run.script, cmd);
    if (!words) return null;
    const made = edit(cmd, words, shellRun);
    if (!made) return null;
    edits.push(...made);
  }
  return edits.length > 0 ? { description, edits } : null;
}
