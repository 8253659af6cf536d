import { basename, type ShellCommand } from "../../../dockerfile/shell.ts";
import type { RunInfo } from "../../types.ts";

/**
 * Reads a command's arguments the way getopt-style tools do, for the package-manager rules
 * (hadolint's Shell.getAllFlags / getArgsNoFlags / dropFlagArg, with getopt's rule that a
 * value glued to a short flag, `-tfoo`, does not take the next word).
 */
export interface CliArgs {
  /** Flag names in order: `--name[=v]` gives `name`; `-abc` gives `a`, `b`, `c`. */
  flags: string[];
  /** Words that are neither flags nor the values of value-taking flags. */
  positional: string[];
  /** Literal words, for checks on exact arguments (`-q=2`). */
  words: string[];
}

/**
 * @param valueFlags flags (long names or single letters) whose value is the next word
 *   unless written `--name=value` (or glued, `-tvalue`)
 */
export function readCliArgs(args: readonly string[], valueFlags: readonly string[] = []): CliArgs {
  const takesValue = new Set(valueFlags);
  const flags: string[] = [];
  const positional: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const word = args[k]!;
    if (word === "--") {
      positional.push(...args.slice(k + 1));
      break;
    }
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const name = eq === -1 ? word.slice(2) : word.slice(2, eq);
      flags.push(name);
      if (eq === -1 && takesValue.has(name)) k++;
      continue;
    }
    if (word.startsWith("-") && word.length > 1) {
      const letters = word.slice(1);
      for (let j = 0; j < letters.length; j++) {
        const letter = letters[j]!;
        if (letter === "=") break; // `-q=2`: the rest is a value
        flags.push(letter);
        if (takesValue.has(letter)) {
          // Last letter: the value is the next word; otherwise the rest of the word is it.
          if (j === letters.length - 1) k++;
          break;
        }
      }
      continue;
    }
    positional.push(word);
  }
  return { flags, positional, words: [...args] };
}

export function countFlag(cli: CliArgs, name: string): number {
  return cli.flags.filter((f) => f === name).length;
}

export function hasAnyFlag(cli: CliArgs, ...names: string[]): boolean {
  return cli.flags.some((f) => names.includes(f));
}

/**
 * True when the command is `tool` (any path) and one of its words is one of `subcommands`
 * (hadolint's cmdHasArgs: `apt-get -y install x` and `apt-get install x` alike).
 */
export function invokes(cmd: ShellCommand, tool: string, subcommands: readonly string[]): boolean {
  return basename(cmd.name) === tool && cmd.args.some((a) => subcommands.includes(a));
}

/** Every simple command of every RUN (ONBUILD RUN included), with the RUN it belongs to. */
export function* runCommands(runs: readonly RunInfo[]): Generator<{ run: RunInfo; cmd: ShellCommand }> {
  for (const run of runs) for (const cmd of run.commands) yield { run, cmd };
}

/** One hit per RUN line where some command matches (hadolint reports each RUN once). */
export function runsWhere(
  runs: readonly RunInfo[],
  matches: (cmd: ShellCommand, run: RunInfo) => boolean,
): { line: number }[] {
  return runs
    .filter((run) => run.commands.some((cmd) => matches(cmd, run)))
    .map((run) => ({ line: run.outer.line }));
}
