/**
 * BuildKit build-check names (https://docs.docker.com/reference/build-checks/) covered by a
 * hadolint code. The name is shown as an alias of the code and can be used wherever a code
 * can (ignore lists, pragmas, `# check=skip=`). drydock's own DD1xx rules declare their
 * BuildKit name in their rule file instead; together they cover all 22 checks
 * (src/lint/rules/buildkit.test.ts).
 *
 * A hadolint rule is listed when it reports every case the BuildKit check reports (it may
 * report more: DL3000 and DL3025 also flag instructions BuildKit lets pass, DL3029 also flags
 * stage names that mention the platform). Where it covers only part, a DD rule reports the
 * rest: DD111 for what DL3064 misses of SecretsUsedInArgOrEnv.
 */
export const BUILDKIT_ALIASES: Readonly<Record<string, readonly string[]>> = {
  DL3012: ["MultipleInstructionsDisallowed"], // HEALTHCHECK twice in a stage
  DL3024: ["DuplicateStageName"],
  DL3025: ["JSONArgsRecommended"],
  DL3029: ["FromPlatformFlagConstDisallowed"],
  DL3063: ["ReservedStageName"],
  DL3064: ["SecretsUsedInArgOrEnv"],
  DL3065: ["RedundantTargetPlatform"],
  DL4000: ["MaintainerDeprecated"],
  DL4003: ["MultipleInstructionsDisallowed"], // CMD twice in a stage
  DL4004: ["MultipleInstructionsDisallowed"], // ENTRYPOINT twice in a stage
};
