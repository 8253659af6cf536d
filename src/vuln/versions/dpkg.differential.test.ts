/**
 * Differential test: our dpkg comparator against `dpkg --compare-versions` on generated pairs.
 * dpkg is part of every Debian system, so this runs in the unit suite; it fails, never skips,
 * when dpkg is missing.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { dpkg } from "./dpkg.ts";
import { dpkgVersion } from "./test-helpers/arbitraries.ts";
import {
  disagreements,
  dpkgCompare,
  loadPairsFromVectors,
  requireTool,
  samplePairs,
} from "./test-helpers/oracles.ts";

describe("dpkg against dpkg --compare-versions", () => {
  beforeAll(() => requireTool("dpkg", ["--version"], "it comes with Debian"));

  test("upstream vectors: dpkg agrees with them too", () => {
    // The shell loop reads tab-separated lines, so versions with surrounding blanks stay out.
    const pairs = loadPairsFromVectors("dpkg", (v) => dpkg.isValid(v) && !/\s/.test(v));
    expect(disagreements(pairs, dpkg.compare, dpkgCompare(pairs))).toEqual([]);
  });

  test("600 generated pairs", () => {
    const pairs = samplePairs(dpkgVersion, 600, 20250101, dpkg.isValid);
    expect(disagreements(pairs, dpkg.compare, dpkgCompare(pairs))).toEqual([]);
  }, 60_000);
});
