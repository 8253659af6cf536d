import { flagValue } from "../../dockerfile/parse.ts";
import type { Rule } from "../types.ts";

/**
 * `FROM --platform=<constant>` (hadolint DL3029): it pins the build to one platform. The
 * predefined `$BUILDPLATFORM` and `$TARGETPLATFORM` (in any spelling) are allowed.
 */
export const rule: Rule = {
  code: "DL3029",
  severity: "warning",
  message: "Do not use --platform flag with FROM",
  aliases: ["FromPlatformFlagConstDisallowed"],
  check({ dockerfile }) {
    return dockerfile.stages
      .filter((stage) => {
        const platform = flagValue(stage.from, "platform");
        if (typeof platform !== "string") return false;
        return !platform.includes("BUILDPLATFORM") && !platform.includes("TARGETPLATFORM");
      })
      .map((stage) => ({ line: stage.from.line }));
  },
};
