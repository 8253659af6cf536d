/**
 * `drydock init` against a real Docker engine: the Dockerfiles it writes for the bundled
 * standard-library web apps (examples/python-http, examples/node-http, examples/go-http) lint
 * clean, build with BuildKit (RUN --mount), run as a non-root user, answer on their port, and
 * their HEALTHCHECK command succeeds; the `debug` target builds with curl and strace.
 *
 * There is no Docker Hub here, so the base images the Dockerfiles name (python:3.13-slim-trixie,
 * node:26-alpine, golang:1.26, gcr.io/distroless/static-debian13:nonroot, debian:trixie-slim)
 * are local stand-ins built from debian:bookworm-slim plus Debian's python3, nodejs/npm and
 * golang-go, tagged with those names and labelled org.drydock.e2e.standin. They are built once
 * per engine (an existing image is reused). They stand in for the official images' conventions
 * (`python` on PATH, a `node` user with uid 1000, GOPATH=/go), not their exact contents: the
 * node stand-in is Debian, so the Alpine-only `debug` target of the Node app is not built.
 * The apps use only their standard library because PyPI and npm are unreachable from builds.
 *
 * Needs the engine and base images that `.ci/run` prepares: `bash test/e2e/start-services.sh`
 * and `bash test/e2e/base-images.sh` (as root). BuildKit needs Debian's docker client
 * (/usr/bin/docker) with DOCKER_BUILDKIT=1. Missing services fail the test; it never skips.
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const DOCKER = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
const BASE_IMAGE = "debian:bookworm-slim";
const STANDIN_LABEL = "org.drydock.e2e.standin";
const suffix = `${process.pid}-${Date.now()}`;

interface App {
  example: string;
  port: number;
  /** Build and check the debug target (needs a stand-in whose package manager matches). */
  debug: boolean;
  healthcheck: boolean;
}

const APPS: App[] = [
  { example: "python-http", port: 8000, debug: true, healthcheck: true },
  { example: "node-http", port: 3000, debug: false, healthcheck: true },
  { example: "go-http", port: 8080, debug: true, healthcheck: false },
];

/** Stand-in Dockerfiles per image name (first match wins). */
const STANDINS: [RegExp, string][] = [
  [
    /^python:/,
    [
      `FROM ${BASE_IMAGE}`,
      "RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv python-is-python3 && rm -rf /var/lib/apt/lists/*",
    ].join("\n"),
  ],
  [
    /^node:/,
    [
      `FROM ${BASE_IMAGE}`,
      "RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/* && \\",
      "    groupadd --gid 1000 node && useradd --uid 1000 --gid node --create-home --shell /bin/bash node",
    ].join("\n"),
  ],
  [
    /^golang:/,
    [
      `FROM ${BASE_IMAGE}`,
      "RUN apt-get update && apt-get install -y --no-install-recommends golang-go ca-certificates && rm -rf /var/lib/apt/lists/*",
      "ENV GOPATH=/go PATH=/go/bin:/usr/lib/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    ].join("\n"),
  ],
  // A static binary runs on any base; the uid matches distroless's nonroot user.
  [/^gcr\.io\/distroless\/static/, [`FROM ${BASE_IMAGE}`, "USER 65532:65532"].join("\n")],
  [/^debian:/, `FROM ${BASE_IMAGE}`],
];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

function output(result: SpawnSyncReturns<string>): string {
  return `${result.error ? `${result.error.message}\n` : ""}${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
}

function docker(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return run(DOCKER, args, env);
}

function dockerOk(args: string[], what: string, env: NodeJS.ProcessEnv = {}): string {
  const result = docker(args, env);
  if (result.status !== 0)
    throw new Error(`${what} failed (exit ${result.status}):\n${output(result).slice(-6000)}`);
  return result.stdout;
}

function buildkit(dir: string, tag: string, extra: string[] = []): void {
  dockerOk(["build", "--network", "host", ...extra, "-t", tag, dir], `docker build of ${tag}`, {
    DOCKER_BUILDKIT: "1",
  });
}

function drydock(...args: string[]): SpawnSyncReturns<string> {
  return run(process.execPath, [join(REPO, "bin", "drydock.js"), ...args]);
}

/** Base images of the stages a target needs: `FROM` lines with global ARG defaults applied. */
function baseImages(dockerfile: string, stages: string[]): string[] {
  const args = new Map<string, string>();
  const images: string[] = [];
  const names = new Set<string>();
  for (const line of dockerfile.split("\n")) {
    const arg = /^ARG (\w+)=(\S+)$/.exec(line);
    if (arg && names.size === 0) args.set(arg[1]!, arg[2]!);
    const from = /^FROM (?:--platform=\S+ )?(\S+)(?: AS (\S+))?/.exec(line);
    if (!from) continue;
    const image = from[1]!.replace(/\$\{(\w+)\}/g, (_, name: string) => args.get(name) ?? "");
    const stage = from[2] ?? "";
    names.add(stage);
    if (stages.includes(stage) && !names.has(image) && image !== "scratch") images.push(image);
  }
  return [...new Set(images)];
}

/** Builds a stand-in for `image` unless the engine already has that name. */
function ensureStandin(image: string, workdir: string): void {
  if (docker(["image", "inspect", image]).status === 0) return;
  const recipe = STANDINS.find(([pattern]) => pattern.test(image));
  if (!recipe) throw new Error(`no stand-in recipe for ${image}: add one to STANDINS`);
  const dir = join(workdir, `standin-${image.replace(/[^a-z0-9]+/gi, "-")}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Dockerfile"), `${recipe[1]}\nLABEL ${STANDIN_LABEL}="${image}"\n`);
  buildkit(dir, image);
}

async function waitForHttp(url: string, seconds: number): Promise<{ status: number; body: string }> {
  let last = "";
  for (let k = 0; k < seconds * 4; k++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      last = (error as Error).message;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${url} did not answer within ${seconds}s (${last})`);
}

describe("drydock init Dockerfiles build and run with Docker", () => {
  const workdir = mkdtempSync(join(tmpdir(), "drydock-e2e-generate-"));
  const containers: string[] = [];
  const images: string[] = [];

  beforeAll(() => {
    const info = docker(["info", "--format", "{{.ServerVersion}}"]);
    if (info.status !== 0) {
      throw new Error(
        `no Docker engine answers (docker info failed): start it with \`bash test/e2e/start-services.sh\` (as root)\n${output(info)}`,
      );
    }
    if (docker(["image", "inspect", BASE_IMAGE]).status !== 0) {
      throw new Error(
        `base image ${BASE_IMAGE} is missing: create it with \`bash test/e2e/base-images.sh\` (as root)`,
      );
    }
    const buildx = docker(["build", "--help"], { DOCKER_BUILDKIT: "1" });
    if (buildx.status !== 0) throw new Error(`${DOCKER} cannot build with BuildKit:\n${output(buildx)}`);
  });

  afterAll(() => {
    // Our containers and app images only; the stand-ins stay for the next run.
    if (containers.length > 0) docker(["rm", "-f", ...containers]);
    if (images.length > 0) docker(["rmi", "-f", ...images]);
    rmSync(workdir, { recursive: true, force: true });
  });

  for (const app of APPS) {
    test(`${app.example}: init, lint, build, run, answer on ${app.port}`, async () => {
      const dir = join(workdir, app.example);
      cpSync(join(REPO, "examples", app.example), dir, { recursive: true });

      const init = drydock("init", dir);
      expect(init.status, output(init)).toBe(0);
      const dockerfile = readFileSync(join(dir, "Dockerfile"), "utf8");
      expect(readFileSync(join(dir, ".dockerignore"), "utf8")).toContain(".git");
      expect(dockerfile).toContain("RUN --mount=type=cache");
      expect(dockerfile).toMatch(/^FROM .* AS debug$/m);
      expect(dockerfile).not.toMatch(/^# syntax=/m);

      // The generated file is clean under drydock's own linter, and check agrees.
      const lint = drydock("lint", join(dir, "Dockerfile"));
      expect(lint.status, output(lint)).toBe(0);
      const check = drydock("check", dir);
      expect(check.status, output(check)).toBe(0);

      const targets = app.debug ? ["build", "final", "debug", "deps"] : ["build", "final", "deps"];
      for (const image of baseImages(dockerfile, targets)) ensureStandin(image, workdir);

      const tag = `drydock-e2e-${app.example}:${suffix}`;
      images.push(tag);
      buildkit(dir, tag);

      const config = JSON.parse(
        dockerOk(["image", "inspect", "-f", "{{json .Config}}", tag], "image inspect"),
      ) as {
        User?: string;
        ExposedPorts?: Record<string, unknown>;
        Healthcheck?: { Test?: string[] };
      };
      expect(config.User ?? "", "runs as a non-root user").toMatch(/^[1-9]\d*(:\d+)?$/);
      expect(Object.keys(config.ExposedPorts ?? {})).toEqual([`${app.port}/tcp`]);

      const name = `drydock-e2e-${app.example}-${suffix}`;
      containers.push(name);
      dockerOk(["run", "-d", "--name", name, "-p", `127.0.0.1::${app.port}`, tag], `docker run ${tag}`);
      const hostPort = dockerOk(["port", name, String(app.port)], "docker port")
        .trim()
        .split("\n")[0]!;
      let answer: { status: number; body: string };
      try {
        answer = await waitForHttp(`http://${hostPort}/`, 30);
      } catch (error) {
        throw new Error(`${(error as Error).message}\ncontainer logs:\n${output(docker(["logs", name]))}`);
      }
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ status: "ok", app: app.example });

      if (app.healthcheck) {
        const test = config.Healthcheck?.Test ?? [];
        expect(test[0], "exec-form HEALTHCHECK").toBe("CMD");
        const probe = docker(["exec", name, ...test.slice(1)]);
        expect(probe.status, `HEALTHCHECK command: ${output(probe)}`).toBe(0);
      }

      // docker stop sends SIGTERM to the exec-form process: it exits well before the 10 s kill.
      const started = Date.now();
      dockerOk(["stop", name], "docker stop");
      expect(Date.now() - started).toBeLessThan(9000);

      if (app.debug) {
        const debugTag = `drydock-e2e-${app.example}-debug:${suffix}`;
        images.push(debugTag);
        buildkit(dir, debugTag, ["--target", "debug"]);
        for (const tool of ["curl", "strace"]) {
          const found = docker(["run", "--rm", "--entrypoint", tool, debugTag, "--version"]);
          expect(found.status, `${tool} in the debug image: ${output(found)}`).toBe(0);
        }
      }
    });
  }
});
