/**
 * Go: go.mod/go.sum first and `go mod download` with a module cache mount, then the source and
 * a static build (CGO_ENABLED=0) cross-compiled on the build platform for the target one
 * (`FROM --platform=$BUILDPLATFORM` + GOOS/GOARCH, docker init's Go template); cgo builds stay
 * on the target platform and link glibc. Sources: shared/reference/base-images-and-generators.md
 * §1.1, §7 item 4; https://docs.docker.com/build/building/multi-platform/#cross-compilation.
 */
import type { GoApp } from "../../advise/types.ts";
import { from, type GenerateOptions, header, joinSections, type Plan, runtimeStage } from "../plan.ts";
import { cacheMount, installPackages, run, SYSTEM_PIN_PRAGMA, stageComment } from "../writer.ts";

export function goDockerfile(plan: Plan, options: GenerateOptions): string {
  const app = plan.detection.app as GoApp;
  const modCache = cacheMount("/go/pkg/mod");
  const buildCache = cacheMount("/root/.cache/go-build");
  const binary = `/out/${app.binary}`;
  const flags = `-trimpath -ldflags="-s -w"${app.vendored ? " -mod=vendor" : ""}`;
  const build: string[] = [
    stageComment(
      "build",
      app.cgo
        ? "compiles the binary with cgo against glibc"
        : "compiles a static binary for the target platform",
    ),
    from(plan, plan.builder, "build", app.cgo ? undefined : "$BUILDPLATFORM"),
  ];
  if (plan.advice.buildPackages.length > 0)
    build.push(SYSTEM_PIN_PRAGMA.apt, installPackages("apt", plan.advice.buildPackages));
  build.push("WORKDIR /src");
  if (!app.vendored) {
    build.push(`COPY ${app.hasGoSum ? "go.mod go.sum" : "go.mod"} ./`, run(["go mod download"], [modCache]));
  }
  build.push("COPY . .");
  if (app.cgo) {
    build.push(
      run([`CGO_ENABLED=1 go build ${flags} -o ${binary} ${app.mainPackage}`], [modCache, buildCache]),
    );
  } else {
    build.push(
      "ARG TARGETOS",
      "ARG TARGETARCH",
      run(
        [`CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build ${flags} -o ${binary} ${app.mainPackage}`],
        [modCache, buildCache],
      ),
    );
  }
  const target = `/usr/local/bin/${app.binary}`;
  const files = [`COPY --from=build ${binary} ${target}`];
  if (app.otherMains.length > 0) {
    plan.notes.push(
      `builds ${app.mainPackage}; other main packages (${app.otherMains.join(", ")}) need their own image or build line`,
    );
  }
  const argv = [target];
  return joinSections([
    header(plan, options),
    build,
    runtimeStage(plan, plan.debug, "debug", { files, argv }),
    runtimeStage(plan, plan.runtime, "final", { packages: plan.advice.runtimePackages, files, argv }),
  ]);
}
