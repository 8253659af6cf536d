import { stageBases } from "../support/stages.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * FROM an image without tag or digest (hadolint DL3006). Earlier stages and `scratch` need
 * none. Unlike hadolint, global ARG defaults are substituted first, so `FROM ${IMG}` with
 * `ARG IMG=python:3.12` passes and `FROM registry/${NAME}` is judged by NAME's default;
 * a reference whose variables have no default is left alone (hadolint issues #979, #1078).
 */
export const rule: Rule = {
  code: "DL3006",
  severity: "warning",
  message: "Always tag the version of an image explicitly",
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    stageBases(dockerfile).forEach((base, index) => {
      if (base.kind === "image" && base.ref.tag === null && base.ref.digest === null) {
        hits.push({ line: dockerfile.stages[index]!.from.line });
      }
    });
    return hits;
  },
};
