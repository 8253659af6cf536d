import { posix } from "node:path";
import type { Dockerfile, Stage } from "../../dockerfile/parse.ts";
import { mapToList } from "../../dockerfile/shapes.ts";
import { MUSL_BASES } from "../data/base-images.ts";
import { APK_VALUE_FLAGS, PIP_VALUE_FLAGS } from "../data/package-managers.ts";
import {
  MUSL_COMPILE_PACKAGES,
  MUSL_WHEELS_SINCE,
  NO_MUSL_WHEEL,
  normalizePackageName,
} from "../data/python-native.ts";
import { bareName } from "../data/toolchain.ts";
import { flagValues, type Invocation, invocation, matchSubcommand } from "../support/commands.ts";
import { copyPaths } from "../support/copy-args.ts";
import { displayImage, type ImageRef, matchesAny } from "../support/images.ts";
import { rootBase, stageChain, stageRuns, workdirAt } from "../support/stages.ts";
import type { Rule, RuleContext, RuleHit, RunInfo } from "../types.ts";

/**
 * DD005: an Alpine (musl) stage installs Python packages that have no musllinux wheel, or
 * installs a compiler to build them. pip cannot use manylinux (glibc) wheels on musl, so it
 * compiles from source (docs/rules/DD005.md; PEP 656; pip#9735). Package facts live in
 * src/lint/data/python-native.ts.
 */
export const rule: Rule = {
  code: "DD005",
  severity: "warning",
  message:
    "A musl (Alpine) image installs Python packages with compiled code: pip builds them from source. Use the -slim (glibc) variant of the image",
  check(ctx) {
    const hits: RuleHit[] = [];
    for (const stage of ctx.dockerfile.stages) {
      const base = rootBase(ctx.dockerfile, stage);
      if (base.kind !== "image" || !matchesAny(base.ref, MUSL_BASES)) continue;
      hits.push(...checkStage(ctx, stage, base.ref));
    }
    return hits;
  },
};

interface Requirement {
  name: string;
  pin: string | null;
  text: string;
}

function checkStage(ctx: RuleContext, stage: Stage, image: ImageRef): RuleHit[] {
  const hits: RuleHit[] = [];
  let compiler: { name: string; line: number } | null = null;
  const chain = stageChain(ctx.dockerfile, stage).reverse();
  for (const chainStage of chain) {
    for (const run of stageRuns(ctx, chainStage)) {
      const installs = mapToList(run.commands, invocation);
      compiler ??= compilePackage(installs, run.instruction.line);
      if (chainStage !== stage) continue;
      const python = installs.filter(isPythonInstall);
      if (python.length === 0) continue;
      const requirements = python.flatMap((inv) => requirementsOf(ctx, stage, run, inv));
      const message = offenderMessage(requirements, image) ?? compilerMessage(compiler, image);
      if (message) hits.push({ line: run.instruction.line, message });
    }
  }
  return hits;
}

const PYTHON_INSTALLS: { programs: string[]; subcommands: string[][] }[] = [
  { programs: ["pip", "pip3"], subcommands: [["install"]] },
  { programs: ["uv"], subcommands: [["pip", "install"], ["pip", "sync"], ["sync"]] },
  { programs: ["poetry"], subcommands: [["install"]] },
  { programs: ["pipenv"], subcommands: [["install"], ["sync"]] },
  { programs: ["pdm"], subcommands: [["install"], ["sync"]] },
];

function isPythonInstall(inv: Invocation): boolean {
  return PYTHON_INSTALLS.some(
    (p) => matchSubcommand(inv, p.programs, p.subcommands, PIP_VALUE_FLAGS) !== null,
  );
}

/** The first compiler or header package an `apk add` in this RUN installs. */
function compilePackage(installs: Invocation[], line: number): { name: string; line: number } | null {
  for (const inv of installs) {
    const match = matchSubcommand(inv, ["apk"], [["add"]], APK_VALUE_FLAGS);
    const name = match?.rest.map(bareName).find((p) => MUSL_COMPILE_PACKAGES.includes(p));
    if (name) return { name, line };
  }
  return null;
}

/** Packages named on a pip command line or in the requirements files it reads. */
function requirementsOf(ctx: RuleContext, stage: Stage, run: RunInfo, inv: Invocation): Requirement[] {
  const match =
    matchSubcommand(inv, ["pip", "pip3"], [["install"]], PIP_VALUE_FLAGS) ??
    matchSubcommand(
      inv,
      ["uv"],
      [
        ["pip", "install"],
        ["pip", "sync"],
      ],
      PIP_VALUE_FLAGS,
    );
  if (!match) return [];
  // `uv pip sync requirements.txt` names its files positionally; pip names packages there.
  const positionalFiles = inv.program === "uv" && match.parsed.positional[1] === "sync";
  const direct = positionalFiles ? [] : match.rest.map(parseRequirement).filter((r) => r !== null);
  const files = [...flagValues(match.parsed, "r", "requirement"), ...(positionalFiles ? match.rest : [])];
  const fromFiles = files.flatMap((file) => readRequirements(ctx, stage, run, file));
  return [...direct, ...fromFiles];
}

/** `numpy==1.24.4`, `Pillow>=9`, `pandas[performance]`, `psycopg2 ; python_version>"3"`. */
function parseRequirement(spec: string): Requirement | null {
  const text = spec.replace(/\s+#.*$/, "").trim();
  if (
    text === "" ||
    text.startsWith("-") ||
    text.includes("://") ||
    text.startsWith(".") ||
    text.startsWith("/")
  )
    return null;
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([^;]*)/.exec(text);
  if (!m) return null;
  const pin = /^===?\s*([0-9][0-9A-Za-z.+!-]*)\s*$/.exec(m[2]!.trim());
  return { name: normalizePackageName(m[1]!), pin: pin ? pin[1]! : null, text };
}

/**
 * Reads a requirements file the RUN names, mapping its image path back to the context through
 * the COPY instructions before it (else the same relative path in the context).
 */
function readRequirements(
  ctx: RuleContext,
  stage: Stage,
  run: RunInfo,
  file: string,
  alsoTry: string[] = [],
  depth = 0,
): Requirement[] {
  if (depth > 3) return [];
  const found = readContextFile(ctx, [...contextPathsFor(ctx.dockerfile, stage, run, file), ...alsoTry]);
  if (found === null) return [];
  const out: Requirement[] = [];
  for (const raw of found.text.split(/\r?\n/)) {
    const line = raw.trim();
    const nested = /^(?:-r|--requirement)[ =]?\s*(\S+)/.exec(line);
    if (nested) {
      // Relative to the including file: in the image, and (as a fallback) in the context.
      const inImage = posix.join(posix.dirname(file), nested[1]!);
      const inContext = posix.join(posix.dirname(found.path), nested[1]!);
      out.push(...readRequirements(ctx, stage, run, inImage, [inContext], depth + 1));
      continue;
    }
    const requirement = parseRequirement(line);
    if (requirement) out.push(requirement);
  }
  return out;
}

function readContextFile(ctx: RuleContext, candidates: string[]): { path: string; text: string } | null {
  for (const path of candidates) {
    const text = ctx.context.readFile(path);
    if (text !== null) return { path, text };
  }
  return null;
}

/** Context paths that may hold the file the RUN reads at `file` (latest COPY first). */
function contextPathsFor(df: Dockerfile, stage: Stage, run: RunInfo, file: string): string[] {
  const imagePath = posix.resolve(workdirAt(df, stage, run.instruction), file);
  const candidates: string[] = [];
  for (const s of stageChain(df, stage)) {
    for (const copy of [...s.instructions].reverse()) {
      if (copy.line >= run.instruction.line && s === stage) continue;
      if ((copy.keyword !== "COPY" && copy.keyword !== "ADD") || copy.flags.some((f) => f.name === "from"))
        continue;
      const operands = copyPaths(copy, df.escape);
      if (!operands) continue;
      const dest = posix.resolve(workdirAt(df, s, copy), operands.dest);
      for (const source of operands.sources) {
        const src = posix.normalize(source).replace(/^\/+/, "");
        if (imagePath === dest) candidates.push(src);
        if (imagePath === posix.join(dest, posix.basename(src))) candidates.push(src);
        if (imagePath.startsWith(`${dest}/`))
          candidates.push(posix.join(src, imagePath.slice(dest.length + 1)));
      }
    }
  }
  if (!file.startsWith("/")) candidates.push(posix.normalize(file));
  candidates.push(posix.basename(file));
  return [...new Set(candidates)].filter((p) => p !== "" && !p.startsWith(".."));
}

function offenderMessage(requirements: Requirement[], image: ImageRef): string | null {
  const img = displayImage(image);
  const noWheel = unique(
    requirements.filter((r) => NO_MUSL_WHEEL.some((p) => p.name === r.name)).map((r) => r.name),
  );
  if (noWheel.length > 0) {
    const names = noWheel.join(", ");
    const verb = noWheel.length === 1 ? "has" : "have";
    return (
      `${img} is musl-based and ${names} ${verb} no musllinux wheel: pip builds from source ` +
      `(build-base and headers, minutes instead of seconds, a bigger image) or finds nothing to install. ` +
      `Use ${slimVariant(image)} (glibc, prebuilt manylinux wheels) instead`
    );
  }
  for (const requirement of requirements) {
    const known = MUSL_WHEELS_SINCE.find((p) => p.name === requirement.name);
    if (!known || !requirement.pin || compareVersions(requirement.pin, known.since) >= 0) continue;
    return (
      `${img} is musl-based and ${requirement.name}==${requirement.pin} predates ${known.name}'s musllinux wheels ` +
      `(${known.since}): pip builds it from source. Use ${slimVariant(image)} (glibc) or a newer ${known.name}`
    );
  }
  return null;
}

function compilerMessage(compiler: { name: string; line: number } | null, image: ImageRef): string | null {
  if (!compiler) return null;
  return (
    `${displayImage(image)} is musl-based and line ${compiler.line} installs ${compiler.name} to compile Python packages: ` +
    `manylinux wheels do not install on musl, so pip builds from source. ` +
    `Use ${slimVariant(image)}, where prebuilt wheels install without a compiler`
  );
}

/** `python:3.12-alpine3.20` → `python:3.12-slim`; plain `alpine` → a python -slim image. */
function slimVariant(image: ImageRef): string {
  if (image.name === "alpine") return "a glibc image such as python:3.13-slim";
  const tag = image.tag ?? "latest";
  const slim = tag.replace(/-?alpine[0-9.]*/, "-slim").replace(/^-/, "");
  return `${image.repository}:${slim}`;
}

/** Numeric comparison of dotted versions (`1.24.4` < `1.25.0`); non-numeric parts count as 0. */
function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(".").map((p) => Number.parseInt(p, 10) || 0);
  for (let k = 0; k < Math.max(pa.length, pb.length); k++) {
    const d = (pa[k] ?? 0) - (pb[k] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
