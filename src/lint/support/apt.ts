/**
 * Questions about apt-get / apt commands (apt-get(8); Docker's best practices for apt:
 * https://docs.docker.com/build/building/best-practices/#apt-get), for the hadolint apt rules,
 * DL3009's lists cleanup and the apt fixers.
 */
import { basename, type ShellCommand } from "../../dockerfile/shell.ts";
import { APT_VALUE_FLAGS } from "../data/package-managers.ts";
import type { RunInfo } from "../types.ts";
import { type CliArgs, flagValues, invokes, readCliArgs, subcommandIndex } from "./commands.ts";
import type { CommandWords, WordSpan } from "./shell-words.ts";

/** The tools that share apt's lists in /var/lib/apt/lists. */
export const APT_TOOLS = ["apt-get", "apt", "aptitude"];

/** `apt-get ... install ...`, with its arguments read; null for any other command. */
export function aptGetInstall(cmd: ShellCommand): CliArgs | null {
  if (!invokes(cmd, "apt-get", ["install"])) return null;
  return readCliArgs(cmd.args, APT_VALUE_FLAGS);
}

/** The packages of an `apt-get install` (its non-option words except `install`). */
export function aptGetPackages(cli: CliArgs): string[] {
  return cli.positional.filter((word) => word !== "install");
}

/** Values of `-o`/`--option` (`APT::Install-Recommends=false`), `-oX=Y` included. */
export function aptOptions(cli: CliArgs): string[] {
  return flagValues(cli, "o", "option");
}

/** The `install` word of an `apt-get install` command, or null (for fixers). */
export function installWord(cmd: ShellCommand, words: CommandWords): WordSpan | null {
  if (!aptGetInstall(cmd)) return null;
  const index = subcommandIndex(cmd, APT_VALUE_FLAGS);
  if (index === -1 || cmd.args[index] !== "install") return null;
  return words.args[index] ?? null;
}

/** Words right after `install` that only answer prompts or quieten output (`-y`, `-qq`). */
export function isPromptFlag(word: string): boolean {
  return /^-[yq]+$/.test(word) || /^--(yes|assume-yes|quiet)$/.test(word) || /^-(q|-quiet)=\d$/.test(word);
}

/** apt-get, apt or aptitude running `subcommand`. */
export function runsApt(cmd: ShellCommand, subcommand: string): boolean {
  return APT_TOOLS.includes(basename(cmd.name)) && cmd.args.includes(subcommand);
}

/** `rm -rf /var/lib/apt/lists/*` (or the folder itself, or /var/lib/apt). */
export function removesAptLists(cmd: ShellCommand): boolean {
  if (basename(cmd.name) !== "rm") return false;
  return cmd.args.some((arg) => {
    const path = arg.replace(/(\/\*?)+$/, "");
    return path === "/var/lib/apt/lists" || path === "/var/lib/apt";
  });
}

export const runUpdatesApt = (run: RunInfo) => run.commands.some((c) => runsApt(c, "update"));
export const runInstallsWithApt = (run: RunInfo) => run.commands.some((c) => runsApt(c, "install"));
export const runRemovesAptLists = (run: RunInfo) => run.commands.some(removesAptLists);
