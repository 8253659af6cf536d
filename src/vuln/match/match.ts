/**
 * Matching packages against the database: each package's lookups (targets.ts), each affected
 * row evaluated (evaluate.ts), then the matched records of a package grouped into
 * vulnerabilities: records that share an id or an alias (OSV: aliases are symmetric and
 * transitive) are one finding, with the union of their ids, the fixed version and a severity
 * chosen from all their scores. A finding without any score borrows those of other records of
 * the same vulnerability in the database (the GHSA record of a PYSEC one, say).
 */
import type { AffectedMatch, StoredVuln, VulnStore } from "../db/store.ts";
import {
  chooseSeverity,
  collectScores,
  type SeverityInput,
  type SeverityScore,
} from "../severity/severity.ts";
import type { DistroRelease, Finding, ScanPackage } from "../types.ts";
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
  match: AffectedMatch;
  vuln: StoredVuln;
  fixed?: string;
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

function fixedVersionOf(hits: Hit[], target: MatchTarget): string | undefined {
  const fixes = [...new Set(hits.flatMap((h) => (h.fixed ? [h.fixed] : [])))];
  if (fixes.length === 0) return undefined;
  // Records of one vulnerability should agree; when they do not, the highest fix satisfies all.
  const compare = target.scheme?.compare ?? ((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0));
  return fixes.reduce((a, b) => (compare(a, b) >= 0 ? a : b));
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
  hits.sort((a, b) => (a.vuln.id < b.vuln.id ? -1 : a.vuln.id > b.vuln.id ? 1 : 0));
  const records = [...new Set(hits.map((h) => h.vuln.id))];
  const id = primaryId(hits, records);
  const aliases = [...new Set(hits.flatMap((h) => [h.vuln.id, ...h.vuln.aliases]))]
    .filter((a) => a !== id)
    .sort();
  const upstream = [...new Set(hits.flatMap((h) => h.vuln.upstream))]
    .filter((u) => u !== id && !aliases.includes(u))
    .sort();
  const inputs: SeverityInput[] = hits.map((h) => ({
    record: h.vuln.id,
    severity: h.vuln.severity,
    affected: h.match.data,
  }));
  return { pkg, target, hits, id, records, aliases, upstream, scores: collectScores(inputs) };
}

function buildFinding(d: Draft): Finding {
  const { pkg, target, hits, id, records, aliases, upstream, scores } = d;
  const fixedVersion = fixedVersionOf(hits, target);
  const summary = hits.find((h) => h.vuln.summary)?.vuln.summary;
  const published = hits
    .map((h) => h.vuln.published)
    .filter((p): p is string => Boolean(p))
    .sort()[0];
  const ecosystem = hits[0]!.match.ecosystem;
  return {
    id,
    aliases,
    upstream,
    records,
    ...(summary ? { summary } : {}),
    severity: chooseSeverity(scores, target.distro),
    package: {
      id: pkg.id,
      name: pkg.name,
      version: pkg.version,
      type: pkg.type,
      ...(pkg.purl ? { purl: pkg.purl } : {}),
      ecosystem,
      ...(target.matchedName ? { matchedName: target.matchedName } : {}),
      ...(target.version !== pkg.version ? { matchedVersion: target.version } : {}),
    },
    ...(fixedVersion ? { fixedVersion } : {}),
    fixState: fixedVersion ? "fixed" : "not-fixed",
    locations: pkg.locations,
    references: [...new Set(hits.flatMap((h) => h.vuln.references))],
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
  const matched: Array<{
    pkg: ScanPackage;
    target: MatchTarget;
    hits: Array<Omit<Hit, "vuln"> & { rowid: number }>;
  }> = [];
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
    const hits: Array<Omit<Hit, "vuln"> & { rowid: number }> = [];
    const seen = new Set<number>();
    let unparsed = false;
    for (const ecosystem of present) {
      for (const name of target.names) {
        for (const match of store.affected(ecosystem, name)) {
          const outcome = evaluate(match.data, target.version, target.scheme);
          if (outcome.unparsed) unparsed = true;
          if (!outcome.affected || seen.has(match.vuln)) continue;
          seen.add(match.vuln);
          hits.push({ match, rowid: match.vuln, ...(outcome.fixed ? { fixed: outcome.fixed } : {}) });
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
    const full = hits.flatMap((h) => {
      const vuln = store.vuln(h.rowid);
      return vuln ? [{ match: h.match, vuln, ...(h.fixed ? { fixed: h.fixed } : {}) }] : [];
    });
    for (const group of groupByAlias(full)) drafts.push(draft(pkg, target, group));
  }
  // 3. Vulnerabilities with no score of their own borrow those of linked records.
  const unscored = drafts.filter((d) => d.scores.length === 0);
  const linked = store.linkedRecordsMany(unscored.map((d) => [d.id, ...d.aliases, ...d.upstream]));
  unscored.forEach((d, i) => {
    const others = linked[i]!.filter((v) => !d.records.includes(v.id));
    d.scores = collectScores(others.map((v) => ({ record: v.id, severity: v.severity })));
  });
  return { findings: drafts.map(buildFinding), stats, ecosystems };
}
