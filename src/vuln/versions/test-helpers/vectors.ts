/**
 * Runs the upstream test vectors transcribed in `../__fixtures__/<scheme>.vectors.json`. Each set
 * names its upstream file and commit; the kinds of facts it may hold are listed in VectorSet.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import type { VersionScheme } from "../types.ts";

export interface VectorSource {
  repository: string;
  path: string;
  commit: string;
  tag?: string;
  note?: string;
}

export interface VectorSet {
  source: VectorSource;
  /** [a, b, expected compare(a, b)] */
  comparisons?: [string, string, number][];
  /** Lists in strictly ascending order. */
  ordered?: string[][];
  /** Equivalence classes in ascending order: equal within a class, ascending across classes. */
  ranked?: string[][];
  /** Versions that all compare equal, per list. */
  equalClasses?: string[][];
  equal?: [string, string][];
  /** Pairs that do not compare equal (the upstream test does not say which is greater). */
  notEqual?: [string, string][];
  valid?: string[];
  invalid?: string[];
  [extra: string]: unknown;
}

export interface VectorFile {
  scheme: string;
  sets: VectorSet[];
}

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "__fixtures__");

export function loadVectors(scheme: string): VectorFile {
  return JSON.parse(readFileSync(join(FIXTURES, `${scheme}.vectors.json`), "utf8")) as VectorFile;
}

/** Registers one test per vector, in a describe block per upstream file. */
export function describeVectors(scheme: VersionScheme, file: VectorFile = loadVectors(scheme.name)): void {
  for (const set of file.sets) {
    describe(`upstream vectors: ${set.source.path} @ ${set.source.commit.slice(0, 12)}`, () => {
      registerSet(scheme, set);
    });
  }
}

function registerSet(scheme: VersionScheme, set: VectorSet): void {
  const compare = (a: string, b: string) => scheme.compare(a, b);
  if (set.comparisons?.length) {
    test.each(set.comparisons)("compare(%j, %j) = %i", (a, b, expected) => {
      expect(compare(a, b)).toBe(expected);
      expect(compare(b, a)).toBe(-expected || 0);
    });
  }
  const pairsOf = (classes: string[][]) => classes.map((c, i) => [c, i] as const);
  if (set.ordered?.length) {
    test.each(set.ordered.map((list) => [list.length, list] as const))(
      "%i versions in ascending order",
      (_, list) => {
        expectRanked(
          scheme,
          list.map((v) => [v]),
        );
      },
    );
  }
  if (set.ranked?.length) {
    test(`${set.ranked.length} equivalence classes in ascending order`, () =>
      expectRanked(scheme, set.ranked!));
  }
  if (set.equalClasses?.length) {
    test.each(pairsOf(set.equalClasses))("all equal: %j", (versions) => expectRanked(scheme, [versions]));
  }
  if (set.equal?.length) {
    test.each(set.equal)("%j = %j", (a, b) => {
      expect(compare(a, b)).toBe(0);
      expect(compare(b, a)).toBe(0);
    });
  }
  if (set.notEqual?.length) {
    test.each(set.notEqual)("%j != %j", (a, b) => {
      expect(compare(a, b)).not.toBe(0);
      expect(compare(b, a)).toBe(-compare(a, b));
    });
  }
  if (set.valid?.length) {
    test.each(set.valid)("valid: %j", (version) => expect(scheme.isValid(version)).toBe(true));
  }
  if (set.invalid?.length) {
    test.each(set.invalid)("invalid: %j", (version) => expect(scheme.isValid(version)).toBe(false));
  }
}

/** Every pair within a class compares 0; every pair across classes follows the class order. */
function expectRanked(scheme: VersionScheme, classes: string[][]): void {
  const failures: string[] = [];
  classes.forEach((left, i) => {
    classes.forEach((right, j) => {
      const expected = Math.sign(i - j);
      for (const a of left) {
        for (const b of right) {
          const got = scheme.compare(a, b);
          if (got !== expected)
            failures.push(`compare(${JSON.stringify(a)}, ${JSON.stringify(b)}) = ${got}, want ${expected}`);
        }
      }
    });
  });
  expect(failures).toEqual([]);
}
