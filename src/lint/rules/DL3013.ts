import { basename, type ShellCommand } from "../../dockerfile/shell.ts";
import { PIP_VALUE_FLAGS } from "../data/package-managers.ts";
import { hasAnyFlag, readCliArgs, runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

const VERSION_OPERATORS = ["==", ">=", "<=", ">", "<", "!=", "~=", "==="];
const VCS_URL = /^(git|hg|svn|bzr)(\+[a-z-]+)?:\/\//;
const LOCAL_PACKAGE_SUFFIXES = [".whl", ".tar.gz"];

/** `pip* install` (not pipenv) or `python* -m pip install`; the words after `install`. */
function pipInstallArgs(cmd: ShellCommand): string[] | null {
  const name = basename(cmd.name);
  const args = cmd.args;
  if (name.startsWith("pip") && !name.startsWith("pipenv")) return args.includes("install") ? args : null;
  if (name.startsWith("python")) {
    const at = args.findIndex((a, k) => a === "-m" && args[k + 1] === "pip" && args[k + 2] === "install");
    return at === -1 ? null : args.slice(at + 2);
  }
  return null;
}

/** A VCS URL pinned to a ref: `git+https://host/repo.git@v1.0#egg=x` (the `@` after the host). */
function isPinnedVcs(pkg: string): boolean {
  const afterScheme = pkg.replace(VCS_URL, "");
  const path = afterScheme.slice(afterScheme.indexOf("/") + 1).split("#")[0]!;
  return afterScheme.includes("/") && path.includes("@");
}

function isPinned(pkg: string): boolean {
  if (VCS_URL.test(pkg)) return isPinnedVcs(pkg);
  return (
    VERSION_OPERATORS.some((op) => pkg.includes(op)) ||
    LOCAL_PACKAGE_SUFFIXES.some((suffix) => pkg.endsWith(suffix)) ||
    pkg.includes("/")
  );
}

/**
 * `pip install <package>` without a version (hadolint DL3013). Not reported: requirement
 * files (`-r`), constraint files (`-c`), the current project (`.`), local paths and archives,
 * URLs, VCS URLs pinned with `@ref`, and any version specifier (`==`, `>=`, `~=`, ...).
 */
function forgotToPin(cmd: ShellCommand): boolean {
  const args = pipInstallArgs(cmd);
  if (!args) return false;
  if (args.includes("-r") || args.includes("--requirement") || args.includes(".")) return false;
  const cli = readCliArgs(args, PIP_VALUE_FLAGS);
  if (hasAnyFlag(cli, "c", "constraint", "r", "requirement")) return false;
  const install = cli.positional.indexOf("install");
  const packages = cli.positional.slice(install + 1).filter((p) => p !== "install");
  return !packages.every(isPinned);
}

export const rule: Rule = {
  code: "DL3013",
  severity: "warning",
  message:
    "Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`",
  check({ runs }) {
    return runsWhere(runs, forgotToPin);
  },
};
