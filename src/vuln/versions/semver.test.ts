import { describe, expect, test } from "vitest";
import { semver } from "./semver.ts";
import { semverVersion } from "./test-helpers/arbitraries.ts";
import { describeOrderingLaws } from "./test-helpers/laws.ts";
import { describeVectors } from "./test-helpers/vectors.ts";

describe("semver", () => {
  describeVectors(semver);
  describeOrderingLaws(semver, semverVersion);

  test("build metadata does not affect order; invalid versions sort first and equal each other", () => {
    expect(semver.compare("1.0.0+a", "1.0.0+b")).toBe(0);
    expect(semver.compare("not a version", "0.0.0-0")).toBe(-1);
    expect(semver.compare("1.2", "junk")).toBe(0);
    expect(semver.isValid("1.2")).toBe(false);
    expect(semver.isValid("01.2.3")).toBe(false);
  });
});
