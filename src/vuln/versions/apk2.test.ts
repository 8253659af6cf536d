import { describe, expect, test } from "vitest";
import { apk } from "./apk.ts";
import { apk2 } from "./apk2.ts";
import { apkVersion } from "./test-helpers/arbitraries.ts";
import { describeOrderingLaws } from "./test-helpers/laws.ts";
import { describeVectors, loadVectors } from "./test-helpers/vectors.ts";

/**
 * The apk-tools 3 vectors (test/unit/version.data, apk.vectors.json) that apk-tools 2 answers
 * differently, as `apk version -t` of apk-tools 2.14 does (test/e2e/apk-version.e2e.test.ts runs
 * it in alpine:3.20): zero-padded dotted numbers (apk-tools 2 counts the leading zeros, apk-tools
 * 3 compares the digits as text) and `~hash` parts (unknown to apk-tools 2: it stops comparing
 * there). Alpine 3.18-3.22 ship apk-tools 2, so matching uses this order for them.
 */
const APK_TOOLS_3_ONLY: Array<[string, string, { apkTools2: number; apkTools3: number }]> = [
  ["8.2.0", "8.2.001", { apkTools2: 1, apkTools3: -1 }],
  ["8.2.0015", "8.2.002", { apkTools2: 1, apkTools3: -1 }],
  ["1.0~1234", "1.0~2345", { apkTools2: 0, apkTools3: -1 }],
  ["1.0~1234-r1", "1.0~2345-r0", { apkTools2: 0, apkTools3: -1 }],
  ["1.0~1234-r1", "1.0~1234-r0", { apkTools2: 0, apkTools3: 1 }],
];

describe("apk2 (apk-tools 2.14)", () => {
  describeVectors(apk2);
  describeOrderingLaws(apk2, apkVersion({ hash: false, leadingZeros: true }));

  test("agrees with every apk-tools 3 comparison vector but the five it answers differently", () => {
    const differences: string[] = [];
    for (const set of loadVectors("apk").sets) {
      for (const [a, b, expected] of set.comparisons ?? []) {
        const got = apk2.compare(a, b);
        if (got !== expected) differences.push(`${a} vs ${b}: apk-tools 2 ${got}, apk-tools 3 ${expected}`);
      }
    }
    expect(differences).toEqual(
      APK_TOOLS_3_ONLY.map(
        ([a, b, { apkTools2, apkTools3 }]) =>
          `${a} vs ${b}: apk-tools 2 ${apkTools2}, apk-tools 3 ${apkTools3}`,
      ),
    );
  });

  test.each(APK_TOOLS_3_ONLY)(
    "%s vs %s: the two apk-tools lines disagree",
    (a, b, { apkTools2, apkTools3 }) => {
      expect(apk2.compare(a, b)).toBe(apkTools2);
      expect(apk2.compare(b, a)).toBe(-apkTools2 || 0);
      expect(apk.compare(a, b)).toBe(apkTools3);
    },
  );

  test("what apk-tools 2 accepts", () => {
    expect(apk2.isValid("1.2.3_rc1-r0")).toBe(true);
    expect(apk2.isValid("8.2.001")).toBe(true);
    expect(apk2.isValid("1.0~1234")).toBe(false);
    expect(apk2.isValid("1.2_foo")).toBe(false);
  });
});
