/**
 * Whether a version is affected by one OSV affected entry, by the schema's evaluation
 * algorithm (https://ossf.github.io/osv-schema/#evaluation): listed in `versions`, or inside a
 * range: events sorted by version ("0" first), `introduced` opens, `fixed` closes at the fix,
 * `last_affected` closes after it, and `limit` events bound the range from above. SEMVER ranges
 * compare by SemVer 2.0 (a leading "v" of the installed version is dropped); ECOSYSTEM ranges
 * by the ecosystem's own scheme. Overlapping intervals are read both ways (inWrittenIntervals),
 * so an overlap never hides an affected version. Versions the scheme cannot parse are not compared (no guess):
 * only the `versions` list can match them.
 */
import type { StoredAffected, StoredEvent, StoredRange } from "../db/rows.ts";
import { semver } from "../versions/index.ts";
import type { VersionScheme } from "../versions/types.ts";

export interface Evaluation {
  affected: boolean;
  /** The first fixed version after the installed one in the range that matched. */
  fixed?: string;
  /** A range could not be evaluated because the installed version does not parse. */
  unparsed?: boolean;
}

type Compare = (a: string, b: string) => number;

const sortKey = ([kind, version]: StoredEvent) => (kind === "i" && version === "0" ? null : version);

function compareKeys(a: string | null, b: string | null, compare: Compare): number {
  return a === null ? (b === null ? 0 : -1) : b === null ? 1 : compare(a, b);
}

/** Events by version ("0" first), in written order among equals: a stable sort. */
function sortEvents(events: readonly StoredEvent[], compare: Compare): readonly StoredEvent[] {
  // Records almost always list events in order: checking costs fewer comparisons than sorting.
  let sorted = true;
  for (let i = 1; sorted && i < events.length; i++)
    sorted = compareKeys(sortKey(events[i - 1]!), sortKey(events[i]!), compare) <= 0;
  if (sorted) return events;
  return events
    .map((event, index) => ({ event, index }))
    .sort((x, y) => compareKeys(sortKey(x.event), sortKey(y.event), compare) || x.index - y.index)
    .map((e) => e.event);
}

function beforeLimits(version: string, events: readonly StoredEvent[], compare: Compare): boolean {
  let limited = false;
  for (const [kind, limit] of events) {
    if (kind !== "x") continue;
    if (limit === "*" || compare(version, limit) < 0) return true;
    limited = true;
  }
  return !limited;
}

/**
 * Intervals as written: an `introduced` immediately followed by a higher `fixed` or
 * `last_affected`. Real records overlap intervals (wagtail's PYSEC-2021-114 lists
 * [2.11, 2.11.7) and [0, 2.11.6)), where the sorted walk closes the first interval at the
 * second's fix; osv.dev's own versions lists follow the intervals as written. Pairs that are
 * not in order, and open-ended introductions, are left to the sorted walk.
 */
function inWrittenIntervals(version: string, events: readonly StoredEvent[], compare: Compare): Evaluation {
  for (let i = 0; i + 1 < events.length; i++) {
    const [kind, start] = events[i]!;
    const [endKind, end] = events[i + 1]!;
    if (kind !== "i" || (endKind !== "f" && endKind !== "l")) continue;
    if (start !== "0" && (compare(end, start) <= 0 || compare(version, start) < 0)) continue;
    if (endKind === "f" && compare(version, end) < 0) return { affected: true, fixed: end };
    if (endKind === "l" && compare(version, end) <= 0) return { affected: true };
  }
  return { affected: false };
}

/**
 * Evaluates one range: the schema's sorted walk, or else the intervals as written (see
 * inWrittenIntervals). `fixed` is the next fix above the version when it is affected.
 */
export function inRange(version: string, range: StoredRange, compare: Compare): Evaluation {
  if (!beforeLimits(version, range.e, compare)) return { affected: false };
  const walked = sortedWalk(version, range, compare);
  // Two events are one interval either way.
  return walked.affected || range.e.length <= 2 ? walked : inWrittenIntervals(version, range.e, compare);
}

/**
 * The schema's walk over the sorted events. Once an event lies above the version, no later one
 * can change the outcome (they all lie above it too), so the walk stops there; the first fix
 * from there on is the version to upgrade to.
 */
function sortedWalk(version: string, range: StoredRange, compare: Compare): Evaluation {
  const sorted = sortEvents(range.e, compare);
  let affected = false;
  for (let i = 0; i < sorted.length; i++) {
    const [kind, at] = sorted[i]!;
    if (kind === "x") continue;
    if (kind === "i" && at === "0") {
      affected = true;
      continue;
    }
    const order = compare(version, at);
    if (order < 0) {
      if (!affected) return { affected };
      const fix = sorted.slice(i).find(([k]) => k === "f");
      return fix ? { affected, fixed: fix[1] } : { affected };
    }
    if (kind === "i") affected = true;
    else if (kind === "f") affected = false;
    else if (kind === "l" && order > 0) affected = false;
  }
  return { affected };
}

const withoutV = (version: string) => (/^v\d/.test(version) ? version.slice(1) : version);

/** Whether a scheme parses a version, remembered: a package's version meets many rows. */
const validity = new Map<VersionScheme, Map<string, boolean>>();
function parses(scheme: VersionScheme, version: string): boolean {
  let known = validity.get(scheme);
  if (!known) {
    known = new Map();
    validity.set(scheme, known);
  }
  let valid = known.get(version);
  if (valid === undefined) {
    if (known.size > 100_000) known.clear();
    valid = scheme.isValid(version);
    known.set(version, valid);
  }
  return valid;
}

export function evaluate(data: StoredAffected, version: string, scheme: VersionScheme | null): Evaluation {
  let unparsed = false;
  let listed = data.v?.includes(version) ?? false;
  let result: Evaluation | undefined;
  let evaluated = false;
  for (const range of data.r ?? []) {
    const useSemver = range.t === "S";
    const rangeScheme = useSemver ? semver : scheme;
    const candidate = useSemver ? withoutV(version) : version;
    if (!rangeScheme || !parses(rangeScheme, candidate)) {
      unparsed = true;
      continue;
    }
    evaluated = true;
    const outcome = inRange(candidate, range, rangeScheme.compare);
    if (outcome.affected && (!result || (!result.fixed && outcome.fixed))) result = outcome;
  }
  if (!listed && !evaluated && scheme && data.v && data.v.length > 0 && scheme.isValid(version)) {
    // With no range to go by, a `versions` list may spell a version differently (PyPI "1.0" and
    // "1.0.0" are one version). Where ranges were evaluated the list adds exact strings only.
    listed = data.v.some((v) => scheme.isValid(v) && scheme.compare(v, version) === 0);
  }
  if (result) return result;
  if (listed) return { affected: true };
  return unparsed ? { affected: false, unparsed } : { affected: false };
}
