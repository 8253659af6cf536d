import { describe, expect, test } from "vitest";
import { nuget } from "./nuget.ts";
import { nugetVersion } from "./test-helpers/arbitraries.ts";
import { describeOrderingLaws } from "./test-helpers/laws.ts";
import { describeVectors } from "./test-helpers/vectors.ts";

describe("nuget", () => {
  describeVectors(nuget);
  describeOrderingLaws(nuget, nugetVersion);

  test("four-part versions, case-insensitive labels, numeric labels before others", () => {
    expect(nuget.compare("1.2.3.4", "1.2.3")).toBe(1);
    expect(nuget.compare("1.2.3.0", "1.2.3")).toBe(0);
    expect(nuget.compare("1.0.0-RC.1", "1.0.0-rc.1")).toBe(0);
    expect(nuget.compare("1.0.0-1", "1.0.0-a")).toBe(-1);
    expect(nuget.compare("1.0.0--1", "1.0.0-0")).toBe(-1); // C#'s int.TryParse reads "-1" as a number
    expect(nuget.compare("4.3.0-preview.1+sha.1", "4.3.0-preview.1+sha.2")).toBe(0);
  });

  test("numbers above int32 are not versions", () => {
    expect(nuget.isValid("2147483647.0")).toBe(true);
    expect(nuget.isValid("2147483648.0")).toBe(false);
  });
});
