/**
 * .NET detection: the project file (root *.csproj/*.fsproj/*.vbproj, or the web project a
 * solution lists), TargetFramework(s) (also in Directory.Build.props), global.json's SDK,
 * the Web SDK (ASP.NET Core), AssemblyName, InvariantGlobalization and PublishAot.
 * Sources: shared/reference/base-images-and-generators.md §2, §3 (.NET);
 * https://learn.microsoft.com/dotnet/core/docker/container-images and the .NET 8 port change
 * (ASPNETCORE_HTTP_PORTS=8080, https://learn.microsoft.com/dotnet/core/compatibility/containers/8.0/aspnet-port).
 */
import { lineOf, type ProjectFiles } from "../project-files.ts";
import { resolveRuntime, type VersionRequest } from "../runtime.ts";
import type { Detection, DotnetApp, Evidence } from "../types.ts";
import type { DetectContext } from "./common.ts";

const PROJECT = /\.(cs|fs|vb)proj$/;

export function detectDotnet(ctx: DetectContext): Detection | null {
  const { files } = ctx;
  const notes: string[] = [];
  const markers: Evidence[] = [];
  const solutions = files.filesMatching(/\.slnx?$/);
  let projects = files.filesMatching(PROJECT);
  for (const solution of solutions) markers.push({ file: solution });
  if (projects.length === 0) {
    projects = solutions.flatMap((s) => solutionProjects(files, s));
    if (projects.length === 0 && solutions.length > 0) projects = files.walk(PROJECT, { depth: 3 });
  }
  if (projects.length === 0) return null;
  const texts = new Map(projects.map((p) => [p, files.read(p) ?? ""]));
  const web = projects.filter((p) =>
    /Sdk\s*=\s*"Microsoft\.NET\.Sdk\.(Web|Razor|BlazorWebAssembly)"/.test(texts.get(p)!),
  );
  const runnable = projects.filter((p) => /<OutputType>\s*Exe\s*</i.test(texts.get(p)!) || web.includes(p));
  const candidates = (web.length > 0 ? web : runnable.length > 0 ? runnable : projects).filter(
    (p) => !/test/i.test(p),
  );
  const project = candidates[0] ?? projects[0]!;
  if (candidates.length > 1)
    notes.push(`several runnable projects (${candidates.join(", ")}); building ${project}`);
  markers.push({ file: project });
  const text = texts.get(project)!;
  const dir = project.includes("/") ? project.slice(0, project.lastIndexOf("/")) : ".";
  const props = [
    dir === "." ? "Directory.Build.props" : `${dir}/Directory.Build.props`,
    "Directory.Build.props",
  ].find((f) => files.isFile(f));
  const propsText = props ? (files.read(props) ?? "") : "";
  const property = (name: string) =>
    new RegExp(`<${name}>\\s*([^<]+?)\\s*</${name}>`).exec(text)?.[1] ??
    new RegExp(`<${name}>\\s*([^<]+?)\\s*</${name}>`).exec(propsText)?.[1];

  const requests: VersionRequest[] = [];
  const tfm = /<TargetFrameworks?>\s*([^<]+)</.exec(text) ?? /<TargetFrameworks?>\s*([^<]+)</.exec(propsText);
  if (tfm) {
    const frameworks = tfm[1]!
      .split(";")
      .map((f) => f.trim())
      .filter((f) => /^net\d+\.\d+/.test(f));
    const newest = frameworks.sort(
      (a, b) => Number.parseFloat(b.slice(3)) - Number.parseFloat(a.slice(3)),
    )[0];
    if (newest) {
      const file = tfm.input === text ? project : props!;
      requests.push({
        requested: newest.replace(/^net/, "").replace(/-.*$/, ""),
        kind: "pin",
        source: { file, line: lineOf(tfm.input, tfm[0]), detail: tfm[0].replace(/<$/, "").trim() + "</...>" },
      });
    }
  }
  const globalJson = files.json("global.json") as { sdk?: { version?: string } } | null;
  if (globalJson?.sdk?.version) {
    requests.push({
      requested: globalJson.sdk.version,
      kind: "pin",
      source: { file: "global.json", detail: `sdk.version ${globalJson.sdk.version}` },
    });
  }
  const runtime = resolveRuntime("dotnet", requests, { date: ctx.date });
  if (!runtime.line.includes(".")) runtime.line = `${runtime.line}.0`;

  const assembly = property("AssemblyName") ?? project.split("/").pop()!.replace(PROJECT, "");
  const isWeb = web.includes(project);
  const app: DotnetApp = {
    kind: "dotnet",
    project,
    assembly,
    web: isWeb,
    invariantGlobalization: /^true$/i.test(property("InvariantGlobalization") ?? ""),
    publishAot: /^true$/i.test(property("PublishAot") ?? ""),
    restoreFiles: [
      "Directory.Build.props",
      "Directory.Build.targets",
      "Directory.Packages.props",
      "NuGet.config",
      "nuget.config",
      "global.json",
    ].filter((f) => files.isFile(f)),
    projectReferences: [...text.matchAll(/<ProjectReference\s+Include="([^"]+)"/g)].map((m) =>
      m[1]!.replaceAll("\\", "/"),
    ),
  };
  if (app.projectReferences.length > 0)
    notes.push(
      "the project references other projects: the Dockerfile copies the whole source before restore",
    );
  const major = Number.parseInt(runtime.line, 10);
  const port = isWeb
    ? {
        value: major >= 8 ? 8080 : 80,
        source: {
          file: project,
          detail:
            major >= 8
              ? "ASP.NET Core 8+ listens on 8080 (ASPNETCORE_HTTP_PORTS)"
              : "ASP.NET Core listens on 80",
        },
      }
    : undefined;
  return {
    stack: "dotnet",
    language: ".NET",
    markers,
    runtime,
    packageManager: {
      name: "dotnet",
      source: { file: project },
      ...(files.isFile(`${dir === "." ? "" : `${dir}/`}packages.lock.json`)
        ? { lockfile: "packages.lock.json" }
        : {}),
    },
    ...(isWeb
      ? {
          framework: {
            name: "ASP.NET Core",
            source: {
              file: project,
              line: lineOf(text, "Microsoft.NET.Sdk.Web"),
              detail: "Sdk=Microsoft.NET.Sdk.Web",
            },
          },
        }
      : {}),
    start: app.publishAot
      ? { argv: [`/app/${assembly}`], source: { file: project, detail: "PublishAot" } }
      : { argv: ["dotnet", `${assembly}.dll`], source: { file: project, detail: `assembly ${assembly}` } },
    ...(port ? { port } : {}),
    native: [],
    dependencies: [...text.matchAll(/<PackageReference\s+Include="([^"]+)"/g)].map((m) => m[1]!),
    app,
    backendScore: isWeb ? 2 : runnable.includes(project) ? 1 : 0,
    notes,
  };
}

/** Project paths listed in a .sln (`Project(...) = "Name", "src\Name\Name.csproj", ...`) or .slnx. */
function solutionProjects(files: ProjectFiles, solution: string): string[] {
  const text = files.read(solution) ?? "";
  const paths = [
    ...[...text.matchAll(/Project\("[^"]*"\)\s*=\s*"[^"]*",\s*"([^"]+\.(?:cs|fs|vb)proj)"/g)].map(
      (m) => m[1]!,
    ),
    ...[...text.matchAll(/<Project\s+Path="([^"]+\.(?:cs|fs|vb)proj)"/g)].map((m) => m[1]!),
  ];
  return paths.map((p) => p.replaceAll("\\", "/")).filter((p) => files.isFile(p));
}
