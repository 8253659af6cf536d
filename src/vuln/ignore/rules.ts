/**
 * Ignore rules: drydock's `.drydockignore.yaml` and trivy's `.trivyignore`.
 *
 * .drydockignore.yaml (a list, or a list under `ignore:`):
 *   - id: CVE-2023-1234          # required: the vulnerability's id or any alias
 *     package: openssl            # optional: package name, source package name, or purl prefix
 *     path: /usr/lib/**           # optional: glob over the package's locations
 *     expires: 2025-01-31         # optional: the last day it applies; then it warns and stops
 *     reason: not reachable       # optional, reported with the ignored finding
 *
 * .trivyignore (https://trivy.dev/latest/docs/configuration/filtering/#trivyignore): one id per
 * line, `#` comments, an optional `exp:YYYY-MM-DD` after the id.
 */
import { createRequire } from "node:module";
import { UsageError } from "../../errors.ts";

type Yaml = typeof import("yaml");

/** Loaded when an ignore file is read: most scans have none, and the parser takes ~30 ms to load. */
let yaml: Yaml | undefined;
function parseDocument(...args: Parameters<Yaml["parseDocument"]>) {
  yaml ??= createRequire(import.meta.url)("yaml") as Yaml;
  return yaml.parseDocument(...args);
}

export interface IgnoreRule {
  id: string;
  package?: string;
  path?: string;
  /** ISO date (YYYY-MM-DD) or time; the rule applies through that day. */
  expires?: string;
  reason?: string;
  /** Where the rule was written: `file:line`. */
  origin: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const KNOWN_FIELDS = new Set(["id", "package", "path", "expires", "reason"]);

function validDate(text: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) && !Number.isNaN(Date.parse(text))
  );
}

/** Parses `.drydockignore.yaml`; errors name the file, the line and the field. */
export function parseDrydockIgnore(text: string, file: string): IgnoreRule[] {
  const doc = parseDocument(text, { schema: "failsafe", keepSourceTokens: false });
  if (doc.errors.length > 0)
    throw new UsageError(`${file}: not valid YAML (${doc.errors[0]!.message.split("\n", 1)[0]})`);
  const value = doc.toJS() as unknown;
  if (value === null || value === undefined || value === "") return [];
  const entries = Array.isArray(value)
    ? value
    : isObject(value) && Array.isArray(value.ignore)
      ? value.ignore
      : undefined;
  if (!entries) throw new UsageError(`${file}: expected a list of rules, or a list under "ignore:"`);
  const lineOf = (index: number): number => {
    const node = (Array.isArray(value) ? doc.contents : doc.get("ignore", true)) as {
      items?: Array<{ range?: [number] }>;
    };
    const offset = node?.items?.[index]?.range?.[0];
    return offset === undefined ? 0 : text.slice(0, offset).split("\n").length;
  };
  return entries.map((entry, i) => {
    const at = `${file}:${lineOf(i) || i + 1}`;
    if (!isObject(entry)) throw new UsageError(`${at}: a rule must be a map with at least "id"`);
    for (const key of Object.keys(entry))
      if (!KNOWN_FIELDS.has(key))
        throw new UsageError(`${at}: unknown field "${key}" (rules have id, package, path, expires, reason)`);
    const field = (key: string): string | undefined => {
      const v = entry[key];
      if (v === undefined || v === null || v === "") return undefined;
      if (typeof v !== "string") throw new UsageError(`${at}: "${key}" must be a single value`);
      return v.trim();
    };
    const id = field("id");
    if (!id) throw new UsageError(`${at}: "id" is missing`);
    const expires = field("expires");
    if (expires && !validDate(expires))
      throw new UsageError(`${at}: "expires" must be a date (YYYY-MM-DD), not "${expires}"`);
    const rule: IgnoreRule = { id, origin: at };
    for (const key of ["package", "path", "reason"] as const) {
      const v = field(key);
      if (v) rule[key] = v;
    }
    if (expires) rule.expires = expires;
    return rule;
  });
}

/** Parses `.trivyignore`. */
export function parseTrivyIgnore(text: string, file: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    const [id, ...rest] = line.split(/\s+/);
    const rule: IgnoreRule = { id: id!, origin: `${file}:${i + 1}` };
    for (const token of rest) {
      const exp = /^exp:(.+)$/.exec(token);
      if (!exp) continue;
      if (!validDate(exp[1]!))
        throw new UsageError(`${file}:${i + 1}: "exp:" must be a date (YYYY-MM-DD), not "${exp[1]}"`);
      rule.expires = exp[1]!;
    }
    rules.push(rule);
  });
  return rules;
}

/** The instant a rule stops applying: the end of its `expires` day (UTC) for a bare date. */
export function expiryInstant(expires: string): number {
  const bare = /^\d{4}-\d{2}-\d{2}$/.test(expires);
  return bare ? Date.parse(`${expires}T00:00:00Z`) + 24 * 60 * 60 * 1000 : Date.parse(expires);
}

/** A glob over paths: `*` within a segment, `**` across segments, `?` one character. */
export function globMatches(pattern: string, path: string): boolean {
  let regex = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        regex += ".*";
        i++;
        if (pattern[i + 1] === "/") i++;
      } else regex += "[^/]*";
    } else if (c === "?") regex += "[^/]";
    else regex += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  // A directory pattern covers what is below it.
  return new RegExp(`^${regex}(/.*)?$`).test(path);
}
