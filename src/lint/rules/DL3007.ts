import { stageBases } from "../support/stages.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * FROM `image:latest` without a digest (hadolint DL3007); `latest@sha256:...` is pinned.
 * Global ARG defaults are substituted first (`ARG TAG=latest`, `FROM debian:${TAG}`).
 */
export const rule: Rule = {
  code: "DL3007",
  severity: "warning",
  message:
    "Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag",
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    stageBases(dockerfile).forEach((base, index) => {
      if (base.kind === "image" && base.ref.tag === "latest" && base.ref.digest === null) {
        hits.push({ line: dockerfile.stages[index]!.from.line });
      }
    });
    return hits;
  },
};
