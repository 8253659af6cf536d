import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AdviseOptions } from "./advise.ts";
import { advise } from "./advise.ts";

const FIXTURES = join(import.meta.dirname, "__fixtures__");
const DATE = "2026-08-22";
const run = (name: string, options: Omit<AdviseOptions, "dir" | "date"> = {}) =>
  advise({ dir: join(FIXTURES, name), date: DATE, ...options });

describe("advice", () => {
  it("Python + numpy without a musllinux aarch64 wheel: -slim, not -alpine, tied to uv.lock", async () => {
    const { advice } = await run("python-uv");
    expect(advice.runtime.image).toBe("python:3.12-slim-trixie");
    expect(advice.builder.image).toBe("python:3.12-slim-trixie");
    const reason = advice.runtime.reasons.find((r) => r.text.includes("not python:3.12-alpine"));
    expect(reason?.text).toMatch(/numpy 1\.26\.4 has no musllinux wheel for aarch64 in uv\.lock/);
    expect(reason?.evidence?.[0]).toMatchObject({ file: "uv.lock" });
    expect(advice.reasons[0]).toMatchObject({ evidence: [{ file: "pyproject.toml", line: 6 }] });
    // Only amd64 asked for: numpy's musllinux x86_64 wheel makes Alpine possible.
    const amd64 = await run("python-uv", { arches: ["amd64"] });
    expect(amd64.advice.alternatives.map((a) => a.image)).toContain("python:3.12-alpine");
  });

  it("a compiling dependency builds on the full image and installs its runtime library", async () => {
    const { advice } = await run("python-pip");
    expect(advice.builder.image).toBe("python:3.12-trixie");
    expect(advice.builder.reasons[0]?.text).toMatch(/psycopg2 compile/);
    expect(advice.runtimePackages).toEqual(["libpq5"]);
    expect(advice.buildPackages).toEqual(["libpq-dev"]);
    expect(advice.rejected.find((r) => r.id === "distroless-python3")?.why).toMatch(/3\.13/);
  });

  it("Node: Alpine when the lockfile proves no native code, slim otherwise", async () => {
    expect((await run("node-npm")).advice.runtime.image).toBe("node:22-alpine");
    const native = await run("node-native");
    expect(native.advice.runtime.image).toBe("node:24-slim");
    expect(native.advice.rejected.find((r) => r.id === "node-alpine")?.why).toMatch(/^musl: bcrypt/);
    const nolock = await run("node-missing-lock");
    expect(nolock.advice.runtime.image).toBe("node:24-slim");
    expect(nolock.advice.runtime.reasons.map((r) => r.text).join("\n")).toMatch(
      /no lockfile: native modules cannot be ruled out/,
    );
  });

  it("--arch drops images that lack an architecture", async () => {
    const { advice } = await run("node-npm", { arches: ["amd64", "ppc64le"] });
    expect(advice.runtime.image).toBe("node:22-slim");
    expect(advice.rejected.find((r) => r.id === "node-alpine")?.why).toMatch(/no ppc64le image/);
    const java = await run("java-maven", { arches: ["s390x"] });
    expect(java.advice.runtime.image).toBe("eclipse-temurin:17-jre");
  });

  it("--security max picks hardened runtimes where the version allows", async () => {
    expect((await run("node-npm", { security: "max" })).advice.runtime.image).toBe(
      "gcr.io/distroless/nodejs22-debian13:nonroot",
    );
    expect((await run("java-maven", { security: "max" })).advice.runtime.image).toBe(
      "gcr.io/distroless/java17-debian13:nonroot",
    );
    expect((await run("dotnet-web", { security: "max" })).advice.runtime.image).toBe(
      "mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled",
    );
    const py = await run("python-uv", { security: "max" });
    expect(py.advice.runtime.image).toBe("python:3.12-slim-trixie");
    expect(py.advice.warnings.join("\n")).toMatch(/no hardened runtime fits Python 3\.12/);
  });

  it("--enterprise picks UBI; --shell keeps a shell", async () => {
    expect((await run("go-basic", { enterprise: true })).advice.runtime.image).toBe(
      "registry.access.redhat.com/ubi9/ubi-micro:9.7",
    );
    expect((await run("java-maven", { enterprise: true })).advice.runtime.image).toBe(
      "eclipse-temurin:17-jre-ubi9-minimal",
    );
    expect((await run("go-basic", { shell: true })).advice.runtime.image).toBe(
      "gcr.io/distroless/static-debian13:debug-nonroot",
    );
  });

  it("Go and Rust: static vs glibc runtimes", async () => {
    const go = await run("go-basic");
    expect(go.advice.runtime.image).toBe("gcr.io/distroless/static-debian13:nonroot");
    expect(go.advice.debug.image).toBe("debian:trixie-slim");
    expect(go.advice.warnings.join("\n")).toMatch(/Go 1\.23 reached end of life/);
    const cgo = await run("go-cmd");
    expect(cgo.advice.runtime.image).toBe("gcr.io/distroless/base-debian13:nonroot");
    const rust = await run("rust-basic");
    expect(rust.advice.runtime.image).toBe("gcr.io/distroless/cc-debian13:nonroot");
    expect(rust.advice.runtime.reasons.map((r) => r.text)).toContain("already contains libssl3t64");
  });

  it("seed defaults for Java, .NET, Ruby and PHP", async () => {
    expect((await run("java-gradle")).advice).toMatchObject({
      runtime: { image: "eclipse-temurin:21-jre-alpine" },
      builder: { image: "eclipse-temurin:21-jdk" },
    });
    expect((await run("dotnet-web")).advice.runtime.image).toBe("mcr.microsoft.com/dotnet/aspnet:8.0-alpine");
    expect((await run("ruby-rails")).advice).toMatchObject({
      runtime: { image: "ruby:3.3-slim" },
      builder: { image: "ruby:3.3" },
    });
    expect((await run("php-laravel")).advice).toMatchObject({
      runtime: { image: "php:8.4-apache" },
      builder: { image: "composer:2" },
    });
  });

  it("alternatives are ranked and labelled; end-of-life images are never offered", async () => {
    const { advice } = await run("node-npm");
    expect(advice.alternatives.map((a) => a.rank)).toEqual(advice.alternatives.map((_, k) => k + 1));
    expect(advice.alternatives.find((a) => a.id === "distroless-nodejs")?.labels).toContain("hardened");
    const py = await run("python-poetry");
    expect(py.advice.alternatives.some((a) => a.id === "distroless-python3-debian12")).toBe(false);
    expect(py.advice.rejected.find((r) => r.id === "distroless-python3-debian12")?.why).toMatch(
      /end-of-life/,
    );
  });

  it("monorepo roots need --path; unknown folders are usage errors", async () => {
    await expect(run("monorepo")).rejects.toThrow(
      /holds 3 apps \(package\.json workspaces\): apps\/api \(Node\.js\), apps\/web \(Node\.js\), services\/worker \(Go\)/,
    );
    await expect(advise({ dir: join(FIXTURES, "monorepo", "packages"), date: DATE })).rejects.toThrow(
      /no project found/,
    );
    expect((await run("monorepo", { path: "services/worker" })).advice.runtime.image).toBe(
      "gcr.io/distroless/static-debian13:nonroot",
    );
  });
});
