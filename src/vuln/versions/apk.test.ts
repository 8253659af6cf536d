import { describe, expect, test } from "vitest";
import { apk } from "./apk.ts";
import { apkVersion } from "./test-helpers/arbitraries.ts";
import { describeLawsOnAnyString, describeOrderingLaws } from "./test-helpers/laws.ts";
import { describeVectors } from "./test-helpers/vectors.ts";

describe("apk", () => {
  describeVectors(apk);
  describeOrderingLaws(apk, apkVersion());
  describeLawsOnAnyString(apk, "0129abpr._-~");

  test("pre-release suffixes sort before the release, post-release ones after", () => {
    const ascending = [
      "1.0_alpha",
      "1.0_beta",
      "1.0_pre",
      "1.0_rc",
      "1.0",
      "1.0_cvs",
      "1.0_svn",
      "1.0_git",
      "1.0_hg",
      "1.0_p",
    ];
    for (let i = 0; i + 1 < ascending.length; i++) {
      expect(apk.compare(ascending[i]!, ascending[i + 1]!), `${ascending[i]} < ${ascending[i + 1]}`).toBe(-1);
    }
  });

  test("revisions, letters and commit hashes", () => {
    expect(apk.compare("1.2.3-r0", "1.2.3-r10")).toBe(-1);
    expect(apk.compare("1.2.3", "1.2.3-r0")).toBe(-1);
    expect(apk.compare("1.2.3a", "1.2.3b")).toBe(-1);
    expect(apk.compare("1.2.3a", "1.2.4")).toBe(-1);
    expect(apk.compare("1.0~abc-r1", "1.0~abd-r0")).toBe(-1);
    expect(apk.compare("3.0.14-r0", "3.0.8-r2")).toBe(1);
  });
});
