import { describe, expect, test } from "vitest";
import { pep440 } from "./pep440.ts";
import { pep440Version } from "./test-helpers/arbitraries.ts";
import { describeOrderingLaws } from "./test-helpers/laws.ts";
import { describeVectors } from "./test-helpers/vectors.ts";

describe("pep440", () => {
  describeVectors(pep440);
  describeOrderingLaws(pep440, pep440Version);

  test("dev < pre < release < post, epochs first, local versions after the public one", () => {
    const ascending = [
      "1.0.dev1",
      "1.0a1",
      "1.0b2",
      "1.0rc1",
      "1.0",
      "1.0+local",
      "1.0.post1",
      "1.1",
      "1!0.1",
    ];
    for (let i = 0; i + 1 < ascending.length; i++) {
      expect(pep440.compare(ascending[i]!, ascending[i + 1]!), `${ascending[i]} < ${ascending[i + 1]}`).toBe(
        -1,
      );
    }
    expect(pep440.compare(" 1.0 ", "1.0.0")).toBe(0);
    expect(pep440.compare("french toast", "0")).toBe(-1);
  });
});
