/**
 * Differential test: our rpm comparator against rpm's own `rpm.vercmp` (Lua, through
 * `rpm --eval`) on generated pairs, all in one rpm process. Needs Debian's `rpm` package, which
 * .ci/run installs; fails, never skips, when rpm is missing.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { rpm } from "./rpm.ts";
import { rpmVersion } from "./test-helpers/arbitraries.ts";
import {
  disagreements,
  loadPairsFromVectors,
  requireTool,
  rpmCompare,
  samplePairs,
} from "./test-helpers/oracles.ts";

describe("rpm against rpm.vercmp", () => {
  beforeAll(() => requireTool("rpm", ["--version"], "apt-get install rpm"));

  test("upstream vectors: rpm agrees with them too", () => {
    const pairs = loadPairsFromVectors("rpm", (v) => v !== "");
    expect(disagreements(pairs, rpm.compare, rpmCompare(pairs))).toEqual([]);
  });

  test("5000 generated pairs", () => {
    const pairs = samplePairs(rpmVersion, 5000, 20250101, rpm.isValid);
    expect(disagreements(pairs, rpm.compare, rpmCompare(pairs))).toEqual([]);
  });
});
