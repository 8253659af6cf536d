/**
 * Python lockfiles that list distribution files (uv.lock, poetry.lock, pdm.lock), read for
 * native code: a wheel's platform tag says which libc and architecture it was built for
 * (PEP 425 tags, PEP 600 manylinux, PEP 656 musllinux; https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/).
 * A package with only an sdist is built at install time, which needs a compiler when it has
 * C code (shared/reference/base-images-and-generators.md §4.1).
 */
import type { ProjectFiles } from "../project-files.ts";
import { lineOf } from "../project-files.ts";
import { isTable, type TomlTable, type TomlValue, tomlArray } from "../toml.ts";

export interface LockedPackage {
  name: string;
  version?: string;
  /** File names of wheels (basename of url or `file`). */
  wheels: string[];
  hasSdist: boolean;
  /** Local/editable/virtual sources (the project itself, path dependencies). */
  local: boolean;
  line?: number;
}

export interface LockFile {
  file: string;
  packages: LockedPackage[];
  requiresPython?: string;
}

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

function fileName(entry: TomlValue): string | undefined {
  if (!isTable(entry)) return undefined;
  const value = entry.file ?? entry.url ?? entry.filename;
  if (typeof value !== "string") return undefined;
  return value.split("/").pop()?.split("#")[0];
}

function packagesOf(table: TomlTable | null): TomlTable[] {
  return tomlArray(table ?? undefined, "package").filter(isTable);
}

function lineFor(text: string, name: string): number | undefined {
  return lineOf(text, new RegExp(`^name = "${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`, "m"));
}

export function readUvLock(files: ProjectFiles): LockFile | null {
  const table = files.toml("uv.lock");
  if (!table) return null;
  const text = files.read("uv.lock") ?? "";
  const packages = packagesOf(table).map((pkg): LockedPackage => {
    const name = String(pkg.name ?? "");
    const source = isTable(pkg.source) ? pkg.source : {};
    const local = "editable" in source || "virtual" in source || "directory" in source || "path" in source;
    return {
      name: normalizeName(name),
      version: typeof pkg.version === "string" ? pkg.version : undefined,
      wheels: tomlArray(pkg, "wheels")
        .map(fileName)
        .filter((f): f is string => Boolean(f)),
      hasSdist: isTable(pkg.sdist),
      local,
      line: lineFor(text, name),
    };
  });
  const requiresPython = typeof table["requires-python"] === "string" ? table["requires-python"] : undefined;
  return { file: "uv.lock", packages, ...(requiresPython ? { requiresPython } : {}) };
}

/** poetry.lock: `files` per package (Poetry ≥ 1.5) or `[metadata.files]` (older). */
export function readPoetryLock(files: ProjectFiles): LockFile | null {
  const table = files.toml("poetry.lock");
  if (!table) return null;
  const text = files.read("poetry.lock") ?? "";
  const legacy = isTable(table.metadata) && isTable(table.metadata.files) ? table.metadata.files : {};
  const packages = packagesOf(table).map((pkg): LockedPackage => {
    const name = String(pkg.name ?? "");
    const entries = Array.isArray(pkg.files) ? pkg.files : ((legacy[name] as TomlValue[] | undefined) ?? []);
    const names = entries.map(fileName).filter((f): f is string => Boolean(f));
    const source = isTable(pkg.source) ? pkg.source : {};
    return {
      name: normalizeName(name),
      version: typeof pkg.version === "string" ? pkg.version : undefined,
      wheels: names.filter((f) => f.endsWith(".whl")),
      hasSdist: names.some((f) => /\.(tar\.gz|zip|tar\.bz2)$/.test(f)),
      local: source.type === "directory" || source.type === "file" || source.type === "git",
      line: lineFor(text, name),
    };
  });
  const python = isTable(table.metadata) ? table.metadata["python-versions"] : undefined;
  return { file: "poetry.lock", packages, ...(typeof python === "string" ? { requiresPython: python } : {}) };
}

export function readPdmLock(files: ProjectFiles): LockFile | null {
  const table = files.toml("pdm.lock");
  if (!table) return null;
  const text = files.read("pdm.lock") ?? "";
  const packages = packagesOf(table).map((pkg): LockedPackage => {
    const name = String(pkg.name ?? "");
    const names = tomlArray(pkg, "files")
      .map(fileName)
      .filter((f): f is string => Boolean(f));
    return {
      name: normalizeName(name),
      version: typeof pkg.version === "string" ? pkg.version : undefined,
      wheels: names.filter((f) => f.endsWith(".whl")),
      hasSdist: names.some((f) => /\.(tar\.gz|zip|tar\.bz2)$/.test(f)),
      local: typeof pkg.path === "string" || typeof pkg.editable === "boolean",
      line: lineFor(text, name),
    };
  });
  const requires = isTable(table.metadata) ? table.metadata.requires_python : undefined;
  return {
    file: "pdm.lock",
    packages,
    ...(typeof requires === "string" ? { requiresPython: requires } : {}),
  };
}

export interface WheelTags {
  python: string[];
  abi: string[];
  platform: string[];
}

/** `numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl` → tag sets. */
export function wheelTags(file: string): WheelTags | null {
  const parts = file.replace(/\.whl$/, "").split("-");
  if (parts.length < 5) return null;
  const [python, abi, platform] = parts.slice(-3) as [string, string, string];
  return { python: python.split("."), abi: abi.split("."), platform: platform.split(".") };
}

export type LinuxArch = "amd64" | "arm64";
const ARCH_SUFFIX: Record<LinuxArch, string[]> = { amd64: ["x86_64"], arm64: ["aarch64"] };

/** Does a wheel install on CPython `line` ("3.12")? */
export function pythonCompatible(tags: WheelTags, line: string): boolean {
  const cp = `cp${line.replace(".", "")}`;
  const minor = Number(line.split(".")[1] ?? 0);
  return tags.python.some((py) => {
    if (py === cp || py === "py3" || py === "py2.py3" || py === `py${line.replace(".", "")}`) return true;
    if (/^py3\d*$/.test(py)) return true;
    // abi3 wheels for cp3X work on every later CPython 3.
    const abi3 = tags.abi.includes("abi3") && /^cp3(\d+)$/.exec(py);
    return Boolean(abi3 && Number(abi3[1]) <= minor);
  });
}

export type LinuxTarget = { libc: "glibc" | "musl"; arch: LinuxArch };

/** Does the wheel's platform tag fit the target (any, manylinux*, musllinux*)? */
export function platformFits(tags: WheelTags, target: LinuxTarget): boolean {
  return tags.platform.some((platform) => {
    if (platform === "any") return true;
    const suffix = ARCH_SUFFIX[target.arch].some((arch) => platform.endsWith(`_${arch}`));
    if (!suffix) return false;
    if (target.libc === "musl") return platform.startsWith("musllinux_");
    return platform.startsWith("manylinux") || platform.startsWith("linux_");
  });
}

export function isPlatformWheel(tags: WheelTags): boolean {
  return !tags.platform.every((p) => p === "any");
}

/** True when some wheel targets Linux or is platform-independent. */
export function hasLinuxOrAnyWheel(wheels: WheelTags[]): boolean {
  return wheels.some((t) => t.platform.some((p) => p === "any" || /linux/.test(p)));
}
