import { describe, expect, it } from "vitest";
import { lineSatisfies, parseRange, pickLine, versionSatisfies } from "./versions.ts";

const lines = (range: string, dialect: Parameters<typeof parseRange>[1], candidates: string[]) => {
  const parsed = parseRange(range, dialect);
  if (!parsed) throw new Error(`unparsed ${range}`);
  return candidates.filter((line) => lineSatisfies(line, parsed));
};

const PYTHON = ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14"];
const NODE = ["18", "20", "22", "24", "26"];

describe("version ranges", () => {
  it("reads PEP 440 specifiers (requires-python)", () => {
    expect(lines(">=3.10,<3.13", "pep440", PYTHON)).toEqual(["3.10", "3.11", "3.12"]);
    expect(lines(">=3.10, <3.13", "pep440", PYTHON)).toEqual(["3.10", "3.11", "3.12"]);
    expect(lines("~=3.11", "pep440", PYTHON)).toEqual(["3.11", "3.12", "3.13", "3.14"]);
    expect(lines("==3.11.*", "pep440", PYTHON)).toEqual(["3.11"]);
    expect(lines(">3.12", "pep440", PYTHON)).toEqual(["3.12", "3.13", "3.14"]);
    expect(lines(">=3.9,!=3.10.*", "pep440", PYTHON)).toContain("3.9");
  });

  it("reads Poetry and Composer carets and tildes", () => {
    expect(lines("^3.11", "poetry", PYTHON)).toEqual(["3.11", "3.12", "3.13", "3.14"]);
    expect(lines("~3.11", "poetry", PYTHON)).toEqual(["3.11"]);
    expect(lines(">=3.10,<4.0", "poetry", PYTHON)).toEqual(["3.10", "3.11", "3.12", "3.13", "3.14"]);
    expect(lines("^8.2", "composer", ["8.1", "8.2", "8.3", "8.4"])).toEqual(["8.2", "8.3", "8.4"]);
    // Composer's ~8.2 is >=8.2 <9.0 (unlike npm's).
    expect(lines("~8.2", "composer", ["8.1", "8.2", "8.3", "8.4"])).toEqual(["8.2", "8.3", "8.4"]);
    expect(lines("~8.2.1", "composer", ["8.1", "8.2", "8.3"])).toEqual(["8.2"]);
    expect(lines("8.1.* || 8.3.*", "composer", ["8.1", "8.2", "8.3"])).toEqual(["8.1", "8.3"]);
  });

  it("reads npm ranges (engines.node)", () => {
    expect(lines(">=18 <23", "npm", NODE)).toEqual(["18", "20", "22"]);
    expect(lines("^20.9.0", "npm", NODE)).toEqual(["20"]);
    expect(lines("18 || 20", "npm", NODE)).toEqual(["18", "20"]);
    expect(lines("20.x", "npm", NODE)).toEqual(["20"]);
    expect(lines("18 - 22", "npm", NODE)).toEqual(["18", "20", "22"]);
    expect(lines(">= 20", "npm", NODE)).toEqual(["20", "22", "24", "26"]);
    expect(lines("*", "npm", NODE)).toEqual(NODE);
  });

  it("checks exact versions", () => {
    const range = parseRange("^20.9.0", "npm")!;
    expect(versionSatisfies("20.11.0", range)).toBe(true);
    expect(versionSatisfies("20.8.0", range)).toBe(false);
  });

  it("picks the preferred line when allowed, else the newest", () => {
    expect(pickLine(PYTHON, parseRange(">=3.10", "pep440")!, "3.13")?.line).toBe("3.13");
    expect(pickLine(PYTHON, parseRange(">=3.10,<3.13", "pep440")!, "3.13")?.line).toBe("3.12");
    expect(pickLine(PYTHON, parseRange(">=4", "pep440")!, "3.13")).toBeNull();
  });
});
