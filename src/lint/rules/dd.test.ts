import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze, type RawHit } from "../engine.ts";
import { defaultLintSettings } from "../settings.ts";
import type { ContextAccess, Rule } from "../types.ts";
import { rule as DD001 } from "./DD001.ts";
import { rule as DD002 } from "./DD002.ts";
import { rule as DD003 } from "./DD003.ts";
import { rule as DD004 } from "./DD004.ts";
import { rule as DD005 } from "./DD005.ts";
import { rule as DD006 } from "./DD006.ts";
import { rule as DD007 } from "./DD007.ts";
import { rule as DD008 } from "./DD008.ts";
import { rule as DD009 } from "./DD009.ts";
import { ALL_RULES } from "./index.ts";

/** A build context made of in-memory files (null: unknown context, as for stdin). */
function contextOf(files: Record<string, string> | null): ContextAccess {
  if (files === null) return { dir: null, readFile: () => null };
  return { dir: "/ctx", readFile: (path) => files[path] ?? null };
}

function run(
  rule: Rule,
  dockerfile: string,
  files: Record<string, string> | null = {},
  file = "Dockerfile",
): RawHit[] {
  const source = `${dockerfile.replace(/^\n/, "").replace(/^ {4}/gm, "")}\n`;
  return analyze(source, file, defaultLintSettings(), contextOf(files), [rule]).hits.filter(
    (h) => h.code === rule.code,
  );
}

function lines(
  rule: Rule,
  dockerfile: string,
  files?: Record<string, string> | null,
  file?: string,
): number[] {
  return run(rule, dockerfile, files, file).map((h) => h.line);
}

describe("drydock rules are registered with docs links", () => {
  it.each([DD001, DD002, DD003, DD004, DD005, DD006, DD007, DD008, DD009])("$code", (rule) => {
    expect(ALL_RULES).toContain(rule);
    expect(rule.url).toBeUndefined();
    const hit = run(rule, "FROM scratch\n")[0];
    if (hit) expect(hit.url).toMatch(new RegExp(`docs/rules/${rule.code}\\.md$`));
    // The page states the rule's severity and has bad/good examples and a suppression line.
    const page = readFileSync(new URL(`../../../docs/rules/${rule.code}.md`, import.meta.url), "utf8");
    expect(page).toContain(`severity: ${rule.severity}`);
    for (const part of ["Bad:", "Good:", `# drydock ignore=${rule.code} reason`, "## Fix"])
      expect(page).toContain(part);
  });
});

describe("DD001 whole context copied before the dependency install", () => {
  it("fires on the seed's BAD layer-caching example, at the COPY line", () => {
    const hits = run(
      DD001,
      `
    FROM python:3.12-slim
    COPY . .
    RUN pip install -r requirements.txt
    `,
    );
    expect(hits.map((h) => h.line)).toEqual([2]);
    expect(hits[0]!.message).toContain("COPY requirements.txt first");
    expect(hits[0]!.message).toContain("(line 3)");
  });

  it("fires for npm ci after COPY --chown=node . . and names package.json and the lockfile", () => {
    const hits = run(
      DD001,
      `
    FROM node:20-slim
    WORKDIR /app
    COPY --chown=node . .
    RUN npm ci --omit=dev
    `,
    );
    expect(hits.map((h) => h.line)).toEqual([3]);
    expect(hits[0]!.message).toContain("package.json and package-lock.json");
  });

  it("fires for ADD . /app before go mod download", () => {
    expect(
      lines(
        DD001,
        `
    FROM golang:1.22
    ADD . /src
    WORKDIR /src
    RUN go mod download && go build -o /app .
    `,
      ),
    ).toEqual([2]);
  });

  it("fires for COPY ./ /app before cargo build, bundle install, mvn package and dotnet restore", () => {
    for (const [image, install] of [
      ["rust:1.80", "cargo build --release"],
      ["ruby:3.3", "bundle install"],
      ["maven:3-eclipse-temurin-21", "mvn -B package -DskipTests"],
      ["mcr.microsoft.com/dotnet/sdk:8.0", "dotnet restore"],
      ["composer:2", "composer install --no-dev"],
      ["python:3.12", "poetry install --no-root"],
      ["python:3.12", "uv sync --frozen"],
      ["python:3.12", "python -m pip install ."],
    ] as const) {
      expect(lines(DD001, `FROM ${image}\nCOPY ./ /app\nWORKDIR /app\nRUN ${install}\n`), install).toEqual([
        2,
      ]);
    }
  });

  it("does not fire on the seed's GOOD example (manifest first)", () => {
    expect(
      lines(
        DD001,
        `
    FROM python:3.12-slim
    COPY requirements.txt .
    RUN pip install -r requirements.txt
    COPY . .
    `,
      ),
    ).toEqual([]);
  });

  it("does not fire when the project itself is installed after its dependencies", () => {
    expect(
      lines(
        DD001,
        `
    FROM python:3.12-slim
    COPY requirements.txt .
    RUN pip install -r requirements.txt
    COPY . .
    RUN pip install --no-deps .
    `,
      ),
    ).toEqual([]);
  });

  it("does not fire for installs of named packages, global tools or builds", () => {
    expect(
      lines(
        DD001,
        `
    FROM node:20
    COPY . .
    RUN npm install -g pnpm && pip install flask && npm run build && go build ./...
    `,
      ),
    ).toEqual([]);
  });

  it("does not fire when the install is in another stage or the copy is --from a stage", () => {
    expect(
      lines(
        DD001,
        `
    FROM node:20 AS deps
    COPY package.json package-lock.json ./
    RUN npm ci
    FROM node:20
    COPY --from=deps /node_modules ./node_modules
    COPY . .
    FROM node:20
    RUN npm ci
    `,
      ),
    ).toEqual([]);
  });
});

describe("DD002 cleanup in a later RUN than the install", () => {
  it("fires on the seed's BAD apt example, at the cleanup line, naming the creating line", () => {
    const hits = run(
      DD002,
      `
    FROM debian:bookworm
    RUN apt-get update
    RUN apt-get install -y curl
    RUN rm -rf /var/lib/apt/lists/*
    `,
    );
    expect(hits.map((h) => h.line)).toEqual([4]);
    expect(hits[0]!.message).toBe(
      "line 4 removes /var/lib/apt/lists/* that line 2 created: the cleanup must run in the same RUN (the files stay in line 2's layer)",
    );
  });

  it("fires for apk, dnf, pip and npm caches cleaned later", () => {
    const hits = run(
      DD002,
      `
    FROM alpine:3.20
    RUN apk add curl
    RUN rm -rf /var/cache/apk/*
    RUN pip install flask
    RUN pip cache purge
    RUN npm install -g serve
    RUN npm cache clean --force
    FROM fedora:40
    RUN dnf install -y gcc
    RUN dnf clean all
    `,
    );
    expect(hits.map((h) => h.line)).toEqual([3, 5, 7, 10]);
    expect(hits[3]!.message).toContain("that line 9 created");
  });

  it("fires for a downloaded archive deleted in a later RUN", () => {
    const hits = run(
      DD002,
      `
    FROM debian:bookworm-slim
    WORKDIR /tmp
    RUN curl -fsSLo node.tar.xz https://nodejs.org/dist/v20.0.0/node-v20.0.0-linux-x64.tar.xz
    RUN tar -xJf node.tar.xz -C /usr/local --strip-components=1
    RUN rm /tmp/node.tar.xz
    `,
    );
    expect(hits.map((h) => h.line)).toEqual([5]);
    expect(hits[0]!.message).toContain("/tmp/node.tar.xz that line 3 created");
  });

  it("names every RUN that left the data behind", () => {
    const hits = run(
      DD002,
      `
    FROM ubuntu:24.04
    RUN apt-get update && apt-get install -y curl
    RUN apt-get update && apt-get install -y git
    RUN rm -rf /var/lib/apt/lists/*
    `,
    );
    expect(hits[0]!.message).toContain("that lines 2 and 3 created");
  });

  it("does not fire on the seed's GOOD example (cleanup in the same RUN)", () => {
    expect(
      lines(
        DD002,
        `
    FROM debian:bookworm
    RUN apt-get update && \\
        apt-get install -y --no-install-recommends curl ca-certificates && \\
        rm -rf /var/lib/apt/lists/*
    `,
      ),
    ).toEqual([]);
  });

  it("does not fire when nothing was cached (--no-cache, --no-cache-dir, PIP_NO_CACHE_DIR, cache mounts)", () => {
    expect(
      lines(
        DD002,
        `
    FROM python:3.12-alpine
    ENV PIP_NO_CACHE_DIR=1
    RUN apk add --no-cache curl
    RUN pip install flask
    RUN --mount=type=cache,target=/root/.npm npm ci
    RUN rm -rf /var/cache/apk/* /root/.cache/pip /root/.npm
    `,
      ),
    ).toEqual([]);
  });

  it("does not fire across stages or for files created by ADD/COPY", () => {
    expect(
      lines(
        DD002,
        `
    FROM debian:bookworm AS build
    RUN apt-get update && apt-get install -y curl
    FROM debian:bookworm
    ADD https://example.com/app.tar.gz /tmp/app.tar.gz
    RUN rm -rf /var/lib/apt/lists/* /tmp/app.tar.gz
    `,
      ),
    ).toEqual([]);
  });

  it("does not report a later apt-get clean on its own (Debian's docker-clean already ran)", () => {
    expect(
      lines(
        DD002,
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get clean\n",
      ),
    ).toEqual([]);
  });
});

describe("DD003 whole context copied without a .dockerignore that excludes .git", () => {
  const copyAll = "FROM node:20\nWORKDIR /app\nCOPY . .\n";

  it("fires when the context has no .dockerignore, at the COPY line", () => {
    const hits = run(DD003, copyAll, {});
    expect(hits.map((h) => h.line)).toEqual([3]);
    expect(hits[0]!.message).toContain("no .dockerignore");
  });

  it("fires when .dockerignore does not exclude .git (or re-includes it)", () => {
    expect(lines(DD003, copyAll, { ".dockerignore": "node_modules\n*.log\n" })).toEqual([3]);
    expect(lines(DD003, copyAll, { ".dockerignore": ".git\n!.git\n" })).toEqual([3]);
    expect(lines(DD003, copyAll, { ".dockerignore": "src/.git\n" })).toEqual([3]);
  });

  it("fires for ADD . and COPY ./ forms too", () => {
    expect(lines(DD003, "FROM alpine\nADD . /srv\n", { ".dockerignore": "# nothing\n" })).toEqual([2]);
    expect(lines(DD003, "FROM alpine\nCOPY ./ /srv/\n", {})).toEqual([2]);
  });

  it("does not fire when .dockerignore excludes .git in any of the usual spellings", () => {
    for (const text of [
      ".git\n",
      ".git/\n",
      "/.git\n",
      "**/.git\n",
      ".git*\n",
      "*\n!src\n",
      ".*\n",
      ".git/*\n",
    ]) {
      expect(lines(DD003, copyAll, { ".dockerignore": text }), text).toEqual([]);
    }
  });

  it("prefers <Dockerfile>.dockerignore next to the Dockerfile", () => {
    const files = { ".dockerignore": "node_modules\n", "build.Dockerfile.dockerignore": ".git\n" };
    expect(lines(DD003, copyAll, files, "build.Dockerfile")).toEqual([]);
    expect(lines(DD003, copyAll, files, "Dockerfile")).toEqual([3]);
    expect(
      lines(DD003, copyAll, { "docker/app.Dockerfile.dockerignore": ".git\n" }, "/ctx/docker/app.Dockerfile"),
    ).toEqual([]);
  });

  it("does not fire without a whole-context copy or without a known context (stdin)", () => {
    expect(lines(DD003, "FROM node:20\nCOPY package.json .\nCOPY --from=build / /\n", {})).toEqual([]);
    expect(lines(DD003, copyAll, null)).toEqual([]);
  });
});

describe("DD004 final stage runs as root by default", () => {
  it("fires when the final stage has no USER, at its FROM line, and names a built-in user", () => {
    const hits = run(
      DD004,
      'FROM node:20-slim AS build\nUSER node\nFROM node:20-slim\nCMD ["node", "app.js"]\n',
    );
    expect(hits.map((h) => h.line)).toEqual([3]);
    expect(hits[0]!.message).toContain("node (uid 1000)");
  });

  it("fires on python, debian and distroless without :nonroot", () => {
    expect(lines(DD004, 'FROM python:3.12-slim\nCMD ["python"]\n')).toEqual([1]);
    expect(lines(DD004, "FROM debian:bookworm\n")).toEqual([1]);
    expect(lines(DD004, "FROM gcr.io/distroless/static-debian12\n")).toEqual([1]);
  });

  it("fires on scratch with a numeric-user hint", () => {
    const hits = run(DD004, "FROM golang:1.22 AS b\nFROM scratch\nCOPY --from=b /app /app\n");
    expect(hits.map((h) => h.line)).toEqual([2]);
    expect(hits[0]!.message).toContain("USER 65532:65532");
  });

  it("does not fire when the final stage (or a stage it is built FROM) sets USER", () => {
    expect(lines(DD004, "FROM python:3.12-slim\nRUN useradd -r app\nUSER app\n")).toEqual([]);
    expect(lines(DD004, "FROM python:3.12-slim AS base\nUSER 10001\nFROM base\nCOPY . .\n")).toEqual([]);
    // USER root is DL3002's business.
    expect(lines(DD004, "FROM python:3.12-slim\nUSER root\n")).toEqual([]);
  });

  it("does not fire on bases known to run as non-root", () => {
    for (const image of [
      "gcr.io/distroless/static-debian12:nonroot",
      "gcr.io/distroless/base-debian12:debug-nonroot",
      "cgr.dev/chainguard/python:latest",
      "mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled",
      "bitnami/redis:7.2",
      "docker.io/bitnami/postgresql:16",
    ]) {
      expect(lines(DD004, `FROM ${image}\n`), image).toEqual([]);
    }
  });

  it("still fires on -dev Chainguard variants and bitnami/minideb", () => {
    expect(lines(DD004, "FROM cgr.dev/chainguard/python:latest-dev\n")).toEqual([1]);
    expect(lines(DD004, "FROM bitnami/minideb:bookworm\n")).toEqual([1]);
  });

  it("does not fire when the base image is an unresolved variable", () => {
    expect(lines(DD004, "ARG BASE\nFROM $BASE\n")).toEqual([]);
    expect(lines(DD004, "ARG BASE=ubuntu:24.04\nFROM $BASE\n")).toEqual([2]);
    expect(lines(DD004, "ARG TAG\nFROM gcr.io/distroless/static:$\u007bTAG:-nonroot}\n")).toEqual([]);
  });
});

describe("DD005 Alpine installs Python packages that need compiling", () => {
  it("fires for packages with no musllinux wheel and suggests the -slim tag", () => {
    const hits = run(DD005, "FROM python:3.12-alpine3.20\nRUN pip install psycopg2 flask\n");
    expect(hits.map((h) => h.line)).toEqual([2]);
    expect(hits[0]!.message).toContain("psycopg2 has no musllinux wheel");
    expect(hits[0]!.message).toContain("python:3.12-slim");
  });

  it("fires when a compiler is installed for pip (apk add build-base / gcc / python3-dev)", () => {
    const hits = run(
      DD005,
      `
    FROM python:3.11-alpine
    RUN apk add --no-cache build-base libffi-dev
    RUN pip install --no-cache-dir cryptography
    `,
    );
    expect(hits.map((h) => h.line)).toEqual([3]);
    expect(hits[0]!.message).toContain("line 2 installs build-base");
    expect(
      lines(
        DD005,
        "FROM alpine:3.20\nRUN apk add python3 py3-pip gcc python3-dev && pip install uwsgi-tools\n",
      ),
    ).toEqual([2]);
  });

  it("fires for old pins that predate the package's musllinux wheels", () => {
    const hits = run(DD005, "FROM python:3.10-alpine\nRUN pip install numpy==1.24.4 'pillow>=10'\n");
    expect(hits[0]!.message).toContain("numpy==1.24.4 predates numpy's musllinux wheels (1.25.0)");
  });

  it("reads requirements files from the context, through the COPY that put them there", () => {
    const dockerfile = `
    FROM python:3.12-alpine
    WORKDIR /app
    COPY deploy/requirements/ ./reqs/
    RUN pip install -r reqs/prod.txt
    `;
    const files = {
      "deploy/requirements/prod.txt": "# deps\n-r base.txt\nflask==3.0.0\n",
      "deploy/requirements/base.txt": "MySQLclient ; sys_platform == 'linux'\n",
    };
    const hits = run(DD005, dockerfile, files);
    expect(hits.map((h) => h.line)).toEqual([4]);
    expect(hits[0]!.message).toContain("mysqlclient has no musllinux wheel");
    const renamed =
      "FROM python:3.12-alpine\nCOPY requirements.txt /tmp/r.txt\nRUN pip install -r /tmp/r.txt\n";
    expect(lines(DD005, renamed, { "requirements.txt": "psycopg2==2.9.9\n" })).toEqual([3]);
  });

  it("does not fire on glibc images, or for packages with musllinux wheels", () => {
    expect(
      lines(
        DD005,
        "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y gcc && pip install psycopg2\n",
      ),
    ).toEqual([]);
    expect(
      lines(DD005, "FROM python:3.12-alpine\nRUN pip install numpy==2.1.0 psycopg2-binary pandas flask\n"),
    ).toEqual([]);
  });

  it("does not fire for compilers installed without a Python install, or in another stage", () => {
    expect(lines(DD005, "FROM alpine:3.20\nRUN apk add build-base && make -C /src\n")).toEqual([]);
    expect(
      lines(
        DD005,
        "FROM alpine:3.20 AS c\nRUN apk add gcc\nFROM python:3.12-alpine\nRUN pip install flask\n",
      ),
    ).toEqual([]);
  });

  it("does not fire for requirements files it cannot read", () => {
    expect(
      lines(
        DD005,
        "FROM python:3.12-alpine\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
        {},
      ),
    ).toEqual([]);
  });
});

describe("DD006 compiler toolchain in the final stage", () => {
  it("fires in a single-stage build", () => {
    const hits = run(
      DD006,
      `
    FROM python:3.12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev && rm -rf /var/lib/apt/lists/*
    `,
    );
    expect(hits.map((h) => h.line)).toEqual([2]);
    expect(hits[0]!.message).toContain("build-essential, libpq-dev are installed in the final stage");
  });

  it("fires in the final stage of a multi-stage build, for apk, dnf and versioned compilers", () => {
    expect(
      lines(DD006, "FROM alpine AS b\nRUN true\nFROM alpine:3.20\nRUN apk add --no-cache gcc musl-dev\n"),
    ).toEqual([4]);
    expect(lines(DD006, "FROM fedora:40\nRUN dnf install -y gcc-c++ python3-devel\n")).toEqual([2]);
    expect(
      lines(DD006, "FROM ubuntu:24.04\nRUN apt-get install -y gcc-13=13.2.0-4ubuntu3 clang-18\n"),
    ).toEqual([2]);
  });

  it("fires for a stage the final stage is built FROM", () => {
    const hits = run(
      DD006,
      'FROM debian:bookworm AS base\nRUN apt-get install -y make\nFROM base\nCMD ["app"]\n',
    );
    expect(hits.map((h) => h.line)).toEqual([2]);
    expect(hits[0]!.message).toContain("stage base, which the final stage is built FROM");
  });

  it("does not fire in builder stages", () => {
    expect(
      lines(
        DD006,
        `
    FROM python:3.12 AS build
    RUN apt-get update && apt-get install -y build-essential
    FROM python:3.12-slim
    COPY --from=build /venv /venv
    `,
      ),
    ).toEqual([]);
  });

  it("does not fire when the same RUN removes the toolchain again", () => {
    expect(
      lines(
        DD006,
        "FROM python:3.12-alpine\nRUN apk add --virtual .build-deps gcc musl-dev && pip install x && apk del .build-deps\n",
      ),
    ).toEqual([]);
    expect(
      lines(DD006, "FROM debian\nRUN apt-get install -y gcc && make && apt-get purge -y --auto-remove gcc\n"),
    ).toEqual([]);
  });

  it("does not fire for runtime libraries and tools that only look similar", () => {
    expect(lines(DD006, "FROM debian\nRUN apt-get install -y libpq5 udev curl make-guile\n")).toEqual([]);
  });
});

describe("DD007 heredoc RUN without errexit", () => {
  it("fires on a plain RUN <<EOF with several commands", () => {
    const hits = run(DD007, "FROM debian\nRUN <<EOF\napt-get update\napt-get install -y vim\nEOF\n");
    expect(hits.map((h) => h.line)).toEqual([2]);
    expect(hits[0]!.message).toContain("set -e");
  });

  it("fires for `RUN <<EOF bash`, a #!/bin/bash shebang without -e, and `;`-separated commands", () => {
    expect(lines(DD007, "FROM debian\nRUN <<EOT bash\n  fail_command\n  echo ok\nEOT\n")).toEqual([2]);
    expect(
      lines(DD007, "FROM debian\nRUN <<EOF\n#!/bin/bash\ncurl -fO https://x/a\necho done\nEOF\n"),
    ).toEqual([2]);
    expect(lines(DD007, "FROM debian\nRUN <<EOF\ncd /src; make\nEOF\n")).toEqual([2]);
  });

  it("fires when set -e comes too late", () => {
    expect(
      lines(DD007, "FROM debian\nRUN <<EOF\napt-get update\nset -e\napt-get install -y x\nEOF\n"),
    ).toEqual([2]);
  });

  it("does not fire with set -e, set -euo pipefail, set -o errexit or a -e shebang", () => {
    for (const start of ["set -e", "set -euo pipefail", "set -o errexit", "set -eux", "#!/bin/sh -e"]) {
      expect(
        lines(DD007, `FROM debian\nRUN <<EOF\n${start}\napt-get update\napt-get install -y x\nEOF\n`),
        start,
      ).toEqual([]);
    }
  });

  it("does not fire when SHELL or the shell command already has -e", () => {
    expect(
      lines(DD007, 'FROM debian\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN <<EOF\na\nb\nEOF\n'),
    ).toEqual([]);
    expect(lines(DD007, "FROM debian\nRUN <<EOF bash -e\na\nb\nEOF\n")).toEqual([]);
    const inherited = 'FROM debian AS base\nSHELL ["/bin/sh", "-e", "-c"]\nFROM base\nRUN <<EOF\na\nb\nEOF\n';
    expect(lines(DD007, inherited)).toEqual([]);
    expect(lines(DD007, inherited.replace("FROM base", "FROM debian"))).toEqual([4]);
  });

  it("does not fire for python/node heredocs, file-writing heredocs or single commands", () => {
    expect(lines(DD007, "FROM python:3.12\nRUN <<EOF python3\nimport os\nprint(os.getcwd())\nEOF\n")).toEqual(
      [],
    );
    expect(
      lines(DD007, "FROM node:20\nRUN <<EOF\n#!/usr/bin/env node\nconsole.log(1)\nconsole.log(2)\nEOF\n"),
    ).toEqual([]);
    expect(lines(DD007, "FROM debian\nRUN cat <<EOF > /etc/app.conf\na=1\nb=2\nEOF\n")).toEqual([]);
    expect(
      lines(DD007, "FROM debian\nRUN <<EOF\napt-get update && \\\n  apt-get install -y x\nEOF\n"),
    ).toEqual([]);
    expect(lines(DD007, "FROM debian\nRUN <<EOF\nif [ -f /x ]; then\n  rm /x\nfi\nEOF\n")).toEqual([]);
  });
});

describe("DD008 static binary on a full distribution", () => {
  const goBuild = `
    FROM golang:1.22 AS build
    WORKDIR /src
    COPY . .
    RUN CGO_ENABLED=0 go build -o /out/server .
    `;

  it("fires for a CGO_ENABLED=0 Go binary on debian, at the final FROM", () => {
    const hits = run(
      DD008,
      `${goBuild}\nFROM debian:bookworm-slim\nCOPY --from=build /out/server /usr/local/bin/server\nENTRYPOINT ["/usr/local/bin/server"]\n`,
    );
    expect(hits.map((h) => h.line)).toEqual([6]);
    expect(hits[0]!.message).toContain("gcr.io/distroless/static-debian13:nonroot");
  });

  it("fires with ENV CGO_ENABLED=0, a bare program name on PATH, and alpine", () => {
    expect(
      lines(
        DD008,
        `
    FROM golang:1.22-alpine AS builder
    ENV CGO_ENABLED=0
    RUN go build -o /app ./cmd/app
    FROM alpine:3.20
    COPY --from=builder /app /usr/bin/
    CMD ["app"]
    `,
      ),
    ).toEqual([4]);
  });

  it("fires for Rust built for a musl target, or on a rust alpine builder", () => {
    expect(
      lines(
        DD008,
        `
    FROM rust:1.80 AS build
    RUN rustup target add x86_64-unknown-linux-musl && cargo build --release --target x86_64-unknown-linux-musl
    FROM ubuntu:24.04
    COPY --from=build /target/x86_64-unknown-linux-musl/release/tool /tool
    ENTRYPOINT ["/tool"]
    `,
      ),
    ).toEqual([3]);
    expect(
      lines(
        DD008,
        'FROM rust:1-alpine AS b\nRUN cargo build --release\nFROM debian:12\nCOPY --from=b /target/release/x /x\nENTRYPOINT ["/x"]\n',
      ),
    ).toEqual([3]);
  });

  it("does not fire without CGO_ENABLED=0 or a musl target", () => {
    expect(
      lines(
        DD008,
        'FROM golang:1.22 AS b\nRUN go build -o /app .\nFROM debian\nCOPY --from=b /app /app\nCMD ["/app"]\n',
      ),
    ).toEqual([]);
    expect(
      lines(
        DD008,
        'FROM rust:1.80 AS b\nRUN cargo build --release\nFROM debian\nCOPY --from=b /target/release/x /x\nCMD ["/x"]\n',
      ),
    ).toEqual([]);
  });

  it("does not fire when the final stage needs the distribution (RUN, shell-form CMD, curl healthcheck)", () => {
    const final = "FROM debian:bookworm-slim\nCOPY --from=build /out/server /server\n";
    expect(lines(DD008, `${goBuild}\n${final}RUN apt-get update\nCMD ["/server"]\n`)).toEqual([]);
    expect(lines(DD008, `${goBuild}\n${final}CMD /server --port 80\n`)).toEqual([]);
    expect(
      lines(DD008, `${goBuild}\n${final}HEALTHCHECK CMD curl -f http://localhost/\nCMD ["/server"]\n`),
    ).toEqual([]);
  });

  it("does not fire on scratch/distroless or when the entrypoint is not the copied binary", () => {
    expect(
      lines(DD008, `${goBuild}\nFROM scratch\nCOPY --from=build /out/server /server\nCMD ["/server"]\n`),
    ).toEqual([]);
    expect(
      lines(DD008, `${goBuild}\nFROM debian\nCOPY --from=build /out/server /server\nCMD ["bash"]\n`),
    ).toEqual([]);
  });
});

describe("DD009 ADD of a remote URL without --checksum", () => {
  it("fires for http(s) URLs without --checksum", () => {
    const hits = run(DD009, "FROM alpine\nADD https://example.com/tool.tar.gz /tmp/\n");
    expect(hits.map((h) => h.line)).toEqual([2]);
    expect(hits[0]!.message).toContain("--checksum=sha256:");
    expect(lines(DD009, 'FROM alpine\nADD --chmod=755 ["http://example.com/x", "/usr/bin/x"]\n')).toEqual([
      2,
    ]);
  });

  it("fires for Git sources at a moving ref", () => {
    expect(lines(DD009, "FROM alpine\nADD https://github.com/moby/buildkit.git#v0.14.0 /src\n")).toEqual([2]);
    expect(lines(DD009, "FROM alpine\nADD git@github.com:user/repo.git /src\n")).toEqual([2]);
  });

  it("fires inside ONBUILD", () => {
    expect(lines(DD009, "FROM alpine\nONBUILD ADD https://example.com/a /a\n")).toEqual([2]);
  });

  it("does not fire with --checksum", () => {
    expect(
      lines(
        DD009,
        "FROM alpine\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://mirrors.edge.kernel.org/pub/linux/kernel/Historic/linux-0.01.tar.gz /\n",
      ),
    ).toEqual([]);
  });

  it("does not fire for Git sources pinned to a commit", () => {
    const sha = "a".repeat(40);
    expect(lines(DD009, `FROM alpine\nADD https://github.com/moby/buildkit.git#${sha} /src\n`)).toEqual([]);
    expect(
      lines(DD009, `FROM alpine\nADD https://github.com/moby/buildkit.git?commit=${sha} /src\n`),
    ).toEqual([]);
  });

  it("does not fire for local sources or COPY", () => {
    expect(lines(DD009, "FROM alpine\nADD app.tar.gz /opt/\nCOPY https.txt /x\n")).toEqual([]);
  });
});
