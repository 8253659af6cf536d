/**
 * Java detection: Maven (pom.xml, mvnw) or Gradle (build.gradle[.kts], gradlew), the Java
 * release (maven.compiler.release/source/target, java.version, compiler plugin <release>,
 * Gradle toolchains and sourceCompatibility, .sdkmanrc, .java-version, system.properties),
 * Spring Boot, packaging, modules and the server port.
 * Sources: shared/reference/base-images-and-generators.md §2, §3 (Java); Spring Boot's
 * `server.port` (https://docs.spring.io/spring-boot/appendix/application-properties/).
 */
import { lineOf, type ProjectFiles } from "../project-files.ts";
import { resolveRuntime, type VersionRequest } from "../runtime.ts";
import type { Detection, Evidence, JavaApp } from "../types.ts";
import { type DetectContext, firstLine, toolVersionRequests } from "./common.ts";

export function detectJava(ctx: DetectContext): Detection | null {
  const { files } = ctx;
  const pom = files.read("pom.xml");
  const gradleFile = ["build.gradle.kts", "build.gradle"].find((f) => files.isFile(f));
  const settingsFile = ["settings.gradle.kts", "settings.gradle"].find((f) => files.isFile(f));
  if (pom === null && !gradleFile && !settingsFile) return null;
  const notes: string[] = [];
  const markers: Evidence[] = [];
  const tool = pom !== null ? "maven" : "gradle";
  if (pom !== null) markers.push({ file: "pom.xml" });
  if (gradleFile) markers.push({ file: gradleFile });
  if (settingsFile) markers.push({ file: settingsFile });
  if (pom !== null && gradleFile) notes.push("both pom.xml and a Gradle build: using Maven");

  const gradle = gradleFile ? (files.read(gradleFile) ?? "") : "";
  const settings = settingsFile ? (files.read(settingsFile) ?? "") : "";
  const wrapper = tool === "maven" ? files.isFile("mvnw") : files.isFile("gradlew");
  const springBoot =
    tool === "maven"
      ? /spring-boot-starter-parent|spring-boot-maven-plugin/.test(pom ?? "")
      : /org\.springframework\.boot/.test(gradle);
  const packaging =
    /<packaging>\s*war\s*<\/packaging>/.test(pom ?? "") ||
    /^\s*id\s*\(?["']war["']|apply plugin:\s*["']war["']/m.test(gradle)
      ? "war"
      : "jar";
  const multiModule = tool === "maven" ? /<modules>/.test(pom ?? "") : /^\s*include\s*[("']/m.test(settings);
  const gradleApplication = /^\s*(?:id\s*\(?\s*["']application["']|application\b\s*$|`application`)/m.test(
    gradle,
  );
  const runnableJar =
    springBoot ||
    /maven-shade-plugin|maven-assembly-plugin|com\.github\.johnrengelman\.shadow|com\.gradleup\.shadow/.test(
      (pom ?? "") + gradle,
    );
  const name =
    (tool === "gradle" ? /rootProject\.name\s*=\s*["']([^"']+)["']/.exec(settings)?.[1] : undefined) ??
    /<\/parent>[\s\S]*?<artifactId>([^<]+)<\/artifactId>/.exec(pom ?? "")?.[1] ??
    /<artifactId>([^<]+)<\/artifactId>/.exec(pom ?? "")?.[1] ??
    "app";
  const app: JavaApp = {
    kind: "java",
    tool,
    wrapper,
    springBoot,
    packaging,
    multiModule,
    kotlinDsl: gradleFile === "build.gradle.kts",
    runnableJar,
    gradleApplication,
    name,
  };
  if (multiModule) {
    const module = runnableModule(files, tool, pom ?? "", settings);
    if (module) app.module = module;
    else
      notes.push(
        "multi-module build without a Spring Boot or shaded module: set the module in the Dockerfile's build line",
      );
  }
  if (!wrapper)
    notes.push(
      `no ${tool === "maven" ? "mvnw" : "gradlew"}: the build uses the ${tool} image's own ${tool === "maven" ? "Maven" : "Gradle"} version`,
    );
  if (packaging === "war")
    notes.push(
      "WAR packaging: deploy to a servlet container (Tomcat/Jetty); the Dockerfile runs it with java -jar only if it is an executable WAR",
    );
  if (!runnableJar && !gradleApplication && packaging === "jar") {
    notes.push(
      "the jar is not runnable on its own (no Spring Boot, shade/assembly or application plugin): `java -jar` needs a Main-Class and its dependencies",
    );
  }
  if (multiModule)
    notes.push(
      "multi-module build: the build reads the whole project through a bind mount (no separate dependency layer)",
    );

  const runtime = resolveRuntime("java", versionRequests(files, pom ?? "", gradle, gradleFile), {
    date: ctx.date,
  });
  const port = springBoot
    ? (serverPort(files) ?? {
        value: 8080,
        source: { file: tool === "maven" ? "pom.xml" : gradleFile!, detail: "Spring Boot's default 8080" },
      })
    : serverPort(files);
  const frameworkSource: Evidence = {
    file: tool === "maven" ? "pom.xml" : gradleFile!,
    line: lineOf(
      tool === "maven" ? (pom ?? "") : gradle,
      tool === "maven" ? /spring-boot/ : /org\.springframework\.boot/,
    ),
    detail: "Spring Boot",
  };
  return {
    stack: "java",
    language: "Java",
    markers,
    runtime,
    packageManager: {
      name: tool,
      source: { file: tool === "maven" ? "pom.xml" : (gradleFile ?? settingsFile!) },
      ...(wrapper ? { version: wrapperVersion(files, tool) } : {}),
    },
    ...(springBoot ? { framework: { name: "Spring Boot", source: frameworkSource } } : {}),
    start:
      gradleApplication && !springBoot
        ? { argv: [`/app/bin/${name}`], source: { file: gradleFile!, detail: "application plugin" } }
        : {
            argv: ["java", "-jar", "/app/app.jar"],
            source: {
              file: tool === "maven" ? "pom.xml" : (gradleFile ?? settingsFile!),
              detail: `${packaging} from ${tool}`,
            },
          },
    ...(port ? { port } : {}),
    native: [],
    dependencies: [...(pom ?? "").matchAll(/<artifactId>([^<]+)<\/artifactId>/g)].map((m) => m[1]!),
    app,
    backendScore: springBoot ? 2 : runnableJar || gradleApplication ? 1 : 0,
    notes,
  };
}

/** The module whose build file applies Spring Boot or a shading plugin. */
function runnableModule(
  files: ProjectFiles,
  tool: "maven" | "gradle",
  pom: string,
  settings: string,
): string | undefined {
  const modules =
    tool === "maven"
      ? [...pom.matchAll(/<module>\s*([^<]+?)\s*<\/module>/g)].map((m) => m[1]!)
      : [...settings.matchAll(/include\s*\(?\s*((?:["'][^"']+["']\s*,?\s*)+)\)?/g)].flatMap((m) =>
          [...m[1]!.matchAll(/["']:?([^"']+)["']/g)].map((n) => n[1]!.replaceAll(":", "/")),
        );
  const runnable = /spring-boot-maven-plugin|org\.springframework\.boot|maven-shade-plugin|shadow/;
  return modules.find((module) => {
    const build =
      tool === "maven" ? [`${module}/pom.xml`] : [`${module}/build.gradle.kts`, `${module}/build.gradle`];
    return build.some((file) => runnable.test(files.read(file) ?? ""));
  });
}

function wrapperVersion(files: ProjectFiles, tool: "maven" | "gradle"): string | undefined {
  const file =
    tool === "maven" ? ".mvn/wrapper/maven-wrapper.properties" : "gradle/wrapper/gradle-wrapper.properties";
  const text = files.read(file) ?? "";
  return /(?:apache-maven|gradle)-(\d+(?:\.\d+)*)/.exec(text)?.[1];
}

/** Normalise `1.8` → `8`. */
function javaRelease(value: string): string {
  return value.replace(/^1\.(\d)$/, "$1").replace(/^(?:JavaVersion\.)?VERSION_(?:1_)?(\d+)$/, "$1");
}

function versionRequests(
  files: ProjectFiles,
  pom: string,
  gradle: string,
  gradleFile: string | undefined,
): VersionRequest[] {
  const requests: VersionRequest[] = [];
  const sdkman = files.read(".sdkmanrc");
  const sdk = sdkman ? /^java\s*=\s*(\d+(?:\.\d+)*)/m.exec(sdkman) : null;
  if (sdk)
    requests.push({
      requested: sdk[1]!,
      kind: "pin",
      source: { file: ".sdkmanrc", line: lineOf(sdkman!, sdk[0]), detail: sdk[0] },
    });
  const javaVersion = files.read(".java-version");
  const first = javaVersion ? firstLine(javaVersion) : null;
  if (first)
    requests.push({
      requested: javaRelease(first.value),
      kind: "pin",
      source: { file: ".java-version", line: first.line },
    });
  for (const request of toolVersionRequests(files, ["java"])) {
    const number = /(\d+(?:\.\d+)*)/.exec(request.requested)?.[1];
    if (number) requests.push({ ...request, requested: javaRelease(number) });
  }
  const properties = files.read("system.properties");
  const runtimeVersion = properties ? /java\.runtime\.version\s*=\s*(\S+)/.exec(properties) : null;
  if (runtimeVersion) {
    requests.push({
      requested: javaRelease(runtimeVersion[1]!),
      kind: "pin",
      source: {
        file: "system.properties",
        line: lineOf(properties!, runtimeVersion[0]),
        detail: runtimeVersion[0],
      },
    });
  }
  for (const [pattern, detail] of [
    [/<maven\.compiler\.release>\s*([\d.]+)\s*</, "maven.compiler.release"],
    [/<release>\s*([\d.]+)\s*<\/release>/, "maven-compiler-plugin <release>"],
    [/<java\.version>\s*([\d.]+)\s*</, "java.version"],
    [/<maven\.compiler\.target>\s*([\d.]+)\s*</, "maven.compiler.target"],
    [/<maven\.compiler\.source>\s*([\d.]+)\s*</, "maven.compiler.source"],
  ] as const) {
    const match = pattern.exec(pom);
    if (match) {
      requests.push({
        requested: javaRelease(match[1]!),
        kind: "pin",
        source: { file: "pom.xml", line: lineOf(pom, match[0]), detail },
      });
      break;
    }
  }
  if (gradleFile) {
    for (const [pattern, detail] of [
      [/JavaLanguageVersion\.of\(\s*(\d+)\s*\)/, "java toolchain languageVersion"],
      [/jvmToolchain\(\s*(\d+)\s*\)/, "kotlin jvmToolchain"],
      [
        /sourceCompatibility\s*=\s*(?:JavaVersion\.)?["']?(VERSION_[\d_]+|[\d.]+)["']?/,
        "sourceCompatibility",
      ],
      [
        /targetCompatibility\s*=\s*(?:JavaVersion\.)?["']?(VERSION_[\d_]+|[\d.]+)["']?/,
        "targetCompatibility",
      ],
    ] as const) {
      const match = pattern.exec(gradle);
      if (match) {
        requests.push({
          requested: javaRelease(match[1]!),
          kind: "pin",
          source: { file: gradleFile, line: lineOf(gradle, match[0]), detail },
        });
        break;
      }
    }
  }
  return requests;
}

/** `server.port` in application.properties / application.yml (main resources). */
function serverPort(files: ProjectFiles): { value: number; source: Evidence } | undefined {
  for (const file of [
    "src/main/resources/application.properties",
    "src/main/resources/application.yml",
    "src/main/resources/application.yaml",
  ]) {
    const text = files.read(file);
    if (!text) continue;
    const match =
      /^server\.port\s*[=:]\s*(?:\$\{PORT:)?(\d{2,5})/m.exec(text) ??
      /^server:\s*\n(?:\s+.*\n)*?\s+port:\s*(?:\$\{PORT:)?(\d{2,5})/m.exec(text);
    if (match)
      return {
        value: Number(match[1]),
        source: {
          file,
          line: lineOf(text, match[0].split("\n").pop()!.trim()),
          detail: `server.port ${match[1]}`,
        },
      };
  }
  return undefined;
}
