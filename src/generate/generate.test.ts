// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text uses ${VAR} syntax
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type AdviseOptions, advise } from "../advise/advise.ts";
import { parseDockerfile } from "../dockerfile/parse.ts";
import { generateDockerfile } from "./generate.ts";
import { lintGenerated } from "./lint-generated.ts";

const FIXTURES = join(import.meta.dirname, "..", "advise", "__fixtures__");
const EXAMPLES = join(import.meta.dirname, "..", "..", "examples");
const DATE = "2026-08-22";
const SEVERE = new Set(["error", "warning"]);

/** Every sample project: the detection fixtures (apps only) and the bundled examples. */
const PROJECTS: { name: string; dir: string; path?: string }[] = [
  ...readdirSync(FIXTURES)
    .filter((name) => name !== "monorepo")
    .map((name) => ({ name, dir: join(FIXTURES, name) })),
  { name: "monorepo --path apps/api", dir: join(FIXTURES, "monorepo"), path: "apps/api" },
  { name: "monorepo --path services/worker", dir: join(FIXTURES, "monorepo"), path: "services/worker" },
  ...readdirSync(EXAMPLES)
    .filter((name) => !name.startsWith("seed-"))
    .map((name) => ({ name: `examples/${name}`, dir: join(EXAMPLES, name) })),
];

const VARIANTS: { label: string; options: Omit<AdviseOptions, "dir"> }[] = [
  { label: "default", options: {} },
  { label: "--security max", options: { security: "max" } },
  { label: "--enterprise", options: { enterprise: true } },
  { label: "--shell", options: { shell: true } },
  { label: "--arch amd64,arm64,s390x", options: { arches: ["amd64", "arm64", "s390x"] } },
];

async function generate(project: (typeof PROJECTS)[number], options: Omit<AdviseOptions, "dir"> = {}) {
  const report = await advise({
    dir: project.dir,
    date: DATE,
    ...(project.path ? { path: project.path } : {}),
    ...options,
  });
  const files = generateDockerfile(report.detection, report.advice);
  return { report, files, appDir: join(project.dir, project.path ?? ".") };
}

describe("every generated Dockerfile lints clean (nothing at warning or above, ShellCheck on)", () => {
  for (const project of PROJECTS) {
    for (const variant of VARIANTS) {
      it(`${project.name} (${variant.label})`, async () => {
        const { files, appDir } = await generate(project, variant.options);
        const report = await lintGenerated({
          dir: appDir,
          dockerfile: files.dockerfile,
          dockerignore: files.dockerignore,
        });
        const severe = report.findings.filter((f) => SEVERE.has(f.level));
        expect(severe.map((f) => `${f.line} ${f.code} ${f.message}`)).toEqual([]);
        expect(parseDockerfile(files.dockerfile).errors).toEqual([]);
      });
    }
  }
});

describe("the generated Dockerfile follows the practices", () => {
  for (const project of PROJECTS) {
    it(project.name, async () => {
      const { report, files } = await generate(project);
      const df = parseDockerfile(files.dockerfile);
      const text = files.dockerfile;
      const stages = df.stages.map((s) => s.name);
      // Multi-stage: a build stage, the debug target, and the final stage last (the default target).
      expect(stages.length).toBeGreaterThanOrEqual(3);
      expect(stages).toContain("debug");
      expect(stages[stages.length - 1]).toBe("final");
      // The version ARG comes first and the FROM lines use it when the tag carries the version.
      expect(text).toMatch(new RegExp(`^ARG [A-Z]+_VERSION=${report.advice.line.replace(".", "\\.")}$`, "m"));
      expect(text).not.toMatch(/^# syntax=/m);
      // BuildKit cache mounts where the package manager has a cache.
      if (!["php-laravel"].includes(project.name) && report.detection.stack !== "ruby")
        expect(text).toContain("--mount=type=cache");
      // Non-root, exec form.
      const final = df.stages[df.stages.length - 1]!;
      const user = final.instructions.filter((i) => i.keyword === "USER").pop();
      expect(user?.args).toMatch(/^[1-9]\d*(:\d+)?$/);
      const start = final.instructions.filter((i) => i.keyword === "CMD" || i.keyword === "ENTRYPOINT").pop();
      expect(start?.json).not.toBeNull();
      // EXPOSE when a port is known.
      if (report.detection.port) expect(text).toContain(`EXPOSE ${report.detection.port.value}`);
      // Installs clean up in the same RUN.
      for (const run of df.instructions.filter(
        (i) => i.keyword === "RUN" && /apt-get install/.test(i.args),
      )) {
        expect(run.args).toContain("rm -rf /var/lib/apt/lists/*");
      }
      // A .dockerignore that keeps .git and secrets out.
      expect(files.dockerignore).toMatch(/^\.git$/m);
      expect(files.dockerignore).toMatch(/^\*\*\/\.env$/m);
    });
  }

  it("copies the manifests before the source and installs before COPY . .", async () => {
    const { files } = await generate(PROJECTS.find((p) => p.name === "node-npm")!);
    const text = files.dockerfile;
    expect(text.indexOf("COPY package.json package-lock.json ./")).toBeLessThan(
      text.indexOf("npm ci --omit=dev"),
    );
    expect(text).toContain("ENV NODE_ENV=production");
    // NODE_ENV only in the runtime stages, so a build stage installs devDependencies.
    const next = await generate(PROJECTS.find((p) => p.name === "node-next")!);
    const build = next.files.dockerfile.slice(0, next.files.dockerfile.indexOf("AS debug"));
    expect(build).not.toContain("NODE_ENV");
    expect(build).toContain("npm run build");
    expect(next.files.dockerfile).toContain("COPY --from=build /app/.next/standalone ./");
  });

  it("writes HEALTHCHECK with the language runtime, or says why not", async () => {
    const py = await generate(PROJECTS.find((p) => p.name === "python-pip")!);
    expect(py.files.dockerfile).toMatch(
      /HEALTHCHECK .*\n\s+CMD \["python", "-c", "import socket; socket\.create_connection\(\('127\.0\.0\.1', 8000\)/,
    );
    const go = await generate(PROJECTS.find((p) => p.name === "go-basic")!);
    expect(go.files.dockerfile).toContain("# No HEALTHCHECK: the image has no shell or interpreter");
    expect(go.files.dockerfile).toContain("FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build");
    expect(go.files.dockerfile).toContain("CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build");
  });

  it("native code: the full image builds, the runtime gets the shared library", async () => {
    const { files } = await generate(PROJECTS.find((p) => p.name === "python-pip")!);
    expect(files.dockerfile).toContain("FROM python:${PYTHON_VERSION}-trixie AS build");
    expect(files.dockerfile).toMatch(/AS final\n[\s\S]*apt-get install -y --no-install-recommends libpq5/);
    expect(files.images).toEqual({
      builder: "python:3.12-trixie",
      runtime: "python:3.12-slim-trixie",
      debug: "python:3.12-slim-trixie",
    });
  });

  it("adds # syntax only when asked", async () => {
    const project = PROJECTS.find((p) => p.name === "go-basic")!;
    const report = await advise({ dir: project.dir, date: DATE });
    expect(generateDockerfile(report.detection, report.advice, { syntax: true }).dockerfile).toMatch(
      /^# syntax=docker\/dockerfile:1\n/,
    );
  });

  it("falls back to a supported runtime and says so", async () => {
    const { files } = await generate(PROJECTS.find((p) => p.name === "python-pipenv")!, { enterprise: true });
    expect(files.images.runtime).toBe("python:3.11-slim-trixie");
    expect(files.notes.join("\n")).toMatch(
      /does not generate for registry\.access\.redhat\.com\/ubi9\/python-311:1 yet/,
    );
  });

  it("distroless Python builds the venv with Debian's python3", async () => {
    const { files } = await generate(PROJECTS.find((p) => p.name === "python-pdm")!, { security: "max" });
    expect(files.images.runtime).toBe("gcr.io/distroless/python3-debian13:nonroot");
    expect(files.dockerfile).toContain("FROM debian:trixie-slim AS build");
    expect(files.dockerfile).toContain("RUN python3 -m venv /opt/venv");
    expect(files.dockerfile).toContain('ENTRYPOINT ["/opt/venv/bin/python", "main.py"]');
  });
});
