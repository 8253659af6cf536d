/**
 * Rust detection: toolchain (rust-toolchain.toml / rust-toolchain channel, `rust-version`
 * MSRV, edition), binary (default-run, [[bin]], package name, workspace members), system
 * libraries linked by `-sys` crates in Cargo.lock, and the listening port.
 * Sources: https://rust-lang.github.io/rustup/overrides.html#the-toolchain-file,
 * https://doc.rust-lang.org/cargo/reference/manifest.html and
 * shared/reference/base-images-and-generators.md §2, §3 (Rust).
 */
import { lineOf, type ProjectFiles } from "../project-files.ts";
import { resolveRuntime, type VersionRequest } from "../runtime.ts";
import { isTable, type TomlTable, tomlArray, tomlString, tomlTable } from "../toml.ts";
import type { Detection, Evidence, NativeFinding, RustApp } from "../types.ts";
import { type DetectContext, findPortInSource, firstLine, toolVersionRequests } from "./common.ts";

/** `-sys` crates that link a system library (not the vendored/bundled ones). */
const SYS_CRATES: Record<string, { build: string[]; runtime: string[]; note: string }> = {
  "openssl-sys": {
    build: ["libssl-dev", "pkg-config"],
    runtime: ["libssl3t64"],
    note: "links OpenSSL (libssl)",
  },
  "pq-sys": { build: ["libpq-dev"], runtime: ["libpq5"], note: "links libpq" },
  "mysqlclient-sys": {
    build: ["default-libmysqlclient-dev"],
    runtime: ["libmariadb3"],
    note: "links the MySQL client",
  },
  "rdkafka-sys": { build: ["cmake"], runtime: [], note: "builds librdkafka with cmake" },
};

const FRAMEWORKS: [crate: string, name: string, port?: number][] = [
  ["actix-web", "Actix Web"],
  ["axum", "axum"],
  ["rocket", "Rocket", 8000],
  ["warp", "warp"],
  ["poem", "Poem"],
];

const PORT_PATTERNS = [
  /0\.0\.0\.0:(\d{2,5})/,
  /127\.0\.0\.1:(\d{2,5})/,
  /\(\s*["']0\.0\.0\.0["']\s*,\s*(\d{2,5})\s*\)/,
  /PORT["']?\)?[^\n]{0,40}["'](\d{2,5})["']/,
];

export function detectRust(ctx: DetectContext): Detection | null {
  const { files } = ctx;
  const cargo = files.toml("Cargo.toml");
  if (!files.isFile("Cargo.toml")) return null;
  const notes: string[] = [];
  const markers: Evidence[] = [{ file: "Cargo.toml" }];
  const hasLock = files.isFile("Cargo.lock");
  if (hasLock) markers.push({ file: "Cargo.lock" });
  else
    notes.push(
      "no Cargo.lock: builds are not reproducible and `--locked` cannot be used; commit Cargo.lock for applications",
    );

  const { binary, pkg, workspace, manifest } = binaryOf(files, cargo, notes);
  const runtime = resolveRuntime("rust", versionRequests(files, manifest ?? cargo), { date: ctx.date });

  const lockText = files.read("Cargo.lock") ?? "";
  const crates = [...lockText.matchAll(/^name = "([^"]+)"/gm)].map((m) => m[1]!);
  const native: NativeFinding[] = [];
  for (const [crate, info] of Object.entries(SYS_CRATES)) {
    if (!crates.includes(crate)) continue;
    // openssl-sys with the `vendored` feature builds OpenSSL itself; we cannot see features in
    // Cargo.lock, so `openssl-src` next to it is the sign.
    if (crate === "openssl-sys" && crates.includes("openssl-src")) continue;
    native.push({
      package: crate,
      kind: "sys-crate",
      source: { file: "Cargo.lock", line: lineOf(lockText, `name = "${crate}"`), detail: crate },
      needsCompiler: true,
      buildPackages: info.build,
      runtimePackages: info.runtime,
      note: `${crate} ${info.note}`,
    });
  }
  const app: RustApp = {
    kind: "rust",
    binary,
    ...(pkg ? { package: pkg } : {}),
    workspace,
    hasLock,
    openssl: native.some((n) => n.package === "openssl-sys"),
    stubFetch: !workspace && !explicitTargets(manifest ?? cargo),
  };
  if (channel(files)?.startsWith("nightly"))
    notes.push(
      "nightly toolchain: the rust image ships stable; add `rustup toolchain install` for nightly in the build stage",
    );
  const deps = Object.keys(tomlTable(manifest ?? cargo ?? undefined, "dependencies") ?? {});
  const framework = FRAMEWORKS.find(([crate]) => deps.includes(crate) || crates.includes(crate));
  const mainFile = pkg && files.isFile(`${pkg}/src/main.rs`) ? `${pkg}/src/main.rs` : "src/main.rs";
  let port = findPortInSource(files.read(mainFile) ?? "", mainFile, PORT_PATTERNS);
  if (!port && framework?.[2])
    port = { value: framework[2], source: { file: "Cargo.toml", detail: `${framework[1]}'s default port` } };
  return {
    stack: "rust",
    language: "Rust",
    markers,
    runtime,
    packageManager: {
      name: "cargo",
      source: { file: "Cargo.toml" },
      ...(hasLock ? { lockfile: "Cargo.lock" } : {}),
    },
    ...(framework
      ? { framework: { name: framework[1], source: { file: "Cargo.toml", detail: framework[0] } } }
      : {}),
    start: { argv: [`/usr/local/bin/${binary}`], source: { file: "Cargo.toml", detail: `binary ${binary}` } },
    ...(port ? { port } : {}),
    native,
    dependencies: deps,
    app,
    backendScore: files.isFile(mainFile) || files.isDir("src/bin") ? 2 : 0,
    notes,
  };
}

function binaryOf(
  files: ProjectFiles,
  cargo: TomlTable | null,
  notes: string[],
): { binary: string; pkg?: string; workspace: boolean; manifest: TomlTable | null } {
  const packageName = tomlString(cargo ?? undefined, "package", "name");
  const members = tomlArray(cargo ?? undefined, "workspace", "members").map(String);
  const workspace = Boolean(tomlTable(cargo ?? undefined, "workspace"));
  if (packageName) return { binary: binaryName(cargo!, packageName), workspace, manifest: cargo };
  // A virtual workspace: pick a member with a main.rs (default-members first).
  const defaults = tomlArray(cargo ?? undefined, "workspace", "default-members").map(String);
  const expanded = [...defaults, ...members].flatMap((m) =>
    m.endsWith("/*") ? files.list(m.slice(0, -2)).map((n) => `${m.slice(0, -2)}/${n}`) : [m],
  );
  const apps = [...new Set(expanded)].filter((m) => files.isFile(`${m}/src/main.rs`));
  if (apps.length > 1)
    notes.push(`workspace with several binaries (${apps.join(", ")}); building ${apps[0]}`);
  const member = apps[0];
  if (!member) {
    notes.push("workspace without a member that has src/main.rs: nothing to run");
    return { binary: "app", workspace: true, manifest: cargo };
  }
  const manifest = files.toml(`${member}/Cargo.toml`);
  const name = tomlString(manifest ?? undefined, "package", "name") ?? member.split("/").pop()!;
  return { binary: binaryName(manifest ?? {}, name), pkg: name, workspace: true, manifest };
}

function binaryName(manifest: TomlTable, packageName: string): string {
  const defaultRun = tomlString(manifest, "package", "default-run");
  if (defaultRun) return defaultRun;
  const bins = tomlArray(manifest, "bin").filter(isTable);
  const first = bins.find((b) => typeof b.name === "string");
  return first ? String(first.name) : packageName;
}

/** Target tables with explicit paths make a stub main.rs insufficient for `cargo fetch`. */
function explicitTargets(manifest: TomlTable | null): boolean {
  if (!manifest) return false;
  const withPath = (key: string) =>
    tomlArray(manifest, key).some((t) => isTable(t) && typeof t.path === "string");
  return (
    withPath("bin") ||
    tomlArray(manifest, "example").length > 0 ||
    tomlArray(manifest, "test").length > 0 ||
    tomlArray(manifest, "bench").length > 0 ||
    typeof tomlTable(manifest, "lib")?.path === "string" ||
    tomlString(manifest, "package", "build") !== undefined
  );
}

function channel(files: ProjectFiles): string | undefined {
  const toolchainToml = files.toml("rust-toolchain.toml");
  const plain = files.read("rust-toolchain");
  return (
    tomlString(toolchainToml ?? undefined, "toolchain", "channel") ??
    (plain && !plain.includes("[toolchain]")
      ? firstLine(plain)?.value
      : plain
        ? /channel\s*=\s*"([^"]+)"/.exec(plain)?.[1]
        : undefined)
  );
}

function versionRequests(files: ProjectFiles, manifest: TomlTable | null): VersionRequest[] {
  const requests: VersionRequest[] = [];
  const name = channel(files);
  if (name) {
    const file = files.isFile("rust-toolchain.toml") ? "rust-toolchain.toml" : "rust-toolchain";
    const source = { file, line: lineOf(files.read(file) ?? "", name), detail: `channel = "${name}"` };
    if (/^\d+\.\d+/.test(name)) requests.push({ requested: name, kind: "pin", source });
    else requests.push({ requested: name, kind: "pin", line: "1", source });
  }
  requests.push(...toolVersionRequests(files, ["rust"]));
  const msrv = tomlString(manifest ?? undefined, "package", "rust-version");
  if (msrv) {
    requests.push({
      requested: msrv,
      kind: "minimum",
      source: { file: "Cargo.toml", detail: `rust-version = "${msrv}"` },
    });
  }
  return requests;
}
