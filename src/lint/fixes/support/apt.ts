/** apt-get facts shared by the apt fixers (apt-get(8)). */
import type { ShellCommand } from "../../../dockerfile/shell.ts";
import { aptGetInstall } from "../../rules/support/apt.ts";
import { subcommandIndex } from "./run-edits.ts";
import type { CommandWords, WordSpan } from "./shell-words.ts";

/** apt-get options that take a value. */
export const APT_GET_VALUE_FLAGS = [
  "t",
  "target-release",
  "default-release",
  "o",
  "option",
  "c",
  "config-file",
];

/** The `install` word of an `apt-get install` command, or null. */
export function installWord(cmd: ShellCommand, words: CommandWords): WordSpan | null {
  if (!aptGetInstall(cmd)) return null;
  const index = subcommandIndex(cmd, APT_GET_VALUE_FLAGS);
  if (index === -1 || cmd.args[index] !== "install") return null;
  return words.args[index] ?? null;
}

/** Words right after `install` that only answer prompts or quieten output (`-y`, `-qq`). */
export function isPromptFlag(word: string): boolean {
  return /^-[yq]+$/.test(word) || /^--(yes|assume-yes|quiet)$/.test(word) || /^-(q|-quiet)=\d$/.test(word);
}
