/**
 * Java: the build files and wrapper first, dependencies resolved into a cached ~/.m2 or
 * ~/.gradle (`dependency:go-offline`, `gradle dependencies`), then the sources and the
 * package step; the runtime gets the jar only (JRE image). Spring Boot builds `bootJar`;
 * Gradle's application plugin ships `installDist`. Multi-module builds read the project through
 * a bind mount and build only the runnable module (`-pl <module> -am`).
 * Sources: docker init's Java template and Jib's JRE defaults
 * (shared/reference/base-images-and-generators.md §1.1, §1.4, §7).
 */
import type { JavaApp } from "../../advise/types.ts";
import {
  argvForImage,
  from,
  type GenerateOptions,
  header,
  joinSections,
  type Plan,
  runtimeStage,
} from "../plan.ts";
import { cacheMount, run, stageComment } from "../writer.ts";

export function javaDockerfile(plan: Plan, options: GenerateOptions): string {
  const app = plan.detection.app as JavaApp;
  const build: string[] = [
    stageComment("build", `packages the application with ${app.tool === "maven" ? "Maven" : "Gradle"}`),
    from(plan, plan.builder, "build"),
    "WORKDIR /build",
  ];
  build.push(...(app.tool === "maven" ? maven(plan, app) : gradle(plan, app)));

  const installDist = app.gradleApplication && !app.springBoot && app.tool === "gradle";
  const files = installDist
    ? ["COPY --from=build /out/app /app"]
    : ["WORKDIR /app", "COPY --from=build /out/app.jar /app/app.jar"];
  const argv = plan.detection.start?.argv ?? ["java", "-jar", "/app/app.jar"];
  const env = ['JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"'];
  return joinSections([
    header(plan, options),
    build,
    runtimeStage(plan, plan.debug, "debug", { env, files, argv }),
    runtimeStage(plan, plan.runtime, "final", {
      env,
      packages: plan.advice.runtimePackages,
      files,
      argv: argvForImage(plan.runtime, argv, "java"),
    }),
  ]);
}

function maven(plan: Plan, app: JavaApp): string[] {
  const mvn = app.wrapper ? "./mvnw" : "mvn";
  const cache = cacheMount("/root/.m2");
  const flags = "-B -ntp";
  if (app.multiModule) {
    const module = app.module;
    const select = module ? ` -pl ${module} -am` : "";
    return [
      run(
        [
          "mkdir -p /out",
          `${mvn} ${flags} package -DskipTests${select}`,
          `cp ${module ? `${module}/` : ""}target/*.jar /out/app.jar`,
        ],
        ["type=bind,target=/build,rw", cache],
      ),
    ];
  }
  const lines = [app.wrapper ? "COPY mvnw pom.xml ./" : "COPY pom.xml ./"];
  if (app.wrapper) lines.push("COPY .mvn .mvn");
  lines.push(
    run([`${mvn} ${flags} dependency:go-offline -DskipTests`], [cache]),
    "COPY src src",
    run([`${mvn} ${flags} package -DskipTests`, "mkdir -p /out", "cp target/*.jar /out/app.jar"], [cache]),
  );
  if (app.packaging === "war")
    plan.notes.push(
      "WAR packaging: the Dockerfile runs the .war with java -jar, which only works for an executable (Spring Boot) WAR",
    );
  return lines;
}

function gradle(plan: Plan, app: JavaApp): string[] {
  const gradlew = app.wrapper ? "./gradlew" : "gradle";
  const cache = cacheMount("/root/.gradle");
  const ext = app.kotlinDsl ? ".kts" : "";
  const task = app.springBoot
    ? "bootJar"
    : app.gradleApplication
      ? "installDist"
      : app.runnableJar
        ? "shadowJar"
        : "jar";
  const prefix = app.module ? `${app.module}/` : "";
  const collect =
    task === "installDist"
      ? ["mkdir -p /out", `cp -r ${prefix}build/install/${app.name} /out/app`]
      : ["mkdir -p /out", `cp ${prefix}build/libs/*${task === "shadowJar" ? "-all" : ""}.jar /out/app.jar`];
  const qualified = app.module ? `:${app.module.replaceAll("/", ":")}:${task}` : task;
  if (app.multiModule) {
    return [
      run([`${gradlew} --no-daemon ${qualified} -x test`, ...collect], ["type=bind,target=/build,rw", cache]),
    ];
  }
  const manifests = [`settings.gradle${ext}`, `build.gradle${ext}`].filter((f) =>
    plan.detection.markers.some((m) => m.file === f),
  );
  const lines = [`COPY ${app.wrapper ? "gradlew " : ""}${manifests.join(" ")} ./`];
  if (app.wrapper) lines.push("COPY gradle gradle");
  lines.push(
    run([`${gradlew} --no-daemon dependencies > /dev/null`], [cache]),
    "COPY src src",
    run([`${gradlew} --no-daemon ${task} -x test`, ...collect], [cache]),
  );
  if (!app.springBoot && !app.gradleApplication && !app.runnableJar) {
    plan.notes.push(
      "the jar has no Main-Class or dependencies bundled: add the application or shadow plugin, or Spring Boot",
    );
  }
  return lines;
}
