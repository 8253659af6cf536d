import type { Rule } from "../types.ts";

/**
 * MAINTAINER is deprecated; use `LABEL org.opencontainers.image.authors=...`
 * (https://docs.docker.com/reference/dockerfile/#maintainer-deprecated; hadolint DL4000).
 */
export const rule: Rule = {
  code: "DL4000",
  severity: "error",
  message: "MAINTAINER is deprecated",
  aliases: ["MaintainerDeprecated"],
  check({ dockerfile }) {
    return dockerfile.instructions.filter((i) => i.keyword === "MAINTAINER").map((i) => ({ line: i.line }));
  },
};
