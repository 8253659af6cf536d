import { describe, expect, test } from "vitest";
import { maven } from "./maven.ts";
import { mavenVersion } from "./test-helpers/arbitraries.ts";
import { describeOrderingLaws } from "./test-helpers/laws.ts";
import { describeVectors } from "./test-helpers/vectors.ts";

describe("maven", () => {
  describeVectors(maven);
  describeOrderingLaws(maven, mavenVersion);

  // ComparableVersion is not transitive on every string: a sub-list sorts above any qualifier
  // (1cr = [1, [rc]] > 1.b- = [1, b]) but compares with a missing item by its contents, and a
  // release alias between dots (11.release.1 = [11, "", 1]) is a qualifier, not a sub-list.
  // fast-check finds such cycles; the laws above hold on the shapes mavenVersion generates.
  test("upstream's own cycles are reproduced, not hidden", () => {
    expect(maven.compare("1.b-", "1cr")).toBe(-1);
    expect(maven.compare("1cr", "01")).toBe(-1);
    expect(maven.compare("01", "1.b-")).toBe(-1);

    expect(maven.compare("11.alpha", "11")).toBe(-1);
    expect(maven.compare("11", "11.release.1")).toBe(-1);
    expect(maven.compare("11.release.1", "11.alpha")).toBe(-1);
  });

  test("the qualifier order of the POM reference", () => {
    const ascending = [
      "1-alpha",
      "1-beta",
      "1-milestone",
      "1-rc",
      "1-snapshot",
      "1",
      "1-sp",
      "1-abc",
      "1-1",
      "1.1",
    ];
    for (let i = 0; i + 1 < ascending.length; i++) {
      expect(maven.compare(ascending[i]!, ascending[i + 1]!), `${ascending[i]} < ${ascending[i + 1]}`).toBe(
        -1,
      );
    }
    expect(maven.compare("1.0.0.RELEASE", "1")).toBe(0);
    expect(maven.compare("2.17.1", "2.17.0")).toBe(1);
    expect(maven.compare("5.3.18", "5.3.9")).toBe(1);
  });

  test("numbers of any length, and Maven's int/long/BigInteger item quirk for all-zero runs", () => {
    expect(maven.compare("1.12345678901234567890", "1.12345678901234567891")).toBe(-1);
    expect(maven.compare("1.0000000000.1", "1.5.1")).toBe(1);
  });
});
