import type { ShellCommand } from "../../../dockerfile/shell.ts";
import { type CliArgs, invokes, readCliArgs } from "./cli-args.ts";

/** apk options that take a value (apk(8)): the value is not a package. */
const APK_VALUE_FLAGS = [
  "t",
  "virtual",
  "X",
  "repository",
  "p",
  "root",
  "arch",
  "cache-dir",
  "keys-dir",
  "repositories-file",
  "cache-max-age",
  "timeout",
];

/** `apk ... add ...`, with its arguments read; null for any other command. */
export function apkAdd(cmd: ShellCommand): CliArgs | null {
  if (!invokes(cmd, "apk", ["add"])) return null;
  return readCliArgs(cmd.args, APK_VALUE_FLAGS);
}
