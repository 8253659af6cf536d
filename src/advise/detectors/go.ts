/**
 * Go detection: go.mod `go` (a minimum since Go 1.21) and `toolchain` lines, .go-version, the
 * main package (root or cmd/<name>), cgo use (`import "C"`, cgo-only modules), vendoring and
 * the listening port. Sources: https://go.dev/ref/mod#go-mod-file and
 * shared/reference/base-images-and-generators.md §2, §3 (Go).
 */
import { lineOf, type ProjectFiles } from "../project-files.ts";
import { resolveRuntime, type VersionRequest } from "../runtime.ts";
import type { Detection, Evidence, GoApp, NativeFinding } from "../types.ts";
import {
  type DetectContext,
  findPortInSource,
  firstLine,
  portFromEnvFiles,
  toolVersionRequests,
} from "./common.ts";

/** Modules that only build with cgo. */
const CGO_MODULES = [
  "github.com/mattn/go-sqlite3",
  "github.com/confluentinc/confluent-kafka-go",
  "gopkg.in/gographics/imagick",
  "github.com/h2non/bimg",
  "github.com/davidbyttow/govips",
  "github.com/tecbot/gorocksdb",
];

const FRAMEWORKS: [module: string, name: string][] = [
  ["github.com/gin-gonic/gin", "Gin"],
  ["github.com/labstack/echo", "Echo"],
  ["github.com/gofiber/fiber", "Fiber"],
  ["github.com/go-chi/chi", "chi"],
  ["github.com/gorilla/mux", "gorilla/mux"],
];

const PORT_PATTERNS = [
  /["'`]:(\d{2,5})["'`]/,
  /PORT["'`]?\s*,\s*["'`](\d{2,5})/,
  /["'`]0\.0\.0\.0:(\d{2,5})["'`]/,
  /\b(?:port|addr)\s*:?=\s*["'`]:?(\d{2,5})["'`]/i,
];

export function detectGo(ctx: DetectContext): Detection | null {
  const { files } = ctx;
  const goMod = files.read("go.mod");
  const markers: Evidence[] = [];
  if (goMod !== null) markers.push({ file: "go.mod" });
  if (files.isFile("go.work")) markers.push({ file: "go.work" });
  if (markers.length === 0) {
    if (!files.isFile("main.go")) return null;
    markers.push({ file: "main.go" });
  }
  const notes: string[] = [];
  if (goMod === null)
    notes.push(
      "no go.mod: the build runs `go mod init` style builds poorly; add go.mod (`go mod init <module>`)",
    );
  const mod = goMod ?? "";
  const module = /^module\s+(\S+)/m.exec(mod)?.[1];
  const runtime = resolveRuntime("go", versionRequests(files, mod), { date: ctx.date });

  const mains = mainPackages(files);
  let mainPackage = mains[0] ?? ".";
  if (mains.length > 1) {
    const byModuleName = mains.find((m) => module && m.endsWith(`/${module.split("/").pop()}`));
    mainPackage = mains.includes(".") ? "." : (byModuleName ?? mains[0]!);
    notes.push(
      `several main packages (${mains.join(", ")}); building ${mainPackage} (change the package in the Dockerfile's go build for another)`,
    );
  }
  if (mains.length === 0)
    notes.push("no `package main` found at the root or in cmd/*: building the root package");
  const binary = mainPackage === "." ? (module?.split("/").pop() ?? "app") : mainPackage.split("/").pop()!;

  const native = cgoFindings(files, mod);
  const app: GoApp = {
    kind: "go",
    ...(module ? { module } : {}),
    mainPackage: mainPackage === "." ? "." : `./${mainPackage}`,
    otherMains: mains.filter((m) => m !== mainPackage).map((m) => (m === "." ? "." : `./${m}`)),
    binary: sanitizeBinary(binary),
    cgo: native.length > 0,
    vendored: files.isFile("vendor/modules.txt"),
    hasGoSum: files.isFile("go.sum"),
  };
  if (!app.hasGoSum && /^require\b/m.test(mod))
    notes.push(
      "go.mod has requirements but no go.sum: `go mod download` will fail verification; commit go.sum",
    );

  const framework = FRAMEWORKS.find(([m]) => mod.includes(m));
  const mainDir = mainPackage === "." ? "." : mainPackage;
  let port: { value: number; source: Evidence } | undefined;
  for (const file of files.filesMatching(/\.go$/, mainDir).filter((f) => !f.endsWith("_test.go"))) {
    port = findPortInSource(files.read(file) ?? "", file, PORT_PATTERNS);
    if (port) break;
  }
  port ??= portFromEnvFiles(files);
  if (!port && framework?.[1] === "Gin")
    port = { value: 8080, source: { file: "go.mod", detail: "Gin's default :8080" } };

  return {
    stack: "go",
    language: "Go",
    markers,
    runtime,
    packageManager: {
      name: "go",
      source: { file: goMod !== null ? "go.mod" : "main.go" },
      ...(app.hasGoSum ? { lockfile: "go.sum" } : {}),
    },
    ...(framework
      ? {
          framework: {
            name: framework[1],
            source: { file: "go.mod", line: lineOf(mod, framework[0]), detail: framework[0] },
          },
        }
      : {}),
    start: {
      argv: [`/usr/local/bin/${app.binary}`],
      source: {
        file: mainDir === "." ? "go.mod" : `${mainDir}/main.go`,
        detail: `main package ${app.mainPackage}`,
      },
    },
    ...(port ? { port } : {}),
    native,
    dependencies: [...mod.matchAll(/^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]+\/\S+)\s+v/gm)].map((m) => m[1]!),
    app,
    backendScore: mains.length > 0 ? 2 : 1,
    notes,
  };
}

function versionRequests(files: ProjectFiles, mod: string): VersionRequest[] {
  const requests: VersionRequest[] = [];
  const toolchain = /^toolchain\s+go(\d+\.\d+(?:\.\d+)?)/m.exec(mod);
  if (toolchain) {
    requests.push({
      requested: toolchain[1]!,
      kind: "pin",
      source: { file: "go.mod", line: lineOf(mod, toolchain[0]), detail: toolchain[0] },
    });
  }
  const goVersion = files.read(".go-version");
  const first = goVersion ? firstLine(goVersion) : null;
  if (first)
    requests.push({
      requested: first.value.replace(/^go/, ""),
      kind: "pin",
      source: { file: ".go-version", line: first.line },
    });
  requests.push(...toolVersionRequests(files, ["golang", "go"]));
  const go = /^go\s+(\d+\.\d+(?:\.\d+)?)/m.exec(mod);
  if (go) {
    // Since Go 1.21 the go line is the minimum toolchain; any newer Go builds the module.
    requests.push({
      requested: go[1]!,
      kind: "minimum",
      source: { file: "go.mod", line: lineOf(mod, go[0]), detail: go[0] },
    });
  }
  return requests;
}

/** Folders holding `package main`: "." and cmd/<name> (one level). */
function mainPackages(files: ProjectFiles): string[] {
  const result: string[] = [];
  const isMain = (dir: string) =>
    files
      .filesMatching(/\.go$/, dir)
      .filter((f) => !f.endsWith("_test.go"))
      .some((f) => /^package\s+main\b/m.test(files.read(f) ?? ""));
  if (isMain(".")) result.push(".");
  for (const name of files.list("cmd")) {
    if (files.isDir(`cmd/${name}`) && isMain(`cmd/${name}`)) result.push(`cmd/${name}`);
  }
  return result;
}

function cgoFindings(files: ProjectFiles, mod: string): NativeFinding[] {
  const findings: NativeFinding[] = [];
  for (const module of CGO_MODULES) {
    if (!mod.includes(module)) continue;
    findings.push({
      package: module,
      kind: "cgo",
      source: { file: "go.mod", line: lineOf(mod, module), detail: module },
      needsCompiler: true,
      note: `${module} needs cgo: the binary links glibc dynamically`,
    });
  }
  for (const file of files.walk(/\.go$/, { depth: 4, limit: 500 })) {
    if (file.endsWith("_test.go")) continue;
    const text = files.read(file) ?? "";
    const line = lineOf(text, /^import\s+"C"|^\s+"C"$/m);
    if (line) {
      findings.push({
        package: "(this project)",
        kind: "cgo",
        source: { file, line, detail: 'import "C"' },
        needsCompiler: true,
        note: `${file} uses cgo (import "C")`,
      });
      break;
    }
  }
  return findings;
}

function sanitizeBinary(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[.-]+/, "") || "app";
}
