/**
 * `drydock audit` through the CLI on a docker-archive built in memory: formats, the CI gate
 * (flags, `.dive-ci`, CI=true without a terminal), Dockerfile auto-detection and exit codes.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildArchive, makeConfig } from "../../image/test-helpers/archives.ts";
import { makeTar } from "../../image/test-helpers/tar.ts";
import { runCli } from "../test-helpers/run-cli.ts";

let dir: string;
let archive: string;

const drydock = (
  argv: string[],
  options: { env?: Record<string, string>; tty?: boolean; cwd?: string } = {},
) => runCli(argv, { cwd: options.cwd ?? dir, env: { HOME: dir, ...options.env }, tty: options.tty });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "drydock-audit-cli-"));
  const layers = [
    await makeTar([{ name: "bin/sh", content: "x".repeat(5000) }]),
    await makeTar([{ name: "big", content: "y".repeat(20000) }]),
    await makeTar([{ name: ".wh.big", content: "" }]),
  ];
  const config = makeConfig(layers, {
    history: [
      "/bin/sh -c #(nop) ADD file:1 in / ",
      "/bin/sh -c head -c 20000 /dev/zero > /big",
      "/bin/sh -c rm /big",
    ],
  });
  archive = join(dir, "app.tar");
  writeFileSync(archive, await buildArchive("legacy", [{ config, layers, repoTags: ["app:1"] }]));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("drydock audit", () => {
  it("prints the report and exits 0 without --ci", async () => {
    const { code, stdout, stderr } = await drydock(["audit", archive]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("dive metrics");
    expect(stdout).toContain("Corrected metrics");
    expect(stdout).not.toContain("CI evaluation");
    expect(stdout).toContain(
      "layer 3 (`rm /big`) runs after layer 2 (`head -c 20000 /dev/zero > /big`) created",
    );
  });

  it("gates with --ci: exit 1 on a failed rule, with dive's camelCase flag names too", async () => {
    const failed = await drydock(["audit", archive, "--ci"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/FAIL {2}lowestEfficiency \(image efficiency is too low/);
    expect(failed.stdout).toMatch(/\nFAIL \[fail:2 skip:3\]\n$/);
    const passed = await drydock([
      "audit",
      archive,
      "--ci",
      "--lowestEfficiency",
      "0.1",
      "--highest-user-wasted-percent",
      "disabled",
    ]);
    expect(passed.code).toBe(0);
    expect(passed.stdout).toContain("PASS  lowestEfficiency (0.1)");
  });

  it("turns CI mode on for CI=true when stdout is not a terminal, and reads .dive-ci", async () => {
    const cwd = mkdtempSync(join(dir, "ci-"));
    writeFileSync(
      join(cwd, ".dive-ci"),
      "rules:\n  lowestEfficiency: 0.1\n  highestUserWastedPercent: off\n",
    );
    expect((await drydock(["audit", archive], { env: { CI: "true" }, cwd })).code).toBe(0);
    writeFileSync(join(cwd, ".dive-ci"), "rules:\n  max-reclaimable: 1kB\n  lowest-efficiency: 0.1\n");
    const failed = await drydock(["audit", archive], { env: { CI: "true" }, cwd });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("FAIL  maxReclaimable");
    // On a terminal, CI=true alone does not gate.
    expect((await drydock(["audit", archive], { env: { CI: "true" }, cwd, tty: true })).code).toBe(0);
  });

  it("exits 2 on usage errors", async () => {
    const bad = await drydock(["audit", archive, "--ci", "--lowest-efficiency", "1.5"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("lowestEfficiency config value is outside allowed range (0-1)");
    expect((await drydock(["audit", archive, "--top", "0"])).code).toBe(2);
    expect((await drydock(["audit", archive, "--dockerfile", join(dir, "missing")])).code).toBe(2);
    expect((await drydock(["audit", join(dir, "nope.tar")])).code).toBe(2);
  });

  it("writes JSON and dive's JSON shape", async () => {
    const json = JSON.parse((await drydock(["audit", archive, "--format", "json"])).stdout);
    expect(json.schemaVersion).toBe(1);
    expect(json.corrected.reclaimableBytes).toBe(20000);
    expect(json.layers).toHaveLength(3);
    const dive = JSON.parse((await drydock(["audit", archive, "--format", "dive-json"])).stdout);
    expect(dive.image.inefficientBytes).toBe(20000);
    expect(dive.image.fileReference).toEqual([{ count: 2, sizeBytes: 20000, file: "/big" }]);
  });

  it("uses ./Dockerfile when it matches the history, and ignores it when it does not", async () => {
    const cwd = mkdtempSync(join(dir, "df-"));
    writeFileSync(join(cwd, "Dockerfile"), "FROM alpine\nRUN head -c 20000 /dev/zero > /big\nRUN rm /big\n");
    const matching = JSON.parse((await drydock(["audit", archive, "--format", "json"], { cwd })).stdout);
    expect(matching.dockerfile).toMatchObject({ used: true, matchedLayerLines: 2 });
    expect(matching.suggestions[0].line).toBe(3);
    writeFileSync(join(cwd, "Dockerfile"), "FROM alpine\nRUN make\nRUN make install\n");
    const other = JSON.parse((await drydock(["audit", archive, "--format", "json"], { cwd })).stdout);
    expect(other.dockerfile).toMatchObject({ used: false });
    expect(other.suggestions[0].line).toBeUndefined();
  });
});
