/**
 * Base-image facts for drydock's own rules. Patterns match the repository as
 * `registry/path` (Docker Hub without registry or `library/`); see ../support/images.ts.
 * Sources: shared/reference/base-images-and-generators.md §5 (catalog), each vendor's docs.
 */
import type { ImagePattern } from "../support/images.ts";

/** A tag word: `nonroot`, `debug-nonroot`, `latest-nonroot`, `nonroot-amd64`. */
const NONROOT_TAG = /(^|[-_.])nonroot($|[-_.])/;
/** Chainguard, Docker Hardened Images: `-dev` variants add a shell and apk and may run as root. */
const DEV_TAG = /(^|[-_.])dev($|[-_.])/;

/** DD004: images whose default user is not root (so a missing USER is fine). */
export const NON_ROOT_BASES: readonly ImagePattern[] = [
  {
    repository: "*",
    tag: NONROOT_TAG,
    note: "distroless `:nonroot` (uid 65532) and the same convention elsewhere",
  },
  {
    repository: "cgr.dev/chainguard/*",
    tagNot: DEV_TAG,
    except: ["cgr.dev/chainguard/wolfi-base", "cgr.dev/chainguard/chainguard-base"],
    note: "Chainguard images run as nonroot (65532); wolfi-base/chainguard-base are root shells",
  },
  {
    repository: "dhi.io/*",
    tagNot: DEV_TAG,
    note: "Docker Hardened Images: runtime variants run as 65532 [verified docs]",
  },
  {
    repository: "mcr.microsoft.com/dotnet/*",
    tag: /chiseled|distroless/,
    note: ".NET chiseled (Ubuntu) and Azure Linux distroless images run as `app` (uid 1654)",
  },
  {
    repository: "bitnami/*",
    except: ["bitnami/minideb"],
    note: "Bitnami application images run as uid 1001; minideb is a plain root Debian",
  },
  {
    repository: "bitnamilegacy/*",
    except: ["bitnamilegacy/minideb"],
    note: "Bitnami's archived images, same convention",
  },
  { repository: "nginxinc/nginx-unprivileged", note: "runs as nginx (uid 101)" },
  {
    repository: "registry.access.redhat.com/ubi*/*-*",
    except: ["registry.access.redhat.com/ubi*/ubi-*"],
    note: "UBI language images (python-312, nodejs-20, openjdk-21, go-toolset) run as 1001/185",
  },
];

/** DD004: Windows images: no root user (ContainerAdministrator / ContainerUser); not checked. */
export const WINDOWS_BASES: readonly ImagePattern[] = [
  { repository: "mcr.microsoft.com/windows*" },
  { repository: "mcr.microsoft.com/dotnet/framework/*" },
  { repository: "*", tag: /windowsservercore|nanoserver|ltsc20\d\d/ },
];

/** DD004: a user the image already ships, to name in the message. */
export const BUILTIN_USERS: readonly (ImagePattern & { user: string })[] = [
  { repository: "node", user: "node (uid 1000)" },
  { repository: "mcr.microsoft.com/dotnet/*", user: "$APP_UID (app, uid 1654)" },
  { repository: "gcr.io/distroless/*", user: "nonroot (uid 65532), or use the :nonroot tag" },
];

/** DD005: musl-based images (no manylinux wheels). */
export const MUSL_BASES: readonly ImagePattern[] = [
  { repository: "alpine" },
  { repository: "*/alpine" },
  { repository: "*", tag: /(^|[-_.])alpine/, note: "python:3.12-alpine, node:20-alpine3.20, ..." },
];

/**
 * DD008: full distributions (package manager, shell, hundreds of files) that a static binary
 * does not need.
 */
export const DISTRO_BASES: readonly ImagePattern[] = [
  { repository: "debian" },
  { repository: "ubuntu" },
  { repository: "alpine" },
  { repository: "fedora" },
  { repository: "centos" },
  { repository: "rockylinux" },
  { repository: "rockylinux/rockylinux" },
  { repository: "almalinux" },
  { repository: "amazonlinux" },
  { repository: "oraclelinux" },
  { repository: "opensuse/leap" },
  { repository: "opensuse/tumbleweed" },
  { repository: "archlinux" },
  { repository: "registry.access.redhat.com/ubi*" },
  { repository: "redhat/ubi*" },
  { repository: "*/debian" },
  { repository: "*/ubuntu" },
  { repository: "*/alpine" },
];

/** DD008: Go builder images. */
export const GO_BUILDERS: readonly ImagePattern[] = [{ repository: "golang" }, { repository: "*/golang" }];

/** DD008: Rust builder images; `musl: true` ones build for a musl target by default. */
export const RUST_BUILDERS: readonly (ImagePattern & { musl: boolean })[] = [
  { repository: "rust", tag: /(^|[-_.])alpine/, musl: true },
  { repository: "rust", musl: false },
  { repository: "*/rust", musl: false },
  { repository: "clux/muslrust", musl: true },
  { repository: "messense/rust-musl-cross", musl: true },
  { repository: "ekidd/rust-musl-builder", musl: true },
  { repository: "blackdex/rust-musl", musl: true },
];

/** DD008: what to suggest instead (https://github.com/GoogleContainerTools/distroless). */
export const STATIC_RUNTIME_SUGGESTION =
  "gcr.io/distroless/static-debian13:nonroot (about 2 MiB: CA certificates, tzdata, a nonroot user) or scratch";

// ---------------------------------------------------------------------------------------------
// What an image name tells without a registry (../support/image-facts.ts)

/**
 * DD106: platforms of well-known images, decided from the name alone. Kept to facts that do
 * not change from tag to tag: the OS family of Windows and Linux images, and the one official
 * image published for a single architecture.
 */
export const WINDOWS_TAG = /(?:^|-)(?:windowsservercore|nanoserver|ltsc20\d\d)(?:-|$)/;
export const LINUX_TAG =
  /(?:^|-)(?:alpine[0-9.]*|bookworm|bullseye|buster|trixie|jammy|noble|focal|slim|ubi[0-9]*|musl|glibc)(?:-|$)/;
export const LINUX_HUB_IMAGES = new Set([
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
export const LINUX_REGISTRY_PREFIXES: readonly string[] = [
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
export const AMD64_ONLY_HUB_IMAGES = new Set(["archlinux"]);

/**
 * Official images whose configuration sets no variable but PATH, whatever the tag (they are
 * root file systems added FROM scratch): a stage based on them has a fully known environment.
 */
export const PATH_ONLY_HUB_IMAGES = new Set(["alpine", "busybox", "debian", "ubuntu"]);

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

/** Official images (and families) built on Debian, Ubuntu or an RPM distribution: bash present. */
export const GNU_IMAGES: ReadonlySet<string> = new Set([
  "debian",
  "ubuntu",
  "buildpack-deps",
  "fedora",
  "centos",
  "rockylinux",
  "almalinux",
  "amazonlinux",
  "oraclelinux",
  "archlinux",
  "opensuse/leap",
  "opensuse/tumbleweed",
  "node",
  "python",
  "ruby",
  "golang",
  "rust",
  "perl",
  "php",
  "openjdk",
  "eclipse-temurin",
  "amazoncorretto",
  "maven",
  "gradle",
  "gcc",
  "nginx",
  "httpd",
  "postgres",
  "mysql",
  "mariadb",
  "redis",
  "elixir",
  "erlang",
]);

/** Images whose userland is BusyBox (ash, BusyBox wget). */
export const BUSYBOX_IMAGES: ReadonlySet<string> = new Set(["alpine", "busybox"]);
