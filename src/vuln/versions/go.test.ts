import { describe, expect, test } from "vitest";
import { go } from "./go.ts";
import { goVersion } from "./test-helpers/arbitraries.ts";
import { describeOrderingLaws } from "./test-helpers/laws.ts";
import { describeVectors } from "./test-helpers/vectors.ts";

describe("go", () => {
  describeVectors(go);
  describeOrderingLaws(go, goVersion);

  test("OSV writes Go versions without the v", () => {
    expect(go.compare("1.2.3", "v1.2.3")).toBe(0);
    expect(go.compare("0.0.0-20191109021931-daa7c04131f5", "v0.1.0")).toBe(-1);
    expect(go.isValid("1.20.1")).toBe(true);
  });

  test("pseudo-versions sort as pre-releases, by timestamp", () => {
    const ascending = [
      "v0.0.0-20191109021931-daa7c04131f5",
      "v0.0.0-20191109021932-000000000000",
      "v0.0.0",
      "v0.0.1-0.20200101000000-abcdefabcdef",
      "v0.0.1",
      "v1.2.3",
      "v1.2.4-0.20200101000000-abcdefabcdef",
      "v1.2.4",
    ];
    for (let i = 0; i + 1 < ascending.length; i++) {
      expect(go.compare(ascending[i]!, ascending[i + 1]!), `${ascending[i]} < ${ascending[i + 1]}`).toBe(-1);
    }
  });

  test("+incompatible is ignored for ordering", () => {
    expect(go.compare("v2.0.0+incompatible", "v2.0.0")).toBe(0);
    expect(go.compare("v2.0.1-0.20060102150405-hash+incompatible", "v2.0.0+incompatible")).toBe(1);
  });

  test("invalid versions: leading zeros, empty identifiers, shorthand with suffixes", () => {
    for (const bad of [
      "v01.2.3",
      "v1.2.3-01",
      "v1.2.3-",
      "v1.2.3-a..b",
      "v1.2.3+",
      "v1.2-pre",
      "v1+meta",
      "vv1",
      "",
    ]) {
      expect(go.isValid(bad), bad).toBe(false);
    }
  });
});
