/**
 * Lint configuration, hadolint-compatible (reference §1.5; hadolint src/Hadolint/Config/
 * Configfile.hs, Configuration.hs, Environment.hs; README "Configure").
 *
 * Sources, lowest precedence first:
 *   1. HADOLINT_* environment variables
 *   2. the first `.hadolint.yaml` / `.hadolint.yml` found in hadolint's lookup order
 *   3. `.drydock.yaml` / `.drydock.yml` in the working directory, `lint:` section (adds `fix`
 *      and `shellcheck`)
 * and the command line on top (merged by the caller). As in hadolint, a single value from a
 * higher source replaces a lower one, while lists (ignored codes, overrides, trusted registries,
 * label schema) are combined.
 */
import { readFile } from "node:fs/promises";
import { basename, isAbsolute, join, resolve } from "node:path";
import { errorMessage, UsageError } from "../errors.ts";
import type { LintSettings, ShellcheckMode } from "../lint/settings.ts";
import type { LabelType, Severity } from "../lint/types.ts";
import { LINT_FORMATS, type LintFormat } from "../report/lint-formats.ts";
import type { HadolintFile } from "./lint-config-schemas.ts";

export interface ConfigEnvironment {
  cwd: string;
  /** Environment variables (HADOLINT_*, XDG_CONFIG_HOME, HOME). */
  env: Record<string, string | undefined>;
  home: string;
}

export interface LoadedLintConfig {
  /** Settings from config files and HADOLINT_* variables (flags are merged by the caller). */
  settings: Partial<LintSettings>;
  /** Files read, in order. */
  files: string[];
  format?: string;
  noColor?: boolean;
}

export const OVERRIDE_LEVELS = ["error", "warning", "info", "style"] as const;
type OverrideLevel = (typeof OVERRIDE_LEVELS)[number];
export const THRESHOLDS = ["error", "warning", "info", "style", "ignore", "none"] as const;
export const LABEL_TYPES = ["text", "url", "semver", "hash", "rfc3339", "spdx", "email"] as const;
export const SHELLCHECK_MODES = ["off", "auto", "required"] as const;
/** hadolint's format names that drydock renders under another name. */
const FORMAT_ALIASES: Record<string, LintFormat> = { gitlab_codeclimate: "gitlab" };

/** One source's settings; absent keys leave lower sources alone. */
interface Layer {
  ignored?: string[];
  override?: Partial<Record<OverrideLevel, string[]>>;
  failureThreshold?: Severity | "none";
  noFail?: boolean;
  noColor?: boolean;
  disableIgnorePragma?: boolean;
  trustedRegistries?: string[];
  labelSchema?: Record<string, LabelType>;
  strictLabels?: boolean;
  format?: LintFormat;
  shellcheck?: ShellcheckMode;
  fix?: Record<string, boolean>;
}

/**
 * Reads `.hadolint.yaml` (hadolint's lookup order), `.drydock.yaml` (`lint:` section) and the
 * HADOLINT_* environment variables. `configPath` (`--config`) replaces the `.hadolint.yaml`
 * lookup; when it is itself a drydock file (a `lint:` section, or named `.drydock.y[a]ml`) it
 * replaces `.drydock.yaml` too.
 */
export async function loadLintConfig(
  where: ConfigEnvironment,
  configPath?: string,
): Promise<LoadedLintConfig> {
  const layers: Layer[] = [layerFromEnvironment(where.env)];
  const files: string[] = [];
  let drydockGiven = false;

  if (configPath !== undefined) {
    const file = resolve(where.cwd, configPath);
    const text = await readConfig(file, true);
    const data = await parseYaml(text!, file);
    files.push(file);
    drydockGiven = isDrydockShaped(data, file);
    layers.push(drydockGiven ? await drydockLayer(data, file) : await hadolintLayer(data, file));
  } else {
    for (const file of hadolintCandidates(where)) {
      const text = await readConfig(file, false);
      if (text === null) continue;
      files.push(file);
      layers.push(await hadolintLayer(await parseYaml(text, file), file));
      break; // the first file found wins
    }
  }

  if (!drydockGiven) {
    for (const name of [".drydock.yaml", ".drydock.yml"]) {
      const file = join(where.cwd, name);
      const text = await readConfig(file, false);
      if (text === null) continue;
      files.push(file);
      layers.push(await drydockLayer(await parseYaml(text, file), file));
      break;
    }
  }

  const merged = layers.reduce(mergeLayers, {});
  const { format, noColor, ...rest } = merged;
  const settings = Object.fromEntries(
    Object.entries(rest).filter(([, value]) => value !== undefined),
  ) as Partial<LintSettings>;
  return {
    settings,
    files,
    ...(format !== undefined && { format }),
    ...(noColor !== undefined && { noColor }),
  };
}

/** hadolint's lookup order (Configfile.hs `findConfig`, README); the first existing file wins. */
function hadolintCandidates(where: ConfigEnvironment): string[] {
  const both = (dir: string, stem: string) => [join(dir, `${stem}.yaml`), join(dir, `${stem}.yml`)];
  const { env, home, cwd } = where;
  const xdg = env.XDG_CONFIG_HOME;
  const candidates = [
    ...both(cwd, ".hadolint"),
    // The XDG spec says relative values are to be ignored.
    ...(xdg && isAbsolute(xdg) ? both(xdg, "hadolint") : []),
    ...(env.LOCALAPPDATA && isAbsolute(env.LOCALAPPDATA) ? both(env.LOCALAPPDATA, "hadolint") : []),
    ...both(join(home, ".config"), "hadolint"),
    ...both(join(home, ".hadolint"), "hadolint"),
    ...both(join(home, ".hadolint"), "config"),
    ...both(join(home, "hadolint"), "config"),
    ...both(home, ".hadolint"),
  ];
  return [...new Set(candidates)];
}

async function readConfig(file: string, required: boolean): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!required && (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR")) return null;
    if (code === "ENOENT") throw new UsageError(`config file ${file} not found`);
    throw new UsageError(`cannot read config file ${file}: ${errorMessage(error)}`);
  }
}

async function parseYaml(text: string, file: string): Promise<unknown> {
  const { parseDocument } = await import("yaml");
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0].line;
    const reason = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw new UsageError(`${file}: invalid YAML${line ? ` at line ${line}` : ""}: ${reason}`);
  }
  const data: unknown = doc.toJS();
  if (data !== null && data !== undefined && (typeof data !== "object" || Array.isArray(data))) {
    throw new UsageError(`${file}: expected a mapping of settings at the top level`);
  }
  return data ?? {};
}

function isDrydockShaped(data: unknown, file: string): boolean {
  return /^\.?drydock\.ya?ml$/i.test(basename(file)) || Object.hasOwn(data as object, "lint");
}

/**
 * The schemas need zod (and parsing needs yaml): both load only when a config file exists, so a
 * plain `drydock lint` without one does not pay for them.
 */
async function hadolintLayer(data: unknown, file: string): Promise<Layer> {
  const { readHadolintFile } = await import("./lint-config-schemas.ts");
  return layerFromKeys(readHadolintFile(data, file), file);
}

async function drydockLayer(data: unknown, file: string): Promise<Layer> {
  const { readDrydockLint } = await import("./lint-config-schemas.ts");
  const lint = readDrydockLint(data, file);
  if (!lint) return {};
  return { ...layerFromKeys(lint, file), shellcheck: lint.shellcheck, fix: lint.fix };
}

function layerFromKeys(keys: HadolintFile, file: string): Layer {
  const override: Layer["override"] = {};
  for (const level of OVERRIDE_LEVELS) {
    const codes = keys.override?.[level] as string[] | undefined;
    if (codes) override[level] = codes;
  }
  return {
    ignored: keys.ignored,
    override,
    failureThreshold: keys["failure-threshold"],
    trustedRegistries: keys.trustedRegistries,
    labelSchema: keys["label-schema"],
    strictLabels: keys["strict-labels"],
    noFail: keys["no-fail"],
    noColor: keys["no-color"],
    disableIgnorePragma: keys["disable-ignore-pragma"],
    format: keys.format === undefined ? undefined : checkFormat(keys.format, `${file}: format`),
  };
}

function checkFormat(value: string, where: string): LintFormat {
  const format = FORMAT_ALIASES[value] ?? value;
  if (!(LINT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`${where}: unknown format '${value}' (use ${LINT_FORMATS.join(", ")})`);
  }
  return format as LintFormat;
}

// ---------------------------------------------------------------------------------------------
// Environment (Environment.hs)

/** hadolint's truthy values; any other value of a set variable means false. */
function truthy(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return ["1", "y", "on", "true", "yes"].includes(value.toLowerCase());
}

function commaList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
}

function layerFromEnvironment(env: Record<string, string | undefined>): Layer {
  const override: Layer["override"] = {};
  for (const level of OVERRIDE_LEVELS) {
    const codes = commaList(env[`HADOLINT_OVERRIDE_${level.toUpperCase()}`]);
    if (codes) override[level] = codes;
  }
  const threshold = env.HADOLINT_FAILURE_THRESHOLD;
  if (threshold !== undefined && !(THRESHOLDS as readonly string[]).includes(threshold)) {
    throw new UsageError(
      `HADOLINT_FAILURE_THRESHOLD: unknown severity '${threshold}' (use ${THRESHOLDS.join(", ")})`,
    );
  }
  return {
    noFail: truthy(env.HADOLINT_NOFAIL),
    format:
      env.HADOLINT_FORMAT === undefined ? undefined : checkFormat(env.HADOLINT_FORMAT, "HADOLINT_FORMAT"),
    failureThreshold: threshold as Layer["failureThreshold"],
    override,
    ignored: commaList(env.HADOLINT_IGNORE),
    trustedRegistries: commaList(env.HADOLINT_TRUSTED_REGISTRIES),
    labelSchema: labelsFromEnvironment(env.HADOLINT_REQUIRE_LABELS),
    strictLabels: truthy(env.HADOLINT_STRICT_LABELS),
    disableIgnorePragma: truthy(env.HADOLINT_DISABLE_IGNORE_PRAGMA),
  };
}

/** `HADOLINT_REQUIRE_LABELS=maintainer:text,org.opencontainers.image.url:url`. */
function labelsFromEnvironment(value: string | undefined): Layer["labelSchema"] {
  const entries = commaList(value);
  if (!entries) return undefined;
  const schema: Record<string, LabelType> = {};
  for (const entry of entries) {
    const colon = entry.indexOf(":");
    const name = colon === -1 ? entry : entry.slice(0, colon);
    const type = colon === -1 ? "" : entry.slice(colon + 1);
    if (!(LABEL_TYPES as readonly string[]).includes(type)) {
      throw new UsageError(
        `HADOLINT_REQUIRE_LABELS: '${entry}' needs a type: one of ${LABEL_TYPES.join(", ")}`,
      );
    }
    schema[name] = type as LabelType;
  }
  return schema;
}

// ---------------------------------------------------------------------------------------------
// Merging

/** Single values: the higher layer wins when set. Lists and maps: combined. */
function mergeLayers(lower: Layer, higher: Layer): Layer {
  const override: Layer["override"] = { ...lower.override };
  for (const level of OVERRIDE_LEVELS) {
    const codes = higher.override?.[level];
    if (codes) override[level] = [...(override[level] ?? []), ...codes];
  }
  return {
    ignored: concat(lower.ignored, higher.ignored),
    override,
    failureThreshold: higher.failureThreshold ?? lower.failureThreshold,
    noFail: higher.noFail ?? lower.noFail,
    noColor: higher.noColor ?? lower.noColor,
    disableIgnorePragma: higher.disableIgnorePragma ?? lower.disableIgnorePragma,
    trustedRegistries: concat(lower.trustedRegistries, higher.trustedRegistries),
    labelSchema:
      lower.labelSchema || higher.labelSchema ? { ...lower.labelSchema, ...higher.labelSchema } : undefined,
    strictLabels: higher.strictLabels ?? lower.strictLabels,
    format: higher.format ?? lower.format,
    shellcheck: higher.shellcheck ?? lower.shellcheck,
    fix: lower.fix || higher.fix ? { ...lower.fix, ...higher.fix } : undefined,
  };
}

function concat(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a && !b) return undefined;
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}
