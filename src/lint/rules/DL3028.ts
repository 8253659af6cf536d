import { basename, type ShellCommand } from "../../dockerfile/shell.ts";
import { runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/**
 * gem install options that take no value (gem help install). hadolint assumes every option
 * takes the next word, so `gem install --no-document rails` hid `rails`; unknown options
 * (often build flags after the gems) still take the next word, as there.
 */
const GEM_SWITCHES = new Set([
  "-N",
  "--no-document",
  "--no-ri",
  "--no-rdoc",
  "--ri",
  "--rdoc",
  "-f",
  "--force",
  "--no-force",
  "-w",
  "--wrappers",
  "--no-wrappers",
  "--vendor",
  "-E",
  "--env-shebang",
  "--no-env-shebang",
  "--ignore-dependencies",
  "--development",
  "--development-all",
  "--conservative",
  "--minimal-deps",
  "--post-install-message",
  "--no-post-install-message",
  "--user-install",
  "--no-user-install",
  "--format-executable",
  "--no-format-executable",
  "--lock",
  "--no-lock",
  "--suggestions",
  "--no-suggestions",
  "--default",
  "--explain",
  "--prerelease",
  "--no-prerelease",
  "-l",
  "--local",
  "-r",
  "--remote",
  "-b",
  "--both",
  "--clear-sources",
  "-q",
  "--quiet",
  "--silent",
  "-V",
  "--verbose",
  "--no-verbose",
  "--backtrace",
  "--debug",
  "--norc",
]);

/** The gems of `gem install`/`gem i`, or [] when `-v`/`--version` pins them all. */
function gemsToInstall(cmd: ShellCommand): string[] {
  if (basename(cmd.name) !== "gem") return [];
  const args = cmd.args;
  if (!args.includes("install") && !args.includes("i")) return [];
  if (args.some((a) => a === "-v" || a === "--version" || a.startsWith("--version="))) return [];
  const end = args.indexOf("--");
  const words = end === -1 ? args : args.slice(0, end);
  const gems: string[] = [];
  for (let k = 0; k < words.length; k++) {
    const word = words[k]!;
    if (word.startsWith("-")) {
      if (!GEM_SWITCHES.has(word) && !word.includes("=")) k++;
      continue;
    }
    if (word !== "install" && word !== "i") gems.push(word);
  }
  return gems;
}

/** `gem install <gem>` without `:<version>` or `-v` (hadolint DL3028); local `.gem` files pass. */
export const rule: Rule = {
  code: "DL3028",
  severity: "warning",
  message: "Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`",
  check({ runs }) {
    return runsWhere(
      runs,
      (cmd) => !gemsToInstall(cmd).every((gem) => gem.includes(":") || gem.endsWith(".gem")),
      ["gem"],
    );
  },
};
