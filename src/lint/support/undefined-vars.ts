/**
 * Variable scope per stage, for BuildKit's UndefinedVar
 * (https://docs.docker.com/reference/build-checks/undefined-var/). BuildKit expands variables
 * itself in these places only (moby/buildkit instructions/commands.go, `Expand`): ENV and
 * LABEL keys and values, ADD/COPY sources, destination, `--chown`, `--chmod`, `--checksum`
 * and unquoted heredoc bodies, WORKDIR, USER, VOLUME, STOPSIGNAL, ARG defaults and
 * `RUN --mount` options. RUN, CMD, ENTRYPOINT, HEALTHCHECK and SHELL are left to the shell.
 *
 * In scope at an instruction: the base image's environment, the ARGs (with or without a
 * value) and ENVs set earlier in the stage or in the stage it is built on. Global ARGs are not
 * in scope inside a stage until redeclared. An ENV line cannot use a key it sets itself; an ARG
 * line can use the keys declared before on the same line.
 */
import type { Dockerfile, Instruction } from "../../dockerfile/parse.ts";
import { COMMON_IMAGE_ENV } from "../data/base-images.ts";
import { type ExpandOptions, referencedVariables, suggestName } from "./expand.ts";
import { knownImageEnv } from "./image-facts.ts";
import { baseStageIndexes, defaultMetaArgs, expandedBaseName, fromWords, globalArgNames } from "./stages.ts";
import { argDeclarations, envKeys } from "./words.ts";

export interface UndefinedUse {
  instruction: Instruction;
  name: string;
  /** A name in scope close to it (BuildKit's "did you mean"). */
  suggestion?: string;
}

interface Scope {
  names: Set<string>;
  /** True when every variable of the base image is known (scratch, PATH-only images). */
  envKnown: boolean;
  /** Variables the stage's FROM line (or its root stage's) used. */
  fromVariables: ReadonlySet<string>;
}

/** BuildKit never reports these (dockerfile2llb nonEnvArgs). */
const NON_ENV_ARGS = new Set(["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"]);
/** Proxy settings are predefined build args that builders pass without declaration. */
const PROXY_VARIABLES = new Set(
  ["HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY"].flatMap((n) => [n, n.toLowerCase()]),
);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function undefinedVariables(df: Dockerfile): UndefinedUse[] {
  const metaArgs = defaultMetaArgs(df);
  const bases = baseStageIndexes(df, metaArgs);
  const finalScopes: Scope[] = [];
  const uses = new UseCollector(globalArgNames(df), { escape: df.escape, processQuotes: true });
  for (const stage of df.stages) {
    const baseIndex = bases[stage.index]!;
    const scope =
      baseIndex === null ? imageScope(df, stage.from, metaArgs) : cloneScope(finalScopes[baseIndex]!);
    uses.scope = scope;
    for (const instruction of stage.instructions) {
      uses.instruction = instruction;
      if (instruction.keyword === "ARG") {
        for (const arg of argDeclarations(instruction, df.escape)) {
          if (arg.defaultWord !== null) uses.check(arg.defaultWord, uses.plain);
          scope.names.add(arg.name);
        }
        continue;
      }
      checkExpandedWords(instruction, uses);
      if (instruction.keyword === "ENV")
        for (const key of envKeys(instruction, df.escape)) scope.names.add(key);
    }
    finalScopes.push(scope);
  }
  return uses.found;
}

/**
 * Collects the reportable variables of the words checked, for the instruction and scope it is
 * at. One object per file, rather than a closure per instruction: the loop stays cheap and its
 * code sees one shape.
 */
class UseCollector {
  readonly found: UndefinedUse[] = [];
  instruction: Instruction | null = null;
  scope: Scope | null = null;
  readonly globalArgs: ReadonlySet<string>;
  /** How the Dockerfile's words are expanded (heredoc bodies use RAW_BODY). */
  readonly plain: ExpandOptions;

  constructor(globalArgs: ReadonlySet<string>, plain: ExpandOptions) {
    this.globalArgs = globalArgs;
    this.plain = plain;
  }

  check(word: string, options: ExpandOptions): void {
    if (!word.includes("$")) return; // no reference (most words)
    const scope = this.scope!;
    for (const name of referencedVariables(word, options)) {
      if (scope.names.has(name) || !isReportable(name, scope, this.globalArgs)) continue;
      this.found.push({ instruction: this.instruction!, name, suggestion: suggestName(name, scope.names) });
    }
  }
}

function imageScope(df: Dockerfile, from: Instruction, metaArgs: ReadonlyMap<string, string>): Scope {
  const base = expandedBaseName(df, from, metaArgs);
  const env = base.error ? null : knownImageEnv(base.result);
  const fromVariables = referencedVariables(fromWords(from, df.escape)[0] ?? "", { escape: df.escape });
  return { names: new Set(env ?? []), envKnown: env !== null, fromVariables };
}

function cloneScope(scope: Scope): Scope {
  return { names: new Set(scope.names), envKnown: scope.envKnown, fromVariables: scope.fromVariables };
}

/**
 * When the base image's environment is unknown, any upper-case name may come from it, so only
 * strong signs of a mistake are reported: a name with lower-case letters (images do not set
 * those), a near miss of a name in scope, or a global ARG not redeclared in the stage (unless
 * the FROM line uses it: images often set an env variable of the same name, e.g. NODE_VERSION).
 */
function isReportable(name: string, scope: Scope, globalArgs: ReadonlySet<string>): boolean {
  if (!IDENTIFIER.test(name) || NON_ENV_ARGS.has(name) || PROXY_VARIABLES.has(name)) return false;
  if (scope.envKnown) return true;
  if (COMMON_IMAGE_ENV.has(name)) return false;
  if (/[a-z]/.test(name)) return true;
  if (suggestName(name, scope.names) !== undefined) return true;
  return globalArgs.has(name) && !scope.fromVariables.has(name);
}

/** Heredoc bodies: quotes are ordinary characters, `\\` escapes (BuildKit's ExpandRaw). */
const RAW_BODY: ExpandOptions = { escape: "\\", processQuotes: false };

/** Checks the words BuildKit expands in an instruction (ARG and FROM are handled apart). */
function checkExpandedWords(instruction: Instruction, uses: UseCollector): void {
  const plain = uses.plain;
  switch (instruction.keyword) {
    case "ENV":
    case "LABEL":
    case "WORKDIR":
    case "USER":
    case "STOPSIGNAL":
      uses.check(instruction.args, plain);
      return;
    case "VOLUME":
      checkOperands(instruction, uses);
      return;
    case "RUN":
      checkFlags(instruction, "mount", uses);
      return;
    case "COPY":
    case "ADD":
      checkFlags(instruction, "chown", uses);
      checkFlags(instruction, "chmod", uses);
      checkFlags(instruction, "checksum", uses);
      checkOperands(instruction, uses);
      for (const heredoc of instruction.heredocs) if (!heredoc.quoted) uses.check(heredoc.body, RAW_BODY);
      return;
    default:
      return;
  }
}

function checkFlags(instruction: Instruction, name: string, uses: UseCollector): void {
  for (const flag of instruction.flags)
    if (flag.name === name && flag.value !== null) uses.check(flag.value, uses.plain);
}

function checkOperands(instruction: Instruction, uses: UseCollector): void {
  if (instruction.json === null) uses.check(instruction.args, uses.plain);
  else for (const word of instruction.json) uses.check(word, uses.plain);
}
