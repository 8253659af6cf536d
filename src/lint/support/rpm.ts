/**
 * Shared reading of yum/dnf/microdnf commands for DL3030–DL3041
 * (https://dnf.readthedocs.io/en/latest/command_ref.html, `man yum`).
 */
import { basename, type ShellCommand } from "../../dockerfile/shell.ts";
import { RPM_VALUE_FLAGS } from "../data/package-managers.ts";
import type { RuleContext, RuleHit } from "../types.ts";
import { readCliArgs } from "./commands.ts";
import { referencesVariable } from "./expand.ts";
import { DefinedVariables, passes } from "./passes.ts";
import { parentStages } from "./stages.ts";

/** Positional words of a yum/dnf command, flag values left out. */
export function rpmPositionals(cmd: ShellCommand): string[] {
  return readCliArgs(cmd.args, RPM_VALUE_FLAGS).positional;
}

/**
 * Whether `name-version` pins a version (hadolint DL3033/DL3041): the words after the first
 * `-` are made of version characters and one starts with a digit; `.rpm` files are pinned;
 * a word with a variable counts when the variable is one the Dockerfile defines.
 */
export function rpmPackagePinned(pkg: string, definedNames: readonly string[]): boolean {
  const parts = pkg.split("-");
  if (parts.length <= 1) return false;
  if (pkg.endsWith(".rpm")) return true;
  if (pkg.includes("$")) {
    return definedNames.some((name) => referencesVariable(pkg, name));
  }
  const rest = parts.slice(1);
  return rest.every((p) => /^[0-9A-Za-z.~^_:+]*$/.test(p)) && rest.some((p) => /^[0-9]/.test(p));
}

/**
 * `rm` of the package cache. hadolint accepts any `rm -rf`; we require a path under the
 * yum/dnf cache directories, so `rm -rf /tmp/x` no longer counts as cleaning up.
 */
export function removesRpmCache(cmd: ShellCommand): boolean {
  return (
    basename(cmd.name) === "rm" &&
    cmd.args.some((a) => /^\/var\/cache\/(yum|dnf|libdnf5)(\/|\*|$)|^\/var\/cache\/?\*?$/.test(a))
  );
}

/**
 * hadolint's "install without clean" test: fails when an install command runs and no clean
 * command comes after the first install (the first clean is compared with the first install).
 */
export function installWithoutCleanup(
  commands: readonly ShellCommand[],
  isInstall: (cmd: ShellCommand) => boolean,
  isClean: (cmd: ShellCommand) => boolean,
): boolean {
  const install = commands.findIndex(isInstall);
  if (install === -1) return false;
  const clean = commands.findIndex(isClean);
  return clean === -1 || clean < install;
}

/**
 * True when a yum/dnf `install` names a package without a version (hadolint DL3033/DL3041):
 * packages need `name-version`, modules (`module install`) need `name:stream`; commands with
 * one of `skipped` (dnf's `group`) are not checked.
 */
export function installsUnpinned(
  cmd: ShellCommand,
  tools: readonly string[],
  skipped: readonly string[],
  variables: DefinedVariables,
): boolean {
  const tool = basename(cmd.name);
  if (!tools.includes(tool) || !cmd.args.includes("install")) return false;
  const words = rpmPositionals(cmd).filter((w) => w !== "install" && w !== "module");
  if (cmd.args.includes("module")) return words.some((w) => !w.includes(":"));
  if (skipped.some((s) => cmd.args.includes(s))) return false;
  return words.some((pkg) => !rpmPackagePinned(pkg, variables.names()));
}

/** RUN lines (ONBUILD RUN included) where `installsUnpinned` holds, variables tracked per pass. */
export function unpinnedRpmRuns(
  ctx: RuleContext,
  tools: readonly string[],
  skipped: readonly string[],
): RuleHit[] {
  const hits: RuleHit[] = [];
  // Most files run none of these tools: then there is nothing to track.
  if (!ctx.runs.some((run) => run.commands.some((cmd) => tools.includes(basename(cmd.name))))) return hits;
  const parents = parentStages(ctx.dockerfile);
  for (const pass of passes(ctx)) {
    const variables = new DefinedVariables(parents, ctx.dockerfile.escape);
    for (const step of pass.steps) {
      variables.step(step);
      if (step.run?.commands.some((cmd) => installsUnpinned(cmd, tools, skipped, variables))) {
        hits.push({ line: step.line });
      }
    }
  }
  return hits;
}
