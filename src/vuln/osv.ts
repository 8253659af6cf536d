/**
 * OSV records (the Open Source Vulnerability format behind osv.dev) as read from JSON or YAML,
 * checked field by field with messages that name the field, and reduced to what matching and
 * reporting need.
 *
 * Spec: https://ossf.github.io/osv-schema/ (fields, ecosystems, evaluation).
 */

export interface OsvSeverity {
  type: string;
  score: string;
}

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: string;
  repo?: string;
  events: OsvEvent[];
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  severity?: OsvSeverity[];
  ranges?: OsvRange[];
  versions?: string[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}

export interface OsvReference {
  type?: string;
  url: string;
}

export interface OsvRecord {
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  upstream?: string[];
  related?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  references?: OsvReference[];
  database_specific?: Record<string, unknown>;
}

/** A record that does not follow the schema; the message names the record and the field. */
export class InvalidRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidRecordError";
  }
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function fail(where: string, field: string, problem: string): never {
  throw new InvalidRecordError(`${where}: ${field} ${problem}`);
}

function optionalString(object: Json, key: string, where: string, path: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") fail(where, `${path}${key}`, "must be a string");
  return value;
}

function stringList(object: Json, key: string, where: string, path: string): string[] | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fail(where, `${path}${key}`, "must be a list");
  return value.map((item, i) => {
    if (typeof item !== "string") fail(where, `${path}${key}[${i}]`, "must be a string");
    return item;
  });
}

function severityList(object: Json, key: string, where: string, path: string): OsvSeverity[] | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fail(where, `${path}${key}`, "must be a list");
  return value.map((item, i) => {
    if (!isObject(item)) fail(where, `${path}${key}[${i}]`, "must be an object");
    const type = optionalString(item, "type", where, `${path}${key}[${i}].`);
    const score = optionalString(item, "score", where, `${path}${key}[${i}].`);
    if (type === undefined || score === undefined) fail(where, `${path}${key}[${i}]`, "needs type and score");
    return { type, score };
  });
}

const EVENT_KINDS = ["introduced", "fixed", "last_affected", "limit"] as const;

function readEvent(value: unknown, where: string, path: string): OsvEvent {
  if (!isObject(value)) fail(where, path, "must be an object");
  const event: OsvEvent = {};
  let kinds = 0;
  for (const kind of EVENT_KINDS) {
    const version = value[kind];
    if (version === undefined) continue;
    // YAML writers sometimes leave a version unquoted: 1.10 must stay "1.10", so only strings pass.
    if (typeof version !== "string") fail(where, `${path}.${kind}`, "must be a string");
    event[kind] = version;
    kinds++;
  }
  if (kinds !== 1) fail(where, path, "must have exactly one of introduced, fixed, last_affected, limit");
  return event;
}

function readRange(value: unknown, where: string, path: string): OsvRange {
  if (!isObject(value)) fail(where, path, "must be an object");
  const type = optionalString(value, "type", where, `${path}.`);
  if (type === undefined) fail(where, `${path}.type`, "is missing");
  const events = value.events;
  if (!Array.isArray(events)) fail(where, `${path}.events`, "must be a list");
  const range: OsvRange = { type, events: events.map((e, i) => readEvent(e, where, `${path}.events[${i}]`)) };
  const repo = optionalString(value, "repo", where, `${path}.`);
  if (repo !== undefined) range.repo = repo;
  return range;
}

function readAffected(value: unknown, where: string, path: string): OsvAffected {
  if (!isObject(value)) fail(where, path, "must be an object");
  const affected: OsvAffected = {};
  const pkg = value.package;
  if (pkg !== undefined && pkg !== null) {
    if (!isObject(pkg)) fail(where, `${path}.package`, "must be an object");
    const ecosystem = optionalString(pkg, "ecosystem", where, `${path}.package.`);
    const name = optionalString(pkg, "name", where, `${path}.package.`);
    if (ecosystem === undefined || name === undefined)
      fail(where, `${path}.package`, "needs ecosystem and name");
    const purl = optionalString(pkg, "purl", where, `${path}.package.`);
    affected.package = { ecosystem, name, ...(purl ? { purl } : {}) };
  }
  const severity = severityList(value, "severity", where, `${path}.`);
  if (severity) affected.severity = severity;
  const ranges = value.ranges;
  if (ranges !== undefined && ranges !== null) {
    if (!Array.isArray(ranges)) fail(where, `${path}.ranges`, "must be a list");
    affected.ranges = ranges.map((r, i) => readRange(r, where, `${path}.ranges[${i}]`));
  }
  const versions = stringList(value, "versions", where, `${path}.`);
  if (versions) affected.versions = versions;
  for (const key of ["ecosystem_specific", "database_specific"] as const) {
    const extra = value[key];
    if (extra === undefined || extra === null) continue;
    if (!isObject(extra)) fail(where, `${path}.${key}`, "must be an object");
    affected[key] = extra;
  }
  return affected;
}

/**
 * Checks a parsed document against the parts of the OSV schema drydock reads. `where` names the
 * document in messages (`PyPI/all.zip: PYSEC-2020-1.json`).
 */
export function readOsvRecord(value: unknown, where: string): OsvRecord {
  if (!isObject(value)) fail(where, "the document", "is not an OSV record (expected an object)");
  const id = optionalString(value, "id", where, "");
  if (id === undefined || id.trim() === "") fail(where, "id", "is missing");
  const at = `${where} (${id})`;
  const modified = optionalString(value, "modified", at, "") ?? "";
  const record: OsvRecord = { id, modified };
  for (const key of ["published", "withdrawn", "summary", "details"] as const) {
    const text = optionalString(value, key, at, "");
    if (text !== undefined) record[key] = text;
  }
  for (const key of ["aliases", "upstream", "related"] as const) {
    const list = stringList(value, key, at, "");
    if (list) record[key] = list;
  }
  const severity = severityList(value, "severity", at, "");
  if (severity) record.severity = severity;
  const affected = value.affected;
  if (affected !== undefined && affected !== null) {
    if (!Array.isArray(affected)) fail(at, "affected", "must be a list");
    record.affected = affected.map((a, i) => readAffected(a, at, `affected[${i}]`));
  }
  const references = value.references;
  if (Array.isArray(references)) {
    record.references = references
      .filter((r): r is Json => isObject(r) && typeof r.url === "string")
      .map((r) => ({ url: r.url as string, ...(typeof r.type === "string" ? { type: r.type } : {}) }));
  }
  if (isObject(value.database_specific)) record.database_specific = value.database_specific;
  return record;
}

/** The part of an ecosystem string before the first colon: `Debian:12` -> `Debian`. */
export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(":");
  return (colon < 0 ? ecosystem : ecosystem.slice(0, colon)).trim();
}

/** PEP 503 normalised project name: lower case, runs of `-_.` as one `-`. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/**
 * The key a package name is stored and looked up under in an ecosystem: PyPI names per PEP 503,
 * NuGet and Packagist names case-insensitively (both registries treat them so), others as written.
 */
export function packageKey(ecosystem: string, name: string): string {
  const base = ecosystemBase(ecosystem);
  if (base === "PyPI") return normalizePypiName(name);
  if (base === "NuGet" || base === "Packagist") return name.toLowerCase();
  return name;
}
