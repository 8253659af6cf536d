import { describe, expect, test } from "vitest";
import { dpkg } from "./dpkg.ts";
import { dpkgVersion } from "./test-helpers/arbitraries.ts";
import { describeLawsOnAnyString, describeOrderingLaws } from "./test-helpers/laws.ts";
import { describeVectors } from "./test-helpers/vectors.ts";

describe("dpkg", () => {
  describeVectors(dpkg);
  describeOrderingLaws(dpkg, dpkgVersion);
  describeLawsOnAnyString(dpkg, "0129abzAZ.+~-: ");

  test("deb-version(7): ~ sorts before everything, even the end; letters (ASCII order) before other characters", () => {
    const ascending = [
      "1.0~~",
      "1.0~~a",
      "1.0~",
      "1.0~beta",
      "1.0",
      "1.0A",
      "1.0a",
      "1.0z",
      "1.0+",
      "1.0.",
      "1.0.1",
    ];
    for (let i = 0; i + 1 < ascending.length; i++) {
      expect(dpkg.compare(ascending[i]!, ascending[i + 1]!), `${ascending[i]} < ${ascending[i + 1]}`).toBe(
        -1,
      );
    }
  });

  test("the epoch wins over everything else and numbers compare by value", () => {
    expect(dpkg.compare("1:0.1", "99.9")).toBe(1);
    expect(dpkg.compare("10:1", "9:1")).toBe(1);
    expect(dpkg.compare("1.0010", "1.10")).toBe(0);
    expect(dpkg.compare("1.0-1", "1.0-1ubuntu1")).toBe(-1);
    expect(dpkg.compare("2.36-9+deb12u7", "2.36-9+deb12u10")).toBe(-1);
  });

  test("huge numbers compare by value without overflow", () => {
    expect(dpkg.compare("1.99999999999999999999", "1.100000000000000000000")).toBe(-1);
  });
});
