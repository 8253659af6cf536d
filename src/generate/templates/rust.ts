/**
 * Rust: Cargo.toml and Cargo.lock first, `cargo fetch` against a stub main.rs with the
 * registry as a cache mount, then the source and `cargo build --release --locked` with the
 * target folder as a cache mount (the binary is copied out in the same RUN). Workspaces and
 * crates with custom target paths build from a bind mount of the whole context instead
 * (docker init's Rust template). Sources: shared/reference/base-images-and-generators.md §1.1, §7.
 */
import type { RustApp } from "../../advise/types.ts";
import { from, type GenerateOptions, header, joinSections, type Plan, runtimeStage } from "../plan.ts";
import { cacheMount, installPackages, run, SYSTEM_PIN_PRAGMA, stageComment } from "../writer.ts";

export function rustDockerfile(plan: Plan, options: GenerateOptions): string {
  const app = plan.detection.app as RustApp;
  const registry = cacheMount("/usr/local/cargo/registry");
  const git = cacheMount("/usr/local/cargo/git/db");
  const target = cacheMount("/src/target");
  const locked = app.hasLock ? " --locked" : "";
  const selector = app.package ? ` -p ${app.package}` : ` --bin ${app.binary}`;
  const out = `/usr/local/bin/${app.binary}`;
  const build: string[] = [
    stageComment("build", "compiles the release binary"),
    from(plan, plan.builder, "build"),
  ];
  if (plan.advice.buildPackages.length > 0)
    build.push(SYSTEM_PIN_PRAGMA.apt, installPackages("apt", plan.advice.buildPackages));
  build.push("WORKDIR /src");
  if (app.stubFetch) {
    build.push(
      `COPY ${app.hasLock ? "Cargo.toml Cargo.lock" : "Cargo.toml"} ./`,
      "# Fetch the dependencies against a stub main.rs, so this layer only changes with the manifests.",
      run(['mkdir -p src && echo "fn main() {}" > src/main.rs', `cargo fetch${locked}`], [registry, git]),
      "COPY . .",
      run(
        [`cargo build --release${locked}${selector}`, `cp target/release/${app.binary} ${out}`],
        [registry, git, target],
      ),
    );
  } else {
    plan.notes.push(
      `${app.workspace ? "Cargo workspace" : "explicit target paths in Cargo.toml"}: the build reads the whole context through a bind mount (no separate dependency layer; the cache mounts keep rebuilds fast)`,
    );
    build.push(
      run(
        [`cargo build --release${locked}${selector}`, `cp target/release/${app.binary} ${out}`],
        ["type=bind,target=/src,rw", registry, git, target],
      ),
    );
  }
  const files = [`COPY --from=build ${out} ${out}`];
  const argv = [out];
  return joinSections([
    header(plan, options),
    build,
    runtimeStage(plan, plan.debug, "debug", { files, packages: plan.advice.runtimePackages, argv }),
    runtimeStage(plan, plan.runtime, "final", { packages: plan.advice.runtimePackages, files, argv }),
  ]);
}
