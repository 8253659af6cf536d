import { BUILTIN_USERS, NON_ROOT_BASES, WINDOWS_BASES } from "../data/base-images.ts";
import { displayImage, imageMatches, matchesAny } from "../support/images.ts";
import { finalStage, rootBase, stageChain } from "../support/stages.ts";
import type { Rule } from "../types.ts";

/**
 * DD004: the final stage sets no USER (nor does a stage it is built FROM) and its base image is
 * not known to run as non-root, so the container runs as root by default (docs/rules/DD004.md;
 * https://docs.docker.com/build/building/best-practices/#user). An explicit `USER root` as last
 * user is hadolint's DL3002 and is left to it. `FROM scratch` fires too: with no USER the
 * process runs as uid 0. Windows images have no root user and are not checked.
 */
export const rule: Rule = {
  code: "DD004",
  severity: "warning",
  message:
    "The final stage sets no USER, so the container runs as root: add a non-root user and switch to it with USER",
  check({ dockerfile }) {
    const stage = finalStage(dockerfile);
    if (!stage) return [];
    const chain = stageChain(dockerfile, stage);
    if (chain.some((s) => s.instructions.some((i) => i.keyword === "USER"))) return [];
    const base = rootBase(dockerfile, stage);
    if (base.kind === "unknown") return [];
    const line = stage.from.line;
    if (base.kind === "scratch") {
      return [
        {
          line,
          message:
            "The final stage is FROM scratch with no USER: the process runs as uid 0. Add `USER 65532:65532` (numeric: scratch has no /etc/passwd)",
        },
      ];
    }
    if (matchesAny(base.ref, NON_ROOT_BASES) || matchesAny(base.ref, WINDOWS_BASES)) return [];
    const builtin = BUILTIN_USERS.find((u) => imageMatches(base.ref, u));
    const hint = builtin
      ? `switch to the image's ${builtin.user} with USER`
      : "create a non-root user (e.g. `RUN useradd -r -u 10001 app`) and switch to it with `USER 10001`";
    return [
      {
        line,
        message: `The final stage (FROM ${displayImage(base.ref)}) sets no USER, so the container runs as root: ${hint}`,
      },
    ];
  },
};
