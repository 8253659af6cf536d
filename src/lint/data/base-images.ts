/**
 * Base-image facts for drydock's own rules. Patterns match the repository as
 * `registry/path` (Docker Hub without registry or `library/`); see ../dd/image.ts.
 * Sources: shared/reference/base-images-and-generators.md §5 (catalog), each vendor's docs.
 */
import type { ImagePattern } from "../dd/image.ts";

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
