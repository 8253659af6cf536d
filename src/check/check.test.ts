import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ImageHandle } from "../image/handle.ts";
import { openImage } from "../image/open.ts";
import { buildArchive, makeConfig } from "../image/test-helpers/archives.ts";
import { makeTar } from "../image/test-helpers/tar.ts";
import { renderCheckText } from "../report/check/text.ts";
import { check, type ImageCheck } from "./check.ts";

const FIXTURES = join(import.meta.dirname, "..", "advise", "__fixtures__");
const EXAMPLES = join(import.meta.dirname, "..", "..", "examples");
const DATE = "2026-08-22";
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), "drydock-check-"));
  dirs.push(dir);
  return dir;
};

describe("check", () => {
  it("the bundled example: detection, advice, lint of the proposal, exit 0", async () => {
    const report = await check({ dir: join(EXAMPLES, "python-flask"), date: DATE });
    expect(report.detection).toMatchObject({ stack: "python", framework: { name: "Flask" } });
    expect(report.advice?.runtime.image).toBe("python:3.12-slim-trixie");
    expect(report.dockerfiles).toEqual({
      source: "generated",
      files: ["Dockerfile (proposed by drydock init)"],
    });
    expect(report.lint.findings).toEqual([]);
    expect(report.failed).toBe(false);
    expect(report.sections.map((s) => [s.id, s.status])).toEqual([
      ["detect", "ok"],
      ["advice", "ok"],
      ["lint", "ok"],
    ]);
    const text = renderCheckText(report, { color: false });
    expect(text).toMatch(
      /^ok {4}Project +Python 3\.12 \(\.python-version:1\), pip \(requirements\.txt\), Flask, port 8000$/m,
    );
    expect(text).toContain("No lint finding reaches the failure threshold.");
  });

  it("lints the project's Dockerfiles and fails on findings at the threshold", async () => {
    const dir = temp();
    cpSync(join(EXAMPLES, "seed-bad"), dir, { recursive: true });
    const report = await check({ dir, date: DATE, lintSettings: { shellcheck: "off" } });
    expect(report.dockerfiles.source).toBe("project");
    expect(report.failed).toBe(true);
    expect(report.sections.find((s) => s.id === "lint")).toMatchObject({ status: "fail" });
    expect(report.sections.find((s) => s.id === "base-images")).toMatchObject({
      status: "warn",
      details: [
        expect.stringMatching(
          /Dockerfile: final stage FROM python:3\.12 \(advice: python:3\.\d+-slim-trixie\)/,
        ),
      ],
    });
    const relaxed = await check({
      dir,
      date: DATE,
      lintSettings: { shellcheck: "off", failureThreshold: "error" },
    });
    expect(relaxed.failed).toBe(false);
  });

  it("a monorepo root: lists the apps, still lints what is there", async () => {
    const dir = temp();
    cpSync(join(FIXTURES, "monorepo"), dir, { recursive: true });
    writeFileSync(
      join(dir, "apps", "api", "Dockerfile"),
      'FROM node:22-alpine\nUSER node\nCMD ["node", "server.js"]\n',
    );
    const report = await check({ dir, date: DATE, lintSettings: { shellcheck: "off" } });
    expect(report.detection).toBeUndefined();
    expect(report.sections[0]).toMatchObject({
      id: "detect",
      status: "warn",
      summary: expect.stringMatching(/^3 apps \(package\.json workspaces\)/),
    });
    expect(report.dockerfiles.files).toEqual([expect.stringMatching(/apps\/api\/Dockerfile$/)]);
  });

  it("with an image: runs the image checks and lists the planned ones", async () => {
    const layer = await makeTar([
      { name: "app/", type: "directory" },
      { name: "app/server", content: "binary" },
    ]);
    const archive = await buildArchive("docker25", [
      { config: makeConfig([layer], { cmd: ["/app/server"] }), layers: [layer], repoTags: ["app:1"] },
    ]);
    const dir = temp();
    const file = join(dir, "app.tar");
    writeFileSync(file, archive);
    const report = await check({
      dir: join(EXAMPLES, "go-http"),
      date: DATE,
      image: `docker-archive:${file}`,
    });
    const inspect = report.sections.find((s) => s.id === "inspect");
    expect(inspect).toMatchObject({ status: "warn", summary: expect.stringMatching(/app:1/) });
    expect(inspect?.details.join("\n")).toMatch(/runs as root/);
    expect(
      report.sections
        .filter((s) => s.status === "unavailable")
        .map((s) => s.id)
        .sort(),
    ).toEqual(expect.arrayContaining(["sbom", "scan"]));
    expect(report.image?.results.inspect).toMatchObject({ config: { cmd: ["/app/server"] } });
    expect(report.sections.find((s) => s.id === "audit")).toMatchObject({
      summary: expect.stringMatching(/reclaimable by a Dockerfile change, 0 secrets/),
    });
  });

  it("image checks are pluggable (audit, SBOM and scan register the same way)", async () => {
    const fake: ImageCheck = {
      id: "scan",
      title: "Vulnerabilities",
      run: async () => ({
        status: "ok",
        summary: "0 known vulnerabilities",
        details: [],
        data: { count: 0 },
      }),
    };
    const handle: ImageHandle = { resolve: async () => ({}) as never, readLayers: async () => [] };
    const report = await check({
      dir: join(EXAMPLES, "go-http"),
      date: DATE,
      image: "anything",
      imageChecks: [fake],
      openImage: async () => handle,
    });
    expect(report.sections.find((s) => s.id === "scan")).toMatchObject({
      status: "ok",
      summary: "0 known vulnerabilities",
    });
    expect(report.image?.results.scan).toEqual({ count: 0 });
    void openImage;
  });
});
