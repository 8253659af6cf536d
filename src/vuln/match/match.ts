/**
 * Matching packages against the database: each package's lookups (targets.ts), each affected
 * row evaluated (evaluate.ts), then the matched records of a package grouped into
 * vulnerabilities: records that share an id or an alias (OSV: aliases are symmetric and
 * transitive) are one finding, with the union of their ids, the fixed version and a severity
 * chosen from all their scores. A finding without any score borrows those of other records of
 * the same vulnerability in the database (the GHSA record of a PYSEC one, say).
 */
import type { StoredAffected } from "../db/rows.ts";
import type { StoredVuln, VulnStore } from "../db/store.ts";
import {
  chooseSeverity,
  collectScores,
  type SeverityInput,
  type SeverityScore,
} from "../severity/severity.ts";
import type { DistroRelease, Finding, FindingPackage, ScanPackage } from "../types.ts";
import { evaluate } from "./evaluate.ts";
import { type MatchTarget, matchTarget } from "./targets.ts";

export interface MatchStats {
  packages: number;
  /** Packages looked up (a known ecosystem with data in the database). */
  matched: number;
  /** Packages of no ecosystem drydock knows (generic purls, binaries). */
  unsupported: number;
  /** Packages whose ecosystem the database has no records for, by ecosystem. */
  missingData: Map<string, number>;
  /** Packages whose version the ecosystem's scheme does not parse, by ecosystem. */
  unparsed: Map<string, number>;
}

export interface MatchResult {
  findings: Finding[];
  stats: MatchStats;
  /** Ecosystem base names looked for (what `db update` refreshes by default). */
  ecosystems: Set<string>;
}

interface Hit {
  /** The ecosystem of the affected row that matched. */
  ecosystem: string;
  /** Its package-level severity facts (scores, urgency), when it has any. */
  severity?: StoredAffected;
  vuln: StoredVuln;
  fixed?: string;
}

type PendingHit = Omit<Hit, "vuln"> & { rowid: number };

/**
 * What a matched row keeps: its package-level scores and urgency, not its ranges and versions
 * lists, so that those die young (a scan evaluates tens of thousands of rows and keeps
 * thousands of matches until the records are loaded).
 */
function packageSeverity(data: StoredAffected): StoredAffected | undefined {
  if (!data.s && !data.u) return undefined;
  return { ...(data.s ? { s: data.s } : {}), ...(data.u ? { u: data.u } : {}) };
}

/** The values once each, in order: the list itself when it has no repeats (shared, not copied). */
function unique(values: string[]): string[] {
  for (let i = 1; i < values.length; i++) {
    if (values.lastIndexOf(values[i]!, i - 1) >= 0) return [...new Set(values)];
  }
  return values;
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/** Groups hits whose records share an id or alias. */
function groupByAlias(hits: Hit[]): Hit[][] {
  const parent = hits.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const owner = new Map<string, number>();
  hits.forEach((hit, i) => {
    for (const id of [hit.vuln.id, ...hit.vuln.aliases]) {
      const seen = owner.get(id);
      if (seen === undefined) owner.set(id, i);
      else parent[find(i)] = find(seen);
    }
  });
  const groups = new Map<number, Hit[]>();
  hits.forEach((hit, i) => {
    const root = find(i);
    const list = groups.get(root) ?? [];
    list.push(hit);
    groups.set(root, list);
  });
  return [...groups.values()];
}

/**
 * The id shown for a group: its CVE id when it has exactly one (as a record id, an alias, or
 * the single upstream id of a distro record such as DEBIAN-CVE-2024-1), the way trivy and
 * grype show distro findings; otherwise the first record id (a DSA fixing several CVEs).
 */
function primaryId(hits: Hit[], records: string[]): string {
  const cves = new Set<string>();
  for (const hit of hits) {
    for (const id of [hit.vuln.id, ...hit.vuln.aliases]) if (id.startsWith("CVE-")) cves.add(id);
    if (hit.vuln.upstream.length === 1 && hit.vuln.upstream[0]!.startsWith("CVE-"))
      cves.add(hit.vuln.upstream[0]!);
  }
  return cves.size === 1 ? [...cves][0]! : records[0]!;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function fixedVersionOf(hits: readonly Hit[], target: MatchTarget): string | undefined {
  // Records of one vulnerability should agree; when they do not, the highest fix satisfies all
  // (the first of equal ones).
  const compare = target.scheme?.compare ?? compareText;
  let highest: string | undefined;
  for (const { fixed } of hits) {
    if (fixed && fixed !== highest && (highest === undefined || compare(highest, fixed) < 0)) highest = fixed;
  }
  return highest;
}

/** The strings of some lists, once each, sorted: one set, no intermediate arrays. */
function uniqueSorted(lists: Iterable<readonly string[]>, leaveOut: (value: string) => boolean): string[] {
  const out = new Set<string>();
  for (const list of lists) for (const value of list) if (!leaveOut(value)) out.add(value);
  return [...out].sort();
}

interface Draft {
  pkg: ScanPackage;
  target: MatchTarget;
  hits: Hit[];
  id: string;
  records: string[];
  aliases: string[];
  upstream: string[];
  scores: SeverityScore[];
}

/** A vulnerability of a package: its ids and the scores its own records carry. */
function draft(pkg: ScanPackage, target: MatchTarget, hits: Hit[]): Draft {
  if (hits.length > 1) hits.sort((a, b) => compareText(a.vuln.id, b.vuln.id));
  const records = hits.length === 1 ? [hits[0]!.vuln.id] : [...new Set(hits.map((h) => h.vuln.id))];
  const id = primaryId(hits, records);
  const aliases = uniqueSorted(
    hits.flatMap((h) => [[h.vuln.id], h.vuln.aliases]),
    (a) => a === id,
  );
  const upstream = uniqueSorted(
    hits.map((h) => h.vuln.upstream),
    (u) => u === id || aliases.includes(u),
  );
  const inputs: SeverityInput[] = hits.map((h) => ({
    record: h.vuln.id,
    severity: h.vuln.severity,
    ...(h.severity ? { affected: h.severity } : {}),
  }));
  return { pkg, target, hits, id, records, aliases, upstream, scores: collectScores(inputs) };
}

/**
 * The package part of a finding, one object per package and ecosystem: the findings of a
 * package share it (a scan may hold tens of thousands of findings).
 */
function packageOfFindings(): (pkg: ScanPackage, target: MatchTarget, ecosystem: string) => FindingPackage {
  const made = new Map<ScanPackage, Map<string, FindingPackage>>();
  return (pkg, target, ecosystem) => {
    let byEcosystem = made.get(pkg);
    if (!byEcosystem) {
      byEcosystem = new Map();
      made.set(pkg, byEcosystem);
    }
    let found = byEcosystem.get(ecosystem);
    if (!found) {
      found = {
        id: pkg.id,
        name: pkg.name,
        version: pkg.version,
        type: pkg.type,
        ...(pkg.purl ? { purl: pkg.purl } : {}),
        ecosystem,
        ...(target.matchedName ? { matchedName: target.matchedName } : {}),
        ...(target.version !== pkg.version ? { matchedVersion: target.version } : {}),
      };
      byEcosystem.set(ecosystem, found);
    }
    return found;
  };
}

function buildFinding(d: Draft, packageOf: ReturnType<typeof packageOfFindings>): Finding {
  const { pkg, target, hits, id, records, aliases, upstream, scores } = d;
  const fixedVersion = fixedVersionOf(hits, target);
  const summary = hits.find((h) => h.vuln.summary)?.vuln.summary;
  let published: string | undefined;
  for (const hit of hits) {
    const date = hit.vuln.published;
    if (date && (published === undefined || date < published)) published = date;
  }
  return {
    id,
    aliases,
    upstream,
    records,
    ...(summary ? { summary } : {}),
    severity: chooseSeverity(scores, target.distro),
    package: packageOf(pkg, target, hits[0]!.ecosystem),
    ...(fixedVersion ? { fixedVersion } : {}),
    fixState: fixedVersion ? "fixed" : "not-fixed",
    locations: pkg.locations,
    references:
      hits.length === 1 ? unique(hits[0]!.vuln.references) : unique(hits.flatMap((h) => h.vuln.references)),
    ...(published ? { published } : {}),
  };
}

export function matchPackages(
  store: VulnStore,
  packages: readonly ScanPackage[],
  distro: DistroRelease | undefined,
): MatchResult {
  const known = new Set(store.ecosystems().map((e) => e.name));
  const knownList = [...known];
  const stats: MatchStats = {
    packages: packages.length,
    matched: 0,
    unsupported: 0,
    missingData: new Map(),
    unparsed: new Map(),
  };
  const ecosystems = new Set<string>();
  // 1. Evaluate every affected row; remember the matches.
  const matched: Array<{ pkg: ScanPackage; target: MatchTarget; hits: PendingHit[] }> = [];
  for (const pkg of packages) {
    const target = matchTarget(pkg, distro, knownList);
    if (!target) {
      stats.unsupported++;
      continue;
    }
    ecosystems.add(target.base);
    const present = target.ecosystems.filter((e) => known.has(e));
    if (present.length === 0) {
      bump(stats.missingData, target.ecosystems[0] ?? `${target.base} (release unknown)`);
      continue;
    }
    stats.matched++;
    const hits: PendingHit[] = [];
    const seen = new Set<number>();
    let unparsed = false;
    for (const ecosystem of present) {
      for (const name of target.names) {
        for (const match of store.affected(ecosystem, name)) {
          const outcome = evaluate(match.data, target.version, target.scheme);
          if (outcome.unparsed) unparsed = true;
          if (!outcome.affected || seen.has(match.vuln)) continue;
          seen.add(match.vuln);
          const severity = packageSeverity(match.data);
          hits.push({
            ecosystem: match.ecosystem,
            rowid: match.vuln,
            ...(severity ? { severity } : {}),
            ...(outcome.fixed ? { fixed: outcome.fixed } : {}),
          });
        }
      }
    }
    if (unparsed) bump(stats.unparsed, target.base);
    if (hits.length > 0) matched.push({ pkg, target, hits });
  }
  // 2. Load the matched records in batches, group them into vulnerabilities.
  store.load(matched.flatMap((m) => m.hits.map((h) => h.rowid)));
  const drafts: Draft[] = [];
  for (const { pkg, target, hits } of matched) {
    const full: Hit[] = [];
    for (const { rowid, ...hit } of hits) {
      const vuln = store.vuln(rowid);
      if (vuln) full.push({ ...hit, vuln });
    }
    for (const group of groupByAlias(full)) drafts.push(draft(pkg, target, group));
  }
  // 3. Vulnerabilities with no score of their own borrow those of linked records.
  const unscored = drafts.filter((d) => d.scores.length === 0);
  const linked = store.linkedRecordsMany(unscored.map((d) => [d.id, ...d.aliases, ...d.upstream]));
  unscored.forEach((d, i) => {
    const others = linked[i]!.filter((v) => !d.records.includes(v.id));
    d.scores = collectScores(others.map((v) => ({ record: v.id, severity: v.severity })));
  });
  const packageOf = packageOfFindings();
  return { findings: drafts.map((d) => buildFinding(d, packageOf)), stats, ecosystems };
}
