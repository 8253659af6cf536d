import { flagValue, type Instruction } from "../../dockerfile/parse.ts";
import { expandWord } from "../support/expand.ts";
import { knownImagePlatform } from "../support/image-facts.ts";
import { formatPlatform, type Platform, parsePlatform, platformsConflict } from "../support/platforms.ts";
import {
  baseStageIndexes,
  defaultMetaArgs,
  expandedBaseName,
  PREDEFINED_PLATFORM_ARGS,
} from "../support/stages.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * BuildKit's InvalidBaseImagePlatform (https://docs.docker.com/reference/build-checks/): the
 * base image has no variant for the platform the stage is built for. BuildKit learns the
 * image's platforms from the registry; a static linter cannot, so this rule reports only what
 * the Dockerfile itself settles:
 * - `FROM --platform=P stage` where that earlier stage is built for a different constant
 *   platform: a stage base keeps its own platform and the flag has no effect;
 * - `FROM --platform=P image` where the image is known, from its name, to exist only for
 *   another OS (Windows images, well-known Linux distributions and tags) or architecture.
 * A platform given by a variable (`$BUILDPLATFORM`, `$TARGETPLATFORM`) depends on the build
 * host and is not judged; nor is the host comparison BuildKit makes without `--platform`.
 */
export const rule: Rule = {
  code: "DD106",
  severity: "warning",
  message: "Base image platform does not match the platform requested with FROM --platform",
  aliases: ["InvalidBaseImagePlatform"],
  check({ dockerfile }) {
    const metaArgs = defaultMetaArgs(dockerfile);
    const bases = baseStageIndexes(dockerfile, metaArgs);
    /** Per stage, the constant platform it is built for, when the Dockerfile fixes one. */
    const builtFor: (Platform | null)[] = [];
    const hits: RuleHit[] = [];
    for (const stage of dockerfile.stages) {
      const requested = constantPlatform(stage.from, metaArgs, dockerfile.escape);
      const baseIndex = bases[stage.index]!;
      if (baseIndex !== null) {
        const basePlatform = builtFor[baseIndex] ?? null;
        builtFor.push(basePlatform);
        if (requested && basePlatform && platformsConflict(requested, basePlatform)) {
          const name = dockerfile.stages[baseIndex]!.name;
          hits.push({
            line: stage.from.line,
            message: `Stage '${name}' is built for platform "${formatPlatform(basePlatform)}", but FROM asks for "${formatPlatform(requested)}": --platform has no effect on a stage`,
          });
        }
        continue;
      }
      builtFor.push(requested);
      if (!requested) continue;
      const image = expandedBaseName(dockerfile, stage.from, metaArgs);
      if (image.error || image.result === "scratch") continue;
      const available = knownImagePlatform(image.result);
      if (!platformsConflict(requested, available)) continue;
      hits.push({
        line: stage.from.line,
        message: `Base image ${image.result} is only available for ${formatPlatform(available)}, but FROM asks for platform "${formatPlatform(requested)}"`,
      });
    }
    return hits;
  },
};

/** The `--platform` of a FROM when it is a constant (global ARG defaults allowed), else null. */
function constantPlatform(
  from: Instruction,
  metaArgs: ReadonlyMap<string, string>,
  escapeChar: "\\" | "`",
): Platform | null {
  const value = flagValue(from, "platform");
  if (!value) return null;
  const lookup = (name: string) => (PREDEFINED_PLATFORM_ARGS.has(name) ? undefined : metaArgs.get(name));
  const expansion = expandWord(value, lookup, { escape: escapeChar });
  if (expansion.error || expansion.unmatched.size > 0 || expansion.result === "") return null;
  return parsePlatform(expansion.result);
}
