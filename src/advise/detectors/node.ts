/**
 * Node.js detection: package manager (npm, Yarn classic and Berry, pnpm, Bun) from the
 * `packageManager` field or the lockfile, Node version (.nvmrc with nvm aliases,
 * .node-version, volta, engines.node), framework and start command (Express, Next.js, NestJS,
 * Fastify, Koa, Nuxt, Remix), port, and native modules (package-lock `hasInstallScript`,
 * platform packages with os/cpu/libc, pnpm `requiresBuild`, binding.gyp, known packages).
 * Sources: shared/reference/base-images-and-generators.md §2, §3, §4.2; npm's package-lock
 * format (https://docs.npmjs.com/cli/configuring-npm/package-lock-json).
 */
import { parse as parseYaml } from "yaml";
import { findKnown, NODE_ADDON_TOOLS, NODE_NATIVE } from "../data/native-packages.ts";
import { newestNodeLts, nodeCodenameLine, RUNTIME_LINES } from "../data/runtimes.ts";
import { lineOf, type ProjectFiles } from "../project-files.ts";
import { resolveRuntime, type VersionRequest } from "../runtime.ts";
import type { Detection, Evidence, NativeFinding, NodeApp, PackageManager, StartCommand } from "../types.ts";
import {
  type DetectContext,
  evidence,
  findPortInSource,
  firstLine,
  portFromEnvFiles,
  procfileWeb,
  splitCommand,
  toolVersionRequests,
  unique,
} from "./common.ts";

export interface PackageJson {
  name?: string;
  main?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  volta?: Record<string, string>;
  packageManager?: string;
  workspaces?: string[] | { packages?: string[] };
  type?: string;
  gypfile?: boolean;
}

const SERVER_FRAMEWORKS: [dep: string, name: string, port: number][] = [
  ["next", "Next.js", 3000],
  ["@nestjs/core", "NestJS", 3000],
  ["nuxt", "Nuxt", 3000],
  ["@remix-run/serve", "Remix", 3000],
  ["@react-router/serve", "React Router", 3000],
  ["fastify", "Fastify", 3000],
  ["koa", "Koa", 3000],
  ["@hapi/hapi", "hapi", 3000],
  ["express", "Express", 3000],
  ["hono", "Hono", 3000],
];

const ENTRY_FILES = [
  "server.js",
  "index.js",
  "app.js",
  "main.js",
  "server.mjs",
  "index.mjs",
  "src/server.js",
  "src/index.js",
  "src/app.js",
];

const PORT_PATTERNS = [
  /PORT\s*(?:\|\||\?\?)\s*["']?(\d{2,5})/,
  /\.listen\(\s*["']?(\d{2,5})/,
  /\bport\s*[:=]\s*["']?(\d{2,5})/i,
];

export function readPackageJson(files: ProjectFiles, path = "package.json"): PackageJson | null {
  const value = files.json(path);
  return value && typeof value === "object" && !Array.isArray(value) ? (value as PackageJson) : null;
}

export function detectNode(ctx: DetectContext): Detection | null {
  const { files } = ctx;
  const pkg = readPackageJson(files);
  if (!pkg) return null;
  const notes: string[] = [];
  const markers: Evidence[] = [{ file: "package.json" }];
  const manager = packageManager(files, pkg, notes);
  if (manager.lockfile) markers.push({ file: manager.lockfile });

  const preferred = newestNodeLts(ctx.date);
  const runtime = resolveRuntime("node", versionRequests(ctx, pkg, notes), {
    date: ctx.date,
    preferred,
    preferredWhy: `the newest LTS line on ${ctx.date}`,
  });

  const dependencies = Object.keys(pkg.dependencies ?? {});
  const devDependencies = Object.keys(pkg.devDependencies ?? {});
  const all = unique([...dependencies, ...devDependencies, ...Object.keys(pkg.optionalDependencies ?? {})]);
  const framework = SERVER_FRAMEWORKS.find(([dep]) => all.includes(dep));
  const frameworkEvidence = framework
    ? evidence(files, "package.json", `"${framework[0]}"`, framework[0])
    : undefined;

  const buildScript = pkg.scripts?.build;
  const nextConfig = ["next.config.js", "next.config.mjs", "next.config.ts", "next.config.cjs"].find((f) =>
    files.isFile(f),
  );
  const nextStandalone = Boolean(
    nextConfig && /output\s*:\s*["']standalone["']/.test(files.read(nextConfig) ?? ""),
  );
  const app: NodeApp = {
    kind: "node",
    ...(buildScript ? { buildScript } : {}),
    nextStandalone,
    ...(buildScript ? { buildOutput: buildOutput(files, framework?.[1]) } : {}),
    extraManifests: [],
    installFiles: installFiles(files, manager),
    publicDir: files.isDir("public"),
  };
  const pnpmLock =
    manager.lockfile === "pnpm-lock.yaml"
      ? /^lockfileVersion:\s*'?([\d.]+)'?/m.exec(files.read("pnpm-lock.yaml") ?? "")
      : null;
  if (pnpmLock) app.pnpmLockVersion = pnpmLock[1]!;
  if (manager.variant === "berry") {
    app.yarnNodeLinker = /^nodeLinker:\s*["']?([\w-]+)/m.exec(files.read(".yarnrc.yml") ?? "")?.[1] ?? "pnp";
  }

  const { start, port } = startCommand(ctx, { pkg, framework, frameworkEvidence, app, notes });
  const viteOnly = !framework && !start && all.includes("vite");
  if (viteOnly)
    notes.push(
      "a front-end built with Vite and no server: serve the built files with a web server (the Dockerfile is for a Node server)",
    );
  if (framework?.[1] === "Next.js" && !nextStandalone) {
    notes.push(
      "Next.js without `output: 'standalone'` in next.config: the image carries all production node_modules (standalone output is much smaller)",
    );
  }
  const backendScore = framework || start?.source.file === "Procfile" ? 2 : start && !viteOnly ? 1 : 0;
  return {
    stack: "node",
    language: "Node.js",
    markers,
    runtime,
    packageManager: manager,
    ...(framework && frameworkEvidence
      ? { framework: { name: framework[1], source: frameworkEvidence } }
      : {}),
    ...(start ? { start } : {}),
    ...(port ? { port } : {}),
    native: nativeFindings(files, pkg, manager),
    dependencies: all,
    app,
    backendScore,
    notes,
  };
}

function packageManager(files: ProjectFiles, pkg: PackageJson, notes: string[]): PackageManager {
  const lockfiles: [string, string][] = [
    ["pnpm-lock.yaml", "pnpm"],
    ["bun.lock", "bun"],
    ["bun.lockb", "bun"],
    ["yarn.lock", "yarn"],
    ["package-lock.json", "npm"],
    ["npm-shrinkwrap.json", "npm"],
  ];
  const present = lockfiles.filter(([file]) => files.isFile(file));
  const field = /^(npm|yarn|pnpm|bun)@([^+\s]+)/.exec(pkg.packageManager ?? "");
  const name =
    field?.[1] ??
    present[0]?.[1] ??
    Object.keys(pkg.engines ?? {}).find((e) => ["pnpm", "yarn", "bun"].includes(e)) ??
    "npm";
  const lockfile = present.find(([, manager]) => manager === name)?.[0];
  const source: Evidence = field
    ? evidence(files, "package.json", '"packageManager"', `packageManager: ${pkg.packageManager}`)
    : lockfile
      ? { file: lockfile }
      : { file: "package.json" };
  const result: PackageManager = {
    name,
    source,
    ...(field ? { version: field[2] } : {}),
    ...(lockfile ? { lockfile } : {}),
  };
  if (name === "yarn") {
    const berry =
      files.isFile(".yarnrc.yml") ||
      (lockfile !== undefined && /^__metadata:/m.test(files.read(lockfile) ?? "")) ||
      (field !== null && !field[2]!.startsWith("1."));
    result.variant = berry ? "berry" : "classic";
  }
  if (present.length > 1) {
    notes.push(
      `several lockfiles (${present.map(([f]) => f).join(", ")}); using ${lockfile ?? present[0]![0]} for ${name}`,
    );
  }
  if (!lockfile) {
    notes.push(
      `no lockfile for ${name}: installs are not reproducible${name === "npm" ? " (npm install instead of npm ci)" : ""}; commit one`,
    );
  }
  return result;
}

/** .nvmrc value → release line: "20", "v20.11.0", "lts/*", "lts/iron", "node". */
export function nvmrcLine(value: string, date: string): string | undefined {
  const text = value.trim().toLowerCase();
  if (text === "lts/*" || text === "lts") return newestNodeLts(date);
  if (text.startsWith("lts/")) return nodeCodenameLine(text.slice(4));
  if (["node", "stable", "latest", "current"].includes(text)) {
    const lines = RUNTIME_LINES.node.lines;
    return lines[lines.length - 1]!.line;
  }
  const match = /^v?(\d+)/.exec(text);
  return match ? match[1] : undefined;
}

function versionRequests(ctx: DetectContext, pkg: PackageJson, notes: string[]): VersionRequest[] {
  const { files } = ctx;
  const requests: VersionRequest[] = [];
  for (const file of [".nvmrc", ".node-version"]) {
    const text = files.read(file);
    const first = text ? firstLine(text) : null;
    if (!first) continue;
    const line = nvmrcLine(first.value, ctx.date);
    if (line)
      requests.push({ requested: first.value, kind: "pin", line, source: { file, line: first.line } });
    else notes.push(`${file}: cannot read "${first.value}" as a Node version`);
  }
  if (pkg.volta?.node) {
    requests.push({
      requested: pkg.volta.node,
      kind: "pin",
      source: evidence(files, "package.json", '"volta"', "volta.node"),
    });
  }
  requests.push(...toolVersionRequests(files, ["nodejs", "node"]));
  if (pkg.engines?.node) {
    requests.push({
      requested: pkg.engines.node,
      kind: "range",
      dialect: "npm",
      source: evidence(files, "package.json", '"node"', "engines.node"),
    });
  }
  return requests;
}

function buildOutput(files: ProjectFiles, framework: string | undefined): string {
  if (framework === "Next.js") return ".next";
  if (framework === "Nuxt") return ".output";
  const tsconfig = files.read("tsconfig.json") ?? "";
  const outDir = /"outDir"\s*:\s*"\.?\/?([^"]+)"/.exec(tsconfig);
  return outDir ? outDir[1]!.replace(/\/$/, "") : "dist";
}

function installFiles(files: ProjectFiles, manager: PackageManager): string[] {
  const result: string[] = [];
  for (const file of [".npmrc", ".yarnrc", ".yarnrc.yml", ".pnpmfile.cjs", "bunfig.toml"])
    if (files.isFile(file)) result.push(file);
  if (manager.variant === "berry" && files.isDir(".yarn/releases")) result.push(".yarn/releases");
  if (manager.variant === "berry" && files.isDir(".yarn/plugins")) result.push(".yarn/plugins");
  if (files.isDir("patches")) result.push("patches");
  return result;
}

function startCommand(
  ctx: DetectContext,
  input: {
    pkg: PackageJson;
    framework: [string, string, number] | undefined;
    frameworkEvidence: Evidence | undefined;
    app: NodeApp;
    notes: string[];
  },
): { start?: StartCommand; port?: { value: number; source: Evidence } } {
  const { files } = ctx;
  const { pkg, framework, app } = input;
  const scriptsStart = pkg.scripts?.start;
  const entry = [pkg.main, ...ENTRY_FILES].find((f): f is string => Boolean(f && files.isFile(f)));
  const portSources = [entry, "src/main.ts", "src/index.ts", "src/server.ts", "server.ts", "index.ts"].filter(
    (f): f is string => Boolean(f),
  );
  let codePort: { value: number; source: Evidence } | undefined;
  for (const file of portSources) {
    codePort = findPortInSource(files.read(file) ?? "", file, PORT_PATTERNS);
    if (codePort) break;
  }
  codePort ??= portFromEnvFiles(files);
  const frameworkPort =
    framework && input.frameworkEvidence
      ? { value: framework[2], source: input.frameworkEvidence }
      : undefined;
  const port = codePort ?? frameworkPort;

  const procfile = procfileWeb(files, port?.value ?? 3000);
  if (procfile) return { start: { argv: procfile.argv, source: procfile.source }, ...(port ? { port } : {}) };

  const startSource = evidence(files, "package.json", '"start"', `scripts.start: ${scriptsStart ?? ""}`);
  if (framework?.[1] === "Next.js") {
    const argv = app.nextStandalone
      ? ["node", "server.js"]
      : ["node", "node_modules/next/dist/bin/next", "start"];
    return { start: { argv, source: input.frameworkEvidence! }, port: codePort ?? frameworkPort! };
  }
  if (framework?.[1] === "NestJS" && (!scriptsStart || /nest start/.test(scriptsStart))) {
    return {
      start: { argv: ["node", "dist/main.js"], source: input.frameworkEvidence! },
      ...(port ? { port } : {}),
    };
  }
  if (framework?.[1] === "Nuxt") {
    return {
      start: { argv: ["node", ".output/server/index.mjs"], source: input.frameworkEvidence! },
      ...(port ? { port } : {}),
    };
  }
  if (scriptsStart) {
    const words = splitCommand(scriptsStart);
    if (words && (words[0] === "node" || words[0] === "bun") && words.length >= 2) {
      return { start: { argv: words, source: startSource }, ...(port ? { port } : {}) };
    }
    input.notes.push(
      `scripts.start (${scriptsStart}) is not a plain \`node <file>\`: the image runs \`npm start\`, which needs npm in the runtime image`,
    );
    return {
      start: { argv: ["npm", "start"], source: startSource, note: "npm start" },
      ...(port ? { port } : {}),
    };
  }
  if (entry) {
    return {
      start: {
        argv: ["node", entry],
        source:
          pkg.main === entry ? evidence(files, "package.json", '"main"', `main: ${entry}`) : { file: entry },
      },
      ...(port ? { port } : {}),
    };
  }
  return port ? { port } : {};
}

interface LockPackage {
  hasInstallScript?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optional?: boolean;
}

/** Native modules from the lockfile, binding.gyp and the known list (§4.2). */
function nativeFindings(files: ProjectFiles, pkg: PackageJson, manager: PackageManager): NativeFinding[] {
  const findings: NativeFinding[] = [];
  const seen = new Set<string>();
  const add = (finding: NativeFinding) => {
    if (seen.has(`${finding.package}/${finding.kind}`)) return;
    seen.add(`${finding.package}/${finding.kind}`);
    findings.push(finding);
  };
  if (files.isFile("binding.gyp") && pkg.gypfile !== false) {
    add({
      package: "(this project)",
      kind: "binding-gyp",
      source: { file: "binding.gyp" },
      needsCompiler: true,
      note: "binding.gyp: npm builds this project's addon with node-gyp (python3, make, g++)",
    });
  }
  const lockNames: string[] = [];
  const lockText =
    manager.lockfile === "package-lock.json" || manager.lockfile === "npm-shrinkwrap.json"
      ? files.read(manager.lockfile)
      : null;
  const lock = manager.lockfile
    ? files.json(
        manager.lockfile === "package-lock.json" || manager.lockfile === "npm-shrinkwrap.json"
          ? manager.lockfile
          : "(none)",
      )
    : null;
  const platformFamilies = new Map<string, { glibc: Set<string>; musl: Set<string>; line?: number }>();
  if (lock && typeof lock === "object" && "packages" in lock) {
    const packages = (lock as { packages: Record<string, LockPackage> }).packages;
    for (const [key, entry] of Object.entries(packages)) {
      if (!key) continue;
      const name = key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
      lockNames.push(name);
      const line = lockText ? lineOf(lockText, `"${key}"`) : undefined;
      if (entry.hasInstallScript) {
        const known = findKnown(NODE_NATIVE, name);
        add({
          package: name,
          kind: "install-script",
          source: { file: manager.lockfile!, ...(line ? { line } : {}), detail: `${name}: hasInstallScript` },
          // An install script may download a prebuild or compile; a compiler keeps both working.
          needsCompiler: !known?.prebuilt,
          ...(known?.buildPackages ? { buildPackages: known.buildPackages } : {}),
          ...(known?.runtimePackages ? { runtimePackages: known.runtimePackages } : {}),
          note: `${name} runs an install script (${known ? known.note : "usually node-gyp or a prebuild download"})`,
        });
      }
      if (entry.os?.includes("linux") && entry.cpu) {
        const family = platformFamily(name);
        const record = platformFamilies.get(family) ?? {
          glibc: new Set<string>(),
          musl: new Set<string>(),
          ...(line ? { line } : {}),
        };
        const libc = entry.libc?.[0] ?? (/musl/.test(name) ? "musl" : "glibc");
        for (const cpu of entry.cpu) (libc === "musl" ? record.musl : record.glibc).add(cpu);
        platformFamilies.set(family, record);
      }
    }
  } else if (lock && typeof lock === "object" && "dependencies" in lock) {
    lockNames.push(...Object.keys((lock as { dependencies: Record<string, unknown> }).dependencies));
  }
  if (manager.lockfile === "pnpm-lock.yaml") lockNames.push(...pnpmNative(files, add));
  for (const [family, record] of platformFamilies) {
    const arch = (set: Set<string>) => ({ amd64: set.has("x64"), arm64: set.has("arm64") });
    add({
      package: family,
      kind: "platform-binaries",
      source: {
        file: manager.lockfile!,
        ...(record.line ? { line: record.line } : {}),
        detail: `${family} platform packages`,
      },
      prebuilt: { glibc: arch(record.glibc), musl: arch(record.musl) },
      needsCompiler: false,
      note: `${family} ships per-platform binaries (glibc: ${[...record.glibc].join(", ") || "none"}; musl: ${[...record.musl].join(", ") || "none"})`,
    });
  }
  const direct = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies });
  for (const name of unique([...direct, ...lockNames])) {
    const known = findKnown(NODE_NATIVE, name);
    const tool = NODE_ADDON_TOOLS.includes(name) && direct.includes(name);
    if (!known && !tool) continue;
    if (findings.some((f) => f.package === name)) continue;
    if (known && !direct.includes(name) && !lockNames.includes(name)) continue;
    add({
      package: name,
      kind: "known-native",
      source: direct.includes(name)
        ? evidence(files, "package.json", `"${name}"`, name)
        : { file: manager.lockfile ?? "package.json", detail: name },
      ...(known?.musl ? { prebuilt: { glibc: { amd64: true, arm64: true }, musl: known.musl } } : {}),
      needsCompiler: known ? !known.prebuilt : true,
      ...(known?.buildPackages ? { buildPackages: known.buildPackages } : {}),
      ...(known?.runtimePackages ? { runtimePackages: known.runtimePackages } : {}),
      note: known ? `${name}: ${known.note}` : `${name} builds native addons`,
    });
  }
  return findings;
}

/** `@img/sharp-linuxmusl-x64` → `@img/sharp`, `@rollup/rollup-linux-arm64-gnu` → `@rollup/rollup`. */
function platformFamily(name: string): string {
  return name.replace(
    /-(?:linux|linuxmusl|darwin|win32|android|freebsd|openbsd|sunos|wasm32)(?:-[a-z0-9]+)*$/,
    "",
  );
}

/** pnpm-lock.yaml: packages with `requiresBuild: true` (lockfile v6 and older). */
function pnpmNative(files: ProjectFiles, add: (finding: NativeFinding) => void): string[] {
  const text = files.read("pnpm-lock.yaml");
  if (!text) return [];
  let doc: { packages?: Record<string, { requiresBuild?: boolean; libc?: string[] }> };
  try {
    doc = parseYaml(text) ?? {};
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const [key, entry] of Object.entries(doc.packages ?? {})) {
    const name = key
      .replace(/^\//, "")
      .replace(/@[^@/]+$/, "")
      .replace(/\/\d[^/]*$/, "");
    names.push(name);
    if (entry?.requiresBuild) {
      const known = findKnown(NODE_NATIVE, name);
      add({
        package: name,
        kind: "install-script",
        source: { file: "pnpm-lock.yaml", line: lineOf(text, key), detail: `${name}: requiresBuild` },
        needsCompiler: !known?.prebuilt,
        note: `${name} runs a build script at install (${known ? known.note : "node-gyp or a prebuild download"})`,
      });
    }
  }
  return names;
}
