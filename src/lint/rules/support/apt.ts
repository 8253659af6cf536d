import type { ShellCommand } from "../../../dockerfile/shell.ts";
import { type CliArgs, invokes, readCliArgs } from "./cli-args.ts";

/** apt-get options that take a value (apt-get(8)): the value is not a package. */
const APT_GET_VALUE_FLAGS = ["t", "target-release", "default-release", "o", "option", "c", "config-file"];

/** `apt-get ... install ...`, with its arguments read; null for any other command. */
export function aptGetInstall(cmd: ShellCommand): CliArgs | null {
  if (!invokes(cmd, "apt-get", ["install"])) return null;
  return readCliArgs(cmd.args, APT_GET_VALUE_FLAGS);
}

/** The packages of an `apt-get install` (its non-option words except `install`). */
export function aptGetPackages(cli: CliArgs): string[] {
  return cli.positional.filter((word) => word !== "install");
}

/** Values of `-o`/`--option` (`APT::Install-Recommends=false`), `-oX=Y` included. */
export function aptOptions(cmd: ShellCommand): string[] {
  const values: string[] = [];
  cmd.args.forEach((arg, k) => {
    if ((arg === "-o" || arg === "--option") && k + 1 < cmd.args.length) values.push(cmd.args[k + 1]!);
    else if (arg.startsWith("--option=")) values.push(arg.slice("--option=".length));
    else if (/^-o.+/.test(arg)) values.push(arg.slice(2));
  });
  return values;
}
