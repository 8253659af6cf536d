import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { elfWithSections, goBinary, zip } from "../test-helpers/binaries.ts";
import { catalogFiles } from "../test-kit.ts";
import { cataloger as dotnet } from "./dotnet.ts";
import { cataloger as go } from "./go.ts";
import { cataloger as java, nameFromFile } from "./java.ts";
import { cataloger as node } from "./node.ts";
import { cataloger as php } from "./php.ts";
import { cataloger as python } from "./python.ts";
import { parseGemspec, cataloger as ruby } from "./ruby.ts";
import { cataloger as rust } from "./rust.ts";

const summary = (pkgs: Array<{ name: string; version: string; purl?: string }>) =>
  pkgs.map((p) => `${p.name}@${p.version} ${p.purl ?? ""}`.trim());

describe("sbom/catalogers/python", () => {
  it("reads dist-info METADATA (with RECORD) and egg-info in both forms", async () => {
    const packages = await catalogFiles(python, {
      "/usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA":
        "Metadata-Version: 2.1\nName: requests\nVersion: 2.28.1\nLicense: Apache 2.0\n\nlong description\nLicense: not a header\n",
      "/usr/lib/python3/dist-packages/requests-2.28.1.dist-info/RECORD":
        "requests/__init__.py,sha256=x,100\nrequests-2.28.1.dist-info/METADATA,,\n",
      "/usr/local/lib/python3.11/site-packages/Flask_Cors-4.0.0.egg-info/PKG-INFO":
        "Metadata-Version: 2.1\nName: Flask-Cors\nVersion: 4.0.0\nClassifier: License :: OSI Approved :: MIT License\n",
      "/usr/lib/python3/dist-packages/six-1.16.0.egg-info":
        "Metadata-Version: 1.2\nName: six\nVersion: 1.16.0\nLicense: MIT\n",
      "/opt/venv/lib/python3.12/site-packages/attrs-23.1.0.dist-info/METADATA":
        "Metadata-Version: 2.4\nName: attrs\nVersion: 23.1.0\nLicense-Expression: MIT\n",
    });
    expect(summary(packages)).toEqual([
      "attrs@23.1.0 pkg:pypi/attrs@23.1.0",
      "requests@2.28.1 pkg:pypi/requests@2.28.1",
      "six@1.16.0 pkg:pypi/six@1.16.0",
      "Flask-Cors@4.0.0 pkg:pypi/flask-cors@4.0.0",
    ]);
    const requests = packages.find((p) => p.name === "requests")!;
    expect(requests.licenses).toEqual(["Apache-2.0"]);
    expect(requests.ownedFiles).toContain("/usr/lib/python3/dist-packages/requests/__init__.py");
    expect(packages.find((p) => p.name === "Flask-Cors")!.licenses).toEqual(["MIT"]);
  });
});

describe("sbom/catalogers/node", () => {
  it("reads installed packages, scoped and nested, and skips non-package package.json files", async () => {
    const packages = await catalogFiles(node, {
      "/app/package.json": '{"name":"app","version":"1.0.0"}',
      "/app/node_modules/express/package.json": '{"name":"express","version":"4.18.2","license":"MIT"}',
      "/app/node_modules/express/node_modules/debug/package.json":
        '{"name":"debug","version":"2.6.9","license":{"type":"MIT"}}',
      "/app/node_modules/@babel/core/package.json": '{"name":"@babel/core","version":"7.23.0"}',
      "/app/node_modules/@babel/core/lib/package.json": '{"type":"module"}',
      "/usr/local/lib/node_modules/npm/package.json":
        '{"name":"npm","version":"10.2.4","licenses":[{"type":"Artistic-2.0"}]}',
      "/app/node_modules/broken/package.json": "{not json",
      // Bundled copies count; private helpers and examples do not.
      "/app/node_modules/next/dist/compiled/@babel/runtime/package.json":
        '{"name":"@babel/runtime","version":"7.27.0"}',
      "/app/node_modules/terser/bin/package.json": '{"name":"bin","version":"1.0.0","private":true}',
      "/app/node_modules/github-from-package/example/package.json": '{"name":"beep-boop","version":"1.2.3"}',
    });
    expect(summary(packages)).toEqual([
      "@babel/core@7.23.0 pkg:npm/%40babel/core@7.23.0",
      "debug@2.6.9 pkg:npm/debug@2.6.9",
      "express@4.18.2 pkg:npm/express@4.18.2",
      "@babel/runtime@7.27.0 pkg:npm/%40babel/runtime@7.27.0",
      "npm@10.2.4 pkg:npm/npm@10.2.4",
    ]);
    expect(packages.map((p) => p.licenses)).toEqual([[], ["MIT"], ["MIT"], [], ["Artistic-2.0"]]);
    expect(packages[3]!.metadata.bundled).toBe(true);
  });
});

describe("sbom/catalogers/go", () => {
  const modinfo = [
    "path\texample.com/tool",
    "mod\texample.com/tool\t(devel)\t",
    "dep\tgithub.com/pkg/errors\tv0.9.1\th1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=",
    "dep\tgolang.org/x/sys\tv0.1.0\th1:abc=",
    "=>\tgolang.org/x/sys\tv0.2.0\th1:def=",
    "build\t-compiler=gc",
    "build\tCGO_ENABLED=0",
    "",
  ].join("\n");

  it("reads modules, replacements and stdlib from an executable's build info", async () => {
    const packages = await catalogFiles(go, {
      "/usr/local/bin/tool": { content: goBinary("go1.21.5", modinfo, 3000), mode: 0o755 },
      "/usr/local/bin/not-executable": { content: goBinary("go1.21.5", modinfo), mode: 0o644 },
    });
    expect(summary(packages)).toEqual([
      "example.com/tool@(devel) pkg:golang/example.com/tool@(devel)",
      "github.com/pkg/errors@v0.9.1 pkg:golang/github.com/pkg/errors@v0.9.1",
      "golang.org/x/sys@v0.2.0 pkg:golang/golang.org/x/sys@v0.2.0",
      "stdlib@go1.21.5 pkg:golang/stdlib@1.21.5",
    ]);
    const stdlib = packages.find((p) => p.name === "stdlib")!;
    expect(stdlib.cpes).toEqual(["cpe:2.3:a:golang:go:1.21.5:-:*:*:*:*:*:*"]);
    expect(packages[0]!.metadata.buildSettings).toEqual({ "-compiler": "gc", CGO_ENABLED: "0" });
  });
});

describe("sbom/catalogers/rust", () => {
  it("reads cargo-auditable dependency data", async () => {
    const audit = deflateSync(
      JSON.stringify({
        packages: [
          { name: "tool", version: "0.1.0", source: "local", root: true, dependencies: [1] },
          { name: "serde", version: "1.0.190", source: "crates.io" },
        ],
      }),
    );
    const packages = await catalogFiles(rust, {
      "/usr/local/bin/tool": {
        content: elfWithSections({ ".text": Buffer.alloc(2048), ".dep-v0": audit }),
        mode: 0o755,
      },
    });
    expect(summary(packages)).toEqual([
      "tool@0.1.0 pkg:cargo/tool@0.1.0",
      "serde@1.0.190 pkg:cargo/serde@1.0.190",
    ]);
  });
});

describe("sbom/catalogers/java", () => {
  it("splits file names", () => {
    expect(nameFromFile("/x/commons-lang3-3.12.0.jar")).toEqual({ name: "commons-lang3", version: "3.12.0" });
    expect(nameFromFile("/x/app.jar")).toEqual({ name: "app" });
  });

  it("reads pom.properties, manifests and nested archives", async () => {
    const inner = zip({
      "META-INF/MANIFEST.MF": "Manifest-Version: 1.0\r\nImplementation-Title: guava\r\n",
      "META-INF/maven/com.google.guava/guava/pom.properties":
        "groupId=com.google.guava\nartifactId=guava\nversion=32.1.3-jre\n",
    });
    const manifestOnly = zip({
      "META-INF/MANIFEST.MF":
        "Manifest-Version: 1.0\r\nBundle-SymbolicName: org.slf4j.api\r\nBundle-Version: 2.0.9\r\nBundle-License: MIT\r\n",
    });
    const war = zip(
      {
        "META-INF/MANIFEST.MF": "Manifest-Version: 1.0\n",
        "WEB-INF/lib/guava-32.1.3-jre.jar": inner,
        "WEB-INF/lib/slf4j-api-2.0.9.jar": manifestOnly,
      },
      false,
    );
    const packages = await catalogFiles(java, { "/opt/app/shop-1.4.war": war });
    expect(summary(packages)).toEqual([
      "shop@1.4 pkg:maven/shop/shop@1.4",
      "guava@32.1.3-jre pkg:maven/com.google.guava/guava@32.1.3-jre",
      "slf4j-api@2.0.9 pkg:maven/org.slf4j/slf4j-api@2.0.9",
    ]);
    expect(packages[1]!.metadata.archive).toBe("/opt/app/shop-1.4.war:WEB-INF/lib/guava-32.1.3-jre.jar");
    expect(packages[2]!.licenses).toEqual(["MIT"]);
  });
});

describe("sbom/catalogers/ruby", () => {
  it("reads generated gemspecs", async () => {
    const spec = `# -*- encoding: utf-8 -*-
Gem::Specification.new do |s|
  s.name = "rake".freeze
  s.version = "13.0.6"
  s.licenses = ["MIT".freeze]
  s.homepage = "https://github.com/ruby/rake".freeze
end
`;
    expect(parseGemspec(spec)).toEqual({
      name: "rake",
      version: "13.0.6",
      licenses: ["MIT"],
      homepage: "https://github.com/ruby/rake",
    });
    const packages = await catalogFiles(ruby, {
      "/usr/local/bundle/specifications/rake-13.0.6.gemspec": spec,
      "/usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec":
        'Gem::Specification.new do |s|\n  s.name = "json".freeze\n  s.version = "2.6.1".freeze\n  s.license = "Ruby".freeze\nend\n',
    });
    expect(summary(packages)).toEqual(["json@2.6.1 pkg:gem/json@2.6.1", "rake@13.0.6 pkg:gem/rake@13.0.6"]);
  });
});

describe("sbom/catalogers/dotnet and php", () => {
  it("reads NuGet packages from deps.json", async () => {
    const packages = await catalogFiles(dotnet, {
      "/app/app.deps.json": JSON.stringify({
        libraries: {
          "app/1.0.0": { type: "project" },
          "Newtonsoft.Json/13.0.3": { type: "package", sha512: "sha512-x", path: "newtonsoft.json/13.0.3" },
        },
      }),
    });
    expect(summary(packages)).toEqual(["Newtonsoft.Json@13.0.3 pkg:nuget/Newtonsoft.Json@13.0.3"]);
  });

  it("reads Composer 1 and 2 installed.json", async () => {
    const packages = await catalogFiles(php, {
      "/var/www/vendor/composer/installed.json": JSON.stringify({
        packages: [{ name: "monolog/monolog", version: "3.5.0", license: ["MIT"] }],
      }),
      "/srv/old/vendor/composer/installed.json": JSON.stringify([{ name: "psr/log", version: "1.1.4" }]),
    });
    expect(summary(packages)).toEqual([
      "psr/log@1.1.4 pkg:composer/psr/log@1.1.4",
      "monolog/monolog@3.5.0 pkg:composer/monolog/monolog@3.5.0",
    ]);
  });
});
