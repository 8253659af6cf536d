import { describe, expect, it } from "vitest";
import { catalogFiles } from "../test-kit.ts";
import { apkLicenses, cataloger, parseApkInstalled } from "./apk.ts";

const INSTALLED = `C:Q1abc=
P:musl
V:1.2.4-r2
A:x86_64
S:383152
I:622592
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Timo Teräs <timo.teras@iki.fi>
t:1698063512
c:f93af038c3de7146121c2ea8124ba5ce29b4b058
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
R:libc.musl-x86_64.so.1

C:Q1def=
P:libcrypto3
V:3.1.4-r5
A:x86_64
L:Apache-2.0
o:openssl
D:so:libc.musl-x86_64.so.1
p:so:libcrypto.so.3=3
F:usr/lib
R:libcrypto.so.3
`;

describe("sbom/catalogers/apk", () => {
  it("parses fields and owned files", () => {
    const [musl, crypto] = parseApkInstalled(INSTALLED);
    expect(musl).toMatchObject({ name: "musl", version: "1.2.4-r2", origin: "musl", size: 383152 });
    expect(musl!.files).toEqual(["/lib/ld-musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1"]);
    expect(crypto!.dependencies).toEqual(["so:libc.musl-x86_64.so.1"]);
    expect(crypto!.files).toEqual(["/usr/lib/libcrypto.so.3"]);
  });

  it("reads licences as expressions or space-separated lists", () => {
    expect(apkLicenses("MIT AND BSD-2-Clause")).toEqual(["MIT AND BSD-2-Clause"]);
    expect(apkLicenses("MIT BSD GPL2+")).toEqual(["BSD-3-Clause", "GPL2+", "MIT"]);
  });

  it("builds syft's purl (upstream only when the origin differs)", async () => {
    const packages = await catalogFiles(cataloger, {
      "/etc/os-release": "ID=alpine\nVERSION_ID=3.18.4\n",
      "/lib/apk/db/installed": INSTALLED,
    });
    expect(packages.map((p) => p.purl)).toEqual([
      "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.18.4",
      "pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=alpine-3.18.4&upstream=openssl",
    ]);
  });
});
