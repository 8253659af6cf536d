/**
 * BuildKit build-check names (https://docs.docker.com/reference/build-checks/) covered by a
 * drydock or hadolint code. The name is shown as an alias of the code and can be used wherever
 * a code can (ignore lists, pragmas, `# check=skip=`).
 */
export const BUILDKIT_ALIASES: Readonly<Record<string, readonly string[]>> = {};
