import { describe, expect, test } from "vitest";
import { parseGemVersion, rubygems } from "./rubygems.ts";
import { rubygemsVersion } from "./test-helpers/arbitraries.ts";
import { describeOrderingLaws } from "./test-helpers/laws.ts";
import { describeVectors, loadVectors } from "./test-helpers/vectors.ts";

describe("rubygems", () => {
  const vectors = loadVectors("rubygems");
  describeVectors(rubygems, vectors);
  describeOrderingLaws(rubygems, rubygemsVersion);

  describe("canonical segments from test_canonical_segments", () => {
    const cases = vectors.sets.flatMap(
      (set) => (set["canonicalSegments"] ?? []) as [string, (number | string)[]][],
    );
    test.each(cases)("%j -> %j", (version, segments) => {
      const parsed = parseGemVersion(version)!.map((s) => (s.numeric ? Number(s.text) : s.text));
      expect(parsed).toEqual(segments);
    });
  });

  test("a letter makes a pre-release; - means .pre.", () => {
    expect(rubygems.compare("1.0.0.rc1", "1.0.0")).toBe(-1);
    expect(rubygems.compare("1.0.0-1", "1.0.0.pre.1")).toBe(0);
    expect(rubygems.compare("7.0.4.3", "7.0.4")).toBe(1);
    expect(rubygems.compare("junk", "0")).toBe(-1);
  });
});
