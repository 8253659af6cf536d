/**
 * Audit settings from files, lowest precedence first (the command line goes on top):
 *
 *   1. the `audit:` section of `.drydock.yaml` / `.drydock.yml` in the working directory
 *      (kebab-case keys, strict: a misspelt key is an error)
 *   2. dive's `.dive-ci` (or `--ci-config FILE`): `rules:` with dive's camelCase keys
 *      (`lowestEfficiency`, …) or the kebab-case ones of dive's newer config
 *      (`lowest-efficiency`, …); other keys are ignored, as dive ignores them
 *
 * YAML numbers are taken as written (`0.95`), `false` / empty values turn a rule off.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { errorMessage, UsageError } from "../errors.ts";
import { CI_RULE_KEYS, type CiRuleKey, type CiThresholds } from "./ci.ts";

export interface AuditFileSettings {
  thresholds: Partial<CiThresholds>;
  ci?: boolean;
  base?: string;
  dockerfile?: string;
  top?: number;
  /** Files read, in order. */
  files: string[];
}

const KEBAB: Record<CiRuleKey, string> = {
  lowestEfficiency: "lowest-efficiency",
  highestWastedBytes: "highest-wasted-bytes",
  highestUserWastedPercent: "highest-user-wasted-percent",
  maxSize: "max-size",
  maxReclaimable: "max-reclaimable",
};

/** A rule value as YAML gives it: numbers and booleans become the text dive would see. */
const ruleValue = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .transform((v) => (v === null ? "" : String(v)));

const drydockAuditSchema = z
  .object({
    ...Object.fromEntries(CI_RULE_KEYS.map((key) => [KEBAB[key], ruleValue.optional()])),
    ci: z.boolean().optional(),
    "ci-config": z.string().optional(),
    base: z.string().optional(),
    dockerfile: z.string().optional(),
    top: z.number().int().positive().optional(),
  })
  .strict();

const drydockSchema = z.object({ audit: z.union([drydockAuditSchema, z.null()]).optional() }).loose();

const diveCiSchema = z
  .object({ rules: z.union([z.record(z.string(), z.unknown()), z.null()]).optional() })
  .loose();

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new UsageError(`cannot read ${file}: ${errorMessage(error)}`);
  }
}

function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0].line;
    const reason = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw new UsageError(`${file}: invalid YAML${line ? ` at line ${line}` : ""}: ${reason}`);
  }
  return doc.toJS() ?? {};
}

function validate<T extends z.ZodType>(schema: T, data: unknown, file: string): z.infer<T> {
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const at = issue.path.join(".");
    const message =
      issue.code === "unrecognized_keys"
        ? `unknown key ${issue.keys.map((k) => `'${k}'`).join(", ")}`
        : issue.message;
    throw new UsageError(`${file}: ${at ? `${at}: ` : ""}${message}`);
  }
  return result.data;
}

/** dive's `.dive-ci` `rules:`, camelCase or kebab-case keys (kebab-case wins when both are set). */
export function rulesFromDiveCi(data: unknown, file: string): Partial<CiThresholds> {
  const rules = validate(diveCiSchema, data ?? {}, file).rules ?? {};
  const out: Partial<CiThresholds> = {};
  for (const key of CI_RULE_KEYS) {
    for (const name of [key, KEBAB[key]]) {
      if (!Object.hasOwn(rules, name)) continue;
      const parsed = ruleValue.safeParse(rules[name]);
      if (!parsed.success) throw new UsageError(`${file}: rules.${name}: expected a number or a size`);
      out[key] = parsed.data;
    }
  }
  return out;
}

export interface AuditConfigPlace {
  cwd: string;
  /** `--ci-config FILE` (default `.dive-ci` in cwd, read when present). */
  ciConfig?: string;
}

export async function loadAuditConfig(place: AuditConfigPlace): Promise<AuditFileSettings> {
  const settings: AuditFileSettings = { thresholds: {}, files: [] };
  let ciConfig = place.ciConfig;
  for (const name of [".drydock.yaml", ".drydock.yml"]) {
    const file = join(place.cwd, name);
    const text = await readOptional(file);
    if (text === undefined) continue;
    settings.files.push(file);
    const audit = validate(drydockSchema, parseYaml(text, file), file).audit;
    if (audit) {
      const values = audit as Record<string, unknown>;
      for (const key of CI_RULE_KEYS) {
        const value = values[KEBAB[key]];
        if (typeof value === "string") settings.thresholds[key] = value;
      }
      if (audit.ci !== undefined) settings.ci = audit.ci;
      if (audit.base !== undefined) settings.base = audit.base;
      if (audit.dockerfile !== undefined) settings.dockerfile = resolve(place.cwd, audit.dockerfile);
      if (audit.top !== undefined) settings.top = audit.top;
      if (ciConfig === undefined && audit["ci-config"] !== undefined) ciConfig = audit["ci-config"];
    }
    break;
  }
  const explicit = ciConfig !== undefined;
  const diveFile = resolve(place.cwd, ciConfig ?? ".dive-ci");
  const text = await readOptional(diveFile);
  if (text === undefined) {
    if (explicit) throw new UsageError(`CI config file ${diveFile} not found`);
  } else {
    settings.files.push(diveFile);
    Object.assign(settings.thresholds, rulesFromDiveCi(parseYaml(text, diveFile), diveFile));
  }
  return settings;
}
