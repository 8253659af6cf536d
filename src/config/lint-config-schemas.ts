/**
 * The schemas of the lint configuration files (see lint-config.ts): hadolint's keys, read
 * loosely as hadolint does, and drydock's strict `lint:` section. A module of its own so that
 * zod loads only when a config file is found.
 */
import { type ZodError, z } from "zod";
import { UsageError } from "../errors.ts";
import { LABEL_TYPES, OVERRIDE_LEVELS, SHELLCHECK_MODES, THRESHOLDS } from "./lint-config.ts";

/** YAML `key:` with no value is null: the same as leaving the key out. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === null ? undefined : value), schema.optional());

/** A list of codes; a single code is accepted too. */
const codeList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

const hadolintKeys = {
  ignored: optional(codeList),
  override: optional(
    z.object(Object.fromEntries(OVERRIDE_LEVELS.map((level) => [level, optional(codeList)]))).strict(),
  ),
  "failure-threshold": optional(z.enum(THRESHOLDS)),
  trustedRegistries: optional(codeList),
  "label-schema": optional(z.record(z.string(), z.enum(LABEL_TYPES))),
  "strict-labels": optional(z.boolean()),
  "no-fail": optional(z.boolean()),
  "no-color": optional(z.boolean()),
  "disable-ignore-pragma": optional(z.boolean()),
  format: optional(z.string()),
};

/** hadolint reads only the keys it knows (`.:?`) and ignores the rest; so do we. */
const hadolintSchema = z.object(hadolintKeys).loose();

/** drydock's own section is strict: a misspelt key is reported, not silently ignored. */
const drydockLintSchema = z
  .object({
    ...hadolintKeys,
    fix: optional(z.record(z.string(), z.boolean())),
    shellcheck: optional(
      z.preprocess((v) => (v === false ? "off" : v === true ? "auto" : v), z.enum(SHELLCHECK_MODES)),
    ),
  })
  .strict();

const drydockSchema = z.object({ lint: optional(drydockLintSchema) }).loose();

export type HadolintFile = z.infer<typeof hadolintSchema>;
export type DrydockLintSection = z.infer<typeof drydockLintSchema>;

/** The hadolint keys of a config file, validated; a usage error names the first problem. */
export function readHadolintFile(data: unknown, file: string): HadolintFile {
  return validate(hadolintSchema, data, file);
}

/** The `lint:` section of a `.drydock.yaml`, validated (undefined when there is none). */
export function readDrydockLint(data: unknown, file: string): DrydockLintSection | undefined {
  return validate(drydockSchema, data, file).lint;
}

function validate<T extends z.ZodType>(schema: T, data: unknown, file: string): z.infer<T> {
  const result = schema.safeParse(data, { reportInput: true });
  if (!result.success) throw new UsageError(`${file}: ${describeIssue(result.error)}`);
  return result.data;
}

function describeIssue(error: ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.join(".");
  const at = path ? `${path}: ` : "";
  switch (issue.code) {
    case "unrecognized_keys":
      if (issue.path.at(-1) === "override") {
        return `${at}unknown severity '${issue.keys[0]}' (use ${OVERRIDE_LEVELS.join(", ")})`;
      }
      return `${at}unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
    case "invalid_value":
      return `${at}'${String(issue.input)}' is not one of ${issue.values.map(String).join(", ")}`;
    case "invalid_type":
      return `${at}expected ${issue.expected}${issue.input === undefined ? "" : `, got ${JSON.stringify(issue.input)}`}`;
    default:
      return `${at}${issue.message}`;
  }
}
