/**
 * Applying ignore rules and VEX statements to findings. A rule matches a finding when its id is
 * one of the finding's ids (shown id, aliases, upstream ids), its package (if any) is the
 * package's name, source name or a prefix of its purl, and its path (if any) matches one of the
 * package's locations. Expired rules do not apply; each is reported once as a warning.
 * Ignored findings are kept, with what ignored them, so reports can show them.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { UsageError } from "../../errors.ts";
import type { Finding } from "../types.ts";
import { findingIds } from "../types.ts";
import { parseOpenVex, type VexStatement, vexStatementFor } from "./openvex.ts";
import {
  expiryInstant,
  globMatches,
  type IgnoreRule,
  parseDrydockIgnore,
  parseTrivyIgnore,
} from "./rules.ts";

export interface IgnoreSet {
  rules: IgnoreRule[];
  vex: VexStatement[];
}

export interface Suppression {
  kind: "ignore-rule" | "vex";
  /** `file:line` of the rule, or the VEX statement. */
  origin: string;
  reason?: string;
  /** VEX status and justification. */
  status?: string;
  justification?: string;
}

export interface IgnoredFinding {
  finding: Finding;
  by: Suppression;
}

export interface IgnoreOutcome {
  kept: Finding[];
  ignored: IgnoredFinding[];
  warnings: string[];
}

export interface IgnoreFiles {
  cwd: string;
  drydockIgnore?: readonly string[];
  trivyIgnore?: readonly string[];
  vex?: readonly string[];
}

async function read(cwd: string, file: string, what: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), "utf8");
  } catch {
    throw new UsageError(`${file}: cannot read the ${what}`);
  }
}

/** Loads ignore files and VEX documents (paths relative to cwd). */
export async function loadIgnores(files: IgnoreFiles): Promise<IgnoreSet> {
  const rules: IgnoreRule[] = [];
  const vex: VexStatement[] = [];
  for (const file of files.drydockIgnore ?? [])
    rules.push(...parseDrydockIgnore(await read(files.cwd, file, "ignore file"), file));
  for (const file of files.trivyIgnore ?? [])
    rules.push(...parseTrivyIgnore(await read(files.cwd, file, "ignore file"), file));
  for (const file of files.vex ?? [])
    vex.push(...parseOpenVex(await read(files.cwd, file, "VEX document"), file));
  return { rules, vex };
}

function packageMatches(rule: IgnoreRule, finding: Finding): boolean {
  if (!rule.package) return true;
  const p = finding.package;
  if (rule.package.startsWith("pkg:")) return p.purl?.startsWith(rule.package) === true;
  return rule.package === p.name || rule.package === p.matchedName;
}

function pathMatches(rule: IgnoreRule, finding: Finding): boolean {
  if (!rule.path) return true;
  return finding.locations.some((l) => globMatches(rule.path!, l.path));
}

export function ruleMatches(rule: IgnoreRule, finding: Finding): boolean {
  return findingIds(finding).includes(rule.id) && packageMatches(rule, finding) && pathMatches(rule, finding);
}

export function applyIgnores(findings: readonly Finding[], set: IgnoreSet, now: Date): IgnoreOutcome {
  // Most scans have no ignore file or VEX document.
  if (set.rules.length === 0 && set.vex.length === 0)
    return { kept: [...findings], ignored: [], warnings: [] };
  const warnings: string[] = [];
  const live: IgnoreRule[] = [];
  for (const rule of set.rules) {
    if (rule.expires && now.getTime() >= expiryInstant(rule.expires)) {
      warnings.push(
        `${rule.origin}: the ignore rule for ${rule.id} expired on ${rule.expires} and no longer applies`,
      );
    } else live.push(rule);
  }
  const kept: Finding[] = [];
  const ignored: IgnoredFinding[] = [];
  for (const finding of findings) {
    const rule = live.find((r) => ruleMatches(r, finding));
    if (rule) {
      ignored.push({
        finding,
        by: { kind: "ignore-rule", origin: rule.origin, ...(rule.reason ? { reason: rule.reason } : {}) },
      });
      continue;
    }
    const statement = vexStatementFor(finding, set.vex);
    if (statement && (statement.status === "not_affected" || statement.status === "fixed")) {
      ignored.push({
        finding,
        by: {
          kind: "vex",
          origin: statement.origin,
          status: statement.status,
          ...(statement.justification ? { justification: statement.justification } : {}),
          ...(statement.impact ? { reason: statement.impact } : {}),
        },
      });
      continue;
    }
    kept.push(finding);
  }
  return { kept, ignored, warnings };
}
