import { mapToList, objectList } from "../../dockerfile/shapes.ts";
import { basename, parseShell, type ShellCommand } from "../../dockerfile/shell.ts";
import { readPragmas } from "../pragmas.ts";
import { hasAnyFlag, readCliArgs } from "../support/commands.ts";
import { ObjectMemo } from "../support/memo.ts";
import { topLevelSteps } from "../support/passes.ts";
import { parentStages } from "../support/stages.ts";
import { instructionWords } from "../support/words.ts";
import type { Rule, RuleContext, RuleHit, RunInfo } from "../types.ts";

/** Shells whose `-o pipefail` hadolint trusts (ksh and mksh have it as well). */
const PIPEFAIL_SHELLS = ["bash", "zsh", "ash", "ksh", "mksh"];
const POSIX_SHELLS = ["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"];
const NON_POSIX = ["pwsh", "powershell", "cmd"];

function programName(word: string): string {
  return word.slice(Math.max(word.lastIndexOf("/"), word.lastIndexOf("\\")) + 1).toLowerCase();
}

const isNonPosix = (program: string) => NON_POSIX.some((p) => programName(program).startsWith(p));

/** `set -o pipefail`, `set -euo pipefail`, `set -o errexit -o pipefail`, ... */
function setsPipefail(cmd: ShellCommand): boolean {
  return (
    basename(cmd.name) === "set" && hasAnyFlag(readCliArgs(cmd.args), "o") && cmd.args.includes("pipefail")
  );
}

/** A pipe that runs before the script has turned pipefail on itself. */
function hasUnguardedPipe(commands: readonly ShellCommand[]): boolean {
  for (const cmd of commands) {
    if (setsPipefail(cmd)) return false;
    if (cmd.after === "|") return true;
  }
  return false;
}

/**
 * Heredoc bodies that a shell reads as its script (`RUN <<EOF bash`, `RUN bash <<EOF`): a
 * shell command without `-c` and without a script file. A marker-only `RUN <<EOF` needs no
 * special case: its body already is the RUN's script.
 */
function heredocScripts(run: RunInfo): ShellCommand[][] {
  if (run.instruction.heredocs.length === 0 || run.script === run.instruction.heredocs[0]!.body)
    return objectList();
  const shellReadsStdin = run.commands.some((cmd) => {
    if (!POSIX_SHELLS.includes(basename(cmd.name))) return false;
    const cli = readCliArgs(cmd.args);
    return !hasAnyFlag(cli, "c") && cli.positional.length === 0;
  });
  return shellReadsStdin ? mapToList(run.instruction.heredocs, (h) => parseShell(h.body)) : objectList();
}

/** A marker-only heredoc whose shebang names a program other than a POSIX shell. */
function runsOtherInterpreter(run: RunInfo): boolean {
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(run.script);
  if (!shebang) return false;
  const program = programName(shebang[1]!) === "env" ? (shebang[2] ?? "") : shebang[1]!;
  return !POSIX_SHELLS.includes(programName(program));
}

function pipeWithoutPipefail(run: RunInfo): boolean {
  if (run.instruction.json || runsOtherInterpreter(run)) return false;
  if (hasUnguardedPipe(run.commands)) return true;
  return heredocScripts(run).some(hasUnguardedPipe);
}

/**
 * A RUN with a pipe while the shell lacks `-o pipefail`: a failure on the left of the pipe
 * goes unnoticed (https://docs.docker.com/build/building/best-practices/#using-pipes;
 * hadolint DL4006). Settled by `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (bash, zsh, ash,
 * ksh), by a non-POSIX SHELL (pwsh, cmd), or, unlike hadolint (hadolint#1137), by the script
 * itself running `set -o pipefail` before the pipe — as heredoc scripts often do. A stage
 * built on another stage keeps its SHELL, as in BuildKit. ONBUILD RUNs are not checked, as in
 * hadolint; neither are exec-form RUNs, which have no shell.
 */
export const rule: Rule = {
  code: "DL4006",
  severity: "warning",
  message:
    "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine " +
    "image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, " +
    "or disable this check",
  check(ctx) {
    const hits = findHits(ctx);
    hitsByContext.set(ctx, hits);
    return hits;
  },
};

/** The hits of the last check of each context, for the fixer (it needs every RUN reported). */
const hitsByContext = new ObjectMemo<RuleContext, readonly RuleHit[]>();

/** The RUNs the rule reports in this context: from its check when it ran, else worked out. */
export function reportedRuns(ctx: RuleContext): readonly RuleHit[] {
  return hitsByContext.get(ctx) ?? findHits(ctx);
}

function findHits(ctx: RuleContext): RuleHit[] {
  const pragmaShell = readPragmas(ctx.dockerfile).shell;
  const initial = pragmaShell !== null && isNonPosix(pragmaShell);
  const parents = parentStages(ctx.dockerfile);
  const settledByStage = new Map<number, boolean>();
  let settled = initial;
  const hits: RuleHit[] = [];
  for (const { instruction, line, run } of topLevelSteps(ctx)) {
    if (instruction.keyword === "FROM") {
      const parent = parents[instruction.stage];
      settled = parent === null || parent === undefined ? initial : (settledByStage.get(parent) ?? initial);
    } else if (instruction.keyword === "SHELL") {
      settled = shellSettles(instruction.json ?? instructionWords(instruction, ctx.dockerfile.escape));
    } else if (run && !settled && pipeWithoutPipefail(run)) {
      hits.push({ line });
    }
    settledByStage.set(instruction.stage, settled);
  }
  return hits;
}

function shellSettles(words: string[]): boolean {
  const [program, ...args] = words;
  if (program === undefined) return false;
  if (isNonPosix(program)) return true;
  return (
    PIPEFAIL_SHELLS.includes(programName(program)) &&
    hasAnyFlag(readCliArgs(args), "o") &&
    args.includes("pipefail")
  );
}
