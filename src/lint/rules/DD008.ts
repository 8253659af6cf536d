import { posix } from "node:path";
import type { Dockerfile, Instruction, Stage } from "../../dockerfile/parse.ts";
import { DISTRO_BASES, GO_BUILDERS, RUST_BUILDERS, STATIC_RUNTIME_SUGGESTION } from "../data/base-images.ts";
import { invocation, readCliArgs } from "../support/commands.ts";
import { copyPaths } from "../support/copy-args.ts";
import { displayImage, imageMatches, matchesAny } from "../support/images.ts";
import {
  finalStage,
  rootBase,
  stageChain,
  stageFromReference,
  stageRuns,
  variableAt,
  workdirAt,
} from "../support/stages.ts";
import type { Rule, RuleContext } from "../types.ts";

/**
 * DD008: the final stage only runs a static Go/Rust binary built in another stage, but sits on
 * a full distribution (docs/rules/DD008.md; https://github.com/GoogleContainerTools/distroless).
 * Conservative on purpose: the final stage has no RUN, its ENTRYPOINT/CMD (and HEALTHCHECK) run
 * the copied binary, and the build is static for sure: Go with CGO_ENABLED=0 set in the
 * builder, Rust for a `*-musl` target (or on a musl builder image).
 */
export const rule: Rule = {
  code: "DD008",
  severity: "info",
  message: `The final stage only runs a static binary but uses a full distribution as base: use ${STATIC_RUNTIME_SUGGESTION}`,
  check(ctx) {
    const df = ctx.dockerfile;
    const stage = finalStage(df);
    if (!stage || stage.instructions.some((i) => i.keyword === "RUN")) return [];
    const base = rootBase(df, stage);
    if (base.kind !== "image" || stageChain(df, stage).length > 1 || !matchesAny(base.ref, DISTRO_BASES))
      return [];
    const binaries = staticBinaries(ctx, stage);
    const program = entrypointProgram(df, stage);
    if (!program) return [];
    const binary = binaries.find((b) => runs(program, b.path));
    if (!binary || !healthcheckUsesOnly(stage, binaries)) return [];
    return [
      {
        line: stage.from.line,
        message:
          `The final stage (FROM ${displayImage(base.ref)}) only runs ${binary.path}, a static ${binary.language} binary ` +
          `from stage ${binary.builder} (${binary.evidence}): the distribution adds packages to download and patch. ` +
          `Use ${STATIC_RUNTIME_SUGGESTION}`,
      },
    ];
  },
};

interface StaticBinary {
  /** Absolute path in the final image. */
  path: string;
  builder: string;
  language: "Go" | "Rust";
  evidence: string;
}

/** Files the final stage copies from builder stages whose output is known to be static. */
function staticBinaries(ctx: RuleContext, stage: Stage): StaticBinary[] {
  const df = ctx.dockerfile;
  const out: StaticBinary[] = [];
  for (const copy of stage.instructions) {
    if (copy.keyword !== "COPY") continue;
    const from = copy.flags.find((f) => f.name === "from")?.value;
    if (!from) continue;
    const builder = stageFromReference(df, from, stage.index);
    if (!builder) continue;
    const build = staticEvidence(ctx, builder);
    if (!build) continue;
    const operands = copyPaths(copy, df.escape);
    if (!operands) continue;
    const dest = posix.resolve(workdirAt(df, stage, copy), operands.dest);
    for (const source of operands.sources) {
      const name = posix.basename(source);
      // `COPY --from=b /out/app /app` may create /app or /app/app (when /app is a directory).
      const paths =
        operands.dest.endsWith("/") || operands.sources.length > 1
          ? [posix.join(dest, name)]
          : [dest, posix.join(dest, name)];
      for (const path of paths) out.push({ path, builder: builder.name ?? String(builder.index), ...build });
    }
  }
  return out;
}

/** Why a builder stage's output is static, or null when it may not be. */
function staticEvidence(
  ctx: RuleContext,
  builder: Stage,
): Pick<StaticBinary, "language" | "evidence"> | null {
  const df = ctx.dockerfile;
  const base = rootBase(df, builder);
  if (base.kind !== "image") return null;
  const chain = stageChain(df, builder);
  if (matchesAny(base.ref, GO_BUILDERS)) {
    return cgoDisabled(ctx, builder, chain) ? { language: "Go", evidence: "CGO_ENABLED=0" } : null;
  }
  const rust = RUST_BUILDERS.find((b) => imageMatches(base.ref, b));
  if (!rust) return null;
  if (rust.musl) return { language: "Rust", evidence: `musl builder ${displayImage(base.ref)}` };
  return buildsForMusl(ctx, chain) ? { language: "Rust", evidence: "a *-musl target" } : null;
}

function cgoDisabled(ctx: RuleContext, builder: Stage, chain: Stage[]): boolean {
  if (variableAt(ctx.dockerfile, builder, null, "CGO_ENABLED") === "0") return true;
  return chain.some((s) =>
    stageRuns(ctx, s).some((run) =>
      run.commands.some((c) => {
        const inv = invocation(c);
        return (
          c.assignments.includes("CGO_ENABLED=0") ||
          (inv.program === "export" && inv.args.includes("CGO_ENABLED=0")) ||
          (inv.program === "go" && inv.args[0] === "env" && inv.args.includes("CGO_ENABLED=0"))
        );
      }),
    ),
  );
}

/** cargo flags whose value is the next word. */
const CARGO_VALUE_FLAGS = ["target", "p", "package", "bin", "features", "F", "j", "jobs", "profile"];

function buildsForMusl(ctx: RuleContext, chain: Stage[]): boolean {
  const musl = (value: string | undefined | null) => !!value && /-musl(eabi(hf)?)?$/.test(value);
  for (const s of chain) {
    if (musl(variableAt(ctx.dockerfile, s, null, "CARGO_BUILD_TARGET"))) return true;
    for (const run of stageRuns(ctx, s)) {
      for (const command of run.commands) {
        const inv = invocation(command);
        if (inv.program !== "cargo") continue;
        const parsed = readCliArgs(inv.args, CARGO_VALUE_FLAGS);
        if (parsed.flags.some((f) => f.name === "target" && musl(f.value))) return true;
        if (command.assignments.some((a) => a.startsWith("CARGO_BUILD_TARGET=") && musl(a.split("=")[1])))
          return true;
      }
    }
  }
  return false;
}

/** The program the container starts: ENTRYPOINT's first word, else CMD's (absolute path). */
function entrypointProgram(df: Dockerfile, stage: Stage): string | null {
  const last = (keyword: string) => [...stage.instructions].reverse().find((i) => i.keyword === keyword);
  const instruction = last("ENTRYPOINT") ?? last("CMD");
  if (!instruction) return null;
  const first = firstWord(instruction);
  if (!first) return null;
  return first.includes("/") ? posix.resolve(workdirAt(df, stage, instruction), first) : first;
}

/** Exec form only: a shell-form ENTRYPOINT/CMD needs /bin/sh, which the suggested bases lack. */
function firstWord(instruction: Instruction): string | null {
  return instruction.json?.[0] ?? null;
}

/** Does `program` (a path, or a bare name looked up on PATH) name the binary at `path`? */
function runs(program: string, path: string): boolean {
  if (program.startsWith("/")) return program === path;
  const onPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];
  return onPath.includes(posix.dirname(path)) && posix.basename(path) === program;
}

/** A HEALTHCHECK that runs curl or a shell needs the distribution; one that runs the binary does not. */
function healthcheckUsesOnly(stage: Stage, binaries: StaticBinary[]): boolean {
  const check = [...stage.instructions].reverse().find((i) => i.keyword === "HEALTHCHECK");
  if (!check || /^NONE\b/i.test(check.args.trim())) return true;
  const json = /^CMD\s+(\[.*\])\s*$/is.exec(check.args.trim());
  if (!json) return false; // shell form needs /bin/sh
  try {
    const argv = JSON.parse(json[1]!) as unknown;
    const program = Array.isArray(argv) && typeof argv[0] === "string" ? argv[0] : null;
    return !!program && binaries.some((b) => runs(program, b.path));
  } catch {
    return false;
  }
}
