import { describe, expect, test } from "vitest";
import { rpm, rpmvercmp, splitEVR } from "./rpm.ts";
import { rpmVersion } from "./test-helpers/arbitraries.ts";
import { describeLawsOnAnyString, describeOrderingLaws } from "./test-helpers/laws.ts";
import { describeVectors, loadVectors } from "./test-helpers/vectors.ts";

describe("rpm", () => {
  const vectors = loadVectors("rpm");
  describeVectors(rpm, vectors);
  describeOrderingLaws(rpm, rpmVersion);
  describeLawsOnAnyString(rpm, "019azAZ._+~^-:");

  describe("EVR splits from rpm's tests", () => {
    const splits = vectors.sets.flatMap(
      (set) => (set["evr"] ?? []) as [string, string | null, string, string | null][],
    );
    test.each(splits)("splitEVR(%j) = (%j, %j, %j)", (evr, epoch, version, release) => {
      expect(splitEVR(evr)).toEqual({ epoch, version, release });
    });
  });

  test("rpmvercmp on the version alone ignores the epoch syntax", () => {
    expect(rpmvercmp("1:1.0", "2.0")).toBe(-1);
    expect(rpm.compare("1:1.0", "2.0")).toBe(1);
  });

  test("a missing epoch is 0 and a missing release sorts before any release", () => {
    expect(rpm.compare("0:1.0-1", "1.0-1")).toBe(0);
    expect(rpm.compare("1.0", "1.0-1")).toBe(-1);
    expect(rpm.compare("1.2.3-4.el9", "1.2.3-4.el9_1")).toBe(-1);
    expect(rpm.compare("2:1.0-1.el8", "1:9.9-9.el8")).toBe(1);
  });

  test("validity: rpmbuild's characters, no empty epoch or parts", () => {
    for (const good of ["1.0", "1:1.0-1.el9", "1.0~rc1^git2-0.1", "2.3_4+5"])
      expect(rpm.isValid(good), good).toBe(true);
    for (const bad of ["", ":1.0", "1.0-", "-1", "a:1.0", "1..0", "1.0 1", "1.0-1-2:3", "1.0%{dist}"]) {
      expect(rpm.isValid(bad), bad).toBe(false);
    }
  });
});
