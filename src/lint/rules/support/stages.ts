import type { Dockerfile, Stage } from "../../../dockerfile/parse.ts";
import { expandArgs, globalArgDefaults, type ImageRef, parseImageRef } from "./image-ref.ts";

/** A stage's base: another stage, `scratch`, an image, or unknown until build time. */
export type StageBase =
  | { kind: "stage"; name: string }
  | { kind: "scratch" }
  | { kind: "image"; reference: string; ref: ImageRef }
  | { kind: "unknown" };

/**
 * What each FROM builds on, with global ARG defaults substituted (`ARG IMG=python:3.12`,
 * `FROM ${IMG}`). A name matching an earlier stage (case-insensitive, as BuildKit) is that
 * stage; a reference whose variables have no default is unknown.
 */
export function stageBases(df: Dockerfile): StageBase[] {
  const defaults = globalArgDefaults(df);
  const earlier = new Set<string>();
  return df.stages.map((stage) => {
    const base = classify(stage, defaults, earlier);
    if (stage.name) earlier.add(stage.name);
    return base;
  });
}

function classify(
  stage: Stage,
  defaults: ReadonlyMap<string, string | null>,
  earlier: Set<string>,
): StageBase {
  const resolved = expandArgs(stage.image, defaults);
  if (resolved === null || resolved === "") return { kind: "unknown" };
  const lower = resolved.toLowerCase();
  if (earlier.has(lower)) return { kind: "stage", name: lower };
  if (lower === "scratch") return { kind: "scratch" };
  return { kind: "image", reference: resolved, ref: parseImageRef(resolved) };
}
