/**
 * DD006: packages that make up a C/C++ build toolchain, per package manager, and the install /
 * remove commands that add or drop them. Sizes (Debian bookworm, `apt-cache show`, installed):
 * gcc-12 68 MB, g++-12 36 MB, cpp-12 34 MB, libstdc++-12-dev 19 MB, libgcc-12-dev 14 MB,
 * libc6-dev 12 MB, binutils 11 MB: build-essential brings in about 200 MB.
 */
import { APK_VALUE_FLAGS, APT_VALUE_FLAGS, RPM_VALUE_FLAGS, ZYPPER_VALUE_FLAGS } from "./package-managers.ts";

/** Exact package names (lower-case) that are compilers, build tools or meta-packages for them. */
export const TOOLCHAIN_PACKAGES: readonly string[] = [
  "build-essential",
  "build-base",
  "alpine-sdk",
  "gcc",
  "g++",
  "gcc-c++",
  "gfortran",
  "gcc-gfortran",
  "clang",
  "make",
  "cmake",
  "autoconf",
  "automake",
  "libtool",
  "musl-dev",
  "linux-headers",
  "development tools",
  "development-tools",
  "@development-tools",
  "@development",
];

/** Name shapes: versioned compilers (`gcc-12`, `clang-16`) and header packages. */
export const TOOLCHAIN_PATTERNS: readonly RegExp[] = [
  /^(gcc|g\+\+|clang|gfortran)-\d+(\.\d+)*$/,
  /^[a-z0-9][a-z0-9+.-]*-dev$/,
  /^[a-z0-9][a-z0-9+._-]*-devel$/,
];

export interface PackageCommand {
  programs: readonly string[];
  subcommands: readonly (readonly string[])[];
  /** Options whose value is the next word (not a package). */
  valueFlags: readonly string[];
}

export const PACKAGE_INSTALLS: readonly PackageCommand[] = [
  {
    programs: ["apt-get", "apt", "aptitude"],
    subcommands: [["install"]],
    valueFlags: APT_VALUE_FLAGS,
  },
  {
    programs: ["apk"],
    subcommands: [["add"]],
    valueFlags: APK_VALUE_FLAGS,
  },
  {
    programs: ["dnf", "yum", "microdnf", "dnf5", "tdnf"],
    subcommands: [["install"], ["groupinstall"], ["group", "install"]],
    valueFlags: RPM_VALUE_FLAGS,
  },
  {
    programs: ["zypper"],
    subcommands: [["install"], ["in"]],
    valueFlags: ZYPPER_VALUE_FLAGS,
  },
];

export const PACKAGE_REMOVALS: readonly PackageCommand[] = [
  {
    programs: ["apt-get", "apt", "aptitude"],
    subcommands: [["purge"], ["remove"]],
    valueFlags: APT_VALUE_FLAGS,
  },
  { programs: ["apk"], subcommands: [["del"]], valueFlags: APK_VALUE_FLAGS },
  {
    programs: ["dnf", "yum", "microdnf", "dnf5", "tdnf"],
    subcommands: [["remove"], ["erase"], ["autoremove"], ["groupremove"], ["group", "remove"]],
    valueFlags: RPM_VALUE_FLAGS,
  },
  { programs: ["zypper"], subcommands: [["remove"], ["rm"]], valueFlags: ZYPPER_VALUE_FLAGS },
];

/** Package name without version, release or architecture: `gcc=4:12.2.0-3` → `gcc`. */
export function bareName(word: string): string {
  // Already bare: nothing below would change it.
  if (PLAIN_NAME.test(word)) return word;
  const unquoted = word.replace(/^["']|["']$/g, "");
  // The part before the first version separator (`split(...)[0]` without the array).
  const cut = unquoted.search(VERSION_SEPARATOR);
  return (cut === -1 ? unquoted : unquoted.slice(0, cut))
    .replace(/:(amd64|arm64|i386|armhf|all|any|native)$/, "")
    .replace(/\/[^/]+$/, "")
    .toLowerCase();
}

const PLAIN_NAME = /^[a-z0-9.+_-]+$/;
const VERSION_SEPARATOR = /[=<>~@]/;
const TOOLCHAIN_PACKAGE_SET: ReadonlySet<string> = new Set(TOOLCHAIN_PACKAGES);

export function isToolchainPackage(name: string): boolean {
  return TOOLCHAIN_PACKAGE_SET.has(name) || TOOLCHAIN_PATTERNS.some((p) => p.test(name));
}
