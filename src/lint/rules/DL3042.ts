import { basename, type ShellCommand } from "../../dockerfile/shell.ts";
import { passes } from "../support/passes.ts";
import { hasCacheMount } from "../support/run-mounts.ts";
import { parentStages } from "../support/stages.ts";
import { keyValues } from "../support/words.ts";
import type { Rule, RuleHit, RunInfo } from "../types.ts";

/** Values pip reads as true for PIP_NO_CACHE_DIR (hadolint's list). */
const TRUTHY = ["1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES"];

/** `pip install` or `python -m pip install`: the only commands this rule flags (its fixer asks only these). */
export function isPipInstall(cmd: ShellCommand): boolean {
  const name = basename(cmd.name);
  if (name.startsWith("pip") && !name.startsWith("pipenv") && !name.startsWith("pipx")) {
    return cmd.args.includes("install");
  }
  return name.startsWith("python") && containsRun(cmd.args, ["-m", "pip", "install"]);
}

function containsRun(args: readonly string[], run: readonly string[]): boolean {
  return args.some((_, k) => run.every((word, j) => args[k + j] === word));
}

/**
 * `PIP_NO_CACHE_DIR=<truthy>` set in the script (an assignment or `export`), read as hadolint
 * does from the first occurrence in the RUN text; a quoted value is accepted too.
 */
function scriptDisablesCache(script: string): boolean {
  const at = script.indexOf("PIP_NO_CACHE_DIR=");
  if (at === -1) return false;
  const value = script.slice(at + "PIP_NO_CACHE_DIR=".length).replace(/^["']/, "");
  return TRUTHY.some((t) => value.startsWith(t));
}

/**
 * `pip install` without `--no-cache-dir` keeps pip's cache in the layer (hadolint DL3042).
 * Not reported when PIP_NO_CACHE_DIR is truthy (ENV of the stage or of the stage it builds
 * on, or set in the RUN), or a cache/tmpfs mount covers ~/.cache/pip. ONBUILD RUN included;
 * unlike hadolint, it sees the ENV its image passes on as well as ONBUILD ENV.
 */
export const rule: Rule = {
  code: "DL3042",
  severity: "warning",
  message: "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`",
  check(ctx) {
    const hits: RuleHit[] = [];
    const parents = parentStages(ctx.dockerfile);
    // A child image inherits the ENV of the stage holding the ONBUILD: the ONBUILD pass starts
    // from the top-level pass's final state of each stage.
    let noCacheByStage = new Map<number, boolean>();
    for (const pass of passes(ctx)) {
      noCacheByStage = new Map(noCacheByStage);
      for (const { instruction, line, run } of pass.steps) {
        const stage = instruction.stage;
        if (instruction.keyword === "FROM" && !pass.onbuild) {
          const parent = parents[stage];
          noCacheByStage.set(
            stage,
            parent !== null && parent !== undefined && noCacheByStage.get(parent) === true,
          );
        } else if (instruction.keyword === "ENV") {
          const pair = keyValues(instruction, ctx.dockerfile.escape).findLast(
            (p) => p.key === "PIP_NO_CACHE_DIR",
          );
          if (pair) noCacheByStage.set(stage, TRUTHY.includes(pair.value));
        } else if (run && noCacheByStage.get(stage) !== true && leavesPipCache(run)) {
          hits.push({ line });
        }
      }
    }
    return hits;
  },
};

function leavesPipCache(run: RunInfo): boolean {
  const forgot = run.commands.some(
    (cmd) => isPipInstall(cmd) && !cmd.args.includes("--no-cache-dir") && !isPipWrapper(cmd),
  );
  return forgot && !scriptDisablesCache(run.script) && !hasCacheMount(run.instruction, ".cache/pip");
}

/** pipx and pipenv manage their own caches. */
function isPipWrapper(cmd: ShellCommand): boolean {
  const name = basename(cmd.name);
  if (name.includes("pipx") || name.includes("pipenv")) return true;
  return (
    name.startsWith("python") &&
    (containsRun(cmd.args, ["-m", "pipx"]) || containsRun(cmd.args, ["-m", "pipenv"]))
  );
}
