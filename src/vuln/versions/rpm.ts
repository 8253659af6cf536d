/**
 * RPM versions, `[epoch:]version[-release]`, compared with rpmvercmp.
 *
 * Spec: https://rpm-software-management.github.io/rpm/manual/dependencies.html#versioning
 * Reference implementation: rpm's rpmio/rpmvercmp.cc (rpmvercmp) and rpmio/rpmver.cc (parseEVR,
 * rpmverCmp), https://github.com/rpm-software-management/rpm
 *
 * Used for the OSV ecosystems Red Hat, Rocky Linux, AlmaLinux, openSUSE, SUSE and other RPM distros.
 */
import { compareDigits, compareStrings, type Ordering, type VersionScheme } from "./types.ts";

export interface EpochVersionRelease {
  /** Null when the string has no `epoch:` prefix; compared as "0". */
  epoch: string | null;
  version: string;
  /** Null when the string has no `-release` suffix; a missing release sorts before any release. */
  release: string | null;
}

export const rpm: VersionScheme = {
  name: "rpm",
  compare(a, b) {
    const x = splitEVR(a);
    const y = splitEVR(b);
    return (
      rpmvercmp(x.epoch ?? "0", y.epoch ?? "0") ||
      rpmvercmp(x.version, y.version) ||
      compareOptional(x.release, y.release)
    );
  },
  isValid(version) {
    if (version.startsWith(":")) return false; // an empty epoch
    const { version: v, release } = splitEVR(version);
    return isValidField(v) && (release === null || isValidField(release));
  },
};

/**
 * Splits `[epoch:]version[-release]` like rpm's parseEVR: the epoch is the leading digits when a
 * colon follows them, the release is what follows the last hyphen after the epoch.
 */
export function splitEVR(evr: string): EpochVersionRelease {
  const epochMatch = /^([0-9]*):/.exec(evr);
  const epoch = epochMatch ? epochMatch[1] || "0" : null;
  const rest = epochMatch ? evr.slice(epochMatch[0].length) : evr;
  const hyphen = rest.lastIndexOf("-");
  if (hyphen < 0) return { epoch, version: rest, release: null };
  return { epoch, version: rest.slice(0, hyphen), release: rest.slice(hyphen + 1) };
}

/** rpmbuild's check of Version and Release: ASCII letters, digits and `._+~^`, no "..". */
function isValidField(field: string): boolean {
  return /^[A-Za-z0-9._+~^]+$/.test(field) && !field.includes("..");
}

function compareOptional(a: string | null, b: string | null): Ordering {
  if (a === null || b === null) return a === null ? (b === null ? 0 : -1) : 1;
  return rpmvercmp(a, b);
}

/**
 * rpmvercmp: both strings are cut into runs of ASCII digits or ASCII letters, everything else
 * separating them. `~` sorts before anything, even the end of the string; `^` sorts after the end
 * of the string but before anything else. Digit runs beat letter runs; digit runs compare by
 * value, letter runs by strcmp. When all runs match, the string with runs left over wins.
 */
export function rpmvercmp(a: string, b: string): Ordering {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    i = skipSeparators(a, i);
    j = skipSeparators(b, j);

    const tildeA = a[i] === "~";
    const tildeB = b[j] === "~";
    if (tildeA || tildeB) {
      if (!tildeA) return 1;
      if (!tildeB) return -1;
      i++;
      j++;
      continue;
    }

    const caretA = a[i] === "^";
    const caretB = b[j] === "^";
    if (caretA || caretB) {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (!caretA) return 1;
      if (!caretB) return -1;
      i++;
      j++;
      continue;
    }

    if (i >= a.length || j >= b.length) break;

    const numeric = isDigit(a.charCodeAt(i));
    const runA = takeRun(a, i, numeric);
    const runB = takeRun(b, j, numeric);
    // A digit run against a letter run (the other's run of the same kind is empty): digits win.
    if (runB === "") return numeric ? 1 : -1;
    const order = numeric ? compareDigits(runA, runB) : compareStrings(runA, runB);
    if (order !== 0) return order;
    i += runA.length;
    j += runB.length;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

function skipSeparators(text: string, start: number): number {
  let index = start;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (isDigit(code) || isAsciiLetter(code) || code === 0x7e /* ~ */ || code === 0x5e /* ^ */) break;
    index++;
  }
  return index;
}

function takeRun(text: string, start: number, numeric: boolean): string {
  let end = start;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    if (numeric ? !isDigit(code) : !isAsciiLetter(code)) break;
    end++;
  }
  return text.slice(start, end);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}
