import type { ShellCommand } from "../../dockerfile/shell.ts";
import { invokes, readCliArgs, runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/**
 * `go install` / `go get` / `go run` of a remote package without `@version` (or with `@latest`
 * or `@none`), hadolint DL3062 (https://go.dev/ref/mod#go-install). Local paths (`.`, `./x`,
 * `/x`) are fine. For `go run` only the package is read: later words are the program's
 * arguments. ONBUILD RUN included.
 */
export const rule: Rule = {
  code: "DL3062",
  severity: "warning",
  message: "Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`",
  check({ runs }) {
    return runsWhere(runs, (cmd) => goPackages(cmd).some((pkg) => !pinned(pkg)), ["go"]);
  },
};

function goPackages(cmd: ShellCommand): string[] {
  const words = readCliArgs(cmd.args).positional;
  if (invokes(cmd, "go", ["run"])) return words.filter((w, k) => w !== "run" && k <= 1);
  if (invokes(cmd, "go", ["install", "get"]))
    return words.filter((w) => !["install", "get", "tool"].includes(w));
  return [];
}

function pinned(pkg: string): boolean {
  if (pkg === "." || pkg.startsWith("/") || pkg.startsWith(".")) return true;
  return pkg.includes("@") && !pkg.endsWith("@latest") && !pkg.endsWith("@none");
}
