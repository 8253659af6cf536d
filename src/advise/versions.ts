/**
 * Version requests as written in project files, turned into sets of versions, so a release
 * line (Python 3.12, Node 24, PHP 8.3) can be tested against them:
 *
 * - npm semver ranges (`engines.node`): https://github.com/npm/node-semver#ranges
 * - PEP 440 specifiers (`requires-python`): https://peps.python.org/pep-0440/#version-specifiers
 * - Poetry constraints (`^3.11`, `~3.11`): https://python-poetry.org/docs/dependency-specification/
 * - Composer constraints (`require.php`): https://getcomposer.org/doc/articles/versions.md
 *
 * A range is a union of intervals. A release line matches when some version of it lies in the
 * range: `^20.9.0` matches line 20, `>=3.10,<3.13` matches 3.10, 3.11 and 3.12.
 */

export type VersionTuple = readonly number[];

interface Bound {
  version: VersionTuple;
  inclusive: boolean;
}

/** Versions between `lower` and `upper`; a missing bound is open. */
export interface Interval {
  lower?: Bound;
  upper?: Bound;
}

export type Dialect = "npm" | "pep440" | "poetry" | "composer";

/** `v20.11.0`, `3.12.4`, `python-3.11.4`, `1.22` → [20, 11, 0] ... ; null when none. */
export function parseVersion(text: string): VersionTuple | null {
  const match = /(\d+(?:\.\d+)*)/.exec(text);
  if (!match) return null;
  return match[1]!.split(".").map(Number);
}

export function compareVersions(a: VersionTuple, b: VersionTuple): number {
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const d = (a[k] ?? 0) - (b[k] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The versions in release line `line` ("3.12" → [3.12, 3.13); "24" → [24, 25)). */
export function lineInterval(line: string): Interval {
  const parts = parseVersion(line) ?? [0];
  const upper = [...parts];
  upper[upper.length - 1] = upper[upper.length - 1]! + 1;
  return { lower: { version: parts, inclusive: true }, upper: { version: upper, inclusive: false } };
}

function lowerBelow(a: Bound | undefined, b: Bound | undefined): boolean {
  // Is the lower bound `a` at or below the upper bound `b` such that the two overlap?
  if (!a || !b) return true;
  const c = compareVersions(a.version, b.version);
  return c < 0 || (c === 0 && a.inclusive && b.inclusive);
}

function overlaps(x: Interval, y: Interval): boolean {
  return lowerBelow(x.lower, y.upper) && lowerBelow(y.lower, x.upper);
}

/** True when some version of release line `line` satisfies the range. */
export function lineSatisfies(line: string, range: Interval[]): boolean {
  const interval = lineInterval(line);
  return range.some((r) => overlaps(r, interval));
}

/** True when an exact version satisfies the range. */
export function versionSatisfies(version: string, range: Interval[]): boolean {
  const v = parseVersion(version);
  if (!v) return false;
  return lineSatisfies(version, range) && range.some((r) => contains(r, v));
}

function contains(r: Interval, v: VersionTuple): boolean {
  if (r.lower) {
    const c = compareVersions(v, r.lower.version);
    if (c < 0 || (c === 0 && !r.lower.inclusive)) return false;
  }
  if (r.upper) {
    const c = compareVersions(v, r.upper.version);
    if (c > 0 || (c === 0 && !r.upper.inclusive)) return false;
  }
  return true;
}

/** Parses a range in the given dialect; null when it cannot be read. */
export function parseRange(text: string, dialect: Dialect): Interval[] | null {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed === "*" || trimmed === "x") return [{}];
  const alternatives = trimmed.split(/\s*\|\|?\s*/).filter((s) => s !== "");
  const result: Interval[] = [];
  for (const alternative of alternatives) {
    const interval = parseConjunction(alternative, dialect);
    if (!interval) return null;
    result.push(interval);
  }
  return result;
}

function parseConjunction(text: string, dialect: Dialect): Interval | null {
  // npm: hyphen ranges `1.2 - 2.3`.
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
  if (hyphen && dialect === "npm") {
    const low = partial(hyphen[1]!);
    const high = partial(hyphen[2]!);
    if (!low || !high) return null;
    return {
      lower: { version: low.parts, inclusive: true },
      upper:
        high.wildcardAt < 3
          ? bump(high.parts, high.parts.length - 1)
          : { version: high.parts, inclusive: true },
    };
  }
  const separator = dialect === "npm" ? /\s+/ : /\s*,\s*|\s+/;
  const comparators = text
    .split(separator)
    .filter((s) => s !== "")
    // "> = 3" style spacing is not valid anywhere; ">= 3.10" (space after operator) is common.
    .reduce<string[]>((acc, word) => {
      const previous = acc[acc.length - 1];
      if (previous !== undefined && /^(?:[<>=!~^]=?|===?|~=)$/.test(previous))
        acc[acc.length - 1] = previous + word;
      else acc.push(word);
      return acc;
    }, []);
  let interval: Interval = {};
  for (const comparator of comparators) {
    const next = parseComparator(comparator, dialect);
    if (next === undefined) continue; // e.g. "!=3.11.0": does not narrow a release line
    if (next === null) return null;
    interval = intersect(interval, next);
  }
  return interval;
}

interface Partial {
  parts: number[];
  /** Index of the first wildcard or missing component (3 when fully given). */
  wildcardAt: number;
}

function partial(text: string): Partial | null {
  const cleaned = text.replace(/^[vV=]+/, "").replace(/^python-?/, "");
  if (cleaned === "" || cleaned === "*" || cleaned === "x" || cleaned === "X")
    return { parts: [], wildcardAt: 0 };
  const parts: number[] = [];
  for (const piece of cleaned.split(/[.]/)) {
    if (/^[*xX]$/.test(piece)) break;
    const number = /^(\d+)/.exec(piece);
    if (!number) return null;
    parts.push(Number(number[1]));
    // A pre-release or local suffix ends the numeric part: "3.13.0rc1", "1.2.3-beta".
    if (number[1]!.length !== piece.length) break;
  }
  if (parts.length === 0) return null;
  return { parts, wildcardAt: parts.length };
}

/** Upper bound that increments component `index` of `parts` (exclusive). */
function bump(parts: readonly number[], index: number): Bound {
  const version = parts.slice(0, index + 1);
  if (version.length === 0) return { version: [Number.MAX_SAFE_INTEGER], inclusive: false };
  version[index] = (version[index] ?? 0) + 1;
  return { version, inclusive: false };
}

/** undefined = ignore (does not narrow); null = unreadable. */
function parseComparator(text: string, dialect: Dialect): Interval | null | undefined {
  const match = /^(===|==|!=|~=|>=|<=|>|<|=|\^|~>?|@)?\s*(.+)$/.exec(text);
  if (!match) return null;
  const operator = match[1] ?? "";
  const version = partial(match[2]!);
  if (!version) return null;
  const { parts, wildcardAt } = version;
  if (parts.length === 0) return operator === "" || operator === "=" || operator === "==" ? {} : null;
  const last = parts.length - 1;
  switch (operator) {
    case "!=":
      return undefined;
    case ">=":
      return { lower: { version: parts, inclusive: true } };
    case ">":
      // npm `>1.2` means >= 1.3.0 (a partial bumps); PEP 440 `>3.9` excludes 3.9 itself.
      return dialect === "npm" && wildcardAt < 3
        ? { lower: { version: bump(parts, last).version, inclusive: true } }
        : { lower: { version: parts, inclusive: false } };
    case "<":
      return { upper: { version: parts, inclusive: false } };
    case "<=":
      return dialect === "npm" && wildcardAt < 3
        ? { upper: bump(parts, last) }
        : { upper: { version: parts, inclusive: true } };
    case "^":
      return caret(parts, dialect);
    case "~":
    case "~>":
      return tilde(parts, dialect);
    case "~=":
      // PEP 440 compatible release: ~=3.10 → >=3.10, ==3.*; ~=3.10.2 → >=3.10.2, ==3.10.*.
      if (parts.length < 2) return null;
      return { lower: { version: parts, inclusive: true }, upper: bump(parts, last - 1) };
    case "===":
      return { lower: { version: parts, inclusive: true }, upper: { version: parts, inclusive: true } };
    default: {
      // "", "=", "==": exact, or a wildcard/partial version (3.11.*, 20, 8.2.*).
      const wildcard = /[*xX]$/.test(match[2]!) || (dialect !== "pep440" && wildcardAt < 3);
      if (dialect === "poetry" && operator === "" && !wildcard) {
        // Poetry: a bare version is exact ("3.11" → ==3.11).
        return { lower: { version: parts, inclusive: true }, upper: { version: parts, inclusive: true } };
      }
      if (wildcard) return { lower: { version: parts, inclusive: true }, upper: bump(parts, last) };
      if (dialect === "pep440") {
        // "==3.11" matches 3.11 and 3.11.0 only; treat it as that release line's start.
        return { lower: { version: parts, inclusive: true }, upper: { version: parts, inclusive: true } };
      }
      return { lower: { version: parts, inclusive: true }, upper: { version: parts, inclusive: true } };
    }
  }
}

function caret(parts: readonly number[], dialect: Dialect): Interval {
  // The leftmost non-zero component may not change (npm, Poetry, Composer agree).
  let index = parts.findIndex((p) => p !== 0);
  if (index === -1) index = parts.length - 1;
  if (dialect === "composer" && index > 0 && parts[0] === 0) index = Math.min(index, 1);
  return { lower: { version: parts, inclusive: true }, upper: bump(parts, index) };
}

function tilde(parts: readonly number[], dialect: Dialect): Interval {
  // npm/Poetry: ~1.2 and ~1.2.3 fix the minor; ~1 fixes the major.
  // Composer: ~1.2 means >=1.2 <2.0 (the last given component may grow); ~1.2.3 → <1.3.
  const index = dialect === "composer" ? Math.max(0, parts.length - 2) : Math.min(1, parts.length - 1);
  return { lower: { version: parts, inclusive: true }, upper: bump(parts, index) };
}

function intersect(a: Interval, b: Interval): Interval {
  const lower = !a.lower ? b.lower : !b.lower ? a.lower : maxLower(a.lower, b.lower);
  const upper = !a.upper ? b.upper : !b.upper ? a.upper : minUpper(a.upper, b.upper);
  return { ...(lower ? { lower } : {}), ...(upper ? { upper } : {}) };
}

function maxLower(a: Bound, b: Bound): Bound {
  const c = compareVersions(a.version, b.version);
  if (c !== 0) return c > 0 ? a : b;
  return a.inclusive ? b : a;
}

function minUpper(a: Bound, b: Bound): Bound {
  const c = compareVersions(a.version, b.version);
  if (c !== 0) return c < 0 ? a : b;
  return a.inclusive ? b : a;
}

/**
 * Picks a release line for a range: `preferred` when it matches (the line with the widest
 * ecosystem support), else the newest matching line. Lines are ordered oldest first.
 */
export function pickLine(
  lines: readonly string[],
  range: Interval[],
  preferred?: string,
): { line: string; matching: string[] } | null {
  const matching = lines.filter((line) => lineSatisfies(line, range));
  if (matching.length === 0) return null;
  const line = preferred && matching.includes(preferred) ? preferred : matching[matching.length - 1]!;
  return { line, matching };
}

/** The release line ("3.12", "24") a version falls in, given how many components a line has. */
export function lineOf(version: string, components: number): string | null {
  const parts = parseVersion(version);
  if (!parts) return null;
  return parts.slice(0, components).join(".");
}
