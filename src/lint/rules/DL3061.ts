import type { Rule } from "../types.ts";

/**
 * Only ARG (and comments or parser directives) may come before the first FROM
 * (https://docs.docker.com/reference/dockerfile/#format; hadolint DL3061).
 */
export const rule: Rule = {
  code: "DL3061",
  severity: "error",
  message: "Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.",
  check({ dockerfile }) {
    return dockerfile.instructions
      .filter((i) => i.stage === -1 && i.keyword !== "FROM" && i.keyword !== "ARG")
      .map((i) => ({ line: i.line }));
  },
};
