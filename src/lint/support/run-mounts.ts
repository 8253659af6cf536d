/**
 * `RUN --mount=...` options (https://docs.docker.com/reference/dockerfile/#run---mount):
 * comma-separated `key=value` fields read as CSV (a quoted field may hold commas), `type`
 * defaulting to `bind` and compared lower-case as BuildKit does, `target` also spelled
 * `dst`/`destination`, `source` also `src`, `from` naming a stage or an image.
 */
import type { Instruction } from "../../dockerfile/parse.ts";
import { objectList } from "../../dockerfile/shapes.ts";
import { ObjectMemo } from "./memo.ts";

export interface RunMount {
  type: string;
  target: string | null;
  source: string | null;
  from: string | null;
}

// Rules ask about the mounts of the same RUN many times; parsing results never change.
const mountsCache = new ObjectMemo<Instruction, RunMount[]>();
const cacheTargetsCache = new ObjectMemo<Instruction, string[]>();
/** The mounts and cache targets of a RUN without flags (shared, like every answer: never modified). */
const NO_MOUNTS: RunMount[] = objectList();
const NO_TARGETS: string[] = objectList();

/** The `--mount` options of a RUN, read once per instruction (shared: do not modify). */
export function runMounts(instruction: Instruction): RunMount[] {
  // Most RUNs have no flag at all: one shared empty list, nothing to cache.
  if (instruction.flags.length === 0) return NO_MOUNTS;
  let mounts = mountsCache.get(instruction);
  if (!mounts) {
    // One map for every RUN's list, with mounts or without (shapes.ts).
    mounts = objectList<RunMount>();
    for (const flag of instruction.flags) {
      if (flag.name === "mount" && flag.value !== null) mounts.push(parseMount(flag.value));
    }
    mountsCache.set(instruction, mounts);
  }
  return mounts;
}

function parseMount(spec: string): RunMount {
  const fields = new Map<string, string>();
  for (const field of splitFields(spec)) {
    const eq = field.indexOf("=");
    const key = (eq === -1 ? field : field.slice(0, eq)).trim().toLowerCase();
    fields.set(key, eq === -1 ? "" : unquoteField(field.slice(eq + 1).trim()));
  }
  return {
    type: (fields.get("type") ?? "bind").toLowerCase(),
    target: fields.get("target") ?? fields.get("dst") ?? fields.get("destination") ?? null,
    source: fields.get("source") ?? fields.get("src") ?? null,
    from: fields.get("from") ?? null,
  };
}

/** Comma-separated fields; BuildKit reads them as CSV, so a quoted field may hold commas. */
function splitFields(spec: string): string[] {
  const out: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (const c of spec) {
    if (quote) {
      if (c === quote) quote = null;
      current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (c === ",") {
      out.push(current);
      current = "";
    } else current += c;
  }
  out.push(current);
  return out.filter((f) => f.trim() !== "");
}

function unquoteField(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/**
 * A cache or tmpfs mount whose target contains one of the fragments (hadolint's
 * hasCacheOrTmpfsMountWith): what it writes there stays out of the layer.
 */
export function hasCacheMount(instruction: Instruction, ...fragments: string[]): boolean {
  const targets = cacheTargets(instruction);
  return targets.length > 0 && targets.some((target) => fragments.some((f) => target.includes(f)));
}

/** Targets of the cache and tmpfs mounts of a RUN (shared: do not modify). */
export function cacheTargets(instruction: Instruction): string[] {
  if (instruction.flags.length === 0) return NO_TARGETS;
  let targets = cacheTargetsCache.get(instruction);
  if (!targets) {
    targets = objectList<string>();
    for (const mount of runMounts(instruction)) {
      if ((mount.type === "cache" || mount.type === "tmpfs") && mount.target !== null)
        targets.push(mount.target);
    }
    cacheTargetsCache.set(instruction, targets);
  }
  return targets;
}

/** True when `path` is `dir` or inside it (plain string paths, trailing slashes ignored). */
export function isWithin(path: string, dir: string): boolean {
  const p = path.replace(/\/+$/, "");
  const d = dir.replace(/\/+$/, "");
  return p === d || p.startsWith(`${d}/`);
}
