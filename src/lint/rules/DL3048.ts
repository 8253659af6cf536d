import { labels } from "../support/labels.ts";
import type { Rule } from "../types.ts";

/**
 * Label keys: lower-case alphanumerics with `.`, `-`, `_`, `/` inside, starting with a letter,
 * ending with a letter or digit, no `..` or `--`, and not in Docker's reserved namespaces
 * (https://docs.docker.com/engine/manage-resources/labels/#key-format-recommendations; hadolint DL3048).
 */
export const rule: Rule = {
  code: "DL3048",
  severity: "style",
  message: "Invalid label key.",
  check(ctx) {
    return labels(ctx)
      .filter(({ pairs }) => pairs.some((p) => !validKey(p.key)))
      .map(({ instruction }) => ({ line: instruction.line }));
  },
};

const RESERVED = ["com.docker.", "io.docker.", "org.dockerproject."];

function validKey(key: string): boolean {
  return (
    /^[a-z](?:[a-z0-9._/-]*[a-z0-9])?$/.test(key) &&
    !key.includes("..") &&
    !key.includes("--") &&
    !RESERVED.some((ns) => key.startsWith(ns))
  );
}
