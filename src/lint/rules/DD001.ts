import type { Instruction } from "../../dockerfile/parse.ts";
import type { ShellCommand } from "../../dockerfile/shell.ts";
import {
  DEPENDENCY_INSTALLS,
  type DependencyInstall,
  LOCAL_PROJECT_MANIFESTS,
} from "../data/dependency-installs.ts";
import { PIP_VALUE_FLAGS } from "../data/package-managers.ts";
import {
  describeCommand,
  flagValues,
  hasAnyFlag,
  indexByProgram,
  invocation,
  matchSubcommand,
  readCliArgs,
} from "../support/commands.ts";
import { isWholeContextCopy } from "../support/copy-args.ts";
import { stageRuns } from "../support/stages.ts";
import type { Rule, RuleHit, RunInfo } from "../types.ts";

/**
 * DD001: the whole build context is copied before a dependency install in the same stage, so
 * any source change invalidates the install layer (docs/rules/DD001.md; Docker's "Optimize
 * cache usage in builds": https://docs.docker.com/build/cache/optimize/).
 */
export const rule: Rule = {
  code: "DD001",
  severity: "warning",
  message:
    "The whole build context is copied before the dependency install: every code change reinstalls the dependencies. COPY the manifest files first, install, then COPY the rest",
  check(ctx) {
    const hits: RuleHit[] = [];
    for (const stage of ctx.dockerfile.stages) {
      // Only a whole-context COPY is reported: a stage without one needs no install search.
      if (!stage.instructions.some((i) => isWholeContextCopy(i, ctx.dockerfile.escape))) continue;
      const runs = new Map(stageRuns(ctx, stage).map((r) => [r.instruction, r]));
      const installedFamilies = new Set<string>();
      const copies: { copy: Instruction; familiesBefore: Set<string>; installs: FoundInstall[] }[] = [];
      for (const instruction of stage.instructions) {
        if (isWholeContextCopy(instruction, ctx.dockerfile.escape)) {
          copies.push({ copy: instruction, familiesBefore: new Set(installedFamilies), installs: [] });
          continue;
        }
        const run = runs.get(instruction);
        if (!run) continue;
        for (const found of dependencyInstalls(run)) {
          for (const pending of copies) {
            if (!pending.familiesBefore.has(found.install.family)) pending.installs.push(found);
          }
          installedFamilies.add(found.install.family);
        }
      }
      for (const { copy, installs } of copies) {
        if (installs.length > 0) hits.push({ line: copy.line, message: messageFor(installs) });
      }
    }
    return hits;
  },
};

interface FoundInstall {
  install: DependencyInstall;
  line: number;
  command: ShellCommand;
  manifests: string;
}

/** Install patterns per program: most commands name none and need no further look. */
const installsFor = indexByProgram(DEPENDENCY_INSTALLS);

function dependencyInstalls(run: RunInfo): FoundInstall[] {
  const found: FoundInstall[] = [];
  for (const command of run.commands) {
    const inv = invocation(command);
    for (const install of installsFor(inv.program)) {
      const manifests = installManifests(install, inv);
      if (manifests === null) continue;
      found.push({ install, line: run.instruction.line, command, manifests });
      break;
    }
  }
  return found;
}

/** One list for every call: parsed arguments are cached per flag list (readCliArgs). */
const NO_VALUE_FLAGS: readonly string[] = [];

/** The manifests to copy first when the command is a manifest install, else null. */
function installManifests(install: DependencyInstall, inv: ReturnType<typeof invocation>): string | null {
  if (install.condition === "goals") {
    if (!install.programs.includes(inv.program)) return null;
    const words = readCliArgs(inv.args).positional;
    return words.some((w) => install.goals?.includes(w)) ? install.manifests : null;
  }
  const valueFlags = install.condition === "requirements" ? PIP_VALUE_FLAGS : NO_VALUE_FLAGS;
  const match = matchSubcommand(inv, install.programs, install.subcommands, valueFlags);
  if (!match) return null;
  if (install.exceptFlags && hasAnyFlag(match.parsed, ...install.exceptFlags)) return null;
  if (install.condition === "no-packages") return match.rest.length === 0 ? install.manifests : null;
  if (install.condition === "requirements") {
    const files = flagValues(match.parsed, "r", "requirement");
    const local = [...flagValues(match.parsed, "e", "editable"), ...match.rest].some(isLocalProject);
    if (files.length > 0) return files.map((f) => f.replace(/^\.\//, "")).join(" and ");
    return local ? LOCAL_PROJECT_MANIFESTS : null;
  }
  return install.manifests;
}

/** `.`, `./`, `.[dev]`, `/app`, `./pkg`: a project directory from the context, not a wheel. */
function isLocalProject(word: string): boolean {
  if (word.includes("://") || /\.(whl|tar\.gz|zip)$/.test(word)) return false;
  return /^\.{1,2}(\/|\[|$)/.test(word) || word.startsWith("/");
}

function messageFor(installs: FoundInstall[]): string {
  const commands = installs.slice(0, 2).map((i) => `\`${describeCommand(i.command)}\` (line ${i.line})`);
  const more = installs.length > 2 ? ` and ${installs.length - 2} more` : "";
  const manifests = [...new Set(installs.map((i) => i.manifests))].join("; ");
  return (
    `The whole build context is copied before ${commands.join(" and ")}${more}: ` +
    `every code change reinstalls the dependencies. COPY ${manifests} first, install, then COPY the rest`
  );
}
