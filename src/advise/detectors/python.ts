/**
 * Python detection: markers, package manager (pip, uv, Poetry, PDM, Pipenv), interpreter
 * version and its source, framework and start command (Django, Flask, FastAPI), port and
 * native code (lockfile wheel tags, sdist-only packages, ext_modules, native build backends).
 * Signals and version sources: shared/reference/base-images-and-generators.md §2, §3, §4.1.
 */
import {
  findKnown,
  PYTHON_NATIVE,
  PYTHON_NATIVE_BACKENDS,
  PYTHON_NATIVE_BUILD_REQUIRES,
} from "../data/native-packages.ts";
import { lineOf } from "../project-files.ts";
import { resolveRuntime, type VersionRequest } from "../runtime.ts";
import { isTable, type TomlTable, tomlArray, tomlString, tomlTable } from "../toml.ts";
import type {
  Detection,
  Evidence,
  NativeFinding,
  PackageManager,
  PythonApp,
  StartCommand,
} from "../types.ts";
import {
  type DetectContext,
  evidence,
  findPortInSource,
  firstLine,
  portFromEnvFiles,
  procfileWeb,
  toolVersionRequests,
  unique,
} from "./common.ts";
import {
  hasLinuxOrAnyWheel,
  isPlatformWheel,
  type LinuxArch,
  type LockFile,
  normalizeName,
  platformFits,
  pythonCompatible,
  readPdmLock,
  readPoetryLock,
  readUvLock,
  wheelTags,
} from "./python-locks.ts";

const ENTRY_FILES = ["main.py", "app.py", "server.py", "run.py", "wsgi.py", "asgi.py", "bot.py"];
const SERVERS = ["gunicorn", "uvicorn", "hypercorn", "granian", "waitress", "daphne"];

/** Port patterns in Python code: `port=8000`, `getenv("PORT", "8000")`, `(("", 8000))`. */
const PORT_PATTERNS = [
  /PORT["']?\s*,\s*["']?(\d{2,5})/,
  /\bport\s*=\s*(\d{2,5})/,
  /\(\s*["'][^"'\n]*["']\s*,\s*(\d{2,5})\s*\)/,
  /0\.0\.0\.0:(\d{2,5})/,
  /--port[= ](\d{2,5})/,
];

export function detectPython(ctx: DetectContext): Detection | null {
  const { files } = ctx;
  const pyproject = files.toml("pyproject.toml");
  const requirements = files.filesMatching(/^requirements.*\.txt$/);
  const markers: Evidence[] = [];
  const projectTable = tomlTable(pyproject ?? undefined, "project");
  const poetryTable = tomlTable(pyproject ?? undefined, "tool", "poetry");
  const buildSystem = tomlTable(pyproject ?? undefined, "build-system");
  // A pyproject.toml that only configures tools (black, ruff) does not make a Python app.
  const pyprojectIsProject = Boolean(projectTable || poetryTable || buildSystem);
  if (pyproject && pyprojectIsProject) markers.push({ file: "pyproject.toml" });
  for (const file of requirements) markers.push({ file });
  for (const file of [
    "Pipfile",
    "setup.py",
    "setup.cfg",
    "uv.lock",
    "poetry.lock",
    "pdm.lock",
    "Pipfile.lock",
    "manage.py",
  ]) {
    if (files.isFile(file)) markers.push({ file });
  }
  const entryFiles = ENTRY_FILES.filter((f) => files.isFile(f));
  if (markers.length === 0) {
    if (entryFiles.length === 0) return null;
    markers.push({ file: entryFiles[0]!, detail: "Python entry file" });
  }
  const notes: string[] = [];

  const manager = packageManager(ctx, { pyproject, requirements, poetry: Boolean(poetryTable), notes });
  const locks = [readUvLock(files), readPoetryLock(files), readPdmLock(files)].filter(
    (l): l is LockFile => l !== null,
  );
  const lock = locks.find((l) => l.file === manager.lockfile);

  const runtime = resolveRuntime("python", versionRequests(ctx, pyproject, lock), { date: ctx.date });
  if (files.read(".python-version")?.trim().startsWith("pypy")) {
    notes.push(".python-version names PyPy; the advice and Dockerfile use CPython");
  }

  const direct = directDependencies(ctx, { pyproject, requirements });
  const dependencyNames = unique(direct.map((d) => d.name));
  const installsProject =
    requirements.length === 0 &&
    !["poetry", "uv", "pdm", "pipenv"].includes(manager.name) &&
    (files.isFile("setup.py") || Boolean(buildSystem && (projectTable || poetryTable)));

  const native = nativeFindings(ctx, { lock, direct, runtimeLine: runtime.line, pyproject, installsProject });

  const app: PythonApp = {
    kind: "python",
    requirements: requirements.filter((f) => f === "requirements.txt" || requirements.length === 1),
    requirementFiles: [],
    installsProject,
    buildFiles: buildFiles(pyproject),
    servers: SERVERS.filter(
      (s) =>
        dependencyNames.includes(s) ||
        (s === "uvicorn" && dependencyNames.includes("fastapi") && hasExtra(direct, "fastapi", "standard")),
    ),
  };
  if (app.requirements.length === 0 && requirements.length > 0) {
    // Several files and no plain requirements.txt: prefer a production-looking one.
    const production = requirements.find((f) => /prod|base|main/.test(f)) ?? requirements[0]!;
    app.requirements = [production];
    notes.push(`several requirements files; installing ${production} (${requirements.join(", ")})`);
  }

  const included = new Set<string>();
  for (const file of app.requirements) readRequirements(ctx, file, included);
  app.requirementFiles = [...included];

  const framework = detectFramework(ctx, dependencyNames);
  const { start, port } = startCommand(ctx, { framework, app, pyproject, entryFiles, notes });
  if (framework?.target) app.appTarget = framework.target;

  if (manager.name === "pip" && requirements.length === 0 && !installsProject && pyproject) {
    notes.push(
      "pyproject.toml has no [build-system]: nothing to install; add requirements.txt or a lockfile",
    );
  }
  const backendScore =
    framework || start?.source.file === "Procfile" ? 2 : start ? 1 : dependencyNames.length > 0 ? 1 : 0;
  return {
    stack: "python",
    language: "Python",
    markers,
    runtime,
    packageManager: manager,
    ...(framework ? { framework: { name: framework.name, source: framework.source } } : {}),
    ...(start ? { start } : {}),
    ...(port ? { port } : {}),
    native,
    dependencies: dependencyNames,
    app,
    backendScore,
    notes,
  };
}

function packageManager(
  ctx: DetectContext,
  input: { pyproject: TomlTable | null; requirements: string[]; poetry: boolean; notes: string[] },
): PackageManager {
  const { files } = ctx;
  if (files.isFile("uv.lock")) return { name: "uv", lockfile: "uv.lock", source: { file: "uv.lock" } };
  if (files.isFile("poetry.lock"))
    return { name: "poetry", lockfile: "poetry.lock", source: { file: "poetry.lock" } };
  if (files.isFile("pdm.lock")) return { name: "pdm", lockfile: "pdm.lock", source: { file: "pdm.lock" } };
  if (files.isFile("Pipfile.lock"))
    return { name: "pipenv", lockfile: "Pipfile.lock", source: { file: "Pipfile.lock" } };
  if (input.requirements.length > 0) {
    return {
      name: "pip",
      source: {
        file: input.requirements.includes("requirements.txt") ? "requirements.txt" : input.requirements[0]!,
      },
    };
  }
  if (files.isFile("Pipfile")) {
    input.notes.push("Pipfile without Pipfile.lock: dependency versions are not locked (run `pipenv lock`)");
    return { name: "pipenv", source: { file: "Pipfile" } };
  }
  if (input.poetry && input.pyproject) {
    input.notes.push(
      "Poetry project without poetry.lock: dependency versions are not locked (run `poetry lock`)",
    );
    return {
      name: "poetry",
      source: evidence(files, "pyproject.toml", /^\[tool\.poetry\]/m, "[tool.poetry]"),
    };
  }
  if (tomlTable(input.pyproject ?? undefined, "tool", "pdm")) {
    input.notes.push("PDM project without pdm.lock: dependency versions are not locked (run `pdm lock`)");
    return { name: "pdm", source: evidence(files, "pyproject.toml", /^\[tool\.pdm/m, "[tool.pdm]") };
  }
  if (input.pyproject) {
    if (tomlTable(input.pyproject, "tool", "uv")) {
      input.notes.push(
        "uv project without uv.lock: installing with pip from pyproject.toml (run `uv lock` to lock versions)",
      );
    } else if (tomlArray(input.pyproject, "project", "dependencies").length > 0) {
      input.notes.push(
        "no lockfile: dependency versions are not locked, and they install together with the project",
      );
    }
    return { name: "pip", source: { file: "pyproject.toml" } };
  }
  if (files.isFile("setup.py")) return { name: "pip", source: { file: "setup.py" } };
  input.notes.push(
    "no requirements.txt, pyproject.toml or lockfile: the app can only use the standard library",
  );
  return { name: "pip", source: { file: "(none)" } };
}

/** Version sources in priority order (§3): version-manager files, then manifests, then locks. */
function versionRequests(
  ctx: DetectContext,
  pyproject: TomlTable | null,
  lock: LockFile | undefined,
): VersionRequest[] {
  const { files } = ctx;
  const requests: VersionRequest[] = [];
  const pyenv = files.read(".python-version");
  if (pyenv) {
    const first = firstLine(pyenv);
    if (first) {
      // pyenv writes "3.12.4" or "pypy3.10"; uv also accepts specifiers such as ">=3.11".
      const value = first.value.replace(/^pypy/, "");
      requests.push({
        requested: value,
        kind: /[<>=~!]/.test(value) ? "range" : "pin",
        dialect: "pep440",
        source: { file: ".python-version", line: first.line },
      });
    }
  }
  requests.push(...toolVersionRequests(files, ["python"]));
  const runtimeTxt = files.read("runtime.txt");
  if (runtimeTxt) {
    const first = firstLine(runtimeTxt);
    if (first && /python-?\d/.test(first.value)) {
      requests.push({
        requested: first.value.replace(/^python-?/, ""),
        kind: "pin",
        source: { file: "runtime.txt", line: first.line },
      });
    }
  }
  const pipfile = files.toml("Pipfile");
  const pipRequires = tomlTable(pipfile ?? undefined, "requires");
  for (const key of ["python_full_version", "python_version"]) {
    const value = pipRequires?.[key];
    if (typeof value === "string") {
      requests.push({
        requested: value,
        kind: "pin",
        source: evidence(files, "Pipfile", new RegExp(`^${key}`, "m"), `[requires] ${key}`),
      });
      break;
    }
  }
  const requiresPython = tomlString(pyproject ?? undefined, "project", "requires-python");
  if (requiresPython) {
    requests.push({
      requested: requiresPython,
      kind: "range",
      dialect: "pep440",
      source: evidence(files, "pyproject.toml", /^requires-python/m, "requires-python"),
    });
  }
  const poetryPython = tomlString(pyproject ?? undefined, "tool", "poetry", "dependencies", "python");
  if (poetryPython) {
    requests.push({
      requested: poetryPython,
      kind: "range",
      dialect: "poetry",
      source: evidence(files, "pyproject.toml", /^python\s*=/m, "[tool.poetry.dependencies] python"),
    });
  }
  if (lock?.requiresPython && !requiresPython) {
    requests.push({
      requested: lock.requiresPython,
      kind: "range",
      dialect: lock.file === "poetry.lock" ? "poetry" : "pep440",
      source: evidence(
        files,
        lock.file,
        /requires-python|python-versions|requires_python/,
        "requires-python",
      ),
    });
  }
  return requests;
}

interface Requirement {
  name: string;
  extras: string[];
  /** Exact pin (==) when given. */
  version?: string;
  source: Evidence;
}

/** PEP 508 requirement → name, extras, exact version. */
export function parseRequirement(text: string, source: Evidence): Requirement | null {
  const match = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(?:==\s*([0-9][^\s,;]*))?/.exec(text);
  if (!match) return null;
  return {
    name: normalizeName(match[1]!),
    extras: (match[2] ?? "")
      .split(",")
      .map((e) => e.trim())
      .filter(Boolean),
    ...(match[3] ? { version: match[3] } : {}),
    source,
  };
}

/** requirements.txt lines, following `-r other.txt` includes (once each; `seen` collects the files). */
function readRequirements(ctx: DetectContext, file: string, seen = new Set<string>()): Requirement[] {
  if (seen.has(file) || !ctx.files.isFile(file)) return [];
  seen.add(file);
  const text = ctx.files.read(file);
  if (!text) return [];
  const result: Requirement[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) return;
    const include = /^(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/.exec(line);
    if (include) {
      // Includes are relative to the including file.
      const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/") + 1) : "";
      result.push(...readRequirements(ctx, `${dir}${include[1]!}`, seen));
      return;
    }
    if (line.startsWith("-") || line.includes("://") || line.startsWith(".")) return;
    const parsed = parseRequirement(line, { file, line: index + 1, detail: line });
    if (parsed) result.push(parsed);
  });
  return result;
}

function directDependencies(
  ctx: DetectContext,
  input: { pyproject: TomlTable | null; requirements: string[] },
): Requirement[] {
  const { files } = ctx;
  const result: Requirement[] = [];
  for (const file of input.requirements) result.push(...readRequirements(ctx, file));
  const pyText = files.read("pyproject.toml") ?? "";
  for (const dep of tomlArray(input.pyproject ?? undefined, "project", "dependencies")) {
    if (typeof dep !== "string") continue;
    const parsed = parseRequirement(dep, { file: "pyproject.toml", line: lineOf(pyText, dep), detail: dep });
    if (parsed) result.push(parsed);
  }
  const poetryDeps = tomlTable(input.pyproject ?? undefined, "tool", "poetry", "dependencies");
  for (const [name, spec] of Object.entries(poetryDeps ?? {})) {
    if (name === "python") continue;
    const extras = isTable(spec) && Array.isArray(spec.extras) ? spec.extras.map(String) : [];
    result.push({
      name: normalizeName(name),
      extras,
      source: {
        file: "pyproject.toml",
        line: lineOf(pyText, new RegExp(`^${name}\\s*=`, "m")),
        detail: name,
      },
    });
  }
  const pipfile = files.toml("Pipfile");
  const pipText = files.read("Pipfile") ?? "";
  for (const name of Object.keys(tomlTable(pipfile ?? undefined, "packages") ?? {})) {
    result.push({
      name: normalizeName(name),
      extras: [],
      source: { file: "Pipfile", line: lineOf(pipText, new RegExp(`^"?${name}"?\\s*=`, "m")), detail: name },
    });
  }
  return result;
}

function hasExtra(direct: Requirement[], name: string, extra: string): boolean {
  return direct.some((d) => d.name === name && d.extras.includes(extra));
}

function buildFiles(pyproject: TomlTable | null): string[] {
  const result: string[] = [];
  const readme = pyproject?.project && isTable(pyproject.project) ? pyproject.project.readme : undefined;
  if (typeof readme === "string") result.push(readme);
  else if (isTable(readme) && typeof readme.file === "string") result.push(readme.file);
  const poetryReadme = tomlString(pyproject ?? undefined, "tool", "poetry", "readme");
  if (poetryReadme) result.push(poetryReadme);
  const license = pyproject?.project && isTable(pyproject.project) ? pyproject.project.license : undefined;
  if (isTable(license) && typeof license.file === "string") result.push(license.file);
  return unique(result);
}

/** Native code in the locked or declared dependencies and in the project itself (§4.1). */
function nativeFindings(
  ctx: DetectContext,
  input: {
    lock: LockFile | undefined;
    direct: Requirement[];
    runtimeLine: string;
    pyproject: TomlTable | null;
    installsProject: boolean;
  },
): NativeFinding[] {
  const findings: NativeFinding[] = [];
  const { lock } = input;
  if (lock) {
    for (const pkg of lock.packages) {
      if (pkg.local) continue;
      const tags = pkg.wheels.map(wheelTags).filter((t): t is NonNullable<typeof t> => t !== null);
      const source: Evidence = {
        file: lock.file,
        ...(pkg.line ? { line: pkg.line } : {}),
        detail: `${pkg.name} ${pkg.version ?? ""}`.trim(),
      };
      const known = findKnown(PYTHON_NATIVE, pkg.name);
      if (tags.length === 0) {
        if (!pkg.hasSdist) continue;
        findings.push({
          package: pkg.name,
          kind: "sdist-only",
          source,
          needsCompiler: true,
          ...(known?.buildPackages ? { buildPackages: known.buildPackages } : {}),
          ...(known?.runtimePackages ? { runtimePackages: known.runtimePackages } : {}),
          note: `${pkg.name} has no wheel in ${lock.file}: it is built from source at install time${known ? ` (${known.note})` : ""}`,
        });
        continue;
      }
      if (!hasLinuxOrAnyWheel(tags)) {
        if (pkg.hasSdist) {
          findings.push({
            package: pkg.name,
            kind: "sdist-only",
            source,
            needsCompiler: true,
            ...(known?.buildPackages ? { buildPackages: known.buildPackages } : {}),
            ...(known?.runtimePackages ? { runtimePackages: known.runtimePackages } : {}),
            note: `${pkg.name} has wheels only for other systems in ${lock.file}: on Linux it builds from source`,
          });
        }
        continue;
      }
      const usable = tags.filter((t) => pythonCompatible(t, input.runtimeLine));
      const platformSpecific = tags.some(isPlatformWheel);
      const fits = (libc: "glibc" | "musl", arch: LinuxArch) =>
        usable.some((t) => platformFits(t, { libc, arch }));
      const prebuilt = {
        glibc: { amd64: fits("glibc", "amd64"), arm64: fits("glibc", "arm64") },
        musl: { amd64: fits("musl", "amd64"), arm64: fits("musl", "arm64") },
      };
      if (!platformSpecific && prebuilt.glibc.amd64) {
        if (known?.runtimePackages) {
          findings.push({
            package: pkg.name,
            kind: "known-native",
            source,
            needsCompiler: false,
            runtimePackages: known.runtimePackages,
            note: known.note,
          });
        }
        continue;
      }
      const noGlibc = !prebuilt.glibc.amd64 || !prebuilt.glibc.arm64;
      const missing = [!prebuilt.glibc.amd64 ? "x86_64" : "", !prebuilt.glibc.arm64 ? "aarch64" : ""].filter(
        Boolean,
      );
      findings.push({
        package: pkg.name,
        kind: "platform-wheels",
        source,
        prebuilt,
        needsCompiler: !prebuilt.glibc.amd64 && pkg.hasSdist,
        ...(known?.buildPackages ? { buildPackages: known.buildPackages } : {}),
        ...(known?.runtimePackages ? { runtimePackages: known.runtimePackages } : {}),
        note:
          `${pkg.name} ${pkg.version ?? ""} ships compiled wheels in ${lock.file}` +
          (noGlibc ? `; no manylinux wheel for Python ${input.runtimeLine} on ${missing.join(" or ")}` : "") +
          (!prebuilt.musl.amd64 || !prebuilt.musl.arm64
            ? `; no musllinux wheel for ${[!prebuilt.musl.amd64 ? "x86_64" : "", !prebuilt.musl.arm64 ? "aarch64" : ""].filter(Boolean).join(" or ")}`
            : "; musllinux wheels for x86_64 and aarch64"),
      });
    }
  } else {
    const seen = new Set<string>();
    for (const dep of input.direct) {
      if (seen.has(dep.name)) continue;
      seen.add(dep.name);
      const known = findKnown(PYTHON_NATIVE, dep.name);
      if (!known) continue;
      findings.push({
        package: dep.name,
        kind: "known-native",
        source: dep.source,
        ...(known.musl ? { prebuilt: { glibc: { amd64: true, arm64: true }, musl: known.musl } } : {}),
        needsCompiler: !known.prebuilt,
        ...(known.buildPackages ? { buildPackages: known.buildPackages } : {}),
        ...(known.runtimePackages ? { runtimePackages: known.runtimePackages } : {}),
        note: `${dep.name}: ${known.note} (from drydock's list; no lockfile with file names to check)`,
      });
    }
  }
  findings.push(...projectExtensions(ctx, input.pyproject));
  return findings;
}

/** The project builds its own extension: setup.py ext_modules, native build backends, .pyx. */
function projectExtensions(ctx: DetectContext, pyproject: TomlTable | null): NativeFinding[] {
  const { files } = ctx;
  const findings: NativeFinding[] = [];
  const setup = files.read("setup.py");
  const marker = setup
    ? /ext_modules\s*=|\bExtension\(|cythonize\(|cffi_modules\s*=|RustExtension\(/.exec(setup)
    : null;
  if (setup && marker) {
    findings.push({
      package: "(this project)",
      kind: "ext-modules",
      source: evidence(files, "setup.py", marker[0], marker[0].replace(/\($/, "")),
      needsCompiler: true,
      note: "setup.py builds a C/Rust extension: the build stage needs a compiler",
    });
  }
  const requires = tomlArray(pyproject ?? undefined, "build-system", "requires").map(String);
  const backend = tomlString(pyproject ?? undefined, "build-system", "build-backend");
  const nativeRequire = requires.find((r) =>
    PYTHON_NATIVE_BUILD_REQUIRES.includes(normalizeName(r.split(/[<>=!~;[ ]/)[0]!)),
  );
  if (nativeRequire || (backend && PYTHON_NATIVE_BACKENDS.includes(backend))) {
    const what =
      backend && PYTHON_NATIVE_BACKENDS.includes(backend)
        ? `build-backend = "${backend}"`
        : `build-system requires ${nativeRequire}`;
    findings.push({
      package: "(this project)",
      kind: "build-backend",
      source: evidence(
        files,
        "pyproject.toml",
        backend && PYTHON_NATIVE_BACKENDS.includes(backend) ? /^build-backend/m : /^requires\s*=/m,
        what,
      ),
      needsCompiler: true,
      note: `pyproject.toml ${what}: the project compiles an extension`,
    });
  }
  const pyx = files.walk(/\.pyx$/, { depth: 3, limit: 1 });
  if (pyx.length > 0 && findings.length === 0) {
    findings.push({
      package: "(this project)",
      kind: "ext-modules",
      source: { file: pyx[0]! },
      needsCompiler: true,
      note: "Cython sources (.pyx) in the project",
    });
  }
  return findings;
}

interface Framework {
  name: string;
  source: Evidence;
  target?: string;
  port: number;
}

function detectFramework(ctx: DetectContext, deps: string[]): Framework | undefined {
  const { files } = ctx;
  if (deps.includes("django") || files.isFile("manage.py")) {
    const settings = files
      .walk(/^settings\.py$/, { depth: 3 })
      .concat(files.walk(/^(base|production)\.py$/, { depth: 4 }).filter((f) => f.includes("settings")));
    for (const file of settings) {
      const text = files.read(file) ?? "";
      const match = /WSGI_APPLICATION\s*=\s*["']([\w.]+)\.(\w+)["']/.exec(text);
      if (match) {
        return {
          name: "Django",
          source: { file, line: lineOf(text, "WSGI_APPLICATION"), detail: match[0] },
          target: `${match[1]}:${match[2]}`,
          port: 8000,
        };
      }
    }
    if (files.isFile("manage.py")) return { name: "Django", source: { file: "manage.py" }, port: 8000 };
  }
  for (const [name, dep, pattern] of [
    ["FastAPI", "fastapi", /^(\w+)\s*(?::\s*\w+\s*)?=\s*(?:fastapi\.)?FastAPI\(/m],
    ["Flask", "flask", /^(\w+)\s*(?::\s*\w+\s*)?=\s*(?:flask\.)?Flask\(/m],
  ] as const) {
    if (!deps.includes(dep)) continue;
    const candidates = files
      .walk(/\.py$/, { depth: 3, limit: 400 })
      .filter((f) => !/(^|\/)(tests?|migrations)\//.test(f));
    // Entry-looking files first: app.py, main.py, then everything else.
    candidates.sort((a, b) => rank(a) - rank(b));
    for (const file of candidates) {
      const text = files.read(file) ?? "";
      const match = pattern.exec(text);
      if (!match) continue;
      const module = file
        .replace(/\.py$/, "")
        .replace(/^src\//, "")
        .replaceAll("/", ".")
        .replace(/\.__init__$/, "");
      return {
        name,
        source: { file, line: lineOf(text, match[0]), detail: match[0].trim() },
        target: `${module}:${match[1]}`,
        port: name === "Flask" ? 5000 : 8000,
      };
    }
    return { name, source: { file: "(dependencies)", detail: dep }, port: name === "Flask" ? 5000 : 8000 };
  }
  return undefined;
}

function rank(file: string): number {
  const base = file.split("/").pop()!;
  const depth = file.split("/").length;
  const entry = ENTRY_FILES.indexOf(base);
  return (entry === -1 ? 10 : entry) + depth * 20;
}

function startCommand(
  ctx: DetectContext,
  input: {
    framework: Framework | undefined;
    app: PythonApp;
    pyproject: TomlTable | null;
    entryFiles: string[];
    notes: string[];
  },
): { start?: StartCommand; port?: { value: number; source: Evidence } } {
  const { files } = ctx;
  const { framework, app } = input;
  const portFromCode = () => {
    for (const file of [
      ...input.entryFiles,
      ...(framework?.source.file.endsWith(".py") ? [framework.source.file] : []),
    ]) {
      const found = findPortInSource(files.read(file) ?? "", file, PORT_PATTERNS);
      if (found) return found;
    }
    return portFromEnvFiles(files);
  };
  const defaultPort = framework?.port ?? 8000;
  const codePort = portFromCode();
  const procfile = procfileWeb(files, codePort?.value ?? (app.servers.length > 0 ? 8000 : defaultPort));
  if (procfile) {
    const bind = procfile.argv.join(" ").match(/(?:0\.0\.0\.0:|--port[= ]|-p\s?|:)(\d{2,5})\b/);
    const port = bind ? { value: Number(bind[1]), source: procfile.source } : codePort;
    return {
      start: {
        argv: procfile.argv,
        source: procfile.source,
        ...(procfile.portVariable
          ? { note: "$PORT in Procfile replaced by the port: exec form does not expand variables" }
          : {}),
      },
      ...(port ? { port } : {}),
    };
  }
  if (framework?.name === "Django") {
    const port = { value: 8000, source: framework.source };
    if (framework.target && app.servers.includes("gunicorn")) {
      return {
        start: { argv: ["gunicorn", framework.target, "--bind", "0.0.0.0:8000"], source: framework.source },
        port,
      };
    }
    if (framework.target && app.servers.includes("uvicorn")) {
      const asgi = framework.target.replace(/\.wsgi:/, ".asgi:");
      return {
        start: { argv: ["uvicorn", asgi, "--host", "0.0.0.0", "--port", "8000"], source: framework.source },
        port,
      };
    }
    input.notes.push(
      "Django without gunicorn or uvicorn: the start command is runserver, Django's development server; add gunicorn",
    );
    return {
      start: { argv: ["python", "manage.py", "runserver", "0.0.0.0:8000"], source: { file: "manage.py" } },
      port,
    };
  }
  if (framework?.target && (framework.name === "FastAPI" || framework.name === "Flask")) {
    const asgi = framework.name === "FastAPI";
    const server = asgi
      ? app.servers.find((s) => ["uvicorn", "hypercorn", "granian"].includes(s))
      : app.servers.find((s) => ["gunicorn", "waitress"].includes(s));
    if (server === "gunicorn" || (!asgi && !server && app.servers.includes("gunicorn"))) {
      return {
        start: { argv: ["gunicorn", framework.target, "--bind", "0.0.0.0:8000"], source: framework.source },
        port: { value: 8000, source: framework.source },
      };
    }
    if (asgi) {
      if (!server)
        input.notes.push(
          "FastAPI without uvicorn in the dependencies: add uvicorn (or fastapi[standard]) for the start command to work",
        );
      return {
        start: {
          argv: ["uvicorn", framework.target, "--host", "0.0.0.0", "--port", "8000"],
          source: framework.source,
        },
        port: { value: 8000, source: framework.source },
      };
    }
    input.notes.push("Flask without gunicorn: the start command is Flask's development server; add gunicorn");
    const module = framework.target.split(":")[0]!;
    return {
      start: {
        argv: ["python", "-m", "flask", "--app", module, "run", "--host", "0.0.0.0", "--port", "5000"],
        source: framework.source,
      },
      port: { value: 5000, source: framework.source },
    };
  }
  const scripts =
    tomlTable(input.pyproject ?? undefined, "project", "scripts") ??
    tomlTable(input.pyproject ?? undefined, "tool", "poetry", "scripts");
  const script = scripts ? Object.keys(scripts)[0] : undefined;
  if (script && app.installsProject) {
    return {
      start: {
        argv: [script],
        source: evidence(files, "pyproject.toml", new RegExp(`^"?${script}"?\\s*=`, "m"), `script ${script}`),
      },
      ...(codePort ? { port: codePort } : {}),
    };
  }
  const entry = input.entryFiles[0];
  if (entry) {
    if (input.entryFiles.length > 1)
      input.notes.push(`several entry files (${input.entryFiles.join(", ")}); starting ${entry}`);
    return {
      start: { argv: ["python", entry], source: { file: entry } },
      ...(codePort ? { port: codePort } : {}),
    };
  }
  if (script) {
    return {
      start: {
        argv: ["python", "-m", script.replaceAll("-", "_")],
        source: { file: "pyproject.toml", detail: `script ${script}` },
      },
    };
  }
  return codePort ? { port: codePort } : {};
}
