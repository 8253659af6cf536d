/**
 * What detection finds in a project: every fact carries the file (and line) it came from, so
 * advice and the generated Dockerfile can say why.
 */

export type StackId = "go" | "rust" | "python" | "node" | "java" | "dotnet" | "ruby" | "php";

export const STACK_NAMES: Record<StackId, string> = {
  go: "Go",
  rust: "Rust",
  python: "Python",
  node: "Node.js",
  java: "Java",
  dotnet: ".NET",
  ruby: "Ruby",
  php: "PHP",
};

export type Arch = "amd64" | "arm64" | "arm" | "386" | "ppc64le" | "s390x" | "riscv64";
export const ARCHES: readonly Arch[] = ["amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64"];

/** Where a fact came from: a file relative to the app folder, optionally a line and the text. */
export interface Evidence {
  file: string;
  line?: number;
  /** The field or text that said it (`requires-python = ">=3.10"`). */
  detail?: string;
}

export interface RuntimeRequest {
  /** As written: ">=3.10", "lts/iron", "1.22.3", "^20.9". */
  requested: string;
  source: Evidence;
  /** An exact pin (a version-manager file) or a range/minimum (a manifest field). */
  kind: "pin" | "range" | "minimum";
}

export interface RuntimeVersion {
  /** Release line to build with: "3.13", "24", "1.26", "21", "10.0", "3.4", "8.4", "1". */
  line: string;
  /** The request the line was chosen from (absent: the default). */
  from?: RuntimeRequest;
  /** Other requests found, in priority order (shown when they disagree). */
  others: RuntimeRequest[];
  /** One sentence: how the line was chosen. */
  reason: string;
  /** End-of-life date of the line when known (YYYY-MM-DD). */
  eol?: string;
  /** True when `eol` is before the advice date. */
  endOfLife?: boolean;
}

export interface PackageManager {
  /** pip, uv, poetry, pdm, pipenv, npm, yarn, pnpm, bun, go, cargo, maven, gradle, dotnet, bundler, composer. */
  name: string;
  /** yarn: "classic" | "berry". */
  variant?: string;
  /** Version when pinned (packageManager field, BUNDLED WITH, wrapper properties). */
  version?: string;
  lockfile?: string;
  /** Files that decided the package manager. */
  source: Evidence;
}

/** Kinds of evidence that a dependency (or the project) has compiled code. */
export type NativeKind =
  | "platform-wheels"
  | "sdist-only"
  | "known-native"
  | "ext-modules"
  | "build-backend"
  | "install-script"
  | "binding-gyp"
  | "platform-binaries"
  | "cgo"
  | "native-gem"
  | "sys-crate"
  | "php-extension";

export interface ArchAvailability {
  amd64: boolean;
  arm64: boolean;
}

export interface NativeFinding {
  /** Package name, or "(this project)". */
  package: string;
  kind: NativeKind;
  source: Evidence;
  /**
   * Prebuilt binaries per libc and architecture, when the lockfile lists them. Undefined when
   * unknown (no lockfile with file names).
   */
  prebuilt?: { glibc: ArchAvailability; musl: ArchAvailability };
  /** True when installing needs a C compiler (sdist only, ext_modules, node-gyp build). */
  needsCompiler: boolean;
  /** Debian packages the build needs (headers) and the runtime needs (shared libraries). */
  buildPackages?: string[];
  runtimePackages?: string[];
  note: string;
}

/** Per-stack facts the Dockerfile templates need. */
export interface PythonApp {
  kind: "python";
  /** requirements files to install (pip), in order. */
  requirements: string[];
  /** Those files plus the ones they include with `-r` (all must be copied). */
  requirementFiles: string[];
  /** The project itself is a package to install (pyproject/setup.py with a build backend). */
  installsProject: boolean;
  /** pyproject `readme`/license files the build backend reads (must not be dockerignored). */
  buildFiles: string[];
  /** WSGI/ASGI target ("mysite.wsgi:application", "app.main:app") when found. */
  appTarget?: string;
  /** Dependencies that are servers we can start with (gunicorn, uvicorn, ...). */
  servers: string[];
}

export interface NodeApp {
  kind: "node";
  /** `scripts.build` when present: the build stage runs it with dev dependencies. */
  buildScript?: string;
  /** Next.js `output: 'standalone'`. */
  nextStandalone: boolean;
  /** Output folder of the build when known (dist, build, .next). */
  buildOutput?: string;
  /** Workspace manifest files to copy before install (monorepo roots). */
  extraManifests: string[];
  /** .yarnrc.yml / .yarn/releases and similar files the install needs. */
  installFiles: string[];
  /** A public/ folder (Next.js serves it next to the standalone server). */
  publicDir: boolean;
  /** pnpm-lock.yaml `lockfileVersion` (decides the pnpm major when packageManager is absent). */
  pnpmLockVersion?: string;
  /** Yarn Berry's `nodeLinker` from .yarnrc.yml (default pnp). */
  yarnNodeLinker?: string;
}

export interface GoApp {
  kind: "go";
  module?: string;
  /** Package to build ("." or "./cmd/server"). */
  mainPackage: string;
  /** Other main packages (cmd/*). */
  otherMains: string[];
  binary: string;
  cgo: boolean;
  vendored: boolean;
  hasGoSum: boolean;
}

export interface RustApp {
  kind: "rust";
  binary: string;
  /** Package to build in a workspace (-p). */
  package?: string;
  workspace: boolean;
  hasLock: boolean;
  /** Links OpenSSL (openssl-sys): needs libssl at runtime. */
  openssl: boolean;
  /**
   * `cargo fetch` works with the manifests and a stub src/main.rs: no explicit target paths
   * ([[bin]] path, [[example]], [[test]], [[bench]], [lib] path, package.build).
   */
  stubFetch: boolean;
}

export interface JavaApp {
  kind: "java";
  tool: "maven" | "gradle";
  wrapper: boolean;
  springBoot: boolean;
  packaging: "jar" | "war";
  multiModule: boolean;
  /** Kotlin DSL build files. */
  kotlinDsl: boolean;
  /** The jar is runnable: Spring Boot, shade/assembly plugin, or Gradle application plugin. */
  runnableJar: boolean;
  /** Gradle `application` plugin: `installDist` layout. */
  gradleApplication: boolean;
  /** Project name (Gradle rootProject.name / Maven artifactId): names the installDist folder. */
  name: string;
  /** Multi-module builds: the module that produces the runnable jar. */
  module?: string;
}

export interface DotnetApp {
  kind: "dotnet";
  project: string;
  assembly: string;
  web: boolean;
  invariantGlobalization: boolean;
  publishAot: boolean;
  /** Files restore needs besides the project (Directory.Build.props, NuGet.config, global.json). */
  restoreFiles: string[];
  projectReferences: string[];
}

export interface RubyApp {
  kind: "ruby";
  rails: boolean;
  /** Rails with app/assets or app/javascript: assets:precompile in the build. */
  assets: boolean;
  hasLock: boolean;
  /** Server gem in the Gemfile (puma, unicorn, falcon, ...). */
  server?: string;
}

export interface PhpApp {
  kind: "php";
  /** Web root inside the app: "public" for Laravel/Symfony, "." otherwise. */
  docroot: string;
  hasLock: boolean;
  /** `ext-*` requirements (without the prefix). */
  extensions: string[];
  /** Laravel's writable folders. */
  writable: string[];
}

export type AppDetails = PythonApp | NodeApp | GoApp | RustApp | JavaApp | DotnetApp | RubyApp | PhpApp;

export interface StartCommand {
  /** Exec form argv. */
  argv: string[];
  source: Evidence;
  note?: string;
}

export interface Detection {
  stack: StackId;
  /** Human name ("Python"). */
  language: string;
  /** Marker files that made this stack match. */
  markers: Evidence[];
  runtime: RuntimeVersion;
  packageManager: PackageManager;
  framework?: { name: string; source: Evidence };
  start?: StartCommand;
  port?: { value: number; source: Evidence };
  /** Compiled code in the project or its dependencies. */
  native: NativeFinding[];
  /** Direct dependency names (normalised per ecosystem). */
  dependencies: string[];
  app: AppDetails;
  /**
   * How strongly this looks like a deployable backend: 2 = server framework or start command,
   * 1 = an application without a known server, 0 = tooling only (e.g. a package.json with
   * build scripts next to a Python app).
   */
  backendScore: number;
  /** Things the user should know (missing lockfile, ambiguous entry point, ...). */
  notes: string[];
}

/** A folder that looks like a separate app (monorepos). */
export interface AppCandidate {
  path: string;
  stacks: StackId[];
  markers: string[];
}

export interface ProjectDetection {
  /** Absolute path of the folder analysed (root joined with --path). */
  dir: string;
  /** The --path used, or ".". */
  path: string;
  /** Every stack found in the folder. */
  detections: Detection[];
  /** The stack to build, when one could be chosen. */
  primary?: Detection;
  /** Set when several stacks were found: which won and why. */
  polyglot?: { chosen: StackId; others: StackId[]; reason: string };
  /** Set when the folder holds several apps: the candidates for --path. */
  monorepo?: { tool?: string; candidates: AppCandidate[]; source?: Evidence };
  /** Files that could not be parsed. */
  problems: { file: string; message: string }[];
}
