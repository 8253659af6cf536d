/**
 * The advice engine: from a detection and the user's constraints, picks the builder, runtime
 * and debug images, with reasons tied to the project's files, ranked alternatives and the
 * images it rejected (and why). The decision procedure follows
 * shared/reference/base-images-and-generators.md §9 and the seed's quick-start table
 * (shared/seed/container-base-images-street-ops.txt): glibc unless every native dependency is
 * known to have musl prebuilds for every target architecture; hardened runtimes only where the
 * runtime version and the start command allow.
 */
import {
  CATALOG,
  CATALOG_DATE,
  CATALOG_SOURCES,
  type CatalogImage,
  catalogImage,
  imageArches,
  imageReference,
} from "./data/catalog.ts";
import type { Arch, Detection, Evidence, NativeFinding, StackId } from "./types.ts";
import { STACK_NAMES } from "./types.ts";

export type SecurityLevel = "balanced" | "max";

export interface AdviseConstraints {
  /** Architectures the image must run on (default amd64 and arm64). */
  arches: Arch[];
  security: SecurityLevel;
  /** Prefer Red Hat UBI images. */
  enterprise: boolean;
  /** Keep a shell in the runtime image for debugging. */
  shell: boolean;
}

export const DEFAULT_ARCHES: Arch[] = ["amd64", "arm64"];

export interface Reason {
  text: string;
  evidence?: Evidence[];
}

export interface ImageChoice {
  id: string;
  /** The image reference for the detected release line. */
  image: string;
  libc: CatalogImage["libc"];
  shell: CatalogImage["shell"];
  packages: CatalogImage["packages"];
  user: string;
  arches: Arch[];
  sizeMB: number;
  hardened: boolean;
  note: string;
  reasons: Reason[];
}

/** compatible = glibc where the choice is musl (the fallback if a native module breaks). */
export type AlternativeLabel = "smaller" | "hardened" | "enterprise" | "debuggable" | "compatible";

export interface Alternative {
  rank: number;
  id: string;
  image: string;
  labels: AlternativeLabel[];
  sizeMB: number;
  /** What you give up or must check. */
  tradeoff: string;
}

export interface Rejection {
  id: string;
  image: string;
  why: string;
  evidence?: Evidence[];
}

export interface StackAdvice {
  stack: StackId;
  language: string;
  line: string;
  targets: Arch[];
  constraints: AdviseConstraints;
  builder: ImageChoice;
  runtime: ImageChoice;
  debug: ImageChoice;
  alternatives: Alternative[];
  rejected: Rejection[];
  reasons: Reason[];
  /** Debian packages the build stage installs (headers for native code). */
  buildPackages: string[];
  /** Debian packages the runtime image needs (shared libraries). */
  runtimePackages: string[];
  /** The build needs a C compiler. */
  needsCompiler: boolean;
  warnings: string[];
  catalog: { date: string; sources: string[] };
}

interface Preferences {
  balanced: string[];
  max: string[];
  enterprise: string[];
  shell: string[];
}

/** Runtime images in order of preference per stack and mode (the seed's table first). */
function preferences(detection: Detection): Preferences {
  const app = detection.app;
  switch (detection.stack) {
    case "python":
      return {
        balanced: ["python-slim"],
        max: ["distroless-python3", "python-slim"],
        enterprise: ["ubi9-python"],
        shell: ["python-slim"],
      };
    case "node":
      if (detection.start?.argv[0] === "bun")
        return { balanced: ["bun-slim"], max: ["bun-slim"], enterprise: ["bun-slim"], shell: ["bun-slim"] };
      return {
        balanced: ["node-alpine", "node-slim"],
        max: ["distroless-nodejs", "node-slim"],
        enterprise: ["ubi9-nodejs"],
        shell: ["node-alpine", "node-slim"],
      };
    case "go":
      return {
        balanced: ["distroless-static", "distroless-base", "debian-slim"],
        max: ["distroless-static", "distroless-base"],
        enterprise: ["ubi9-micro", "ubi9-minimal"],
        shell: ["distroless-static-debug", "alpine", "debian-slim"],
      };
    case "rust":
      return {
        balanced: ["distroless-cc", "debian-slim"],
        max: ["distroless-cc"],
        enterprise: ["ubi9-minimal"],
        shell: ["debian-slim"],
      };
    case "java":
      return {
        balanced: ["temurin-jre-alpine", "temurin-jre"],
        max: ["distroless-java", "temurin-jre"],
        enterprise: ["temurin-jre-ubi"],
        shell: ["temurin-jre-alpine", "temurin-jre"],
      };
    case "dotnet": {
      if (app.kind === "dotnet" && app.publishAot) {
        return {
          balanced: ["dotnet-runtime-deps-aot"],
          max: ["dotnet-runtime-deps-aot"],
          enterprise: ["ubi9-minimal"],
          shell: ["debian-slim"],
        };
      }
      if (app.kind === "dotnet" && !app.web) {
        return {
          balanced: ["dotnet-runtime"],
          max: ["dotnet-runtime-chiseled", "dotnet-runtime"],
          enterprise: ["ubi9-dotnet-runtime"],
          shell: ["dotnet-runtime"],
        };
      }
      return {
        balanced: ["dotnet-aspnet-alpine", "dotnet-aspnet"],
        max: ["dotnet-aspnet-chiseled", "dotnet-aspnet-chiseled-extra", "dotnet-aspnet"],
        enterprise: ["ubi9-dotnet-runtime"],
        shell: ["dotnet-aspnet-alpine", "dotnet-aspnet"],
      };
    }
    case "ruby":
      return { balanced: ["ruby-slim"], max: ["ruby-slim"], enterprise: ["ubi9-ruby"], shell: ["ruby-slim"] };
    case "php":
      return {
        balanced: ["php-apache"],
        max: ["php-apache"],
        enterprise: ["ubi9-php"],
        shell: ["php-apache"],
      };
  }
}

/** Why this stack's default is what it is (the seed's quick-start line). */
const SEED_LINES: Record<StackId, string> = {
  go: "Go binary → scratch or distroless/static",
  rust: "Rust binary → scratch or distroless/static",
  python: "Python app → python:3.12-slim (or Alpine if no C extensions)",
  node: "Node.js app → node:20-alpine (or node:20-slim if native modules)",
  java: "Java app → eclipse-temurin:21-jre-alpine (or distroless/java)",
  dotnet: ".NET app → mcr.microsoft.com/dotnet/aspnet:8.0-alpine",
  ruby: "Ruby app → ruby:3.3-slim",
  php: "PHP → php:X-apache (docker init's PHP template)",
};

interface Facts {
  detection: Detection;
  line: string;
  targets: Arch[];
  native: NativeFinding[];
  /** Why musl is unsafe (first reason), or null when every native finding has musl prebuilds. */
  muslProblem: { text: string; evidence?: Evidence } | null;
  /** The binary is linked against glibc (cgo, Rust glibc build): runtimes need glibc. */
  needsGlibc: boolean;
  /** The start command needs a shell or a tool only full images have. */
  shellReason: string | null;
  runtimePackages: string[];
}

function facts(detection: Detection, constraints: AdviseConstraints): Facts {
  const native = detection.native;
  const targets = constraints.arches;
  const runtimePackages = [...new Set(native.flatMap((n) => n.runtimePackages ?? []))];
  let muslProblem: Facts["muslProblem"] = null;
  const exotic = targets.filter((a) => a !== "amd64" && a !== "arm64");
  for (const finding of native) {
    if (finding.kind === "cgo" || finding.kind === "sys-crate" || finding.kind === "php-extension") continue;
    const missing = targets.filter((arch) => {
      if (arch !== "amd64" && arch !== "arm64") return true;
      return !finding.prebuilt?.musl[arch];
    });
    if (finding.needsCompiler || missing.length > 0) {
      const prebuild = detection.stack === "python" ? "musllinux wheel" : "musl prebuild";
      const name =
        finding.source.detail && !finding.source.detail.includes(":")
          ? finding.source.detail
          : finding.package;
      const where =
        finding.source.file.endsWith(".lock") || finding.source.file.includes("lock")
          ? ` in ${finding.source.file}`
          : "";
      const what = finding.needsCompiler
        ? `is built from source (${finding.note})`
        : finding.prebuilt
          ? `has no ${prebuild} for ${missing.map(archWord(detection.stack)).join(" or ")}${where}`
          : `has compiled code and no known ${prebuild} (${finding.note})`;
      muslProblem = { text: `${name} ${what}`, evidence: finding.source };
      break;
    }
  }
  if (!muslProblem && native.length > 0 && exotic.length > 0) {
    muslProblem = { text: `musl prebuilds are only checked for amd64 and arm64, not ${exotic.join(", ")}` };
  }
  if (!muslProblem && detection.stack === "node" && !detection.packageManager.lockfile) {
    muslProblem = {
      text: "no lockfile: native modules cannot be ruled out",
      evidence: { file: "package.json" },
    };
  }
  if (!muslProblem && detection.stack === "node" && detection.packageManager.lockfile === "yarn.lock") {
    // Yarn's lockfile lists no install scripts or platforms; only the known list was checked.
    const unknown = detection.dependencies.length > 0 && detection.packageManager.variant === "classic";
    if (unknown)
      muslProblem = {
        text: "yarn.lock (classic) does not record install scripts: native modules cannot be ruled out",
        evidence: { file: "yarn.lock" },
      };
  }
  const glibcNative = native.some((n) => n.kind === "cgo" || n.kind === "sys-crate");
  const needsGlibc = detection.stack === "rust" || (detection.stack === "go" && glibcNative);
  const argv0 = detection.start?.argv[0] ?? "";
  const shellReason = constraints.shell
    ? "--shell asks for a shell in the runtime image"
    : argv0 === "sh"
      ? `the start command needs a shell (${detection.start!.source.file})`
      : argv0 === "npm"
        ? `the start command is \`npm start\` (${detection.start!.source.file}), which needs npm and a shell`
        : argv0.startsWith("/app/bin/")
          ? "the Gradle application start script is a shell script"
          : null;
  return {
    detection,
    line: detection.runtime.line,
    targets,
    native,
    muslProblem,
    needsGlibc,
    shellReason,
    runtimePackages,
  };
}

function archWord(stack: StackId): (arch: Arch) => string {
  return (arch) =>
    stack === "python"
      ? (({ amd64: "x86_64", arm64: "aarch64" } as Record<string, string>)[arch] ?? arch)
      : arch;
}

interface Fit {
  ok: boolean;
  why?: string;
  evidence?: Evidence[];
  /** Usable, but only as an alternative (floating tag, login needed). */
  alternativeOnly?: string;
}

function fitOf(image: CatalogImage, f: Facts): Fit {
  const { detection, line } = f;
  const app = detection.app;
  if (image.status === "end-of-life") return { ok: false, why: image.note };
  if (Array.isArray(image.lines) && !image.lines.includes(line)) {
    return {
      ok: false,
      why: `published only for ${detection.language} ${image.lines.join(", ")}; the project uses ${line}`,
    };
  }
  const arches = imageArches(image, line);
  const missing = f.targets.filter((a) => !arches.includes(a));
  if (missing.length > 0)
    return { ok: false, why: `no ${missing.join(", ")} image (has ${arches.join(", ")})` };
  if (image.libc === "musl" && f.muslProblem) {
    return {
      ok: false,
      why: `musl: ${f.muslProblem.text}`,
      ...(f.muslProblem.evidence ? { evidence: [f.muslProblem.evidence] } : {}),
    };
  }
  if (f.needsGlibc && image.libc !== "glibc") {
    const cause =
      detection.stack === "rust" ? "the Rust binary is built against glibc" : "the cgo binary links glibc";
    return {
      ok: false,
      why: `${image.libc === "none" ? "no libc" : "musl"}: ${cause}`,
      evidence: f.native
        .filter((n) => n.kind === "cgo")
        .slice(0, 1)
        .map((n) => n.source),
    };
  }
  if (detection.stack === "rust" && image.id === "distroless-base")
    return { ok: false, why: "Rust binaries need libgcc_s (use the cc image)" };
  if (f.shellReason && image.shell === "none") return { ok: false, why: `no shell, and ${f.shellReason}` };
  const missingPackages = f.runtimePackages.filter((p) => !image.provides?.includes(p));
  if (missingPackages.length > 0 && image.packages === "none") {
    return {
      ok: false,
      why: `no package manager to add ${missingPackages.join(", ")}`,
      evidence: f.native
        .filter((n) => n.runtimePackages?.some((p) => missingPackages.includes(p)))
        .map((n) => n.source),
    };
  }
  const bun = detection.start?.argv[0] === "bun";
  if (image.id === "bun-slim" && !bun) return { ok: false, why: "for apps that run with bun" };
  if (detection.stack === "node" && image.id !== "bun-slim" && bun) {
    return {
      ok: false,
      why: `the start command runs bun (${detection.start!.source.file})`,
      evidence: [detection.start!.source],
    };
  }
  if (
    detection.stack === "node" &&
    image.family !== "official" &&
    image.family !== "ubi" &&
    detection.start?.argv[0] !== "node"
  ) {
    return { ok: false, why: "the start command is not `node <file>` and the image has only node" };
  }
  if (app.kind === "dotnet") {
    const invariant = app.invariantGlobalization;
    const kind = image.id.startsWith("dotnet-runtime-deps")
      ? "aot"
      : image.id.startsWith("dotnet-runtime")
        ? "console"
        : image.id.startsWith("dotnet-aspnet")
          ? "web"
          : "any";
    const wanted = app.publishAot ? "aot" : app.web ? "web" : "console";
    if (kind !== "any" && kind !== wanted) {
      return {
        ok: false,
        why: {
          aot: "for PublishAot native executables",
          console: "no ASP.NET Core (console and worker apps)",
          web: "ASP.NET Core image: for web projects",
        }[kind],
      };
    }
    if (
      (image.id === "dotnet-aspnet-alpine" ||
        image.id === "dotnet-aspnet-chiseled" ||
        image.id === "dotnet-runtime-chiseled") &&
      !invariant
    ) {
      return {
        ok: false,
        why: `no ICU (culture data): ${app.project} does not set <InvariantGlobalization>true</InvariantGlobalization>`,
        evidence: [{ file: app.project }],
      };
    }
  }
  if (image.lines === "latest-only")
    return {
      ok: true,
      alternativeOnly: `only :latest is free (the newest ${detection.language}, maybe not ${line}); pin by digest`,
    };
  if (image.access) return { ok: true, alternativeOnly: `needs \`${image.access}\`` };
  return { ok: true };
}

function candidatesFor(stack: StackId): CatalogImage[] {
  return CATALOG.filter((i) => i.roles.includes("runtime") && i.stacks !== "any" && i.stacks.includes(stack));
}

function userText(image: CatalogImage): string {
  if (image.user.default === "non-root")
    return `runs as ${image.user.name ?? "non-root"}${image.user.uid !== undefined ? ` (uid ${image.user.uid})` : ""}`;
  if (image.builtinUser)
    return `root by default; switches to its ${image.builtinUser.name} user (uid ${image.builtinUser.uid})`;
  return "root by default; the Dockerfile adds a non-root user (uid 10001)";
}

function choice(image: CatalogImage, line: string, reasons: Reason[]): ImageChoice {
  return {
    id: image.id,
    image: imageReference(image, line),
    libc: image.libc,
    shell: image.shell,
    packages: image.packages,
    user: userText(image),
    arches: imageArches(image, line),
    sizeMB: image.sizeMB,
    hardened: image.hardened,
    note: image.note,
    reasons,
  };
}

export function adviseStack(detection: Detection, constraints: AdviseConstraints): StackAdvice {
  const f = facts(detection, constraints);
  const prefs = preferences(detection);
  const order = [
    ...(constraints.enterprise ? prefs.enterprise : []),
    ...(constraints.security === "max" ? prefs.max : []),
    ...(constraints.shell ? prefs.shell : []),
    ...prefs.balanced,
    ...prefs.shell,
  ];
  const candidates = candidatesFor(detection.stack);
  const fits = new Map(candidates.map((c) => [c.id, fitOf(c, f)]));
  const warnings: string[] = [];

  let runtimeImage = order
    .map((id) => catalogImage(id))
    .find((c) => fits.get(c.id)?.ok && !fits.get(c.id)?.alternativeOnly);
  if (!runtimeImage) {
    runtimeImage =
      candidates.find((c) => fits.get(c.id)?.ok) ?? catalogImage(prefs.balanced[prefs.balanced.length - 1]!);
    warnings.push(`no runtime image fits every constraint; using ${imageReference(runtimeImage, f.line)}`);
  }
  if (constraints.enterprise && !runtimeImage.enterprise) {
    warnings.push(
      `no UBI image fits (${prefs.enterprise.map((id) => `${id}: ${fits.get(id)?.why ?? "n/a"}`).join("; ")})`,
    );
  }
  if (constraints.security === "max" && !runtimeImage.hardened) {
    warnings.push(
      `no hardened runtime fits ${detection.language} ${f.line} here (${prefs.max
        .filter((id) => catalogImage(id).hardened)
        .map(
          (id) =>
            `${imageReference(catalogImage(id), f.line)}: ${fits.get(id)?.why ?? fits.get(id)?.alternativeOnly ?? "n/a"}`,
        )
        .join("; ")})`,
    );
  }

  const reasons: Reason[] = [];
  const runtime = detection.runtime;
  reasons.push({ text: runtime.reason, ...(runtime.from ? { evidence: [runtime.from.source] } : {}) });
  if (runtime.endOfLife)
    warnings.push(`${detection.language} ${runtime.line} reached end of life on ${runtime.eol}: upgrade`);
  for (const finding of f.native.slice(0, 6))
    reasons.push({ text: finding.note, evidence: [finding.source] });
  if (f.native.length > 6)
    reasons.push({ text: `and ${f.native.length - 6} more packages with compiled code` });

  const runtimeReasons = runtimeReasonsFor(runtimeImage, order, candidates, fits, f, constraints);
  const runtimeChoice = choice(runtimeImage, f.line, runtimeReasons);

  const { builder, buildReasons } = builderFor(detection, runtimeImage, f);
  const debugImage = debugFor(detection, runtimeImage);
  const debug = choice(debugImage, f.line, [
    {
      text: `debug target: ${debugImage.id === runtimeImage.id ? "the runtime image" : debugImage.reference.split(":")[0]} plus a shell, curl and strace (docker build --target debug)`,
    },
  ]);

  const alternatives = rankAlternatives(candidates, fits, runtimeImage, f);
  const rejected: Rejection[] = candidates
    .filter((c) => c.id !== runtimeImage!.id && !fits.get(c.id)!.ok)
    .map((c) => {
      const fitResult = fits.get(c.id)!;
      return {
        id: c.id,
        image: imageReference(c, f.line),
        why: fitResult.why!,
        ...(fitResult.evidence?.length ? { evidence: fitResult.evidence } : {}),
      };
    });

  for (const note of detection.notes) warnings.push(note);
  const needsCompiler = f.native.some((n) => n.needsCompiler);
  return {
    stack: detection.stack,
    language: STACK_NAMES[detection.stack],
    line: f.line,
    targets: f.targets,
    constraints,
    builder: choice(builder, f.line, buildReasons),
    runtime: runtimeChoice,
    debug,
    alternatives,
    rejected,
    reasons,
    buildPackages: [...new Set(f.native.flatMap((n) => n.buildPackages ?? []))],
    runtimePackages: f.runtimePackages,
    needsCompiler,
    warnings,
    catalog: { date: CATALOG_DATE, sources: CATALOG_SOURCES },
  };
}

function runtimeReasonsFor(
  runtimeImage: CatalogImage,
  order: string[],
  candidates: CatalogImage[],
  fits: Map<string, Fit>,
  f: Facts,
  constraints: AdviseConstraints,
): Reason[] {
  const { detection } = f;
  const ref = (image: CatalogImage) => imageReference(image, f.line);
  const mode = [
    constraints.enterprise ? "--enterprise" : "",
    constraints.security === "max" ? "--security max" : "",
    constraints.shell ? "--shell" : "",
  ].filter(Boolean);
  const reasons: Reason[] = [
    {
      text: `seed quick-start: "${SEED_LINES[detection.stack]}"${mode.length > 0 ? `; constraints: ${mode.join(", ")}` : ""}`,
    },
  ];
  // Images preferred over the choice that did not fit, each with its reason.
  const before = order.slice(0, order.indexOf(runtimeImage.id)).filter((id, k, all) => all.indexOf(id) === k);
  for (const id of before) {
    const fitResult = fits.get(id);
    if (!fitResult || fitResult.ok) continue;
    reasons.push({
      text: `${ref(runtimeImage)}, not ${ref(catalogImage(id))}: ${fitResult.why}`,
      ...(fitResult.evidence?.length ? { evidence: fitResult.evidence } : {}),
    });
  }
  // The musl sibling of a glibc choice (python:X-alpine for python:X-slim): why not, or that it would fit.
  const musl = candidates.find(
    (c) =>
      c.family === runtimeImage.family &&
      c.libc === "musl" &&
      c.id !== runtimeImage.id &&
      !before.includes(c.id),
  );
  if (runtimeImage.libc === "glibc" && musl) {
    const fitResult = fits.get(musl.id)!;
    if (!fitResult.ok && fitResult.why?.startsWith("musl")) {
      reasons.push({
        text: `${ref(runtimeImage)}, not ${ref(musl)}: ${fitResult.why}`,
        ...(fitResult.evidence?.length ? { evidence: fitResult.evidence } : {}),
      });
    } else if (fitResult.ok) {
      const lock = detection.packageManager.lockfile;
      reasons.push({
        text: `${ref(musl)} would also work (no compiled code found${lock ? ` in ${lock}` : ""}); ${ref(runtimeImage)} stays the default for glibc compatibility`,
      });
    }
  }
  if (runtimeImage.libc === "musl") {
    const lock = detection.packageManager.lockfile;
    reasons.push({
      text:
        f.native.length > 0
          ? "every package with compiled code has musl prebuilds for the target architectures"
          : `no compiled code found${lock ? ` in ${lock}` : ""}: the musl (Alpine) variant is safe`,
      ...(lock ? { evidence: [{ file: lock }] } : {}),
    });
  }
  if (f.shellReason && runtimeImage.shell !== "none")
    reasons.push({ text: `keeps a shell: ${f.shellReason}` });
  const provided = f.runtimePackages.filter((p) => runtimeImage.provides?.includes(p));
  if (provided.length > 0) reasons.push({ text: `already contains ${provided.join(", ")}` });
  const missing = f.runtimePackages.filter((p) => !runtimeImage.provides?.includes(p));
  if (missing.length > 0)
    reasons.push({
      text: `the final stage installs ${missing.join(", ")}`,
      evidence: f.native.filter((n) => n.runtimePackages?.length).map((n) => n.source),
    });
  reasons.push({ text: `${userText(runtimeImage)}; ${runtimeImage.note}` });
  return reasons;
}

/** The build image that goes with a runtime image (for generators that switch runtimes). */
export function builderForRuntime(
  detection: Detection,
  runtime: CatalogImage,
  constraints: AdviseConstraints,
): CatalogImage {
  return builderFor(detection, runtime, facts(detection, constraints)).builder;
}

function builderFor(
  detection: Detection,
  runtime: CatalogImage,
  f: Facts,
): { builder: CatalogImage; buildReasons: Reason[] } {
  const needsCompiler = f.native.some((n) => n.needsCompiler);
  const compiling = f.native.filter((n) => n.needsCompiler).map((n) => n.package);
  const app = detection.app;
  const pick = (id: string, text: string, evidence?: Evidence[]) => ({
    builder: catalogImage(id),
    buildReasons: [{ text, ...(evidence?.length ? { evidence } : {}) }],
  });
  switch (detection.stack) {
    case "python":
      if (runtime.id === "distroless-python3") {
        return pick(
          "debian-slim",
          "Debian 13's python3 builds the venv, so its interpreter path matches distroless python3-debian13 (distroless examples/python3-requirements)",
        );
      }
      if (runtime.id === "ubi9-python") return pick("ubi9-python", "the same UBI image builds the venv");
      if (needsCompiler) {
        return pick(
          "python-full",
          `${compiling.join(", ")} compile at install: the full image has gcc and -dev headers; only the venv is copied to -slim (same Debian release)`,
          f.native.filter((n) => n.needsCompiler).map((n) => n.source),
        );
      }
      return pick(
        runtime.libc === "musl" ? "python-alpine" : "python-slim",
        "no compiler needed: every package installs from wheels",
      );
    case "node":
      if (runtime.id === "bun-slim")
        return pick("bun-slim", "Bun's image installs the dependencies the app runs with");
      if (runtime.id === "ubi9-nodejs")
        return pick("ubi9-nodejs", "the same UBI image installs node_modules");
      if (runtime.id === "node-alpine")
        return pick("node-alpine", "node_modules are installed on the same libc (musl) as the runtime");
      return pick(
        "node-slim",
        needsCompiler
          ? `${compiling.join(", ")} may compile (node-gyp): the build stage installs python3, make and g++, the runtime does not`
          : "node_modules are installed on the same libc (glibc) as the runtime",
      );
    case "go":
      return pick(
        "golang",
        app.kind === "go" && app.cgo
          ? "cgo: built with gcc against glibc (CGO_ENABLED=1)"
          : "CGO_ENABLED=0: a static binary, cross-compiled with GOARCH=$TARGETARCH",
      );
    case "rust":
      return pick("rust-slim", "built against glibc on Debian 13, the same release as the runtime");
    case "java":
      if (app.kind === "java" && app.wrapper)
        return pick(
          "temurin-jdk",
          `the ${app.tool === "maven" ? "Maven" : "Gradle"} wrapper runs on the JDK`,
        );
      return pick(
        app.kind === "java" && app.tool === "gradle" ? "gradle" : "maven",
        `no wrapper: the ${app.kind === "java" ? app.tool : "build"} image brings the build tool`,
      );
    case "dotnet":
      return pick("dotnet-sdk", "the SDK restores and publishes; the runtime image has only the runtime");
    case "ruby":
      return pick(
        needsCompiler ? "ruby-full" : "ruby-slim",
        needsCompiler
          ? `${compiling.join(", ")} compile at install: the full image has the compilers; only the bundle is copied to -slim`
          : "no gem compiles: the slim image installs the bundle",
        f.native.filter((n) => n.needsCompiler).map((n) => n.source),
      );
    case "php":
      return pick(
        "composer",
        "Composer installs vendor/ without dev packages; the runtime image gets only the result",
      );
  }
}

function debugFor(detection: Detection, runtime: CatalogImage): CatalogImage {
  if (runtime.shell !== "none" && runtime.shell !== "busybox" && runtime.packages !== "none") return runtime;
  switch (detection.stack) {
    case "python":
      return catalogImage("python-slim");
    case "node":
      return catalogImage("node-slim");
    case "java":
      return catalogImage("temurin-jre");
    case "dotnet":
      return catalogImage(
        detection.app.kind === "dotnet" && !detection.app.web ? "dotnet-runtime" : "dotnet-aspnet",
      );
    case "ruby":
      return catalogImage("ruby-slim");
    case "php":
      return catalogImage("php-apache");
    default:
      return catalogImage("debian-slim");
  }
}

function rankAlternatives(
  candidates: CatalogImage[],
  fits: Map<string, Fit>,
  chosen: CatalogImage,
  f: Facts,
): Alternative[] {
  const result: Omit<Alternative, "rank">[] = [];
  for (const image of candidates) {
    if (image.id === chosen.id) continue;
    const fitResult = fits.get(image.id)!;
    if (!fitResult.ok) continue;
    const labels: AlternativeLabel[] = [];
    if (image.sizeMB < chosen.sizeMB) labels.push("smaller");
    if (image.hardened && !chosen.hardened) labels.push("hardened");
    if (image.enterprise && !chosen.enterprise) labels.push("enterprise");
    if (image.shell !== "none" && chosen.shell === "none") labels.push("debuggable");
    if (image.libc === "glibc" && chosen.libc === "musl") labels.push("compatible");
    // Larger images with nothing to gain (a glibc base for a static binary) are noise.
    if (labels.length === 0) continue;
    const tradeoffs = [image.note];
    // The note of a latest-only image already says so.
    const saysLatest = image.lines === "latest-only" && image.note.includes(":latest");
    if (fitResult.alternativeOnly && !saysLatest) tradeoffs.push(fitResult.alternativeOnly);
    if (image.libc === "musl" && !f.muslProblem)
      tradeoffs.push("musl: verify native code after every dependency change");
    if (image.sizeMB > chosen.sizeMB) tradeoffs.push(`~${image.sizeMB - chosen.sizeMB} MB larger`);
    result.push({
      id: image.id,
      image: imageReference(image, f.line),
      labels,
      sizeMB: image.sizeMB,
      tradeoff: tradeoffs.join("; "),
    });
  }
  const weight = (a: Omit<Alternative, "rank">) =>
    (a.labels.includes("smaller")
      ? 0
      : a.labels.includes("hardened")
        ? 1
        : a.labels.includes("enterprise")
          ? 2
          : a.labels.includes("debuggable")
            ? 3
            : 4) *
      10_000 +
    a.sizeMB;
  return result.sort((a, b) => weight(a) - weight(b)).map((a, index) => ({ rank: index + 1, ...a }));
}
