import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "../version.ts";
import { runCli } from "./test-helpers/run-cli.ts";

const drydock = (argv: string[], options: { stdin?: string; env?: Record<string, string> } = {}) =>
  runCli(argv, { cwd: dir, env: { HOME: dir, ...options.env }, stdin: options.stdin });

/** `drydock lint` without ShellCheck (not installed everywhere; other tests cover it). */
const lint = (args: string[], options?: { stdin?: string }) =>
  drydock(["lint", "--shellcheck", "off", ...args], options);

// Dockerfiles whose findings do not depend on rules being added elsewhere: a pinned image run
// as a numeric user is clean, and a relative WORKDIR is DL3000 (an error).
const CLEAN = "FROM debian:12\nUSER 1000\n";
const RELATIVE_WORKDIR = "FROM debian:12\nWORKDIR app\nUSER 1000\n";

let dir: string;
let clean: string;
let failing: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "drydock-cli-"));
  clean = join(dir, "clean.Dockerfile");
  failing = join(dir, "failing.Dockerfile");
  writeFileSync(clean, CLEAN);
  writeFileSync(failing, RELATIVE_WORKDIR);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A usage error is one line naming the problem, never a stack trace. */
function expectOneLineError(stderr: string, pattern: RegExp) {
  expect(stderr).toMatch(pattern);
  expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe("drydock lint exit codes", () => {
  it("exits 0 on a clean file", async () => {
    const result = await lint([clean]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("No problems found in 1 file\n");
    expect(result.code).toBe(0);
  });

  it("exits 1 when a finding reaches the default threshold, and reports it", async () => {
    const result = await lint([failing]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${failing}:2:1  error    DL3000`);
    expect(result.stdout).toContain("2 | WORKDIR app");
    expect(result.stdout).not.toContain("\u001b[");
  });

  it("--failure-threshold decides which levels fail", async () => {
    expect((await lint(["--failure-threshold", "error", failing])).code).toBe(1);
    // Reported as a warning now, below the error threshold.
    expect((await lint(["--warning", "DL3000", "--failure-threshold", "error", failing])).code).toBe(0);
    expect((await lint(["--failure-threshold", "none", failing])).code).toBe(0);
  });

  it("--no-fail exits 0 despite findings", async () => {
    const result = await lint(["--no-fail", failing]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("DL3000");
  });
});

describe("drydock usage errors", () => {
  it("exits 2 for an unknown flag", async () => {
    const result = await lint(["--bogus", clean]);
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, /unknown option '--bogus'/);
  });

  it("exits 2 for an unknown format", async () => {
    const result = await lint(["-f", "yaml", clean]);
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, /unknown format 'yaml'/);
  });

  it("exits 2 for a missing file", async () => {
    const missing = join(dir, "nope", "Dockerfile");
    const result = await lint([missing]);
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, /cannot read .*nope\/Dockerfile: no such file or directory/);
    expect(result.stdout).toBe("");
  });
});

describe("drydock lint output", () => {
  it("writes each -f to the -o in the same position", async () => {
    const json = join(dir, "out.json");
    const sarif = join(dir, "out.sarif");
    const result = await lint(["-f", "json", "-o", json, "-f", "sarif", "-o", sarif, failing]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const rows = JSON.parse(readFileSync(json, "utf8"));
    expect(rows).toEqual([expect.objectContaining({ code: "DL3000", line: 2, level: "error" })]);
    const log = JSON.parse(readFileSync(sarif, "utf8"));
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0].tool.driver.version).toBe(VERSION);
    expect(log.runs[0].results[0]).toMatchObject({ ruleId: "DL3000", level: "error" });
    // The file lies inside cwd, so its SARIF URI is relative.
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      "failing.Dockerfile",
    );
  });

  it("prints machine formats to stdout without colour", async () => {
    const result = await lint(["-f", "checkstyle", failing]);
    expect(result.stdout).toMatch(/^<\?xml/);
    expect(result.stdout).toContain('source="DL3000"');
  });

  it("reads stdin for - and names it with --stdin-filename", async () => {
    const result = await lint(["-f", "json", "--stdin-filename", "api/Dockerfile", "-"], {
      stdin: RELATIVE_WORKDIR,
    });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([
      expect.objectContaining({ file: "api/Dockerfile", code: "DL3000", line: 2 }),
    ]);
    expect((await lint(["-"], { stdin: CLEAN })).code).toBe(0);
  });
});

describe("drydock lint without ShellCheck installed", () => {
  // An empty folder as PATH: `--shellcheck auto` finds no binary.
  const noShellCheck = { env: { PATH: "" } };
  beforeAll(() => {
    noShellCheck.env.PATH = mkdtempSync(join(dir, "empty-path-"));
  });

  it("says so once, in the tty report", async () => {
    const result = await drydock(["lint", clean], noShellCheck);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("ShellCheck was not found: RUN bodies were not checked");
    expect(result.stderr).toBe("");
  });

  it("says so on stderr when stdout carries a machine format", async () => {
    const result = await drydock(["lint", "-f", "json", clean], noShellCheck);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(result.stderr).toMatch(/^drydock: shellcheck not found/);
  });
});

describe("drydock --version and --help", () => {
  it("--version prints the version", async () => {
    const result = await drydock(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${VERSION}\n`);
  });

  it("--help lists the lint command", async () => {
    const result = await drydock(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\s+lint \[options\] \[paths\.\.\.\]/m);
  });

  it("lint --help lists the formats and exit codes", async () => {
    const result = await drydock(["lint", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("sarif");
    expect(result.stdout).toContain("Exit codes:");
  });
});
