/**
 * .NET: the project file (plus Directory.Build.props, NuGet.config, global.json) first,
 * `dotnet restore` with the NuGet cache mounted, then the source and `dotnet publish
 * --no-restore`. The build runs on the build platform (the output is portable IL); PublishAot
 * builds a native executable for the target platform. Sources: docker init's ASP.NET template
 * and dotnet-docker's image variants (shared/reference/base-images-and-generators.md §1.1, §5).
 */
import type { DotnetApp } from "../../advise/types.ts";
import { from, type GenerateOptions, header, joinSections, type Plan, runtimeStage } from "../plan.ts";
import { cacheMount, run, stageComment } from "../writer.ts";

export function dotnetDockerfile(plan: Plan, options: GenerateOptions): string {
  const app = plan.detection.app as DotnetApp;
  const nuget = cacheMount("/root/.nuget/packages");
  const project = app.project;
  const build: string[] = [
    stageComment(
      "build",
      app.publishAot ? "publishes a native (AOT) executable" : "restores and publishes the app",
    ),
    from(plan, plan.builder, "build", app.publishAot ? undefined : "$BUILDPLATFORM"),
    "WORKDIR /src",
  ];
  if (app.projectReferences.length > 0) {
    // Referenced projects must be present for restore: restore and publish from the whole source.
    build.push("COPY . .", run([`dotnet restore ${project}`], [nuget]));
  } else {
    // The project file keeps its folder; restore files (Directory.Build.props, NuGet.config,
    // global.json) sit at the root.
    const dir = project.includes("/") ? project.slice(0, project.lastIndexOf("/") + 1) : "";
    if (dir) {
      build.push(`COPY ${project} ${dir}`);
      if (app.restoreFiles.length > 0) build.push(`COPY ${app.restoreFiles.join(" ")} ./`);
    } else {
      build.push(`COPY ${[project, ...app.restoreFiles].join(" ")} ./`);
    }
    build.push(run([`dotnet restore ${project}`], [nuget]), "COPY . .");
  }
  build.push(
    run(
      [
        `dotnet publish ${project} -c Release --no-restore -o /app${app.publishAot ? "" : " /p:UseAppHost=false"}`,
      ],
      [nuget],
    ),
  );
  const files = ["WORKDIR /app", "COPY --from=build /app ."];
  const argv = plan.detection.start?.argv ?? ["dotnet", `${app.assembly}.dll`];
  const env = app.web ? [`ASPNETCORE_HTTP_PORTS=${plan.port ?? 8080}`] : [];
  if (app.publishAot)
    plan.notes.push(
      "PublishAot: the build stage needs clang and zlib1g-dev for native compilation (add them if publish fails)",
    );
  return joinSections([
    header(plan, options),
    build,
    runtimeStage(plan, plan.debug, "debug", { env, files, argv }),
    runtimeStage(plan, plan.runtime, "final", { env, files, argv }),
  ]);
}
