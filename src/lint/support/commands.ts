/**
 * Questions about the simple commands of a RUN: which program runs (`python -m pip` read as
 * `pip`), its flags and positional words read the way getopt-style tools do, and which RUNs
 * contain a command of interest. The per-tool queries (apt.ts, apk.ts, rpm.ts) build on these.
 */
import { objectList, withMemoSlot } from "../../dockerfile/shapes.ts";
import { basename, type ShellCommand } from "../../dockerfile/shell.ts";
import type { RunInfo } from "../types.ts";
import { ObjectMemo } from "./memo.ts";

/** A flag as written: `--name[=value]` or one letter of `-abc`, with its value if it takes one. */
export interface CliFlag {
  name: string;
  value: string | null;
}

export interface CliArgs {
  /** Flags in order: `--name[=v]` gives `name`; `-abc` gives `a`, `b`, `c`. */
  flags: CliFlag[];
  /** Words that are neither flags nor the values of value-taking flags. */
  positional: string[];
  /** Index in the argument list of each positional word (fixers edit at these). */
  positionalIndexes: number[];
  /** Literal words, for checks on exact arguments (`-q=2`): the words read (shared). */
  words: readonly string[];
}

const NO_VALUE_FLAGS: readonly string[] = [];

/**
 * The readings of one words array: flag list, reading, flag list, reading… in one small array
 * (a command is read with a few lists: a linear lookup, no Map or object per command).
 */
type CliArgsReadings = (readonly string[] | CliArgs)[];

/** Results are shared between callers (the words of a parsed command never change). */
const cliArgsCache = new ObjectMemo<readonly string[], CliArgsReadings>();

/**
 * Reads arguments getopt style (hadolint's Shell.getAllFlags / getArgsNoFlags / dropFlagArg):
 * a value-taking flag takes the next word unless its value is written `--name=value` or glued
 * to the letter (`-tfoo`); in `-q=2` the rest after `=` is the value of `q`; `--` ends flags.
 *
 * @param valueFlags flags (long names or single letters) whose value is the next word
 * @returns the parsed arguments, shared with other callers: do not modify them
 */
export function readCliArgs(
  args: readonly string[],
  valueFlags: readonly string[] = NO_VALUE_FLAGS,
): CliArgs {
  // Many rules read the same command's words, with their own flag lists: parse once per list,
  // and not at all when the words use none of the list's flags (see below).
  let readings = cliArgsCache.get(args);
  if (readings === undefined) {
    readings = [NO_VALUE_FLAGS, parseCliArgs(args, NO_VALUE_FLAG_SET)];
    cliArgsCache.set(args, readings);
  }
  for (let k = 0; k < readings.length; k += 2)
    if (readings[k] === valueFlags) return readings[k + 1] as CliArgs;
  // When no flag the words use takes a value under this list, every word reads as it does with
  // no value-taking flag at all: that reading is the answer (most commands, most lists).
  const plain = readings[1] as CliArgs;
  const takesValue = valueFlagSet(valueFlags);
  const parsed = usesAnyFlag(plain, takesValue) ? parseCliArgs(args, takesValue) : plain;
  readings.push(valueFlags, parsed);
  return parsed;
}

function usesAnyFlag(cli: CliArgs, names: ReadonlySet<string>): boolean {
  const flags = cli.flags;
  for (let k = 0; k < flags.length; k++) if (names.has(flags[k]!.name)) return true;
  return false;
}

const NO_VALUE_FLAG_SET: ReadonlySet<string> = new Set();

/** The flag lists callers pass are module constants: one lookup set per list, not per call. */
const valueFlagSets = new Map<readonly string[], ReadonlySet<string>>();

function valueFlagSet(valueFlags: readonly string[]): ReadonlySet<string> {
  let set = valueFlagSets.get(valueFlags);
  if (set === undefined) {
    set = new Set(valueFlags);
    // A caller that builds its list per call would grow the map without bound: not kept then.
    if (valueFlagSets.size < 256) valueFlagSets.set(valueFlags, set);
  }
  return set;
}

function parseCliArgs(args: readonly string[], takesValue: ReadonlySet<string>): CliArgs {
  // Lists made with one array map whatever they end up holding (src/dockerfile/shapes.ts).
  const flags = objectList<CliFlag>();
  const positional = objectList<string>();
  const positionalIndexes: number[] = [];
  for (let k = 0; k < args.length; k++) {
    const word = args[k]!;
    if (word === "--") {
      for (let rest = k + 1; rest < args.length; rest++) {
        positional.push(args[rest]!);
        positionalIndexes.push(rest);
      }
      break;
    }
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const name = eq === -1 ? word.slice(2) : word.slice(2, eq);
      let value = eq === -1 ? null : word.slice(eq + 1);
      if (value === null && takesValue.has(name) && k + 1 < args.length) value = args[++k]!;
      flags.push({ name, value });
      continue;
    }
    if (word.startsWith("-") && word.length > 1) {
      k = readShortFlags(args, k, takesValue, flags);
      continue;
    }
    positional.push(word);
    positionalIndexes.push(k);
  }
  return { flags, positional, positionalIndexes, words: args };
}

/** Reads the letters of `args[k]` (`-abc`); returns the index of the last word it used. */
function readShortFlags(
  args: readonly string[],
  k: number,
  takesValue: ReadonlySet<string>,
  flags: CliFlag[],
): number {
  const letters = args[k]!.slice(1);
  for (let j = 0; j < letters.length; j++) {
    const name = letters[j]!;
    if (name === "=") {
      // `-q=2`: the rest is the previous letter's value.
      const previous = flags[flags.length - 1];
      if (j > 0 && previous) previous.value = letters.slice(j + 1);
      return k;
    }
    if (!takesValue.has(name)) {
      flags.push({ name, value: null });
      continue;
    }
    // Last letter: the value is the next word; otherwise the rest of the word is it.
    if (j < letters.length - 1) flags.push({ name, value: letters.slice(j + 1) });
    else flags.push({ name, value: k + 1 < args.length ? args[++k]! : null });
    return k;
  }
  return k;
}

export function hasAnyFlag(cli: CliArgs, ...names: string[]): boolean {
  return cli.flags.some((f) => names.includes(f.name));
}

export function countFlag(cli: CliArgs, name: string): number {
  return cli.flags.filter((f) => f.name === name).length;
}

export function flagValues(cli: CliArgs, ...names: string[]): string[] {
  const values = objectList<string>();
  for (const flag of cli.flags) if (flag.value !== null && names.includes(flag.name)) values.push(flag.value);
  return values;
}

/**
 * Index in `cmd.args` of the subcommand: the first positional word (`apt-get -o X=Y install`
 * → the index of `install`), or -1.
 */
export function subcommandIndex(cmd: ShellCommand, valueFlags: readonly string[] = NO_VALUE_FLAGS): number {
  return readCliArgs(cmd.args, valueFlags).positionalIndexes[0] ?? -1;
}

/**
 * True when the command is `tool` (any path) and one of its words is one of `subcommands`
 * (hadolint's cmdHasArgs: `apt-get -y install x` and `apt-get install x` alike).
 */
export function invokes(cmd: ShellCommand, tool: string, subcommands: readonly string[]): boolean {
  if (basename(cmd.name) !== tool) return false;
  const args = cmd.args;
  for (let k = 0; k < args.length; k++) if (subcommands.includes(args[k]!)) return true;
  return false;
}

/** Every simple command of every RUN (ONBUILD RUN included), with the RUN it belongs to. */
export function* runCommands(runs: readonly RunInfo[]): Generator<{ run: RunInfo; cmd: ShellCommand }> {
  for (const run of runs) for (const cmd of run.commands) yield { run, cmd };
}

/**
 * One hit per RUN line where some command matches (hadolint reports each RUN once).
 *
 * @param programs when given, only the commands of these programs (by basename) are asked, as
 *   found in a per-file index: for a rule whose `matches` is false for every other program, the
 *   same hits without walking every command of every RUN
 */
export function runsWhere(
  runs: readonly RunInfo[],
  matches: (cmd: ShellCommand, run: RunInfo) => boolean,
  programs?: Iterable<string>,
): { line: number }[] {
  if (programs !== undefined) return indexedRunsWhere(runs, matches, programs);
  // Indexed loops: every rule of this shape runs it over every command of every file, often
  // before V8 optimises it, and an unoptimised for-of allocates at each step.
  const hits: { line: number }[] = [];
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!;
    const commands = run.commands;
    for (let c = 0; c < commands.length; c++) {
      if (!matches(commands[c]!, run)) continue;
      hits.push({ line: run.outer.line });
      break;
    }
  }
  return hits;
}

function indexedRunsWhere(
  runs: readonly RunInfo[],
  matches: (cmd: ShellCommand, run: RunInfo) => boolean,
  programs: Iterable<string>,
): { line: number }[] {
  // One RUN of one command (a fixer asks a rule about a command alone): no index to build.
  if (runs.length === 1 && runs[0]!.commands.length === 1)
    return singleCommandRunsWhere(runs[0]!, matches, programs);
  const index = programIndex(runs);
  let selected: readonly IndexedCommand[] = NO_COMMANDS;
  let lists = 0;
  const wanted = programList(programs);
  for (let p = 0; p < wanted.length; p++) {
    const list = index.get(wanted[p]!);
    if (list === undefined) continue;
    selected = lists === 0 ? list : [...selected, ...list];
    lists++;
  }
  // Commands of several programs are asked in script order, as runsWhere asks them.
  if (lists > 1) selected = [...selected].sort((a, b) => a.order - b.order);
  const hits: { line: number }[] = [];
  let reported: RunInfo | null = null;
  for (let k = 0; k < selected.length; k++) {
    const { run, cmd } = selected[k]!;
    if (run === reported || !matches(cmd, run)) continue;
    hits.push({ line: run.outer.line });
    reported = run;
  }
  return hits;
}

/**
 * The programs a rule passes (a module constant: an array or a Set) as an array, made once per
 * constant: walked with an index, not an iterator that allocates at each step before V8
 * optimises the walk.
 */
function programList(programs: Iterable<string>): readonly string[] {
  if (Array.isArray(programs)) return programs;
  let list = programLists.get(programs);
  if (list === undefined) {
    list = [...programs];
    programLists.set(programs, list);
  }
  return list;
}

/** Keyed by the rules' constant program sets (never a per-file object). */
const programLists = new WeakMap<Iterable<string>, readonly string[]>();

function singleCommandRunsWhere(
  run: RunInfo,
  matches: (cmd: ShellCommand, run: RunInfo) => boolean,
  programs: Iterable<string>,
): { line: number }[] {
  const cmd = run.commands[0]!;
  const program = basename(cmd.name);
  for (const wanted of programs) {
    if (wanted === program) return matches(cmd, run) ? [{ line: run.outer.line }] : [];
  }
  return [];
}

/** A command with its RUN and its position among all the commands of the file. */
interface IndexedCommand {
  run: RunInfo;
  cmd: ShellCommand;
  order: number;
}

const NO_COMMANDS: readonly IndexedCommand[] = [];
const programIndexCache = new ObjectMemo<readonly RunInfo[], Map<string, IndexedCommand[]>>();

/** The commands of these RUNs by program basename, in script order (built once per file). */
function programIndex(runs: readonly RunInfo[]): Map<string, IndexedCommand[]> {
  let index = programIndexCache.get(runs);
  if (!index) {
    index = new Map();
    let order = 0;
    for (let r = 0; r < runs.length; r++) {
      const run = runs[r]!;
      const commands = run.commands;
      for (let c = 0; c < commands.length; c++) {
        const cmd = commands[c]!;
        const program = basename(cmd.name);
        let list = index.get(program);
        if (list === undefined) {
          list = [];
          index.set(program, list);
        }
        list.push({ run, cmd, order: order++ });
      }
    }
    programIndexCache.set(runs, index);
  }
  return index;
}

/**
 * True when some command of these RUNs runs one of `programs` (by basename). A rule about one
 * tool returns early for the many files that never run it.
 */
export function runsAnyOf(runs: readonly RunInfo[], programs: Iterable<string>): boolean {
  const index = programIndex(runs);
  for (const program of programs) if (index.has(program)) return true;
  return false;
}

/**
 * A lookup from a program name to the entries of `table` that list it (in `programs`, or as
 * `programsOf` says), in table order: a rule that walks a table of command patterns per command can skip the entries that
 * cannot match (most commands name none).
 */
export function indexByProgram<T>(
  table: readonly T[],
  programsOf: (entry: T) => readonly string[] = (entry) =>
    (entry as { programs: readonly string[] }).programs,
): (program: string) => readonly T[] {
  const index = new Map<string, T[]>();
  for (const entry of table) {
    for (const program of programsOf(entry)) {
      const list = index.get(program) ?? [];
      if (!list.includes(entry)) list.push(entry);
      index.set(program, list);
    }
  }
  const none: readonly T[] = [];
  return (program) => index.get(program) ?? none;
}

/** A command as drydock's own rules read it: the program, with `python -m pip` read as `pip`. */
export interface Invocation {
  /** Program basename (`pip3` for `/usr/local/bin/pip3`); the module for `python -m pip`. */
  program: string;
  args: string[];
  command: ShellCommand;
}

const PYTHON_RE = /^python(\d+(\.\d+)?)?$/;

const invocations = new ObjectMemo<ShellCommand, Invocation>();

/** The command as an invocation; computed once per command and shared (do not modify). */
export function invocation(command: ShellCommand): Invocation {
  let inv = invocations.get(command);
  if (!inv) {
    const program = basename(command.name);
    inv =
      PYTHON_RE.test(program) && command.args[0] === "-m" && command.args[1]
        ? { program: command.args[1], args: withMemoSlot(command.args.slice(2)), command }
        : { program, args: command.args, command };
    invocations.set(command, inv);
  }
  return inv;
}

/** True when the positional words start with the given subcommand words. */
export function startsWithWords(positional: readonly string[], words: readonly string[]): boolean {
  for (let k = 0; k < words.length; k++) if (positional[k] !== words[k]) return false;
  return true;
}

export interface SubcommandMatch {
  parsed: CliArgs;
  /** Positional words after the subcommand (packages, goals, paths). */
  rest: string[];
}

/**
 * Does the invocation run one of `programs` with one of `subcommands` (first positional
 * words)? `[]` is the bare program and matches only when no positional word follows.
 */
export function matchSubcommand(
  inv: Invocation,
  programs: readonly string[],
  subcommands: readonly (readonly string[])[],
  valueFlags: readonly string[] = NO_VALUE_FLAGS,
): SubcommandMatch | null {
  if (!programs.includes(inv.program)) return null;
  const parsed = readCliArgs(inv.args, valueFlags);
  for (const words of subcommands) {
    if (words.length === 0 ? parsed.positional.length === 0 : startsWithWords(parsed.positional, words)) {
      return { parsed, rest: parsed.positional.slice(words.length) };
    }
  }
  return null;
}

/** How a command reads in a message: `pip install -r requirements.txt`, shortened. */
export function describeCommand(command: ShellCommand, max = 60): string {
  const text = [basename(command.name), ...command.args].join(" ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
