import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectProject } from "./detect.ts";
import type { Detection } from "./types.ts";

const FIXTURES = join(import.meta.dirname, "__fixtures__");
const DATE = "2026-08-22";

function detect(name: string, path?: string): Detection {
  const project = detectProject({ dir: join(FIXTURES, name), date: DATE, ...(path ? { path } : {}) });
  if (!project.primary) throw new Error(`no primary detection in ${name}`);
  return project.primary;
}

describe("Python detection", () => {
  it("uv: requires-python range, lockfile wheel tags, FastAPI start command", () => {
    const d = detect("python-uv");
    expect(d.stack).toBe("python");
    expect(d.runtime.line).toBe("3.12");
    expect(d.runtime.from).toMatchObject({
      requested: ">=3.10,<3.13",
      kind: "range",
      source: { file: "pyproject.toml", line: 6 },
    });
    expect(d.packageManager).toMatchObject({ name: "uv", lockfile: "uv.lock" });
    expect(d.framework?.name).toBe("FastAPI");
    expect(d.start?.argv).toEqual(["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]);
    expect(d.port?.value).toBe(8000);
    const numpy = d.native.find((n) => n.package === "numpy");
    expect(numpy).toMatchObject({
      kind: "platform-wheels",
      source: { file: "uv.lock" },
      prebuilt: { glibc: { amd64: true, arm64: true }, musl: { amd64: true, arm64: false } },
      needsCompiler: false,
    });
    // Pure-Python wheels and the editable project itself are not native code.
    expect(d.native.map((n) => n.package)).toEqual(["numpy"]);
  });

  it("pip: .python-version pin, Flask + gunicorn, known sdist-only package", () => {
    const d = detect("python-pip");
    expect(d.runtime).toMatchObject({
      line: "3.12",
      from: { requested: "3.12.4", kind: "pin", source: { file: ".python-version" } },
    });
    expect(d.packageManager).toMatchObject({ name: "pip", source: { file: "requirements.txt" } });
    expect(d.packageManager.lockfile).toBeUndefined();
    expect(d.framework).toMatchObject({ name: "Flask", source: { file: "app.py", line: 5 } });
    expect(d.start?.argv).toEqual(["gunicorn", "app:app", "--bind", "0.0.0.0:8000"]);
    expect(d.native).toEqual([
      expect.objectContaining({
        package: "psycopg2",
        kind: "known-native",
        needsCompiler: true,
        buildPackages: ["libpq-dev"],
        runtimePackages: ["libpq5"],
      }),
    ]);
  });

  it("Poetry: caret range, Django WSGI target, sdist-only dependency in poetry.lock", () => {
    const d = detect("python-poetry");
    expect(d.runtime.line).toBe("3.13");
    expect(d.runtime.from?.source).toMatchObject({
      file: "pyproject.toml",
      detail: "[tool.poetry.dependencies] python",
    });
    expect(d.packageManager).toMatchObject({ name: "poetry", lockfile: "poetry.lock" });
    expect(d.framework).toMatchObject({ name: "Django", source: { file: "mysite/settings.py" } });
    expect(d.start?.argv).toEqual(["gunicorn", "mysite.wsgi:application", "--bind", "0.0.0.0:8000"]);
    expect(d.native[0]).toMatchObject({
      package: "mysqlclient",
      kind: "sdist-only",
      needsCompiler: true,
      runtimePackages: ["libmariadb3"],
    });
  });

  it("Pipenv and PDM", () => {
    expect(detect("python-pipenv")).toMatchObject({
      packageManager: { name: "pipenv", lockfile: "Pipfile.lock" },
      runtime: { line: "3.11", from: { source: { file: "Pipfile" } } },
      start: { argv: ["python", "main.py"] },
    });
    const pdm = detect("python-pdm");
    expect(pdm.packageManager).toMatchObject({ name: "pdm", lockfile: "pdm.lock" });
    expect(pdm.native[0]).toMatchObject({
      package: "orjson",
      prebuilt: { musl: { amd64: true, arm64: true } },
    });
  });

  it("missing lockfile: pyproject dependencies install with the project, and says so", () => {
    const d = detect("python-missing-lock");
    expect(d.packageManager.name).toBe("pip");
    expect(d.app).toMatchObject({ kind: "python", installsProject: true });
    expect(d.notes.join("\n")).toMatch(/no lockfile/);
    expect(d.start?.argv).toEqual(["gunicorn", "shop:app", "--bind", "0.0.0.0:8000"]);
  });

  it("version range below the newest lines picks the newest supported match", () => {
    const d = detect("version-ranges");
    expect(d.runtime.line).toBe("3.11");
    expect(d.runtime.reason).toMatch(
      /requires-python in pyproject.toml:4 allows 3\.10–3\.11 among supported lines/,
    );
  });
});

describe("Node detection", () => {
  it("npm: engines range, Express, port from code", () => {
    const d = detect("node-npm");
    expect(d.runtime).toMatchObject({
      line: "22",
      from: { requested: ">=18 <23", source: { file: "package.json", detail: "engines.node" } },
    });
    expect(d.packageManager).toMatchObject({ name: "npm", lockfile: "package-lock.json" });
    expect(d.framework?.name).toBe("Express");
    expect(d.start?.argv).toEqual(["node", "server.js"]);
    expect(d.port).toMatchObject({ value: 8080, source: { file: "server.js", line: 4 } });
    expect(d.native).toEqual([]);
  });

  it("native modules: hasInstallScript and platform packages with libc", () => {
    const d = detect("node-native");
    const byPackage = Object.fromEntries(d.native.map((n) => [n.package, n]));
    expect(byPackage.bcrypt).toMatchObject({ kind: "install-script", source: { file: "package-lock.json" } });
    expect(byPackage["@img/sharp"]).toMatchObject({
      kind: "platform-binaries",
      prebuilt: { glibc: { amd64: true, arm64: true }, musl: { amd64: true, arm64: false } },
    });
  });

  it("Next.js with an nvm alias and standalone output", () => {
    const d = detect("node-next");
    expect(d.runtime).toMatchObject({
      line: "20",
      from: { requested: "lts/iron", source: { file: ".nvmrc" } },
      endOfLife: true,
    });
    expect(d.app).toMatchObject({ kind: "node", buildScript: "next build", nextStandalone: true });
    expect(d.start?.argv).toEqual(["node", "server.js"]);
  });

  it("pnpm, Yarn Berry and classic, Bun", () => {
    expect(detect("node-pnpm")).toMatchObject({
      packageManager: { name: "pnpm", version: "9.7.0", lockfile: "pnpm-lock.yaml" },
      framework: { name: "NestJS" },
      start: { argv: ["node", "dist/main.js"] },
    });
    expect(detect("node-yarn-berry")).toMatchObject({
      packageManager: { name: "yarn", variant: "berry", version: "4.3.1" },
      app: { installFiles: [".yarnrc.yml", ".yarn/releases"] },
    });
    expect(detect("node-yarn-classic").packageManager).toMatchObject({
      name: "yarn",
      variant: "classic",
      lockfile: "yarn.lock",
    });
    expect(detect("node-bun")).toMatchObject({
      packageManager: { name: "bun", lockfile: "bun.lock" },
      start: { argv: ["bun", "run", "index.js"] },
    });
  });

  it("missing lockfile: npm install instead of npm ci, noted", () => {
    const d = detect("node-missing-lock");
    expect(d.packageManager.lockfile).toBeUndefined();
    expect(d.notes.join("\n")).toMatch(/no lockfile for npm/);
  });
});

describe("compiled languages", () => {
  it("Go: toolchain line over the go line, chi, port", () => {
    const d = detect("go-basic");
    expect(d.runtime).toMatchObject({
      line: "1.23",
      from: { kind: "pin", source: { file: "go.mod", line: 5 } },
    });
    expect(d.runtime.others[0]).toMatchObject({ requested: "1.22.3", kind: "minimum" });
    expect(d.app).toMatchObject({
      kind: "go",
      mainPackage: ".",
      binary: "hello",
      cgo: false,
      hasGoSum: true,
    });
    expect(d.port?.value).toBe(9000);
  });

  it("Go: cmd/* main packages and cgo through go-sqlite3", () => {
    const d = detect("go-cmd");
    expect(d.runtime.line).toBe("1.26");
    expect(d.app).toMatchObject({
      mainPackage: "./cmd/api",
      otherMains: ["./cmd/migrate"],
      binary: "api",
      cgo: true,
    });
    expect(d.native[0]).toMatchObject({ kind: "cgo", package: "github.com/mattn/go-sqlite3" });
  });

  it("Rust: rust-toolchain.toml channel, openssl-sys, axum port", () => {
    const d = detect("rust-basic");
    expect(d.runtime).toMatchObject({ line: "1.80", from: { source: { file: "rust-toolchain.toml" } } });
    expect(d.app).toMatchObject({ kind: "rust", binary: "ledger", openssl: true, stubFetch: true });
    expect(d.port?.value).toBe(3000);
  });

  it("Java: Maven Spring Boot java.version and server.port; Gradle toolchain", () => {
    const maven = detect("java-maven");
    expect(maven).toMatchObject({
      runtime: { line: "17", from: { source: { file: "pom.xml", detail: "java.version" } } },
      framework: { name: "Spring Boot" },
      port: { value: 9090, source: { file: "src/main/resources/application.properties" } },
      app: { tool: "maven", wrapper: true, springBoot: true },
    });
    expect(detect("java-gradle")).toMatchObject({
      runtime: { line: "21", from: { source: { file: "build.gradle.kts" } } },
      app: { tool: "gradle", kotlinDsl: true, springBoot: true, name: "billing" },
    });
  });

  it(".NET: TargetFramework, assembly name, web SDK, port 8080", () => {
    expect(detect("dotnet-web")).toMatchObject({
      runtime: { line: "8.0", from: { source: { file: "Api.csproj", line: 3 } } },
      framework: { name: "ASP.NET Core" },
      start: { argv: ["dotnet", "Contoso.Api.dll"] },
      port: { value: 8080 },
      app: { invariantGlobalization: true, restoreFiles: ["global.json"] },
    });
  });

  it("Ruby on Rails and PHP Laravel", () => {
    const ruby = detect("ruby-rails");
    expect(ruby).toMatchObject({
      runtime: { line: "3.3", from: { source: { file: ".ruby-version" } } },
      packageManager: { name: "bundler", lockfile: "Gemfile.lock", version: "2.5.11" },
      framework: { name: "Rails" },
      port: { value: 3000 },
    });
    expect(ruby.native.find((n) => n.package === "pg")).toMatchObject({
      runtimePackages: ["libpq5"],
      needsCompiler: true,
    });
    const php = detect("php-laravel");
    expect(php).toMatchObject({
      runtime: { line: "8.4", from: { requested: "^8.2", source: { file: "composer.json" } } },
      framework: { name: "Laravel" },
      app: { docroot: "public", extensions: ["intl", "pdo_mysql"], writable: ["storage", "bootstrap/cache"] },
    });
  });
});

describe("polyglot and monorepo projects", () => {
  it("a backend wins over front-end tooling, and says so", () => {
    const project = detectProject({ dir: join(FIXTURES, "polyglot-django-vite"), date: DATE });
    expect(project.detections.map((d) => d.stack).sort()).toEqual(["node", "python"]);
    expect(project.primary?.stack).toBe("python");
    expect(project.polyglot?.reason).toMatch(
      /Node\.js .* looks like front-end or build tooling .* a backend wins over front-end tooling/,
    );
    expect(project.primary?.notes.join("\n")).toMatch(/package.json has a build script \(vite build\)/);
  });

  it("a monorepo lists its apps (libraries left out); --path picks one", () => {
    const project = detectProject({ dir: join(FIXTURES, "monorepo"), date: DATE });
    expect(project.primary).toBeUndefined();
    expect(project.monorepo?.tool).toBe("package.json workspaces");
    expect(project.monorepo?.candidates.map((c) => [c.path, c.stacks])).toEqual([
      ["apps/api", ["node"]],
      ["apps/web", ["node"]],
      ["services/worker", ["go"]],
    ]);
    const api = detectProject({ dir: join(FIXTURES, "monorepo"), path: "apps/api", date: DATE });
    expect(api.primary).toMatchObject({ stack: "node", port: { value: 3001 } });
    expect(detect("monorepo", "services/worker").stack).toBe("go");
  });

  it("rejects a --path that does not exist", () => {
    expect(() => detectProject({ dir: join(FIXTURES, "monorepo"), path: "nope", date: DATE })).toThrow(
      /--path nope: no such folder/,
    );
  });
});
