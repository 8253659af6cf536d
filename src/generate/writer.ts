/**
 * Helpers that write Dockerfile text: exec-form arrays, multi-line RUN with BuildKit mounts,
 * and apt/apk installs that clean up in the same RUN (Docker's best practices:
 * https://docs.docker.com/build/building/best-practices/#run).
 */

/** Exec (JSON) form: `["gunicorn", "app:app"]`. */
export function execForm(argv: readonly string[]): string {
  return `[${argv.map((word) => JSON.stringify(word)).join(", ")}]`;
}

/**
 * A RUN with BuildKit mounts and commands joined by `&&`, one per line:
 * RUN --mount=... \
 *     command one && \
 *     command two
 */
export function run(commands: readonly string[], mounts: readonly string[] = []): string {
  const parts = [...mounts.map((m) => `--mount=${m}`), commands.join(" && \\\n    ")];
  return `RUN ${parts.join(" \\\n    ")}`;
}

export function cacheMount(target: string, extra = ""): string {
  return `type=cache,target=${target}${extra ? `,${extra}` : ""}`;
}

/** Pragma that drydock (and hadolint) read: the debug stage's tools are deliberately unpinned. */
export const DEBUG_PIN_PRAGMA: Record<"apt" | "apk" | "microdnf" | "dnf", string> = {
  apt: "# drydock ignore=DL3008 debug-only tools, never shipped: the latest Debian packages are what you want here",
  apk: "# drydock ignore=DL3018 debug-only tools, never shipped: the latest Alpine packages are what you want here",
  microdnf: "# drydock ignore=DL3041 debug-only tools, never shipped",
  dnf: "# drydock ignore=DL3041 debug-only tools, never shipped",
};

/** Pragma for system libraries installed from the distribution (versions follow the base tag). */
export const SYSTEM_PIN_PRAGMA: Record<"apt" | "apk", string> = {
  apt: "# drydock ignore=DL3008 Debian packages follow the base image's release; rebuild regularly for security fixes",
  apk: "# drydock ignore=DL3018 Alpine packages follow the base image's release; rebuild regularly for security fixes",
};

/** Install packages and clean the package index in the same RUN. */
export function installPackages(
  tool: "apt" | "apk" | "microdnf" | "dnf",
  packages: readonly string[],
): string {
  const list = [...new Set(packages)].sort();
  switch (tool) {
    case "apt":
      return run([
        "apt-get update",
        `apt-get install -y --no-install-recommends ${list.join(" ")}`,
        "rm -rf /var/lib/apt/lists/*",
      ]);
    case "apk":
      return `RUN apk add --no-cache ${list.join(" ")}`;
    case "microdnf":
      return run([
        `microdnf install -y --nodocs --setopt=install_weak_deps=0 ${list.join(" ")}`,
        "microdnf clean all",
      ]);
    case "dnf":
      return run([
        `dnf install -y --nodocs --setopt=install_weak_deps=False ${list.join(" ")}`,
        "dnf clean all",
      ]);
  }
}

/** A stage description comment in BuildKit's `# <name> <description>` form. */
export function stageComment(name: string, description: string): string {
  return `# ${name} ${description}`;
}
