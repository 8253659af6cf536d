/**
 * Static facts about base images: whether a name is a valid reference (as BuildKit parses it
 * with distribution/reference ParseNormalizedNamed), and the little we can know about an
 * image's platforms and environment without asking a registry.
 */

// https://github.com/distribution/reference/blob/main/regexp.go
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);

/** True when BuildKit would accept the text as an image reference (or stage name). */
export function isValidImageReference(text: string): boolean {
  if (/^[a-f0-9]{64}$/.test(text)) return false; // a bare image ID is refused
  const match = REFERENCE.exec(text);
  return match !== null && match[1]!.length <= 255;
}

export interface ImageName {
  /** Registry host, `docker.io` for Docker Hub. */
  registry: string;
  /** Repository path; Docker Hub official images keep their short name (`alpine`). */
  repository: string;
  tag: string | null;
}

/** Splits a reference; Hub's `library/` and `docker.io/` prefixes are dropped. */
export function imageName(reference: string): ImageName {
  const at = reference.indexOf("@");
  let rest = at === -1 ? reference : reference.slice(0, at);
  let tag: string | null = null;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf("/");
  const first = slash === -1 ? "" : rest.slice(0, slash);
  const hasRegistry = first.includes(".") || first.includes(":") || first === "localhost";
  let registry = hasRegistry ? first.toLowerCase() : "docker.io";
  let repository = hasRegistry ? rest.slice(slash + 1) : rest;
  if (registry === "index.docker.io" || registry === "registry-1.docker.io") registry = "docker.io";
  if (registry === "docker.io" && repository.startsWith("library/")) repository = repository.slice(8);
  return { registry, repository, tag };
}

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

/**
 * Platforms of well-known images, decided from the name alone. Kept to facts that do not
 * change from tag to tag: the OS family of Windows and Linux images, and the one official
 * image published for a single architecture.
 */
const WINDOWS_TAG = /(?:^|-)(?:windowsservercore|nanoserver|ltsc20\d\d)(?:-|$)/;
const LINUX_TAG =
  /(?:^|-)(?:alpine[0-9.]*|bookworm|bullseye|buster|trixie|jammy|noble|focal|slim|ubi[0-9]*|musl|glibc)(?:-|$)/;
const LINUX_HUB_IMAGES = new Set([
  "alpine",
  "almalinux",
  "amazonlinux",
  "archlinux",
  "busybox",
  "centos",
  "clearlinux",
  "debian",
  "fedora",
  "oraclelinux",
  "photon",
  "rockylinux",
  "ubuntu",
]);
const LINUX_REGISTRY_PREFIXES = [
  "gcr.io/distroless/",
  "cgr.dev/chainguard/",
  "registry.access.redhat.com/",
  "registry.fedoraproject.org/",
  "quay.io/centos/",
];
/**
 * Official images built for amd64 only: library files in docker-library/official-images
 * without an `Architectures:` line are built for amd64 alone (library/archlinux, 2025-04).
 */
const AMD64_ONLY_HUB_IMAGES = new Set(["archlinux"]);

/** What is known of an image's platforms; empty when nothing is. */
export function knownImagePlatform(reference: string): Platform {
  const { registry, repository, tag } = imageName(reference);
  const full = `${registry}/${repository}`;
  if (registry === "mcr.microsoft.com" && /^(?:windows(?:\/|$)|dotnet\/framework\/)/.test(repository)) {
    return { os: "windows" };
  }
  if (tag && WINDOWS_TAG.test(tag)) return { os: "windows" };
  if (registry === "docker.io" && AMD64_ONLY_HUB_IMAGES.has(repository))
    return { os: "linux", arch: "amd64" };
  if (registry === "docker.io" && LINUX_HUB_IMAGES.has(repository)) return { os: "linux" };
  if (LINUX_REGISTRY_PREFIXES.some((prefix) => full.startsWith(prefix))) return { os: "linux" };
  if (tag && LINUX_TAG.test(tag)) return { os: "linux" };
  return {};
}

/**
 * Official images whose configuration sets no variable but PATH, whatever the tag (they are
 * root file systems added FROM scratch): a stage based on them has a fully known environment.
 */
const PATH_ONLY_HUB_IMAGES = new Set(["alpine", "busybox", "debian", "ubuntu"]);

/** The environment variable names an image is known to define, or null when unknown. */
export function knownImageEnv(reference: string): Set<string> | null {
  if (reference === "scratch") return new Set(["PATH"]);
  const { registry, repository } = imageName(reference);
  if (registry === "docker.io" && PATH_ONLY_HUB_IMAGES.has(repository)) return new Set(["PATH"]);
  return null;
}

/**
 * Variables that popular base images set (official language and distribution images). When
 * the base image's environment is unknown, these are never reported as undefined.
 */
export const COMMON_IMAGE_ENV: ReadonlySet<string> = new Set([
  "PATH",
  "HOME",
  "HOSTNAME",
  "LANG",
  "LANGUAGE",
  "LC_ALL",
  "TERM",
  "TZ",
  "container",
  "DEBIAN_FRONTEND",
  "GPG_KEY",
  "PYTHON_VERSION",
  "PYTHON_SHA256",
  "PYTHON_PIP_VERSION",
  "PYTHON_SETUPTOOLS_VERSION",
  "PYTHON_GET_PIP_URL",
  "PYTHON_GET_PIP_SHA256",
  "PYTHONDONTWRITEBYTECODE",
  "PYTHONUNBUFFERED",
  "NODE_VERSION",
  "YARN_VERSION",
  "NODE_ENV",
  "GOLANG_VERSION",
  "GOTOOLCHAIN",
  "GOPATH",
  "GOROOT",
  "JAVA_HOME",
  "JAVA_VERSION",
  "JDK_VERSION",
  "MAVEN_HOME",
  "MAVEN_CONFIG",
  "GRADLE_HOME",
  "GRADLE_VERSION",
  "RUBY_VERSION",
  "RUBY_MAJOR",
  "RUBY_DOWNLOAD_SHA256",
  "RUBY_DOWNLOAD_URL",
  "GEM_HOME",
  "BUNDLE_APP_CONFIG",
  "BUNDLE_SILENCE_ROOT_WARNING",
  "PHP_VERSION",
  "PHP_INI_DIR",
  "PHPIZE_DEPS",
  "PHP_URL",
  "PHP_ASC_URL",
  "PHP_SHA256",
  "PHP_CFLAGS",
  "PHP_CPPFLAGS",
  "PHP_LDFLAGS",
  "GPG_KEYS",
  "RUSTUP_HOME",
  "CARGO_HOME",
  "RUST_VERSION",
  "DOTNET_VERSION",
  "ASPNET_VERSION",
  "ASPNETCORE_HTTP_PORTS",
  "DOTNET_RUNNING_IN_CONTAINER",
  "DOTNET_SDK_VERSION",
  "NUGET_XMLDOC_MODE",
  "NGINX_VERSION",
  "NJS_VERSION",
  "NJS_RELEASE",
  "PKG_RELEASE",
  "DYNPKG_RELEASE",
  "HTTPD_PREFIX",
  "HTTPD_VERSION",
  "HTTPD_SHA256",
  "PG_MAJOR",
  "PG_VERSION",
  "PGDATA",
  "MYSQL_MAJOR",
  "MYSQL_VERSION",
  "MARIADB_VERSION",
  "MONGO_VERSION",
  "MONGO_MAJOR",
  "REDIS_VERSION",
  "REDIS_DOWNLOAD_URL",
  "REDIS_DOWNLOAD_SHA",
  "CATALINA_HOME",
  "TOMCAT_VERSION",
  "TOMCAT_MAJOR",
  "ERLANG_VERSION",
  "ELIXIR_VERSION",
  "OTP_VERSION",
  "REBAR3_VERSION",
  "DOCKER_VERSION",
  "DOCKER_TLS_CERTDIR",
  "CUDA_VERSION",
  "NVIDIA_VISIBLE_DEVICES",
  "NVIDIA_DRIVER_CAPABILITIES",
  "NV_CUDA_CUDART_VERSION",
  "LD_LIBRARY_PATH",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "USER",
  "SHELL",
  "PWD",
  "APP_ROOT",
  "APP_HOME",
]);
