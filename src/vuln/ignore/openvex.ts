/**
 * OpenVEX documents (https://github.com/openvex/spec/blob/main/OPENVEX-SPEC.md, v0.2.0, and the
 * v0.0.x shape where `vulnerability` is a string and `subcomponents` sit on the statement):
 * statements that a vulnerability is `not_affected` or `fixed` in a product suppress the
 * matching findings. Products and subcomponents are purls: a package purl (compared by type,
 * namespace, name, and version when the statement gives one) names that package; an image purl
 * (pkg:oci, pkg:docker) or any non-purl product covers every package of the scan unless
 * subcomponents narrow it. Later statements about the same vulnerability and product win.
 */
import { UsageError } from "../../errors.ts";
import { parsePurl } from "../match/targets.ts";
import type { Finding } from "../types.ts";
import { findingIds } from "../types.ts";

export type VexStatus = "not_affected" | "affected" | "fixed" | "under_investigation";

export interface VexStatement {
  vulnerability: string[];
  /** Package purls it is about; empty: every package. */
  packages: string[];
  status: VexStatus;
  justification?: string;
  impact?: string;
  origin: string;
  /** Statement time, for "later wins". */
  timestamp?: string;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const STATUSES = new Set(["not_affected", "affected", "fixed", "under_investigation"]);
const IMAGE_PURL_TYPES = new Set(["oci", "docker"]);

function ids(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (!isObject(value)) return [];
  const out: string[] = [];
  for (const key of ["name", "@id"]) if (typeof value[key] === "string") out.push(value[key] as string);
  if (Array.isArray(value.aliases)) for (const a of value.aliases) if (typeof a === "string") out.push(a);
  return out;
}

function productIds(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (!isObject(value)) return [];
  const out: string[] = [];
  if (typeof value["@id"] === "string") out.push(value["@id"] as string);
  if (isObject(value.identifiers) && typeof value.identifiers.purl === "string")
    out.push(value.identifiers.purl);
  return out;
}

/** The package purls a product entry narrows to; undefined: every package. */
function packagesOf(product: unknown, statementSubcomponents: unknown[]): string[] | undefined {
  const subs = [
    ...(isObject(product) && Array.isArray(product.subcomponents) ? product.subcomponents : []),
    ...statementSubcomponents,
  ].flatMap(productIds);
  if (subs.length > 0) return subs;
  const own = productIds(product).filter((id) => {
    const purl = parsePurl(id);
    return purl !== undefined && !IMAGE_PURL_TYPES.has(purl.type);
  });
  return own.length > 0 ? own : undefined;
}

export function parseOpenVex(text: string, file: string): VexStatement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not an OpenVEX JSON document (${(error as Error).message})`);
  }
  if (!isObject(doc) || !Array.isArray(doc.statements))
    throw new UsageError(`${file}: not an OpenVEX document (no "statements" list)`);
  const docTime = typeof doc.timestamp === "string" ? doc.timestamp : undefined;
  return doc.statements.flatMap((s, i) => {
    const at = `${file}: statements[${i}]`;
    if (!isObject(s)) throw new UsageError(`${at} must be an object`);
    const vulnerability = ids(s.vulnerability);
    if (vulnerability.length === 0) throw new UsageError(`${at}: vulnerability is missing`);
    const status = String(s.status ?? "");
    if (!STATUSES.has(status))
      throw new UsageError(
        `${at}: status must be not_affected, affected, fixed or under_investigation, not "${status}"`,
      );
    const products = Array.isArray(s.products) && s.products.length > 0 ? s.products : [undefined];
    const statementSubs = Array.isArray(s.subcomponents) ? s.subcomponents : [];
    let all = false;
    const packages: string[] = [];
    for (const product of products) {
      const narrowed = packagesOf(product, statementSubs);
      if (narrowed === undefined) all = true;
      else packages.push(...narrowed);
    }
    const statement: VexStatement = {
      vulnerability,
      packages: all ? [] : [...new Set(packages)],
      status: status as VexStatus,
      origin: at,
      ...(typeof s.justification === "string" ? { justification: s.justification } : {}),
      ...(typeof s.impact_statement === "string" ? { impact: s.impact_statement } : {}),
      ...(typeof s.timestamp === "string"
        ? { timestamp: s.timestamp }
        : docTime
          ? { timestamp: docTime }
          : {}),
    };
    return [statement];
  });
}

function purlCovers(statementPurl: string, packagePurl: string | undefined): boolean {
  const want = parsePurl(statementPurl);
  const have = parsePurl(packagePurl);
  if (!want || !have) return false;
  if (want.type !== have.type || want.name !== have.name) return false;
  if ((want.namespace ?? "") !== (have.namespace ?? "")) return false;
  return want.version === undefined || want.version === have.version;
}

/** The statement that decides a finding's VEX status (the last one that applies), if any. */
export function vexStatementFor(
  finding: Finding,
  statements: readonly VexStatement[],
): VexStatement | undefined {
  const known = new Set(findingIds(finding));
  let decided: VexStatement | undefined;
  for (const s of statements) {
    if (!s.vulnerability.some((id) => known.has(id))) continue;
    if (s.packages.length > 0 && !s.packages.some((p) => purlCovers(p, finding.package.purl))) continue;
    if (
      !decided ||
      !s.timestamp ||
      !decided.timestamp ||
      Date.parse(s.timestamp) >= Date.parse(decided.timestamp)
    )
      decided = s;
  }
  return decided;
}
