/**
 * Which Linux distribution an image or root filesystem is: `/etc/os-release` then
 * `/usr/lib/os-release` (os-release(5): shell-style KEY=value lines), else the older release
 * files (`/etc/alpine-release`, `/etc/debian_version`, `/etc/redhat-release` and friends).
 * Distroless images ship an os-release too (ID=debian, PRETTY_NAME="Distroless").
 */
import type { CaptureRule } from "../image/layer-index.ts";
import type { FileView } from "./files.ts";

export interface Distro {
  /** os-release ID, lower case (`debian`, `alpine`, `rhel`, `ubuntu`). */
  id: string;
  /** os-release VERSION_ID (`12`, `3.19.1`, `9.3`); may be missing (e.g. Debian sid). */
  versionId?: string;
  versionCodename?: string;
  idLike: string[];
  name?: string;
  prettyName?: string;
  cpeName?: string;
  /** The file it was read from. */
  source: string;
}

const OS_RELEASE = ["/etc/os-release", "/usr/lib/os-release"];
const RELEASE_FILES = [
  "/etc/alpine-release",
  "/etc/debian_version",
  "/etc/redhat-release",
  "/etc/centos-release",
  "/etc/fedora-release",
  "/etc/system-release",
];
const ALL = new Set([...OS_RELEASE, ...RELEASE_FILES]);

export const DISTRO_CAPTURE: CaptureRule[] = [{ matches: (path) => ALL.has(path), maxBytes: 64 * 1024 }];

/** Parses os-release(5): KEY=value, values optionally quoted with shell escapes. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\(["$`\\])/g, "$1");
    }
    out[key] = value;
  }
  return out;
}

function fromOsRelease(text: string, source: string): Distro | undefined {
  const fields = parseOsRelease(text);
  const id = fields.ID?.toLowerCase();
  if (!id) return undefined;
  const distro: Distro = {
    id,
    idLike: (fields.ID_LIKE ?? "").split(/\s+/).filter(Boolean),
    source,
  };
  if (fields.VERSION_ID) distro.versionId = fields.VERSION_ID;
  if (fields.VERSION_CODENAME) distro.versionCodename = fields.VERSION_CODENAME;
  if (fields.NAME) distro.name = fields.NAME;
  if (fields.PRETTY_NAME) distro.prettyName = fields.PRETTY_NAME;
  if (fields.CPE_NAME) distro.cpeName = fields.CPE_NAME;
  return distro;
}

const REDHAT_LIKE: Array<[RegExp, string]> = [
  [/^Red Hat Enterprise Linux/i, "rhel"],
  [/^CentOS/i, "centos"],
  [/^Fedora/i, "fedora"],
  [/^Rocky/i, "rocky"],
  [/^AlmaLinux/i, "almalinux"],
  [/^Oracle Linux/i, "ol"],
  [/^Amazon Linux/i, "amzn"],
];

function fromReleaseFile(path: string, text: string): Distro | undefined {
  const line = text.split("\n")[0]!.trim();
  if (line === "") return undefined;
  if (path === "/etc/alpine-release") return { id: "alpine", versionId: line, idLike: [], source: path };
  if (path === "/etc/debian_version") {
    // "12.5" is a point release of 12; "trixie/sid" has no number.
    const major = /^(\d+)/.exec(line)?.[1];
    return { id: "debian", ...(major ? { versionId: major } : {}), idLike: [], source: path };
  }
  for (const [pattern, id] of REDHAT_LIKE) {
    if (!pattern.test(line)) continue;
    const version = /release\s+([\d.]+)/i.exec(line)?.[1];
    return {
      id,
      ...(version ? { versionId: version } : {}),
      idLike: ["rhel", "fedora"],
      prettyName: line,
      source: path,
    };
  }
  return undefined;
}

/** Detects the distro from the squashed view (os-release first, then release files). */
export function detectDistro(files: FileView): Distro | undefined {
  for (const path of [...OS_RELEASE, ...RELEASE_FILES]) {
    const refs = files.find((p) => p === path);
    const ref = refs[refs.length - 1];
    const content = ref ? files.read(ref) : undefined;
    if (!content) continue;
    const text = content.toString("utf8");
    const distro = OS_RELEASE.includes(path) ? fromOsRelease(text, path) : fromReleaseFile(path, text);
    if (distro) return distro;
  }
  return undefined;
}

/** The `distro=` purl qualifier as syft writes it: `debian-12`, `alpine-3.19.1`. */
export function distroQualifier(distro: Distro | undefined): string | undefined {
  if (!distro) return undefined;
  return distro.versionId ? `${distro.id}-${distro.versionId}` : distro.id;
}
