/**
 * Platform specifiers (`linux/arm64`, `linux/arm/v7`, `arm64`) as containerd/platforms reads
 * them, for BuildKit's InvalidBaseImagePlatform check (DD106).
 */
export interface Platform {
  os?: string;
  arch?: string;
  variant?: string;
}

const KNOWN_OS = new Set([
  "aix",
  "android",
  "darwin",
  "dragonfly",
  "freebsd",
  "illumos",
  "ios",
  "js",
  "linux",
  "netbsd",
  "openbsd",
  "plan9",
  "solaris",
  "wasip1",
  "windows",
]);

/** containerd's architecture aliases (containerd/platforms normalizeArch). */
const ARCH_ALIASES: Record<string, string> = {
  i386: "386",
  x86_64: "amd64",
  "x86-64": "amd64",
  aarch64: "arm64",
  armhf: "arm",
  armel: "arm",
};
const KNOWN_ARCH = new Set([
  "386",
  "amd64",
  "arm",
  "arm64",
  "loong64",
  "mips",
  "mips64",
  "mips64le",
  "mipsle",
  "ppc64",
  "ppc64le",
  "riscv64",
  "s390x",
  "wasm",
]);

/**
 * Parses a platform specifier (`linux`, `linux/arm64`, `linux/arm/v7`, `arm64`) the way
 * containerd/platforms does, keeping only what it states; null when it does not parse.
 */
export function parsePlatform(text: string): Platform | null {
  const parts = text.toLowerCase().split("/");
  if (parts.some((p) => !/^[a-z0-9_.-]+$/.test(p)) || parts.length > 3) return null;
  const os = parts[0] === "macos" ? "darwin" : parts[0]!;
  if (parts.length === 1) {
    if (KNOWN_OS.has(os)) return { os };
    const arch = ARCH_ALIASES[os] ?? os;
    return KNOWN_ARCH.has(arch) ? { arch } : null;
  }
  const arch = ARCH_ALIASES[parts[1]!] ?? parts[1]!;
  return { os, arch, variant: parts[2] };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.arch, p.variant].filter((x) => x !== undefined).join("/");
}

/** True when two platforms disagree on an OS or architecture both of them state. */
export function platformsConflict(a: Platform, b: Platform): boolean {
  if (a.os && b.os && a.os !== b.os) return true;
  return !!(a.arch && b.arch && a.arch !== b.arch);
}
