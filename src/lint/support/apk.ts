/** Questions about apk commands (apk(8)), for the hadolint apk rules and the DL3019 fixer. */
import type { ShellCommand } from "../../dockerfile/shell.ts";
import { APK_VALUE_FLAGS } from "../data/package-managers.ts";
import { type CliArgs, invokes, readCliArgs, subcommandIndex } from "./commands.ts";

/** `apk ... add ...`, with its arguments read; null for any other command. */
export function apkAdd(cmd: ShellCommand): CliArgs | null {
  if (!invokes(cmd, "apk", ["add"])) return null;
  return readCliArgs(cmd.args, APK_VALUE_FLAGS);
}

/** Index in `cmd.args` of the `add` of `apk [options] add ...`, or -1. */
export function apkAddIndex(cmd: ShellCommand): number {
  const index = subcommandIndex(cmd, APK_VALUE_FLAGS);
  return index !== -1 && cmd.args[index] === "add" ? index : -1;
}
