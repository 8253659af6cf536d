/**
 * The shape every version comparator exports. Each scheme follows its upstream implementation
 * (linked at the top of its file) and is checked against that project's own test vectors.
 */

/** The result of comparing two versions: negative, zero or positive, always exactly -1, 0 or 1. */
export type Ordering = -1 | 0 | 1;

export interface VersionScheme {
  /** Short scheme name ("dpkg", "apk", "rpm", "pep440", "semver", "go", "maven", "rubygems", "nuget"). */
  readonly name: string;
  /**
   * Orders two version strings. Always total, never throws: for schemes whose upstream only defines
   * an order on well-formed versions, an invalid version sorts before every valid one and invalid
   * versions are equal to each other (golang.org/x/mod/semver's rule). Callers that must not guess
   * check `isValid` first.
   */
  compare(a: string, b: string): Ordering;
  /** Whether the upstream parser accepts the version. */
  isValid(version: string): boolean;
}

export function sign(n: number): Ordering {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Compares two strings by UTF-16 code units, like C's strcmp on ASCII or Java's String.compareTo. */
export function compareStrings(a: string, b: string): Ordering {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares two non-negative decimal digit strings by value, whatever their length. */
export function compareDigits(a: string, b: string): Ordering {
  const x = stripLeadingZeros(a);
  const y = stripLeadingZeros(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return compareStrings(x, y);
}

function stripLeadingZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits[i] === "0") i++;
  return digits.slice(i);
}

/** How many parsed versions a scheme remembers (a scan compares a few thousand distinct ones). */
const PARSED_LIMIT = 50_000;

/**
 * Remembers a parser's results: a scan compares each installed version with every event of
 * every range of its package, so the same strings are parsed over and over. The parsed values
 * are shared, so comparisons must not change them.
 */
export function rememberParses<T extends object | string | null>(
  parse: (version: string) => T,
): (version: string) => T {
  const parsed = new Map<string, T>();
  return (version) => {
    let value = parsed.get(version);
    if (value === undefined) {
      if (parsed.size >= PARSED_LIMIT) parsed.clear();
      value = parse(version);
      parsed.set(version, value);
    }
    return value;
  };
}

/**
 * Builds a total comparison from a parser and a comparison of parsed versions: invalid versions
 * sort first and equal each other. Parses are remembered (rememberParses).
 */
export function totalCompare<T extends object | string>(
  parseVersion: (version: string) => T | null,
  compareParsed: (a: T, b: T) => Ordering,
): (a: string, b: string) => Ordering {
  const parse = rememberParses(parseVersion);
  return (a, b) => {
    const x = parse(a);
    const y = parse(b);
    if (x === null || y === null) return x === null ? (y === null ? 0 : -1) : 1;
    return compareParsed(x, y);
  };
}
