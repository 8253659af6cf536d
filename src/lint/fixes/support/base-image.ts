/**
 * What userland a stage's base image ships, as far as fixers need to know: GNU (bash, GNU
 * wget) or BusyBox (ash, BusyBox wget). Known official images only; anything else is unknown
 * and fixers that depend on it offer no fix.
 */
import type { Dockerfile } from "../../../dockerfile/parse.ts";
import { stageBases } from "../../rules/support/stages.ts";

export type Userland = "gnu" | "busybox";

/** Official images (and families) built on Debian, Ubuntu or an RPM distribution: bash present. */
const GNU_IMAGES = new Set([
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

const BUSYBOX_IMAGES = new Set(["alpine", "busybox"]);

/** The userland of stage `stageIndex` (following `FROM <stage>`), or null when unknown. */
export function stageUserland(df: Dockerfile, stageIndex: number): Userland | null {
  const image = stageImage(df, stageIndex);
  return image ? imageUserland(image.path, image.tag) : null;
}

/** True for Alpine-based images (they have /bin/ash, BusyBox's shell). */
export function isAlpine(df: Dockerfile, stageIndex: number): boolean {
  const image = stageImage(df, stageIndex);
  return image !== null && (image.path.toLowerCase() === "alpine" || /alpine/i.test(image.tag ?? ""));
}

/** The outside image a stage builds on (following `FROM <stage>` chains), or null. */
export function stageImage(df: Dockerfile, stageIndex: number): { path: string; tag: string | null } | null {
  const bases = stageBases(df);
  const seen = new Set<number>();
  let index = stageIndex;
  for (;;) {
    const base = bases[index];
    if (!base || seen.has(index)) return null;
    seen.add(index);
    if (base.kind === "stage") {
      index = df.stages.slice(0, index).findLastIndex((s) => s.name === base.name);
      continue;
    }
    if (base.kind !== "image") return null;
    return { path: base.ref.path.replace(/^library\//, ""), tag: base.ref.tag };
  }
}

function imageUserland(path: string, tag: string | null): Userland | null {
  const lower = path.toLowerCase();
  const tagLower = (tag ?? "").toLowerCase();
  if (BUSYBOX_IMAGES.has(lower) || tagLower.includes("alpine")) return "busybox";
  if (tagLower.includes("windows") || tagLower.includes("nanoserver")) return null;
  if (GNU_IMAGES.has(lower) || /^redhat\/ubi\d+(-minimal)?$/.test(lower)) return "gnu";
  return null;
}
