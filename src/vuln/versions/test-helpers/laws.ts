/**
 * Ordering laws every scheme must satisfy on the versions an arbitrary generates: compare is
 * reflexive, antisymmetric and transitive, and sorting with it gives an ascending list.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { VersionScheme } from "../types.ts";

const RUNS = 400;

export function describeOrderingLaws(
  scheme: VersionScheme,
  versions: fc.Arbitrary<string>,
  label = "generated versions",
): void {
  describe(`ordering laws on ${label}`, () => {
    test("reflexive: compare(a, a) = 0", () => {
      fc.assert(
        fc.property(versions, (a) => scheme.compare(a, a) === 0),
        { numRuns: RUNS },
      );
    });

    test("antisymmetric: compare(a, b) = -compare(b, a)", () => {
      fc.assert(
        fc.property(versions, versions, (a, b) => scheme.compare(a, b) === (-scheme.compare(b, a) || 0)),
        { numRuns: RUNS },
      );
    });

    test("transitive: a <= b and b <= c imply a <= c (and equality carries over)", () => {
      fc.assert(
        fc.property(fc.array(versions, { minLength: 3, maxLength: 3 }), (triple) => {
          // Sorting the triple first makes every run exercise the implication.
          const [a, b, c] = [...triple].sort((x, y) => scheme.compare(x, y)) as [string, string, string];
          const ab = scheme.compare(a, b);
          const bc = scheme.compare(b, c);
          const ac = scheme.compare(a, c);
          if (ab > 0 || bc > 0) return false;
          if (ab === 0 && bc === 0) return ac === 0;
          return ac < 0;
        }),
        { numRuns: RUNS },
      );
    });

    test("sorting gives a list where every earlier version is <= every later one", () => {
      fc.assert(
        fc.property(fc.array(versions, { maxLength: 12 }), (list) => {
          const sorted = [...list].sort((x, y) => scheme.compare(x, y));
          for (let i = 0; i < sorted.length; i++) {
            for (let j = i + 1; j < sorted.length; j++) {
              if (scheme.compare(sorted[i]!, sorted[j]!) > 0) return false;
            }
          }
          return true;
        }),
        { numRuns: RUNS },
      );
    });

    test("the generator produces versions the scheme calls valid", () => {
      fc.assert(
        fc.property(versions, (v) => scheme.isValid(v)),
        { numRuns: RUNS },
      );
    });
  });
}

/** Laws that hold on any string, valid or not, for schemes whose upstream order is total. */
export function describeLawsOnAnyString(scheme: VersionScheme, alphabet: string): void {
  const anyString = fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 12 });
  describe("ordering laws on arbitrary strings", () => {
    test("reflexive, antisymmetric and transitive", () => {
      fc.assert(
        fc.property(anyString, anyString, anyString, (a, b, c) => {
          expect(scheme.compare(a, a)).toBe(0);
          expect(scheme.compare(a, b)).toBe(-scheme.compare(b, a) || 0);
          const [x, y, z] = [a, b, c].sort((p, q) => scheme.compare(p, q)) as [string, string, string];
          expect(scheme.compare(x, y)).toBeLessThanOrEqual(0);
          expect(scheme.compare(y, z)).toBeLessThanOrEqual(0);
          expect(scheme.compare(x, z)).toBeLessThanOrEqual(0);
          if (scheme.compare(x, y) === 0 && scheme.compare(y, z) === 0) expect(scheme.compare(x, z)).toBe(0);
        }),
        { numRuns: RUNS * 2 },
      );
    });
  });
}
