import { basename, type ShellCommand } from "../../dockerfile/shell.ts";
import { readCliArgs, runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/** npm options whose value is the next word: the value is not a package. */
const NPM_VALUE_FLAGS = [
  "loglevel",
  "registry",
  "prefix",
  "cache",
  "userconfig",
  "globalconfig",
  "tag",
  "omit",
  "include",
  "install-strategy",
  "workspace",
  "w",
];
/** `npm install` and its aliases `npm i` and `npm add`. */
const INSTALL_COMMANDS = ["install", "i", "add"];
const GIT_PREFIXES = ["git://", "git+ssh://", "git+http://", "git+https://"];
const TARBALL_SUFFIXES = [".tar", ".tar.gz", ".tgz"];
const PATH_PREFIXES = ["/", "./", "../", "~/"];

function isPinned(pkg: string): boolean {
  if (GIT_PREFIXES.some((p) => pkg.startsWith(p))) return pkg.includes("#");
  if (TARBALL_SUFFIXES.some((s) => pkg.endsWith(s))) return true;
  if (PATH_PREFIXES.some((p) => pkg.startsWith(p))) return true;
  // `@scope/name@version`: the version `@` comes after the scope.
  const name = pkg.startsWith("@") ? pkg.slice(pkg.indexOf("/") + 1) : pkg;
  return name.includes("@");
}

/**
 * `npm install <package>` without `@version`, tag, commit or local source (hadolint DL3016).
 * `npm install` with no package installs package.json's pinned versions and passes; so does
 * `npm run ... install`. We also read `npm i` and `npm add`, which hadolint does not.
 */
function forgotToPin(cmd: ShellCommand): boolean {
  if (basename(cmd.name) !== "npm") return false;
  const [subcommand, ...packages] = readCliArgs(cmd.args, NPM_VALUE_FLAGS).positional;
  if (subcommand === undefined || !INSTALL_COMMANDS.includes(subcommand)) return false;
  return !packages.every(isPinned);
}

export const rule: Rule = {
  code: "DL3016",
  severity: "warning",
  message: "Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`",
  check({ runs }) {
    return runsWhere(runs, forgotToPin, ["npm"]);
  },
};
