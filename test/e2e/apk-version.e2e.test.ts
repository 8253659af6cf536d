/**
 * Differential test of our apk version comparator against apk-tools itself: `apk version -t A B`
 * in one container of the local `alpine:3.20` image (apk-tools 2.14), fed many pairs on stdin.
 *
 * Our comparator follows apk-tools 3 (current upstream), which changed two things that 2.14 does
 * not know: `~hash` parts and dotted numbers with leading zeros compared as strings. The upstream
 * vectors that exercise them are the only disagreements allowed, and they are listed here; the
 * generated pairs avoid both and must agree entirely.
 *
 * Needs a running Docker engine and the base images (`bash test/e2e/start-services.sh`,
 * `bash test/e2e/base-images.sh`); fails, never skips, without them.
 */
import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, test } from "vitest";
import { apk } from "../../src/vuln/versions/apk.ts";
import { apkVersion } from "../../src/vuln/versions/test-helpers/arbitraries.ts";
import {
  apkCompare,
  disagreements,
  loadPairsFromVectors,
  samplePairs,
} from "../../src/vuln/versions/test-helpers/oracles.ts";

const IMAGE = "alpine:3.20";

/** The apk-tools 3 vectors (test/unit/version.data) whose answer apk-tools 2.14 gives differently. */
const APK_TOOLS_3_ONLY = [
  '"8.2.0" vs "8.2.001": ours -1, upstream 1',
  '"8.2.0015" vs "8.2.002": ours -1, upstream 1',
  '"1.0~1234" vs "1.0~2345": ours -1, upstream 0',
  '"1.0~1234-r1" vs "1.0~2345-r0": ours -1, upstream 0',
  '"1.0~1234-r1" vs "1.0~1234-r0": ours 1, upstream 0',
];

describe(`apk version -t in ${IMAGE}`, () => {
  beforeAll(() => {
    const inspect = spawnSync("docker", ["image", "inspect", IMAGE], { encoding: "utf8" });
    if (inspect.error || inspect.status !== 0) {
      throw new Error(
        `image ${IMAGE} is missing or Docker is not running (bash test/e2e/start-services.sh; bash test/e2e/base-images.sh): ${inspect.error?.message ?? inspect.stderr}`,
      );
    }
  });

  test("apk-tools 2.14 agrees with every upstream vector except the apk-tools 3 additions", () => {
    const pairs = loadPairsFromVectors("apk", () => true);
    expect(pairs.length).toBeGreaterThan(700);
    expect(disagreements(pairs, apk.compare, apkCompare(pairs, IMAGE))).toEqual(APK_TOOLS_3_ONLY);
  });

  test("3000 generated pairs without ~hash or zero-padded dotted numbers agree", () => {
    const versions = apkVersion({ hash: false, leadingZeros: false });
    const pairs = samplePairs(versions, 3000, 20250101, apk.isValid);
    expect(disagreements(pairs, apk.compare, apkCompare(pairs, IMAGE))).toEqual([]);
  });
});
