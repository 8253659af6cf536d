/**
 * Reading and checking the audit's settings files (YAML, validated with zod). A module of its
 * own, imported by config.ts only when a settings file exists: yaml and zod take about a tenth
 * of a second to load, a good part of an audit of a large image that has no settings file.
 */
import { parseDocument } from "yaml";
import { z } from "zod";
import { UsageError } from "../errors.ts";
import { CI_RULE_KEYS, type CiRuleKey, type CiThresholds } from "./ci.ts";

export const KEBAB: Record<CiRuleKey, string> = {
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

/** The `audit:` section of a `.drydock.yaml` (undefined when absent or null). */
export function drydockAuditSection(text: string, file: string) {
  return validate(drydockSchema, parseYaml(text, file), file).audit ?? undefined;
}

/** The thresholds of a `.dive-ci` file's text. */
export function rulesFromDiveCiText(text: string, file: string): Partial<CiThresholds> {
  return rulesFromDiveCi(parseYaml(text, file), file);
}
