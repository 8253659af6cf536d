/**
 * Reading the commands of a RUN for drydock's own rules: which program runs (with
 * `python -m pip` read as `pip`), its subcommand words and its flags, getopt style.
 */
import { basename, type ShellCommand } from "../../dockerfile/shell.ts";

export interface Invocation {
  /** Program basename (`pip3` for `/usr/local/bin/pip3`); the module for `python -m pip`. */
  program: string;
  args: string[];
  command: ShellCommand;
}

const PYTHON_RE = /^python(\d+(\.\d+)?)?$/;

export function invocation(command: ShellCommand): Invocation {
  const program = basename(command.name);
  if (PYTHON_RE.test(program) && command.args[0] === "-m" && command.args[1]) {
    return { program: command.args[1], args: command.args.slice(2), command };
  }
  return { program, args: command.args, command };
}

export interface ParsedArgs {
  /** Non-option words, in order (values of value-taking flags excluded). */
  positional: string[];
  /** Flags by name (`--name` → `name`, `-abc` → `a`, `b`, `c`), with their values. */
  flags: { name: string; value: string | null }[];
}

/**
 * @param valueFlags flag names (long names or letters) whose value is the next word unless
 *   written `--name=value` or glued (`-ofile`).
 */
export function parseArgs(args: readonly string[], valueFlags: readonly string[] = []): ParsedArgs {
  const takesValue = new Set(valueFlags);
  const positional: string[] = [];
  const flags: ParsedArgs["flags"] = [];
  for (let k = 0; k < args.length; k++) {
    const word = args[k]!;
    if (word === "--") {
      positional.push(...args.slice(k + 1));
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
      const letters = word.slice(1);
      for (let j = 0; j < letters.length; j++) {
        const name = letters[j]!;
        if (!takesValue.has(name)) {
          flags.push({ name, value: null });
          continue;
        }
        const rest = letters.slice(j + 1);
        if (rest !== "") flags.push({ name, value: rest });
        else flags.push({ name, value: k + 1 < args.length ? args[++k]! : null });
        break;
      }
      continue;
    }
    positional.push(word);
  }
  return { positional, flags };
}

export function hasFlag(parsed: ParsedArgs, ...names: string[]): boolean {
  return parsed.flags.some((f) => names.includes(f.name));
}

export function flagValues(parsed: ParsedArgs, ...names: string[]): string[] {
  return parsed.flags.filter((f) => names.includes(f.name) && f.value !== null).map((f) => f.value!);
}

/** True when the positional words start with the given subcommand words. */
export function startsWithWords(positional: readonly string[], words: readonly string[]): boolean {
  return words.every((w, k) => positional[k] === w);
}

/** How a command reads in a message: `pip install -r requirements.txt`, shortened. */
export function describeCommand(command: ShellCommand, max = 60): string {
  const text = [basename(command.name), ...command.args].join(" ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface SubcommandMatch {
  parsed: ParsedArgs;
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
  valueFlags: readonly string[] = [],
): SubcommandMatch | null {
  if (!programs.includes(inv.program)) return null;
  const parsed = parseArgs(inv.args, valueFlags);
  for (const words of subcommands) {
    if (words.length === 0 ? parsed.positional.length === 0 : startsWithWords(parsed.positional, words)) {
      return { parsed, rest: parsed.positional.slice(words.length) };
    }
  }
  return null;
}
