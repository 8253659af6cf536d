import {
  bareName,
  isToolchainPackage,
  PACKAGE_INSTALLS,
  PACKAGE_REMOVALS,
  type PackageCommand,
} from "../data/toolchain.ts";
import {
  flagValues,
  type Invocation,
  indexByProgram,
  invocation,
  matchSubcommand,
} from "../support/commands.ts";
import { finalStage, stageChain, stageRuns } from "../support/stages.ts";
import type { Rule, RuleHit, RunInfo } from "../types.ts";

/**
 * DD006: a compiler toolchain or development headers are installed in the image that ships:
 * the final stage, or a stage it is built FROM (docs/rules/DD006.md; multi-stage builds:
 * https://docs.docker.com/build/building/multi-stage/). A removal later in the same RUN
 * (`apk del .build-deps`, `apt-get purge gcc`) clears it.
 */
export const rule: Rule = {
  code: "DD006",
  severity: "warning",
  message:
    "A compiler toolchain is installed in the final stage: it ships in the runtime image. Build in a separate stage and COPY --from only the results",
  check(ctx) {
    const stage = finalStage(ctx.dockerfile);
    if (!stage) return [];
    const hits: RuleHit[] = [];
    for (const shipped of stageChain(ctx.dockerfile, stage).reverse()) {
      for (const run of stageRuns(ctx, shipped)) {
        const kept = toolchainKept(run);
        if (kept.length === 0) continue;
        const where =
          shipped === stage
            ? "the final stage"
            : `stage ${stageLabel(shipped)}, which the final stage is built FROM`;
        hits.push({
          line: run.instruction.line,
          message:
            `${listed(kept)} ${kept.length === 1 ? "is" : "are"} installed in ${where}: the build toolchain ships in the runtime image ` +
            `(size, patching, attack surface). Install and build in a separate builder stage and COPY --from=<builder> only the results`,
        });
      }
    }
    return hits;
  },
};

function stageLabel(stage: { name: string | null; index: number }): string {
  return stage.name ?? String(stage.index);
}

function listed(names: string[]): string {
  return names.length > 4 ? `${names.slice(0, 4).join(", ")} and ${names.length - 4} more` : names.join(", ");
}

/** Toolchain packages this RUN installs and does not remove again before it ends. */
function toolchainKept(run: RunInfo): string[] {
  const installed = new Map<string, string | null>(); // package → apk virtual name
  for (const command of run.commands) {
    const inv = invocation(command);
    const added = packagesOf(inv, installsFor);
    if (added) {
      const virtual = flagValues(added.match.parsed, "t", "virtual")[0] ?? null;
      for (const name of added.packages) if (isToolchainPackage(name)) installed.set(name, virtual);
      continue;
    }
    const removed = packagesOf(inv, removalsFor);
    if (!removed) continue;
    for (const [name, virtual] of [...installed]) {
      if (removed.packages.includes(name) || (virtual && removed.packages.includes(virtual.toLowerCase())))
        installed.delete(name);
    }
  }
  return [...installed.keys()];
}

/** Install and removal patterns per program: most commands name none. */
const installsFor = indexByProgram(PACKAGE_INSTALLS);
const removalsFor = indexByProgram(PACKAGE_REMOVALS);

function packagesOf(
  inv: Invocation,
  commands: (program: string) => readonly PackageCommand[],
): { packages: string[]; match: NonNullable<ReturnType<typeof matchSubcommand>> } | null {
  for (const command of commands(inv.program)) {
    const match = matchSubcommand(inv, command.programs, command.subcommands, command.valueFlags);
    if (match) return { packages: match.rest.map(bareName), match };
  }
  return null;
}
