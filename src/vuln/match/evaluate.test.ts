import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { StoredAffected, StoredEvent } from "../db/rows.ts";
import { toRow } from "../db/rows.ts";
import { readOsvRecord } from "../osv.ts";
import { PYPA_VULNS } from "../test-helpers/records.ts";
import { apk, dpkg, pep440, semver } from "../versions/index.ts";
import { evaluate } from "./evaluate.ts";

const range = (...events: StoredEvent[]): StoredAffected => ({ r: [{ t: "E", e: events }] });

describe("OSV range evaluation", () => {
  it("introduced 0 / fixed: affected below the fix, with the fix to upgrade to", () => {
    const data = range(["i", "0"], ["f", "3.1.7-r1"]);
    expect(evaluate(data, "3.1.7-r0", apk)).toEqual({ affected: true, fixed: "3.1.7-r1" });
    expect(evaluate(data, "3.1.7-r1", apk)).toEqual({ affected: false });
    expect(evaluate(data, "3.2.0-r0", apk)).toEqual({ affected: false });
  });

  it("several intervals in one range, events in any order", () => {
    const data = range(["f", "3.2.5"], ["i", "3.0.0"], ["f", "1.0.2"], ["i", "1.0.0"]);
    const at = (v: string) => evaluate({ r: [{ t: "S", e: data.r![0]!.e }] }, v, null);
    expect(at("0.9.0").affected).toBe(false);
    expect(at("1.0.0")).toEqual({ affected: true, fixed: "1.0.2" });
    expect(at("1.0.2").affected).toBe(false);
    expect(at("2.0.0").affected).toBe(false);
    expect(at("3.1.0")).toEqual({ affected: true, fixed: "3.2.5" });
    expect(at("3.2.5").affected).toBe(false);
  });

  it("reads overlapping intervals as written too (wagtail PYSEC-2021-114)", () => {
    const data = range(
      ["i", "2.11"],
      ["f", "2.11.7"],
      ["i", "0"],
      ["f", "2.11.6"],
      ["i", "2.12"],
      ["f", "2.12.4"],
    );
    expect(evaluate(data, "2.11.6", pep440)).toEqual({ affected: true, fixed: "2.11.7" });
    expect(evaluate(data, "2.11.5", pep440)).toEqual({ affected: true, fixed: "2.11.6" });
    expect(evaluate(data, "2.11.7", pep440).affected).toBe(false);
    expect(evaluate(data, "2.12.4", pep440).affected).toBe(false);
  });

  it("last_affected is inclusive and gives no fix", () => {
    const data = range(["i", "0"], ["l", "2.1.214"]);
    expect(evaluate(data, "2.1.214", pep440)).toEqual({ affected: true });
    expect(evaluate(data, "2.1.215", pep440)).toEqual({ affected: false });
  });

  it("limit bounds a range from above; '*' is infinity", () => {
    expect(evaluate(range(["i", "1.0"], ["x", "2.0"]), "1.5", pep440).affected).toBe(true);
    expect(evaluate(range(["i", "1.0"], ["x", "2.0"]), "2.0", pep440).affected).toBe(false);
    expect(evaluate(range(["i", "1.0"], ["x", "*"]), "9.0", pep440).affected).toBe(true);
    expect(evaluate(range(["i", "1.0"], ["x", "1.2"], ["x", "3.0"]), "2.5", pep440).affected).toBe(true);
  });

  it("SEMVER ranges use SemVer 2.0 and ignore a leading v of the installed version", () => {
    const data: StoredAffected = {
      r: [
        {
          t: "S",
          e: [
            ["i", "1.2.0"],
            ["f", "1.10.0"],
          ],
        },
      ],
    };
    expect(evaluate(data, "v1.9.3", null)).toEqual({ affected: true, fixed: "1.10.0" });
    expect(evaluate(data, "1.10.0-rc.1", null).affected).toBe(true);
    expect(semver.compare("1.10.0-rc.1", "1.10.0")).toBe(-1);
  });

  it("compares Debian versions with epochs and tildes", () => {
    const data = range(["i", "0"], ["f", "1:1.2.13.dfsg-1+deb12u1"]);
    expect(evaluate(data, "1:1.2.13.dfsg-1", dpkg)).toEqual({
      affected: true,
      fixed: "1:1.2.13.dfsg-1+deb12u1",
    });
    expect(evaluate(data, "1.2.13.dfsg-9", dpkg).affected).toBe(true); // no epoch sorts first
    expect(evaluate(range(["i", "0"], ["f", "3.0.13-1~deb12u1"]), "3.0.13-1", dpkg).affected).toBe(false);
  });

  it("does not guess for versions the scheme cannot parse: only the versions list matches them", () => {
    const data: StoredAffected = { ...range(["i", "0"], ["f", "2.0"]), v: ["weird-1"] };
    expect(evaluate(data, "not a version!", pep440)).toEqual({ affected: false, unparsed: true });
    expect(evaluate(data, "weird-1", pep440).affected).toBe(true);
  });

  it("matches versions lists exactly, and by equivalence when there is no range to go by", () => {
    expect(evaluate({ v: ["1.0"] }, "1.0", pep440).affected).toBe(true);
    expect(evaluate({ v: ["1.0"] }, "1.0.0", pep440).affected).toBe(true);
    expect(evaluate({ v: ["1.0"] }, "1.0.1", pep440).affected).toBe(false);
    expect(evaluate({ v: ["1.0"] }, "1.0", null).affected).toBe(true);
  });
});

/**
 * osv.dev fills each PyPI record's `versions` list by enumerating the releases inside its
 * ECOSYSTEM ranges. For records whose ranges are all ECOSYSTEM (no GIT range, whose tags may
 * add versions), every listed final release must evaluate as affected from the ranges alone.
 * Pre-releases are left out: osv.dev counts 3.2a1 inside "introduced: 3.2" where PEP 440
 * orders it before 3.2 (the versions list itself still matches them, exactly).
 */
describe("the PyPA records' own versions lists agree with range evaluation", () => {
  function yamlFiles(root: string): string[] {
    return readdirSync(root).flatMap((name) => {
      const path = join(root, name);
      return statSync(path).isDirectory() ? yamlFiles(path) : name.endsWith(".yaml") ? [path] : [];
    });
  }

  it("for every listed version of every ECOSYSTEM-only record", () => {
    let checked = 0;
    const disagreements: string[] = [];
    for (const file of yamlFiles(PYPA_VULNS())) {
      const record = readOsvRecord(parseYaml(readFileSync(file, "utf8"), { schema: "failsafe" }), file);
      if (record.withdrawn) continue;
      for (const affected of record.affected ?? []) {
        const ranges = affected.ranges ?? [];
        if (ranges.length === 0 || ranges.some((r) => r.type !== "ECOSYSTEM")) continue;
        const row = toRow({ ...record, affected: [{ ...affected, versions: [] }] }).affected[0];
        if (!row) continue;
        const data = JSON.parse(row.data) as StoredAffected;
        for (const version of affected.versions ?? []) {
          if (!pep440.isValid(version) || /(a|b|rc|dev|alpha|beta|c|pre|preview)\d*$/i.test(version))
            continue;
          checked++;
          if (!evaluate(data, version, pep440).affected) disagreements.push(`${record.id} ${version}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(disagreements).toEqual([]);
  });
});
