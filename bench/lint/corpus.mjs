/**
 * Deterministic generator of the lint benchmark corpus: varied, synthetic Dockerfiles.
 *
 * Every file is made from a seeded PRNG (mulberry32), so the same seed always gives the same
 * corpus, byte for byte. Nothing here is copied from public repositories: the snippets are
 * written from the Dockerfile reference (https://docs.docker.com/reference/dockerfile/) and
 * common idioms, and their pieces are shuffled and combined per file.
 *
 * Run directly to write the corpus: `node bench/lint/corpus.mjs [dir] [--seed N] [--count N]`.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const DEFAULT_SEED = 20240917;
export const DEFAULT_COUNT = 1200;
export const DEFAULT_DIR = fileURLToPath(new URL("../corpus/lint/", import.meta.url));

/** Share of files that carry an intended syntax error (DL1000). */
const SYNTAX_ERROR_RATE = 0.025;
const CRLF_RATE = 0.04;
const BACKTICK_ESCAPE_RATE = 0.03;

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: tiny, fast, good enough for test data; the state is one 32-bit integer. */
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes the corpus seed with a file index so each file is independent of the others. */
function fileSeed(seed, index) {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  /** Integer in [min, max]. */
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p) {
    return this.next() < p;
  }
  pick(items) {
    return items[Math.floor(this.next() * items.length)];
  }
  /** n distinct items, in a random order. */
  sample(items, n) {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, Math.min(n, copy.length));
  }
  /** Picks a key of `weights` with probability proportional to its value. */
  weighted(weights) {
    const entries = Object.entries(weights);
    let roll = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, w] of entries) {
      roll -= w;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1][0];
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const PACKAGES = {
  apt: [
    "ca-certificates",
    "curl",
    "wget",
    "git",
    "gnupg",
    "unzip",
    "xz-utils",
    "tzdata",
    "locales",
    "build-essential",
    "pkg-config",
    "libssl-dev",
    "libpq-dev",
    "libffi-dev",
    "zlib1g-dev",
    "libxml2-dev",
    "libjpeg-dev",
    "libpng-dev",
    "openssh-client",
    "netcat-openbsd",
    "jq",
    "procps",
    "tini",
    "dumb-init",
    "gosu",
    "python3",
    "python3-pip",
    "make",
    "gcc",
    "g++",
    "libsqlite3-dev",
    "default-libmysqlclient-dev",
    "imagemagick",
    "ffmpeg",
    "vim",
    "less",
    "iputils-ping",
    "dnsutils",
    "rsync",
    "sudo",
    "file",
    "bzip2",
    "patch",
    "libyaml-dev",
  ],
  apk: [
    "ca-certificates",
    "curl",
    "wget",
    "git",
    "bash",
    "tzdata",
    "openssl",
    "build-base",
    "gcc",
    "musl-dev",
    "libffi-dev",
    "openssl-dev",
    "postgresql-dev",
    "jq",
    "tini",
    "su-exec",
    "make",
    "python3",
    "py3-pip",
    "libc6-compat",
    "zlib-dev",
    "jpeg-dev",
    "linux-headers",
    "coreutils",
    "shadow",
    "unzip",
    "rsync",
    "openssh-client",
    "sqlite-dev",
    "libxml2-dev",
    "icu-libs",
  ],
  rpm: [
    "ca-certificates",
    "curl",
    "wget",
    "git",
    "tar",
    "gzip",
    "unzip",
    "shadow-utils",
    "procps-ng",
    "gcc",
    "gcc-c++",
    "make",
    "openssl-devel",
    "libffi-devel",
    "python3",
    "python3-pip",
    "jq",
    "findutils",
    "which",
    "hostname",
    "glibc-langpack-en",
    "tzdata",
    "zlib-devel",
    "diffutils",
  ],
  zypper: ["ca-certificates", "curl", "git", "tar", "gzip", "gcc", "make", "python3", "jq"],
};

const PIP_PACKAGES = [
  "flask",
  "gunicorn",
  "requests",
  "django",
  "psycopg2-binary",
  "uvicorn",
  "fastapi",
  "pydantic",
  "celery",
  "redis",
  "sqlalchemy",
  "numpy",
  "pandas",
  "boto3",
  "pyyaml",
  "click",
  "httpx",
];
const NPM_PACKAGES = [
  "pm2",
  "typescript",
  "ts-node",
  "nodemon",
  "serve",
  "pnpm",
  "yarn",
  "npm",
  "http-server",
];
const GEMS = ["bundler", "rails", "puma", "rake", "foreman", "nokogiri", "sidekiq"];
const PHP_EXTENSIONS = ["pdo_mysql", "pdo_pgsql", "opcache", "intl", "zip", "gd", "bcmath", "exif", "pcntl"];
const PORTS = [80, 443, 3000, 4000, 5000, 5432, 6379, 8000, 8080, 8081, 8443, 9000, 9090, 9229];
const USERS = ["app", "appuser", "node", "www-data", "nobody", "service", "runner", "web"];
const COMMENTS = [
  "Install system dependencies",
  "Build the application",
  "Keep the image small",
  "Copy only what is needed at runtime",
  "Cache dependencies first for faster rebuilds",
  "Run as an unprivileged user",
  "TODO: pin these versions",
  "Use the same base image for build and runtime",
  "Health endpoint served by the app",
  "Configure locale and time zone",
  "FIXME: remove once upstream ships a fixed package",
  "Production settings",
];

/** Base images per stack: `build` images carry the toolchain, `run` images run the result. */
const STACKS = {
  node: {
    build: [
      "node:20-alpine",
      "node:20-bookworm",
      "node:18-bullseye-slim",
      "node:22-bookworm-slim",
      "node:lts-alpine",
      "node",
      "node:latest",
      "node:20.11.1-alpine3.19",
    ],
    run: [
      "node:20-alpine",
      "node:20-bookworm-slim",
      "gcr.io/distroless/nodejs20-debian12",
      "nginx:1.25-alpine",
    ],
    port: 3000,
  },
  python: {
    build: [
      "python:3.12-slim",
      "python:3.11-alpine",
      "python:3.10-bookworm",
      "python:3.12-slim-bookworm",
      "python:3",
      "python:latest",
      "python:3.9.18-slim-bullseye",
    ],
    run: [
      "python:3.12-slim",
      "python:3.11-alpine",
      "python:3.12-slim-bookworm",
      "gcr.io/distroless/python3-debian12",
    ],
    port: 8000,
  },
  go: {
    build: [
      "golang:1.22-alpine",
      "golang:1.22-bookworm",
      "golang:1.21",
      "golang:latest",
      "golang:1.22.1-alpine3.19",
    ],
    run: [
      "scratch",
      "gcr.io/distroless/static-debian12:nonroot",
      "alpine:3.19",
      "debian:bookworm-slim",
      "busybox:1.36",
    ],
    port: 8080,
  },
  rust: {
    build: ["rust:1.77-slim-bookworm", "rust:1-alpine", "rust:1.76", "rust:latest"],
    run: ["debian:bookworm-slim", "alpine:3.19", "gcr.io/distroless/cc-debian12", "ubuntu:22.04"],
    port: 8080,
  },
  java: {
    build: [
      "maven:3.9-eclipse-temurin-21",
      "maven:3.9.6-eclipse-temurin-17",
      "gradle:8.6-jdk21",
      "eclipse-temurin:21-jdk",
      "eclipse-temurin:17-jdk-jammy",
      "openjdk:17",
    ],
    run: [
      "eclipse-temurin:21-jre-alpine",
      "eclipse-temurin:17-jre-jammy",
      "gcr.io/distroless/java21-debian12",
      "amazoncorretto:21",
    ],
    port: 8080,
  },
  ruby: {
    build: ["ruby:3.3-slim", "ruby:3.2-alpine", "ruby:3.3-bookworm", "ruby:3.1", "ruby"],
    run: ["ruby:3.3-slim", "ruby:3.2-alpine", "ruby:3.3-slim-bookworm"],
    port: 3000,
  },
  php: {
    build: ["php:8.3-fpm-alpine", "php:8.2-apache", "php:8.3-cli-bookworm", "composer:2", "php:8.1-fpm"],
    run: ["php:8.3-fpm-alpine", "php:8.2-apache", "php:8.3-fpm-bookworm"],
    port: 9000,
  },
  dotnet: {
    build: [
      "mcr.microsoft.com/dotnet/sdk:8.0",
      "mcr.microsoft.com/dotnet/sdk:8.0-alpine",
      "mcr.microsoft.com/dotnet/sdk:6.0-jammy",
    ],
    run: [
      "mcr.microsoft.com/dotnet/aspnet:8.0",
      "mcr.microsoft.com/dotnet/aspnet:8.0-alpine",
      "mcr.microsoft.com/dotnet/runtime-deps:8.0-jammy-chiseled",
    ],
    port: 8080,
  },
  os: {
    build: [
      "alpine:3.19",
      "alpine:3.18",
      "alpine",
      "debian:bookworm-slim",
      "debian:12",
      "debian:bullseye",
      "ubuntu:22.04",
      "ubuntu:24.04",
      "ubuntu:jammy",
      "ubuntu:latest",
      "registry.access.redhat.com/ubi9/ubi:9.3",
      "registry.access.redhat.com/ubi9/ubi-minimal:9.3",
      "registry.access.redhat.com/ubi8/ubi",
      "fedora:39",
      "rockylinux:9",
      "centos:7",
      "amazonlinux:2023",
      "opensuse/leap:15.5",
      "quay.io/centos/centos:stream9",
    ],
    run: [
      "alpine:3.19",
      "debian:bookworm-slim",
      "ubuntu:22.04",
      "registry.access.redhat.com/ubi9/ubi-minimal:9.3",
    ],
    port: 8080,
  },
};

const STACK_WEIGHTS = { node: 18, python: 18, go: 12, rust: 6, java: 10, ruby: 7, php: 7, dotnet: 6, os: 16 };

/** The package-manager family an image uses (null: no shell or no package manager). */
export function imageFamily(image) {
  if (image === "scratch" || image.includes("distroless") || image.includes("chiseled")) return null;
  if (image.startsWith("busybox")) return "busybox";
  if (image.includes("alpine") || image === "composer:2") return "apk";
  if (image.includes("ubi-minimal")) return "microdnf";
  if (/ubi|fedora|rocky|centos|amazonlinux|amazoncorretto|openjdk:17/.test(image)) {
    return /fedora|ubi9|stream9|rocky|amazonlinux:2023/.test(image) ? "dnf" : "yum";
  }
  if (image.startsWith("opensuse")) return "zypper";
  return "apt";
}

// ---------------------------------------------------------------------------------------------
// Writing helpers. A Dockerfile is built as a list of blocks; each block is the lines of one
// instruction or comment group, so blocks can be moved or inserted without breaking a
// continuation or a heredoc.

class FileWriter {
  constructor(rng, { escapeChar }) {
    this.rng = rng;
    this.escape = escapeChar; // "\\" or "`"
    this.blocks = [];
    this.headerBlocks = [];
    this.variables = new Set();
    this.usedHeredoc = false;
  }
  add(...lines) {
    this.blocks.push(lines);
  }
  /** `RUN` with commands joined by `&&` (or `;`), one per line when there are several. */
  run(commands, { flags = "", separator = "&&", leading = this.rng.chance(0.3), comments = true } = {}) {
    const prefix = `RUN ${flags ? `${flags} ` : ""}`;
    if (commands.length === 1 && !commands[0].includes("\n")) {
      this.add(prefix + commands[0]);
      return;
    }
    const e = this.escape;
    const lines = [];
    commands.forEach((command, index) => {
      const last = index === commands.length - 1;
      const parts = command.split("\n"); // a multi-line command already carries continuations
      if (index === 0) lines.push(prefix + parts[0]);
      else if (leading) lines.push(`    ${separator} ${parts[0]}`);
      else lines.push(`    ${parts[0]}`);
      lines.push(...parts.slice(1));
      const tail = lines.length - 1;
      if (!last) lines[tail] += leading ? ` ${e}` : ` ${separator} ${e}`;
      if (!last && comments && this.rng.chance(0.04))
        lines.push(`    # ${this.rng.pick(COMMENTS).toLowerCase()}`);
      if (!last && comments && this.rng.chance(0.01)) lines.push("");
    });
    this.blocks.push(lines);
  }
  comment() {
    this.add(`# ${this.rng.pick(COMMENTS)}`);
  }
  lineCount() {
    return [...this.headerBlocks, ...this.blocks].reduce((n, b) => n + b.length, 0);
  }
  text(lineEnding) {
    const lines = [...this.headerBlocks, ...this.blocks].flat();
    return lines.join(lineEnding) + lineEnding;
  }
}

function version(rng, parts = 3) {
  const numbers = [rng.int(0, 12), rng.int(0, 30), rng.int(0, 20)].slice(0, parts);
  return numbers.join(".");
}

function pinned(rng, family, pkg) {
  switch (family) {
    case "apt":
      return `${pkg}=${version(rng)}-${rng.int(1, 9)}${rng.chance(0.3) ? `+deb12u${rng.int(1, 5)}` : ""}`;
    case "apk":
      return `${pkg}=${version(rng)}-r${rng.int(0, 6)}`;
    case "zypper":
      return `${pkg}=${version(rng)}`;
    default:
      return `${pkg}-${version(rng)}`;
  }
}

/** Package list, pinned or not, on one line or one package per line (long chains). */
function packageList(w, family, count, pinRate) {
  const pool =
    PACKAGES[family === "apk" ? "apk" : family === "apt" ? "apt" : family === "zypper" ? "zypper" : "rpm"];
  const names = w.rng.sample(pool, count).sort();
  const items = names.map((p) => (w.rng.chance(pinRate) ? pinned(w.rng, family, p) : p));
  if (items.length <= 4 || w.rng.chance(0.3)) return items.join(" ");
  return `${w.escape}\n${items.map((p) => `        ${p}`).join(` ${w.escape}\n`)}`;
}

/** One system-package install, with the cleanup habits (or lack of them) of each manager. */
function systemInstall(w, family, size) {
  const rng = w.rng;
  const count = size === "large" ? rng.int(8, 30) : size === "medium" ? rng.int(3, 12) : rng.int(1, 5);
  const pinRate = rng.pick([0, 0, 0.5, 1, 1]);
  const pkgs = packageList(w, family, count, pinRate);
  const cmds = [];
  switch (family) {
    case "apt": {
      const tool = rng.chance(0.1) ? "apt" : "apt-get";
      const yes = rng.chance(0.85) ? " -y" : "";
      const norec = rng.chance(0.65) ? " --no-install-recommends" : "";
      const env = rng.chance(0.2) ? "DEBIAN_FRONTEND=noninteractive " : "";
      if (rng.chance(0.15)) w.run([`${tool} update`]);
      else cmds.push(`${tool} update`);
      if (rng.chance(0.08)) cmds.push(`${tool} upgrade -y`);
      cmds.push(`${env}${tool} install${yes}${norec} ${pkgs}`);
      if (rng.chance(0.7)) cmds.push("rm -rf /var/lib/apt/lists/*");
      if (rng.chance(0.2)) cmds.push(`${tool} clean`);
      break;
    }
    case "apk": {
      const style = rng.pick(["no-cache", "no-cache", "update", "plain", "virtual"]);
      if (style === "no-cache") cmds.push(`apk add --no-cache ${pkgs}`);
      else if (style === "update")
        cmds.push("apk update", `apk add ${pkgs}`, ...(rng.chance(0.5) ? ["rm -rf /var/cache/apk/*"] : []));
      else if (style === "plain") cmds.push(`apk add ${pkgs}`);
      else
        cmds.push(
          `apk add --no-cache --virtual .build-deps ${pkgs}`,
          'make -j"$(nproc)"',
          "apk del .build-deps",
        );
      if (rng.chance(0.07)) cmds.unshift("apk upgrade");
      break;
    }
    case "dnf":
    case "yum":
    case "microdnf": {
      const yes = rng.chance(0.85) ? " -y" : "";
      const weak = family === "dnf" && rng.chance(0.4) ? " --setopt=install_weak_deps=False" : "";
      const nodocs = family !== "yum" && rng.chance(0.3) ? " --nodocs" : "";
      if (rng.chance(0.1)) cmds.push(`${family} update${yes}`);
      cmds.push(`${family} install${yes}${weak}${nodocs} ${pkgs}`);
      if (rng.chance(0.7)) cmds.push(`${family} clean all`);
      if (family === "yum" && rng.chance(0.3)) cmds.push("rm -rf /var/cache/yum");
      break;
    }
    case "zypper": {
      cmds.push(
        `zypper${rng.chance(0.8) ? " --non-interactive" : ""} install ${rng.chance(0.5) ? "--no-recommends " : ""}${pkgs}`,
      );
      if (rng.chance(0.6)) cmds.push("zypper clean -a");
      break;
    }
    default:
      return;
  }
  if (rng.chance(0.12)) cmds.unshift("set -eux");
  if (rng.chance(0.12) && (family === "apt" || family === "dnf" || family === "yum")) {
    w.add(`# hadolint ignore=${rng.pick(["DL3008", "DL3008,DL3015", "DL3041", "DL3033", "DL3009"])}`);
  }
  const flags = rng.chance(0.08)
    ? rng.pick([
        "--mount=type=cache,target=/var/cache/apt,sharing=locked",
        "--mount=type=cache,target=/var/cache/apk",
      ])
    : "";
  w.run(cmds, { flags, separator: rng.chance(0.15) ? ";" : "&&" });
}

function pipInstall(w, pinRate) {
  const rng = w.rng;
  const pkgs = rng
    .sample(PIP_PACKAGES, rng.int(1, 6))
    .map((p) => (rng.chance(pinRate) ? `${p}==${version(rng)}` : p));
  const cache = rng.chance(0.6) ? " --no-cache-dir" : "";
  return `pip${rng.chance(0.3) ? "3" : ""} install${cache} ${pkgs.join(" ")}`;
}

function npmGlobal(w, pinRate) {
  const rng = w.rng;
  const pkgs = rng
    .sample(NPM_PACKAGES, rng.int(1, 3))
    .map((p) => (rng.chance(pinRate) ? `${p}@${version(rng)}` : p));
  return `npm install -g ${pkgs.join(" ")}`;
}

function gemInstall(w, pinRate) {
  const rng = w.rng;
  const gem = rng.pick(GEMS);
  return rng.chance(pinRate) ? `gem install ${gem} -v ${version(rng)}` : `gem install ${gem}`;
}

/** Language-level dependency and build steps of a stack. */
function languageSteps(w, stack, family, size) {
  const rng = w.rng;
  const pinRate = rng.pick([0, 0.5, 1]);
  switch (stack) {
    case "node": {
      w.add(
        rng.pick([
          "COPY package*.json ./",
          "COPY package.json package-lock.json ./",
          "COPY package.json yarn.lock ./",
        ]),
      );
      const install = rng.pick([
        "npm ci",
        "npm ci --omit=dev",
        "npm install",
        "yarn install --frozen-lockfile",
        "npm install --production",
      ]);
      const cache = rng.chance(0.3) ? "--mount=type=cache,target=/root/.npm" : "";
      w.run(rng.chance(0.4) ? [install, "npm cache clean --force"] : [install], { flags: cache });
      if (rng.chance(0.3)) w.run([npmGlobal(w, pinRate)]);
      if (rng.chance(0.15))
        w.run([
          `npm install ${rng.pick(["express", "lodash", "axios"])}${rng.chance(pinRate) ? `@${version(rng)}` : ""}`,
        ]);
      w.add(rng.pick(["COPY . .", "COPY . /app", "COPY src ./src", "COPY --chown=node:node . ."]));
      if (rng.chance(0.6))
        w.run([rng.pick(["npm run build", "yarn build", "npm run build && npm prune --production"])]);
      break;
    }
    case "python": {
      if (rng.chance(0.3)) {
        w.add("ENV VIRTUAL_ENV=/opt/venv");
        w.run(["python -m venv $VIRTUAL_ENV"]);
        w.add('ENV PATH="$VIRTUAL_ENV/bin:$PATH"');
        w.variables.add("VIRTUAL_ENV");
      }
      if (rng.chance(0.25))
        w.run([`pip install --upgrade pip${rng.chance(pinRate) ? `==${version(rng)}` : ""}`]);
      if (rng.chance(0.6)) {
        w.add("COPY requirements.txt .");
        const flags = rng.chance(0.25) ? "--mount=type=cache,target=/root/.cache/pip" : "";
        w.run([`pip install${rng.chance(0.6) ? " --no-cache-dir" : ""} -r requirements.txt`], { flags });
      } else if (rng.chance(0.5)) {
        w.add("COPY pyproject.toml poetry.lock ./");
        w.run([
          `pip install poetry${rng.chance(pinRate) ? `==${version(rng)}` : ""}`,
          "poetry config virtualenvs.create false",
          "poetry install --no-root --only main",
        ]);
      } else {
        w.run([pipInstall(w, pinRate)]);
      }
      w.add(rng.pick(["COPY . .", "COPY app/ ./app/", "COPY --chown=app:app . /srv/app"]));
      if (rng.chance(0.2)) w.run(["python -m compileall -q ."]);
      break;
    }
    case "go": {
      w.add("COPY go.mod go.sum ./");
      const cache = rng.chance(0.3) ? "--mount=type=cache,target=/go/pkg/mod" : "";
      w.run(["go mod download"], { flags: cache });
      if (rng.chance(0.2))
        w.run([
          `go install ${rng.pick(["github.com/go-delve/delve/cmd/dlv", "golang.org/x/tools/cmd/goimports"])}@${rng.chance(pinRate) ? `v${version(rng)}` : "latest"}`,
        ]);
      w.add("COPY . .");
      const ldflags = rng.chance(0.6) ? ' -ldflags="-s -w"' : "";
      w.run([
        `CGO_ENABLED=0 GOOS=linux go build${ldflags} -o /out/app ${rng.pick(["./cmd/server", ".", "./cmd/app"])}`,
      ]);
      if (rng.chance(0.3)) w.run(["go test ./..."]);
      break;
    }
    case "rust": {
      if (rng.chance(0.3))
        w.run([
          `cargo install cargo-chef${rng.chance(pinRate) ? ` --locked --version ${version(rng)}` : ""}`,
        ]);
      w.add("COPY Cargo.toml Cargo.lock ./");
      if (rng.chance(0.5))
        w.run(["mkdir src", 'echo "fn main() {}" > src/main.rs', "cargo build --release", "rm -rf src"]);
      w.add("COPY . .");
      w.run([
        rng.pick([
          "cargo build --release",
          "cargo build --release --locked",
          "touch src/main.rs && cargo build --release",
        ]),
      ]);
      break;
    }
    case "java": {
      if (rng.chance(0.6)) {
        w.add("COPY pom.xml .");
        w.run([rng.pick(["mvn -B -q dependency:go-offline", "mvn dependency:resolve"])], {
          flags: rng.chance(0.3) ? "--mount=type=cache,target=/root/.m2" : "",
        });
        w.add("COPY src ./src");
        w.run([
          rng.pick(["mvn -B package -DskipTests", "mvn clean package", "mvn -B -DskipTests=true verify"]),
        ]);
      } else {
        w.add("COPY build.gradle settings.gradle gradlew ./", "COPY gradle ./gradle");
        w.run(["./gradlew dependencies --no-daemon"]);
        w.add("COPY . .");
        w.run([
          rng.pick(["./gradlew bootJar --no-daemon", "./gradlew build -x test", "gradle build --no-daemon"]),
        ]);
      }
      break;
    }
    case "ruby": {
      w.run([gemInstall(w, pinRate)]);
      w.add("COPY Gemfile Gemfile.lock ./");
      const bundle = [
        "bundle config set --local without 'development test'",
        `bundle install --jobs ${rng.int(2, 8)}`,
      ];
      if (rng.chance(0.4)) bundle.push("rm -rf ~/.bundle/cache /usr/local/bundle/cache");
      w.run(bundle);
      w.add("COPY . .");
      if (rng.chance(0.4)) w.run(["bundle exec rake assets:precompile"]);
      break;
    }
    case "php": {
      const exts = rng.sample(PHP_EXTENSIONS, rng.int(1, 4)).join(" ");
      w.run([`docker-php-ext-install${rng.chance(0.5) ? ' -j"$(nproc)"' : ""} ${exts}`]);
      if (rng.chance(0.4))
        w.run([
          `pecl install redis${rng.chance(pinRate) ? `-${version(rng)}` : ""}`,
          "docker-php-ext-enable redis",
        ]);
      w.add("COPY --from=composer:2 /usr/bin/composer /usr/bin/composer");
      w.add("COPY composer.json composer.lock ./");
      w.run([
        rng.pick([
          "composer install --no-dev --optimize-autoloader --no-scripts",
          "composer install",
          "composer install --no-interaction --prefer-dist",
        ]),
      ]);
      w.add("COPY . .");
      if (rng.chance(0.4)) w.run(["chown -R www-data:www-data storage bootstrap/cache"]);
      break;
    }
    case "dotnet": {
      w.add("COPY *.csproj ./");
      w.run(["dotnet restore"]);
      w.add("COPY . .");
      w.run([`dotnet publish -c Release -o /app/publish${rng.chance(0.5) ? " --no-restore" : ""}`]);
      break;
    }
    default: {
      // A tools image: fetch a release binary.
      if (family && family !== "busybox") {
        const tool = rng.pick(["kubectl", "helm", "terraform", "yq", "gh"]);
        const steps = [
          `curl -fsSL -o /tmp/${tool}.tar.gz https://example.com/releases/${tool}/v${version(rng)}/${tool}-linux-amd64.tar.gz`,
          `tar -xzf /tmp/${tool}.tar.gz -C /usr/local/bin ${tool}`,
          `chmod +x /usr/local/bin/${tool}`,
        ];
        if (rng.chance(0.5)) steps.push(`rm /tmp/${tool}.tar.gz`);
        if (rng.chance(0.15))
          steps.splice(
            0,
            3,
            `curl -sSL https://example.com/install-${tool}.sh | ${rng.pick(["sh", "bash", "sudo bash"])}`,
          );
        w.run(steps);
      }
      break;
    }
  }
  if (size !== "tiny" && rng.chance(0.15) && family) {
    if (stack === "python" || stack === "os") w.run([pipInstall(w, pinRate)]);
    else if (stack === "ruby") w.run([gemInstall(w, pinRate)]);
    else if (stack === "node") w.run([npmGlobal(w, pinRate)]);
  }
}

/** A `RUN <<EOF` script, a `COPY <<EOF` file or a heredoc fed to a command. */
function heredocBlock(w, family) {
  const rng = w.rng;
  const marker = rng.pick(["EOF", "EOT", "SCRIPT", "END"]);
  const kind = rng.pick(["run", "run", "run-shell", "copy", "cat", "python"]);
  const bodyLines = [];
  if (kind === "copy") {
    bodyLines.push(
      "[server]",
      `port = ${rng.pick(PORTS)}`,
      `workers = ${rng.int(1, 16)}`,
      "log_level = info",
    );
    w.add(`COPY <<${marker} /etc/app/config.ini`, ...bodyLines, marker);
    return;
  }
  if (kind === "python") {
    bodyLines.push("import sys", 'print("python", sys.version)');
    w.add(`RUN python3 <<${marker}`, ...bodyLines, marker);
    return;
  }
  if (kind === "cat") {
    w.add(
      `RUN cat <<'${marker}' > /etc/motd`,
      "Welcome to the container.",
      "Built by the bench corpus generator.",
      marker,
    );
    return;
  }
  bodyLines.push(rng.pick(["set -eux", "set -e", "set -euo pipefail"]));
  if (family === "apt")
    bodyLines.push(
      "apt-get update",
      "apt-get install -y --no-install-recommends curl",
      "rm -rf /var/lib/apt/lists/*",
    );
  else if (family === "apk") bodyLines.push("apk add --no-cache curl");
  for (let i = rng.int(1, 6); i > 0; i--) {
    bodyLines.push(
      rng.pick([
        "mkdir -p /var/lib/app /var/log/app",
        'echo "building on $(uname -m)"',
        "ln -sf /usr/local/bin/app /usr/bin/app",
        "for dir in cache tmp; do mkdir -p /srv/$dir; done",
        "if [ -f /etc/os-release ]; then cat /etc/os-release; fi",
        "chmod 0755 /usr/local/bin/*",
        "touch /var/log/app/app.log",
        "echo $HOME",
        "cd /tmp && ls -la",
      ]),
    );
  }
  const shellArg = kind === "run-shell" ? ` ${rng.pick(["bash", "sh"])}` : "";
  const body =
    bodyLines[0] === "set -euo pipefail" && shellArg !== " bash"
      ? ["set -eu", ...bodyLines.slice(1)]
      : bodyLines;
  w.add(`RUN <<${marker}${shellArg}`, ...body, marker);
  w.usedHeredoc = true;
}

/** Miscellaneous RUN lines, including the habits linters exist for. */
function miscRun(w, family) {
  const rng = w.rng;
  const options = [
    () => w.run(["mkdir -p /var/log/app", "chown -R 1000:1000 /var/log/app"]),
    () => w.run([`cd /app && ${rng.pick(["make", "./configure", "npm test", "ls"])}`]),
    () => w.run([`echo "export PATH=$PATH:/opt/bin" >> /etc/profile`]),
    () => w.run(["ln -sf /usr/share/zoneinfo/UTC /etc/localtime"]),
    () =>
      w.run([
        `wget -q https://example.com/files/data-${version(rng)}.tar.gz -O /tmp/data.tar.gz`,
        "tar -xzf /tmp/data.tar.gz -C /opt",
        "rm /tmp/data.tar.gz",
      ]),
    () =>
      w.run([`curl -fsSL https://example.com/keys/repo.gpg | gpg --dearmor -o /usr/share/keyrings/repo.gpg`]),
    () => w.run(["for f in /docker-entrypoint.d/*.sh; do chmod +x $f; done"]),
    () => w.run([`sudo ${family === "apk" ? "apk add git" : "apt-get install -y git"}`]),
    () => w.run(["export APP_ENV=production", "echo $APP_ENV"]),
    () => w.run(["[ -d /data ] || mkdir /data"]),
    () => w.run(['sed -i "s/#PermitRootLogin yes/PermitRootLogin no/" /etc/ssh/sshd_config']),
    () => w.run([`useradd ${rng.chance(0.5) ? "-l " : ""}-u ${rng.int(1000, 70000)} -m ${rng.pick(USERS)}`]),
    () => w.run(["ps aux", "free -m"]),
    () => w.run([`echo ${rng.pick(["$PATH", "$" + "{PATH}", '"$PATH"'])} > /tmp/path.txt`]),
    () => w.run(["cat /etc/os-release | grep VERSION"]),
    () => w.run([`git clone https://example.com/repo.git /src/repo`, "cd /src/repo", "git checkout v1.0.0"]),
    () => w.add('RUN ["/bin/sh", "-c", "echo exec form"]'),
  ];
  rng.pick(options)();
}

function addUser(w, family) {
  const rng = w.rng;
  const name = rng.pick(USERS.filter((u) => u !== "node" && u !== "nobody"));
  const uid = rng.pick([1000, 1001, 10001, 65532, 100000]);
  if (family === "apk" || family === "busybox")
    w.run([`addgroup -S ${name}`, `adduser -S -G ${name} -u ${uid} ${name}`]);
  else if (family === "apt" || family === "zypper") {
    w.run([`groupadd -r ${name}`, `useradd ${rng.chance(0.6) ? "-l " : ""}-r -g ${name} -u ${uid} ${name}`]);
  } else if (family) w.run([`useradd ${rng.chance(0.6) ? "--no-log-init " : ""}-u ${uid} ${name}`]);
  return { name, uid };
}

function metadata(w, image) {
  const rng = w.rng;
  if (rng.chance(0.05)) w.add(`MAINTAINER ${rng.pick(["Jane Doe <jane@example.com>", "ops@example.com"])}`);
  if (rng.chance(0.45)) {
    const labels = [
      `org.opencontainers.image.title="${rng.pick(["api", "worker", "web", "tools"])}"`,
      `org.opencontainers.image.version="${version(rng)}"`,
      `org.opencontainers.image.source="https://example.com/acme/${rng.pick(["api", "web"])}"`,
      `org.opencontainers.image.licenses="${rng.pick(["MIT", "Apache-2.0", "MIT OR Apache-2.0"])}"`,
      `org.opencontainers.image.created="2024-0${rng.int(1, 9)}-1${rng.int(0, 9)}T12:00:00Z"`,
      `maintainer="team@example.com"`,
      `com.example.base="${image}"`,
    ];
    const chosen = rng.sample(labels, rng.int(1, labels.length));
    if (chosen.length === 1 || rng.chance(0.3)) for (const l of chosen) w.add(`LABEL ${l}`);
    else
      w.add(
        `LABEL ${chosen[0]} ${w.escape}`,
        ...chosen.slice(1).map((l, i, a) => `      ${l}${i < a.length - 1 ? ` ${w.escape}` : ""}`),
      );
  }
}

function environment(w, stack) {
  const rng = w.rng;
  const vars = {
    node: ["NODE_ENV=production", "PORT=3000", "NPM_CONFIG_LOGLEVEL=warn"],
    python: [
      "PYTHONDONTWRITEBYTECODE=1",
      "PYTHONUNBUFFERED=1",
      "PIP_NO_CACHE_DIR=1",
      "PIP_DISABLE_PIP_VERSION_CHECK=1",
    ],
    go: ["CGO_ENABLED=0", "GOFLAGS=-mod=readonly"],
    rust: ["CARGO_HOME=/usr/local/cargo", 'RUSTFLAGS="-C target-cpu=native"'],
    java: ['JAVA_OPTS="-Xms256m -Xmx512m"', "MAVEN_OPTS=-Dmaven.repo.local=/root/.m2/repository"],
    ruby: ["RAILS_ENV=production", "BUNDLE_PATH=/usr/local/bundle", "RAILS_LOG_TO_STDOUT=1"],
    php: ["COMPOSER_ALLOW_SUPERUSER=1", "PHP_OPCACHE_ENABLE=1"],
    dotnet: ["ASPNETCORE_URLS=http://+:8080", "DOTNET_CLI_TELEMETRY_OPTOUT=1"],
    os: ["LANG=C.UTF-8", "TZ=UTC", "APP_HOME=/opt/app"],
  }[stack];
  if (!rng.chance(0.6)) return;
  const chosen = rng.sample(vars, rng.int(1, vars.length));
  for (const v of chosen) w.variables.add(v.split("=")[0]);
  const style = rng.pick(["one", "one", "each", "legacy"]);
  if (style === "legacy") for (const v of chosen) w.add(`ENV ${v.replace("=", " ")}`);
  else if (style === "each" || chosen.length === 1) for (const v of chosen) w.add(`ENV ${v}`);
  else
    w.add(
      `ENV ${chosen[0]} ${w.escape}`,
      ...chosen.slice(1).map((v, i, a) => `    ${v}${i < a.length - 1 ? ` ${w.escape}` : ""}`),
    );
}

function runtimeTail(w, stack, family, { port, user }) {
  const rng = w.rng;
  if (rng.chance(0.6)) {
    const ports = rng.chance(0.8) ? [port] : rng.sample(PORTS, rng.int(2, 3));
    const text = ports
      .map((p) => (rng.chance(0.15) ? `${p}/${rng.pick(["tcp", "udp"])}` : String(p)))
      .join(" ");
    w.add(`EXPOSE ${rng.chance(0.02) ? "70000" : text}`);
  }
  if (rng.chance(0.1))
    w.add(`VOLUME ${rng.pick(['["/data"]', "/var/lib/app", '["/var/log/app", "/tmp/cache"]'])}`);
  if (rng.chance(0.3)) {
    const probe =
      family === "apk"
        ? "wget -qO- http://localhost:PORT/health || exit 1"
        : "curl -f http://localhost:PORT/health || exit 1";
    const opts = rng.chance(0.6) ? "--interval=30s --timeout=3s --retries=3 " : "";
    w.add(
      rng.chance(0.1) ? "HEALTHCHECK NONE" : `HEALTHCHECK ${opts}CMD ${probe.replace("PORT", String(port))}`,
    );
    if (rng.chance(0.04)) w.add("HEALTHCHECK CMD true");
  }
  if (rng.chance(0.05)) w.add(`STOPSIGNAL ${rng.pick(["SIGTERM", "SIGQUIT", "SIGINT"])}`);
  if (user) w.add(`USER ${user}`);
  else if (rng.chance(0.1)) w.add("USER root");
  const cmd = {
    node: ['["node", "server.js"]', '["npm", "start"]', "node dist/index.js", '["node", "dist/main.js"]'],
    python: [
      '["gunicorn", "-b", "0.0.0.0:8000", "app:app"]',
      "python app.py",
      '["python", "-m", "app"]',
      '["uvicorn", "main:app", "--host", "0.0.0.0"]',
    ],
    go: ['["/app"]', '["/usr/local/bin/app"]', "/app serve"],
    rust: ['["/usr/local/bin/app"]', "./app"],
    java: ['["java", "-jar", "/app/app.jar"]', "java $JAVA_OPTS -jar app.jar"],
    ruby: ['["bundle", "exec", "puma", "-C", "config/puma.rb"]', "bundle exec rails server -b 0.0.0.0"],
    php: ['["php-fpm"]', '["apache2-foreground"]', "php -S 0.0.0.0:9000 -t public"],
    dotnet: ['["dotnet", "App.dll"]', "dotnet App.dll"],
    os: ['["/bin/sh"]', '["bash"]', "sleep infinity", '["tail", "-f", "/dev/null"]'],
  }[stack];
  if (rng.chance(0.25))
    w.add(
      `ENTRYPOINT ${rng.pick(['["docker-entrypoint.sh"]', '["/usr/bin/tini", "--"]', '["dumb-init", "--"]', "/entrypoint.sh"])}`,
    );
  if (rng.chance(0.03)) w.add(`CMD ${rng.pick(cmd)}`);
  w.add(`CMD ${rng.pick(cmd)}`);
}

// ---------------------------------------------------------------------------------------------
// Whole files

const SIZES = { tiny: [5, 14], small: [15, 40], medium: [40, 90], large: [90, 200] };

function fromLine(w, image, alias) {
  const rng = w.rng;
  const keyword = rng.chance(0.03) ? "from" : "FROM";
  const platform = rng.chance(0.05) ? "--platform=$BUILDPLATFORM " : "";
  return `${keyword} ${platform}${image}${alias ? ` ${rng.chance(0.1) ? "as" : "AS"} ${alias}` : ""}`;
}

/** Header: parser directives, then comments and global pragmas. */
function header(w) {
  const rng = w.rng;
  const directives = [];
  if (rng.chance(0.3))
    directives.push(`# syntax=docker/dockerfile:${rng.pick(["1", "1.7", "1.4", "1-labs"])}`);
  if (w.escape === "`") directives.push("# escape=`");
  if (rng.chance(0.04))
    directives.push(`# check=skip=${rng.pick(["JSONArgsRecommended", "StageNameCasing", "all"])}`);
  if (directives.length > 0) w.headerBlocks.push(directives);
  if (rng.chance(0.25))
    w.headerBlocks.push([
      `# ${rng.pick(COMMENTS)}`,
      ...(rng.chance(0.3) ? ["#", "# Generated for drydock's lint benchmark."] : []),
    ]);
  if (rng.chance(0.06))
    w.headerBlocks.push([`# hadolint global ignore=${rng.pick(["DL3059", "DL3008,DL3018", "DL3013"])}`]);
  if (rng.chance(0.03)) w.headerBlocks.push(["# hadolint shell=bash"]);
}

/** Adds filler blocks to a stage until the file reaches the target size. */
function pad(w, stack, family, target) {
  const rng = w.rng;
  let guard = 0;
  while (w.lineCount() < target && guard++ < 200) {
    const room = target - w.lineCount();
    const choice = rng.weighted({
      install: room > 8 ? 3 : 0,
      heredoc: room > 6 && w.escape === "\\" ? 0.5 : 0,
      misc: 4,
      env: 1,
      comment: 1,
      arg: 1,
    });
    if (choice === "install" && family) systemInstall(w, family, room > 30 ? "large" : "medium");
    else if (choice === "heredoc" && family) heredocBlock(w, family);
    else if (choice === "misc" && family) miscRun(w, family);
    else if (choice === "env") environment(w, stack);
    else if (choice === "arg")
      w.add(`ARG ${rng.pick(["BUILD_DATE", "VCS_REF", "VERSION=1.0.0", "TARGETARCH", "APP_USER=app"])}`);
    else w.comment();
  }
}

function singleStage(w, stack, size, target) {
  const rng = w.rng;
  const images = stack === "os" ? STACKS.os.build : [...STACKS[stack].build, ...STACKS[stack].run];
  const image = rng.pick(images.filter((i) => imageFamily(i) !== null));
  const family = imageFamily(image);
  if (rng.chance(0.15) && !image.includes("$")) {
    const [name, tag] = image.split(":");
    if (tag) {
      w.add(`ARG BASE_TAG=${tag}`);
      w.add(fromLine(w, `${name}:\${BASE_TAG}`));
    } else w.add(fromLine(w, image));
  } else w.add(fromLine(w, image));
  if (size === "tiny") {
    if (family && rng.chance(0.7)) systemInstall(w, family, "tiny");
    if (rng.chance(0.5)) w.add(`WORKDIR ${rng.pick(["/app", "/srv", "app", "/usr/src/app"])}`);
    if (rng.chance(0.5)) w.add("COPY . .");
    while (w.lineCount() < target - 1) w.comment();
    runtimeTail(w, stack, family, {
      port: STACKS[stack].port,
      user: rng.chance(0.4) ? rng.pick(USERS) : null,
    });
    return;
  }
  metadata(w, image);
  environment(w, stack);
  if (rng.chance(0.15)) w.add(`SHELL ["/bin/${family === "apk" ? "ash" : "bash"}", "-o", "pipefail", "-c"]`);
  if (rng.chance(0.5)) w.comment();
  if (family) systemInstall(w, family, size);
  w.add(`WORKDIR ${rng.pick(["/app", "/app", "/srv/app", "/usr/src/app", "/opt/app", "app", "$APP_HOME"])}`);
  languageSteps(w, stack, family, size);
  if (rng.chance(0.2) && w.escape === "\\" && family) heredocBlock(w, family);
  if (rng.chance(0.1))
    w.add(
      rng.pick([
        `ADD https://example.com/files/tool-${version(rng)}.tar.gz /tmp/`,
        "ADD app.tar.gz /opt/",
        "ADD --chmod=755 https://example.com/bin/tool /usr/local/bin/tool",
        "ADD config/ /etc/app/",
      ]),
    );
  if (rng.chance(0.05)) w.add(`ONBUILD ${rng.pick(["COPY . /app", "RUN npm install", "ADD . /src"])}`);
  pad(w, stack, family, target - 4);
  const user =
    rng.chance(0.5) && family
      ? addUser(w, family).name
      : rng.chance(0.3)
        ? rng.pick(["1000", "1001:1001", "nobody"])
        : null;
  runtimeTail(w, stack, family, { port: STACKS[stack].port, user });
}

function multiStage(w, stack, size, target) {
  const rng = w.rng;
  const builder = rng.pick(STACKS[stack].build);
  const runtime = rng.pick(STACKS[stack].run);
  const buildFamily = imageFamily(builder);
  const runFamily = imageFamily(runtime);
  const alias = rng.pick(["build", "builder", "deps", "compile", "Builder"]);
  if (rng.chance(0.2)) w.add(`ARG ${stack.toUpperCase()}_VERSION=${version(rng, 2)}`);
  w.add(fromLine(w, builder, alias));
  environment(w, stack);
  if (buildFamily && rng.chance(0.6)) systemInstall(w, buildFamily, size === "large" ? "medium" : "small");
  w.add(`WORKDIR ${rng.pick(["/src", "/app", "/build", "/usr/src/app"])}`);
  languageSteps(w, stack, buildFamily, size);
  if (size === "large") pad(w, stack, buildFamily, Math.floor(target * 0.45));
  let from = alias;
  if (rng.chance(0.2)) {
    w.add("");
    w.add(fromLine(w, alias, "test"));
    w.run([rng.pick(["npm test", "go test ./...", "pytest -q", "mvn test", "cargo test", "make test"])]);
    from = rng.chance(0.5) ? alias : rng.pick([alias, "0"]);
  }
  w.add("");
  if (rng.chance(0.5)) w.comment();
  w.add(fromLine(w, runtime, rng.chance(0.3) ? "runtime" : null));
  metadata(w, runtime);
  if (runFamily && runFamily !== "busybox" && rng.chance(0.5)) systemInstall(w, runFamily, "small");
  w.add(`WORKDIR ${rng.pick(["/app", "/", "/srv", "/home/app"])}`);
  const artifact = {
    node: ["/app/dist ./dist", "/app/node_modules ./node_modules", "/app/build /usr/share/nginx/html"],
    python: ["/opt/venv /opt/venv", "/app /app", "/root/.local /root/.local"],
    go: [
      "/out/app /app",
      "/out/app /usr/local/bin/app",
      "/etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/",
    ],
    rust: ["/src/target/release/app /usr/local/bin/app", "/app/target/release/server /app"],
    java: ["/app/target/*.jar /app/app.jar", "/home/gradle/build/libs/app.jar /app/app.jar"],
    ruby: ["/usr/local/bundle /usr/local/bundle", "/app /app"],
    php: ["/app/vendor ./vendor", "/app /var/www/html"],
    dotnet: ["/app/publish .", "/app/publish /app"],
    os: ["/usr/local/bin /usr/local/bin", "/etc/ssl /etc/ssl"],
  }[stack];
  for (const a of rng.sample(artifact, rng.int(1, artifact.length))) {
    const chown = rng.chance(0.25) ? "--chown=1000:1000 " : "";
    const link = rng.chance(0.1) ? "--link " : "";
    w.add(`COPY ${link}${chown}--from=${from} ${a}`);
  }
  if (rng.chance(0.1))
    w.add(`COPY --from=${rng.pick(["nginx:1.25-alpine", "busybox:1.36"])} /etc/passwd /etc/passwd`);
  if (runFamily && runFamily !== "busybox") pad(w, stack, runFamily, target - 4);
  else while (w.lineCount() < target - 4) w.comment();
  const user = runtime.includes("nonroot")
    ? null
    : rng.chance(0.5)
      ? rng.pick(["1000", "nonroot", "65532:65532", "app"])
      : null;
  runtimeTail(w, stack, runFamily, { port: STACKS[stack].port, user });
}

/** A Windows image with the backtick escape and PowerShell (no POSIX shell to check). */
function windowsFile(w, target) {
  const rng = w.rng;
  w.add(
    fromLine(
      w,
      rng.pick([
        "mcr.microsoft.com/windows/servercore:ltsc2022",
        "mcr.microsoft.com/dotnet/framework/runtime:4.8",
        "mcr.microsoft.com/windows/nanoserver:ltsc2022",
      ]),
    ),
  );
  w.add(
    `SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]`,
  );
  w.add("WORKDIR C:\\app");
  const download = [
    `Invoke-WebRequest -Uri https://example.com/tool-${version(rng)}.zip -OutFile C:\\tmp\\tool.zip ;`,
    "    Expand-Archive C:\\tmp\\tool.zip -DestinationPath C:\\tools ;",
    "    Remove-Item C:\\tmp\\tool.zip -Force",
  ];
  w.add(`RUN ${download[0]} \``, `${download[1]} \``, download[2]);
  w.add("COPY . C:/app/");
  const fillers = [
    () =>
      w.add(
        `RUN New-Item -ItemType Directory -Force -Path C:\\data\\${rng.pick(["logs", "cache", "tmp"])} | Out-Null`,
      ),
    () =>
      w.add(`ENV ${rng.pick(["APP_MODE", "LOG_LEVEL", "DOTNET_NOLOGO"])}=${rng.pick(["1", "info", "true"])}`),
    () => w.add(`# ${rng.pick(COMMENTS)}`),
    () => w.add(`LABEL org.opencontainers.image.version="${version(rng)}"`),
    () => w.add(`ARG ${rng.pick(["BUILD_CONFIG=Release", "FEATURES", "SDK_VERSION=8.0"])}`),
    () =>
      w.add(
        `RUN Set-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\Dnscache\\Parameters' \``,
        `    -Name ServerPriorityTimeLimit -Value 0 -Type DWord ; \``,
        `    Write-Host 'configured'`,
      ),
    () =>
      w.add(
        `COPY ${rng.pick(["config", "scripts", "bin"])}/ C:/app/${rng.pick(["config", "scripts", "bin"])}/`,
      ),
  ];
  while (w.lineCount() < target - 2) rng.pick(fillers)();
  w.add(`EXPOSE ${rng.pick(PORTS)}`);
  w.add(`CMD ["C:\\\\app\\\\App.exe"]`);
}

/** Breaks a valid file the way people do: a typo, a missing argument, an open heredoc. */
function injectSyntaxError(w) {
  const rng = w.rng;
  const kind = rng.pick(["typo", "typo", "missing-argument", "heredoc", "escape", "onbuild"]);
  const at = rng.int(1, w.blocks.length);
  switch (kind) {
    case "typo":
      w.blocks.splice(at, 0, [
        rng.pick([
          "RUNN echo oops",
          "COPPY . /app",
          "EXPOZE 8080",
          "WORKDIRR /app",
          "ENVV A=1",
          "INSTALL curl",
        ]),
      ]);
      break;
    case "missing-argument":
      w.blocks.splice(at, 0, [rng.pick(["WORKDIR", "COPY", "USER", "EXPOSE", "ENV", "LABEL"])]);
      break;
    case "heredoc":
      w.blocks.push(["RUN <<EOF", "echo this heredoc is never closed", "echo done"]);
      break;
    case "escape":
      w.headerBlocks = [
        ["# escape=|"],
        ...w.headerBlocks.filter((b) => !b[0].startsWith("# syntax") && !b[0].startsWith("# escape")),
      ];
      break;
    default:
      w.blocks.splice(at, 0, ["ONBUILD"]);
  }
  return kind;
}

/**
 * One generated Dockerfile.
 * @returns {{ name: string, content: string, stack: string, stages: number, lines: number,
 *   crlf: boolean, escape: string, syntaxError: string | null }}
 */
export function generateDockerfile(seed, index) {
  const rng = new Rng(fileSeed(seed, index));
  const windows = rng.chance(BACKTICK_ESCAPE_RATE * 0.6);
  const escapeChar = windows || rng.chance(BACKTICK_ESCAPE_RATE * 0.4) ? "`" : "\\";
  const w = new FileWriter(rng, { escapeChar });
  const size = rng.weighted({ tiny: 15, small: 35, medium: 30, large: 20 });
  const [min, max] = SIZES[size];
  const target = rng.int(min, max);
  header(w);
  let stack = "windows";
  let stages = 1;
  if (windows) windowsFile(w, target);
  else {
    stack = rng.weighted(STACK_WEIGHTS);
    const multi = size !== "tiny" && stack !== "os" && rng.chance(0.55);
    if (multi) multiStage(w, stack, size, target);
    else singleStage(w, stack, size, target);
  }
  const syntaxError = rng.chance(SYNTAX_ERROR_RATE) ? injectSyntaxError(w) : null;
  const crlf = rng.chance(CRLF_RATE);
  const content = w.text(crlf ? "\r\n" : "\n");
  stages = (content.match(/^from /gim) ?? []).length;
  const name = `${String(index + 1).padStart(4, "0")}-${stack}${stages > 1 ? "-multi" : ""}.Dockerfile`;
  return { name, content, stack, stages, lines: w.lineCount(), crlf, escape: escapeChar, syntaxError };
}

/** The whole corpus, in file order. Pure: same seed and count, same files. */
export function generateCorpus({ seed = DEFAULT_SEED, count = DEFAULT_COUNT } = {}) {
  const files = [];
  for (let i = 0; i < count; i++) files.push(generateDockerfile(seed, i));
  return files;
}

/** Regenerates the corpus folder from scratch (stale files of an older run are removed). */
export function writeCorpus(dir = DEFAULT_DIR, options = {}) {
  const files = generateCorpus(options);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of files) writeFileSync(join(dir, file.name), file.content);
  const manifest = {
    seed: options.seed ?? DEFAULT_SEED,
    count: files.length,
    syntaxErrors: files.filter((f) => f.syntaxError).map((f) => ({ file: f.name, kind: f.syntaxError })),
  };
  writeFileSync(join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return files;
}

/** Counts that describe a corpus (printed by the benchmark and checked by the test). */
export function describeCorpus(files) {
  const lines = files.map((f) => f.lines).sort((a, b) => a - b);
  const count = (predicate) => files.filter(predicate).length;
  return {
    files: files.length,
    bytes: files.reduce((n, f) => n + Buffer.byteLength(f.content), 0),
    lines: { min: lines[0], median: lines[Math.floor(lines.length / 2)], max: lines[lines.length - 1] },
    multiStage: count((f) => f.stages > 1),
    heredoc: count((f) => /<<-?['"]?[A-Z]+/.test(f.content)),
    crlf: count((f) => f.crlf),
    backtickEscape: count((f) => f.escape === "`"),
    syntaxErrors: count((f) => f.syntaxError !== null),
    stacks: Object.fromEntries(
      [...new Set(files.map((f) => f.stack))].sort().map((s) => [s, count((f) => f.stack === s)]),
    ),
  };
}

function parseArgs(argv) {
  const options = { dir: DEFAULT_DIR, seed: DEFAULT_SEED, count: DEFAULT_COUNT };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--seed") options.seed = Number(argv[++i]);
    else if (argv[i] === "--count") options.count = Number(argv[++i]);
    else options.dir = resolve(argv[i]);
  }
  return options;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { dir, seed, count } = parseArgs(process.argv.slice(2));
  const files = writeCorpus(dir, { seed, count });
  console.log(`wrote ${files.length} Dockerfiles to ${dir}`);
  console.log(JSON.stringify(describeCorpus(files), null, 2));
}
