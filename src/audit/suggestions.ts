/**
 * Concrete changes, each tied to the layer (and, with a Dockerfile, the line) that wasted the
 * bytes and to the bytes the change saves. Sources: the lost copies grouped per (layer that
 * wrote them, layer that hid them), and the bloat left in the final filesystem by user layers.
 * Base-image layers get no line fixes (the author did not write them); deleting or replacing
 * base files is reported because it saves nothing.
 */
import { basename, commandsNamed, hasFlag, parseShell, subcommand } from "../dockerfile/shell.ts";
import { humanBytes } from "../report/format.ts";
import type { BloatClass } from "./bloat.ts";
import { groupThousands } from "./bytes.ts";
import type { WasteGroup } from "./reclaimable.ts";

/** What made a layer: the history entry and, when matched, the Dockerfile instruction. */
export interface LayerOrigin {
  layer: number;
  base: boolean;
  createdBy: string;
  /** RUN, COPY, ADD… from the history entry or the instruction. */
  keyword?: string;
  /** The command text (RUN without shell prefix). */
  body: string;
  line?: number;
  endLine?: number;
  /** First source line of the instruction, trimmed. */
  source?: string;
}

export type SuggestionKind =
  | "move-cleanup"
  | "exclude-from-copy"
  | "delete-where-created"
  | "base-deletion"
  | "copy-chown"
  | "chown-where-created"
  | "merge-rewrite"
  | "base-upgrade"
  | "base-rewrite"
  | "remove-bloat";

export interface Suggestion {
  kind: SuggestionKind;
  /** The layer to change. */
  layer: number;
  line?: number;
  /** The other layer involved (the one that created what `layer` deletes or rewrites). */
  relatedLayer?: number;
  relatedLine?: number;
  /** The finding and the change, in one sentence. */
  message: string;
  /** Bytes the change removes from the image. */
  bytes: number;
  /** Bytes involved when the change saves nothing (base files deleted by a user layer). */
  hiddenBytes?: number;
  /** Example paths. */
  paths: string[];
}

const MAX_SOURCE = 60;

function clip(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_SOURCE ? `${flat.slice(0, MAX_SOURCE - 1)}…` : flat;
}

/** `line 4 \`RUN rm -rf …\`` or `layer 5 (\`rm -rf …\`)`. */
export function describeOrigin(origin: LayerOrigin): string {
  if (origin.line !== undefined && origin.source) return `line ${origin.line} \`${clip(origin.source)}\``;
  const text = origin.keyword && origin.keyword !== "RUN" ? `${origin.keyword} ${origin.body}` : origin.body;
  return `layer ${origin.layer + 1} (\`${clip(text || origin.createdBy || "no history")}\`)`;
}

/** `line 2` or `layer 3`: for "move it into line 2's RUN". */
function shortRef(origin: LayerOrigin): string {
  return origin.line !== undefined ? `line ${origin.line}` : `layer ${origin.layer + 1}`;
}

function examples(paths: Array<{ path: string }>, more: number): string {
  const shown = paths.slice(0, 3).map((p) => p.path);
  return more > 0 || paths.length > 3 ? `${shown.join(", ")}, …` : shown.join(", ");
}

function count(n: number, what: string): string {
  return `${groupThousands(n)} ${what}${n === 1 ? "" : "s"}`;
}

const UPGRADE_COMMANDS: Record<string, string[]> = {
  "apt-get": ["upgrade", "dist-upgrade", "full-upgrade"],
  apt: ["upgrade", "dist-upgrade", "full-upgrade"],
  apk: ["upgrade"],
  dnf: ["upgrade", "update", "distro-sync"],
  yum: ["upgrade", "update"],
  microdnf: ["upgrade", "update"],
  zypper: ["update", "up", "dist-upgrade", "dup"],
};

function runsUpgrade(body: string): boolean {
  const commands = safeParse(body);
  return commands.some((c) => UPGRADE_COMMANDS[basename(c.name)]?.includes(subcommand(c) ?? "") ?? false);
}

function changesOwnership(body: string): "chown" | "chmod" | undefined {
  const commands = safeParse(body);
  for (const name of ["chown", "chmod"] as const) {
    if (commandsNamed(commands, name).some((c) => hasFlag(c, "R", "recursive"))) return name;
  }
  for (const name of ["chown", "chmod"] as const) if (commandsNamed(commands, name).length > 0) return name;
  return undefined;
}

function safeParse(body: string) {
  try {
    return parseShell(body);
  } catch {
    return [];
  }
}

const isCopy = (o: LayerOrigin) => o.keyword === "COPY" || o.keyword === "ADD";
const isRun = (o: LayerOrigin) => o.keyword === "RUN";

function fromWaste(group: WasteGroup, origins: LayerOrigin[]): Suggestion | undefined {
  const created = origins[group.layer]!;
  const by = origins[group.by]!;
  if (group.layer === group.by || group.bytes <= 0) return undefined;
  const paths = group.paths.map((p) => p.path);
  const what = `${count(group.files, "file")} (${examples(group.paths, group.morePaths)})`;
  const base = {
    layer: group.by,
    ...(by.line !== undefined ? { line: by.line } : {}),
    relatedLayer: group.layer,
    ...(created.line !== undefined ? { relatedLine: created.line } : {}),
    paths,
  };
  if (group.kind === "deleted") {
    if (created.base) {
      return {
        ...base,
        kind: "base-deletion",
        bytes: 0,
        hiddenBytes: group.bytes,
        message: `${describeOrigin(by)} deletes ${what} of the base image: the image is no smaller, the base layer still holds ${humanBytes(group.bytes)}; drop the deletion or start from a smaller base`,
      };
    }
    if (isRun(by) && isRun(created)) {
      return {
        ...base,
        kind: "move-cleanup",
        bytes: group.bytes,
        message: `${describeOrigin(by)} runs after ${describeOrigin(created)} created ${what}: move the deletion into ${shortRef(created)}'s RUN`,
      };
    }
    if (isCopy(created)) {
      return {
        ...base,
        kind: "exclude-from-copy",
        bytes: group.bytes,
        message: `${describeOrigin(by)} deletes ${what} that ${describeOrigin(created)} copied in: leave them out of the copy (.dockerignore or a narrower source)`,
      };
    }
    return {
      ...base,
      kind: "delete-where-created",
      bytes: group.bytes,
      message: `${describeOrigin(by)} deletes ${what} that ${describeOrigin(created)} created: delete them in the step that creates them`,
    };
  }
  if (created.base) {
    if (isRun(by) && runsUpgrade(by.body)) {
      return {
        ...base,
        kind: "base-upgrade",
        bytes: group.bytes,
        message: `${describeOrigin(by)} upgrades ${what} of the base image, whose old copies stay in the base layer: use an up-to-date base image instead`,
      };
    }
    return {
      ...base,
      kind: "base-rewrite",
      bytes: group.bytes,
      message: `${describeOrigin(by)} replaces ${what} of the base image; the old copies stay in the base layer`,
    };
  }
  const tool = isRun(by) ? changesOwnership(by.body) : undefined;
  if (tool && isCopy(created)) {
    return {
      ...base,
      kind: "copy-chown",
      bytes: group.bytes,
      message: `${describeOrigin(by)} rewrites ${what} that ${describeOrigin(created)} copied: use \`${created.keyword} --${tool}=…\` on ${shortRef(created)} and drop the ${tool}`,
    };
  }
  if (tool && isRun(created)) {
    return {
      ...base,
      kind: "chown-where-created",
      bytes: group.bytes,
      message: `${describeOrigin(by)} rewrites ${what} that ${describeOrigin(created)} created: run the ${tool} inside ${shortRef(created)}'s RUN`,
    };
  }
  return {
    ...base,
    kind: "merge-rewrite",
    bytes: group.bytes,
    message: `${describeOrigin(by)} rewrites ${what} that ${describeOrigin(created)} created: write them once (do both in one step)`,
  };
}

function fromBloat(bloat: BloatClass, origins: LayerOrigin[]): Suggestion[] {
  const out: Suggestion[] = [];
  for (const share of bloat.layers) {
    const origin = origins[share.layer]!;
    if (origin.base || share.bytes <= 0) continue;
    const paths = bloat.paths.filter((p) => p.layers.some((l) => l.layer === share.layer));
    const what = `${bloat.title} (${examples(paths, Math.max(0, bloat.morePaths))}, ${count(share.files, "file")})`;
    const fix = isCopy(origin) ? "keep them out of the build context (.dockerignore)" : bloat.fix;
    out.push({
      kind: "remove-bloat",
      layer: share.layer,
      ...(origin.line !== undefined ? { line: origin.line } : {}),
      bytes: share.bytes,
      paths: paths.map((p) => p.path),
      message: `${describeOrigin(origin)} leaves ${what}: ${fix}`,
    });
  }
  return out;
}

export function suggestFixes(
  groups: WasteGroup[],
  bloat: BloatClass[],
  origins: LayerOrigin[],
): Suggestion[] {
  const out: Suggestion[] = [];
  for (const group of groups) {
    const suggestion = fromWaste(group, origins);
    if (suggestion) out.push(suggestion);
  }
  for (const item of bloat) out.push(...fromBloat(item, origins));
  return out.sort(
    (a, b) => b.bytes - a.bytes || (b.hiddenBytes ?? 0) - (a.hiddenBytes ?? 0) || a.layer - b.layer,
  );
}

/** "saves 45.2 MB" or, for a change that saves nothing, the bytes left hidden. */
export function savingText(s: Suggestion): string {
  return s.bytes > 0
    ? `saves ${humanBytes(s.bytes)}`
    : `saves nothing (${humanBytes(s.hiddenBytes ?? 0)} stay)`;
}
