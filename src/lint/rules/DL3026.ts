import { flagValue, type Instruction } from "../../dockerfile/parse.ts";
import { parseImageRef } from "../support/images.ts";
import { runMounts } from "../support/run-mounts.ts";
import { expandKnown, globalArgDefaults, stageBases } from "../support/stages.ts";
import { dropQuotes } from "../support/words.ts";
import type { Rule, RuleHit } from "../types.ts";

/** Names under which Docker Hub is reached; a reference without a registry means Docker Hub. */
const DOCKER_HUB = ["docker.io", "hub.docker.com", "index.docker.io", "registry-1.docker.io"];

/** `*` allows all, `*.example.com` a suffix, `registry*` a prefix; otherwise an exact name. */
function matchesPattern(pattern: string, registry: string): boolean {
  const p = pattern.toLowerCase();
  if (p === "*") return true;
  if (p.startsWith("*")) return registry.endsWith(p.slice(1));
  if (p.endsWith("*")) return registry.startsWith(p.slice(0, -1));
  return registry === p;
}

function isAllowedRegistry(registry: string | null, allowed: readonly string[]): boolean {
  const host = (registry ?? "docker.io").toLowerCase();
  const names = DOCKER_HUB.includes(host) ? DOCKER_HUB : [host];
  return allowed.some((pattern) => names.some((name) => matchesPattern(pattern, name)));
}

/**
 * Images pulled from a registry outside `trustedRegistries` (hadolint DL3026, off while the
 * list is empty): FROM, `COPY --from=<image>` and `RUN --mount=...,from=<image>`. Stage
 * names, stage numbers and `scratch` are not pulls. Global ARG defaults are substituted; a
 * reference that stays unknown until build time is not judged. Unlike hadolint, ONBUILD
 * COPY and RUN are checked too, since the child build pulls those images.
 */
export const rule: Rule = {
  code: "DL3026",
  severity: "error",
  message: "Use only an allowed registry in the FROM image",
  check({ dockerfile, settings, runs }) {
    const allowed = settings.trustedRegistries;
    if (allowed.length === 0) return [];
    const defaults = globalArgDefaults(dockerfile);
    const stageNames = new Set(dockerfile.stages.map((s) => s.name).filter((n) => n !== null));
    const isUntrusted = (reference: string): boolean => {
      const resolved = expandKnown(dropQuotes(reference), defaults, dockerfile.escape);
      if (resolved === null) return false;
      const lower = resolved.toLowerCase();
      if (lower === "scratch" || stageNames.has(lower) || /^\d+$/.test(lower)) return false;
      return !isAllowedRegistry(parseImageRef(resolved).registry, allowed);
    };

    const hits: RuleHit[] = [];
    stageBases(dockerfile).forEach((base, index) => {
      if (base.kind === "image" && !isAllowedRegistry(base.ref.registry, allowed)) {
        hits.push({ line: dockerfile.stages[index]!.from.line });
      }
    });
    const copies = dockerfile.instructions
      .map((outer): [Instruction, Instruction] => [outer, outer.onbuild ?? outer])
      .filter(([, copy]) => copy.keyword === "COPY");
    for (const [outer, copy] of copies) {
      const from = flagValue(copy, "from");
      if (typeof from === "string" && isUntrusted(from)) hits.push({ line: outer.line });
    }
    for (const run of runs) {
      const pulls = runMounts(run.instruction).some((m) => m.from !== null && isUntrusted(m.from));
      if (pulls) hits.push({ line: run.outer.line });
    }
    return hits.sort((a, b) => a.line - b.line);
  },
};
