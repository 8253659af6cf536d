import { flagValue } from "../../dockerfile/parse.ts";
import type { Rule } from "../types.ts";

/**
 * `FROM --platform=$TARGETPLATFORM` says what BuildKit does anyway
 * (https://docs.docker.com/build/building/variables/#multi-platform-build-arguments;
 * hadolint DL3065, message as hadolint's).
 */
export const rule: Rule = {
  code: "DL3065",
  severity: "warning",
  message:
    "Setting `FROM --platform` to predefined `$TARGETPLATFORM` in is redundant as this is the default behavior",
  aliases: ["RedundantTargetPlatform"],
  check({ dockerfile }) {
    return dockerfile.stages
      .filter((s) => {
        const platform = flagValue(s.from, "platform");
        return platform === "$TARGETPLATFORM" || platform === "${TARGETPLATFORM}";
      })
      .map((s) => ({ line: s.from.line }));
  },
};
