import { describe, expect, it } from "vitest";
import { cvssBaseScore, cvssRating, isCompleteVector } from "./cvss.ts";
import { chooseSeverity, collectScores, severityRank } from "./severity.ts";

describe("CVSS base scores", () => {
  // Scores as published by FIRST's specification examples and NVD for these vectors.
  it.each([
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "critical"],
    ["CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "medium"], // CVE-2013-1937 (v3.0 examples)
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5, "high"],
    ["CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.8, "low"],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0, "none"],
    ["AV:N/AC:L/Au:N/C:N/I:N/A:C", 7.8, "high"], // CVE-2002-0392 (v2 guide)
    ["AV:N/AC:L/Au:N/C:C/I:C/A:C", 10, "high"], // CVE-2003-0818 (v2 guide)
    ["AV:N/AC:M/Au:N/C:P/I:N/A:N", 4.3, "medium"],
    ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, "critical"],
    // Threat metrics change CVSS-BT, not the base score.
    ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", 9.3, "critical"],
    ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0, "none"],
  ])("%s = %s (%s)", (vector, score, rating) => {
    const result = cvssBaseScore(vector)!;
    expect(result.baseScore).toBe(score);
    expect(cvssRating(result)).toBe(rating);
  });

  it("rejects vectors with missing, repeated or unknown base metrics", () => {
    expect(isCompleteVector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H")).toBe(false);
    expect(isCompleteVector("CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).toBe(false);
    expect(isCompleteVector("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).toBe(false);
    expect(isCompleteVector("CVSS:4.0/AV:N")).toBe(false);
    expect(isCompleteVector("CVSS:9.9/AV:N")).toBe(false);
    expect(cvssBaseScore("not a vector")).toBeUndefined();
    expect(cvssBaseScore("CVSS:3.1/AV:N")).toBeUndefined();
  });
});

describe("severity normalisation", () => {
  const record = "R-1";

  it("rates CVSS v3 over v2, v4 over v3, and keeps every source score", () => {
    const scores = collectScores([
      {
        record,
        severity: {
          s: [
            ["CVSS_V2", "AV:N/AC:L/Au:N/C:N/I:N/A:C"],
            ["CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"],
          ],
        },
      },
    ]);
    expect(chooseSeverity(scores, false)).toMatchObject({ level: "high", score: 7.5, source: "CVSS_V3" });
    expect(chooseSeverity(scores, false).scores.map((s) => [s.source, s.score])).toEqual([
      ["CVSS_V2", 7.8],
      ["CVSS_V3", 7.5],
    ]);
    const v4 = collectScores([
      {
        record,
        severity: {
          s: [
            ["CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"],
            ["CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"],
          ],
        },
      },
    ]);
    expect(chooseSeverity(v4, false)).toMatchObject({ level: "critical", score: 9.3, source: "CVSS_V4" });
  });

  it("reads GitHub's rating (MODERATE is medium) when there is no vector", () => {
    const scores = collectScores([{ record, severity: { g: "MODERATE" } }]);
    expect(chooseSeverity(scores, false)).toMatchObject({ level: "medium", source: "GHSA" });
  });

  it("puts Debian's urgency first for distro packages; 'not yet assigned' is no rating", () => {
    const cvss: [string, string] = ["CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"];
    const unimportant = collectScores([{ record, severity: { s: [cvss] }, affected: { u: "unimportant" } }]);
    expect(chooseSeverity(unimportant, true)).toMatchObject({ level: "negligible", source: "Debian" });
    expect(chooseSeverity(unimportant, false)).toMatchObject({ level: "critical", source: "CVSS_V3" });
    const starred = collectScores([{ record, severity: {}, affected: { u: "low**" } }]);
    expect(chooseSeverity(starred, true)).toMatchObject({ level: "low", source: "Debian" });
    const unassigned = collectScores([{ record, severity: {}, affected: { u: "not yet assigned" } }]);
    expect(chooseSeverity(unassigned, true)).toEqual({ level: "unknown", scores: [] });
  });

  it("reads Ubuntu priorities and package-level CVSS", () => {
    const scores = collectScores([
      {
        record,
        severity: { s: [["Ubuntu", "medium"]] },
        affected: { s: [["CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"]] },
      },
    ]);
    expect(chooseSeverity(scores, true)).toMatchObject({ level: "medium", source: "Ubuntu" });
    expect(chooseSeverity(scores, false)).toMatchObject({ level: "critical", score: 9.8 });
  });

  it("takes the highest rating when records of one vulnerability disagree", () => {
    const scores = collectScores([
      { record: "A", severity: { s: [["CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"]] } },
      { record: "B", severity: { s: [["CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"]] } },
    ]);
    expect(chooseSeverity(scores, false)).toMatchObject({ level: "high", score: 7.5 });
  });

  it("orders levels from unknown to critical", () => {
    expect(
      ["critical", "unknown", "low", "high", "negligible", "medium"].sort(
        (a, b) => severityRank(a as never) - severityRank(b as never),
      ),
    ).toEqual(["unknown", "negligible", "low", "medium", "high", "critical"]);
  });
});
