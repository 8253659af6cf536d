import { describe, expect, it } from "vitest";
import { DISTRO_CAPTURE, detectDistro, distroQualifier, parseOsRelease } from "./distro.ts";
import { fileView } from "./files.ts";
import { type FileSpec, layerIndex } from "./test-kit.ts";

async function detect(files: Record<string, FileSpec>) {
  return detectDistro(fileView([{ index: await layerIndex(files, DISTRO_CAPTURE) }], "squashed"));
}

describe("sbom/distro", () => {
  it("parses os-release quoting", () => {
    expect(parseOsRelease('NAME="Debian \\"GNU\\"/Linux"\nID=debian\n# c\nVERSION_ID=\'12\'\n')).toEqual({
      NAME: 'Debian "GNU"/Linux',
      ID: "debian",
      VERSION_ID: "12",
    });
  });

  it("prefers /etc/os-release, then /usr/lib/os-release", async () => {
    expect(
      await detect({ "/usr/lib/os-release": "ID=ubuntu\nVERSION_ID=22.04\nID_LIKE=debian\n" }),
    ).toMatchObject({
      id: "ubuntu",
      versionId: "22.04",
      idLike: ["debian"],
      source: "/usr/lib/os-release",
    });
  });

  it("detects distroless (os-release with PRETTY_NAME Distroless)", async () => {
    const d = await detect({
      "/etc/os-release": 'PRETTY_NAME="Distroless"\nNAME="Debian GNU/Linux"\nID="debian"\nVERSION_ID="12"\n',
    });
    expect(d).toMatchObject({ id: "debian", versionId: "12", prettyName: "Distroless" });
    expect(distroQualifier(d)).toBe("debian-12");
  });

  it("falls back to the release files", async () => {
    expect(await detect({ "/etc/alpine-release": "3.19.1\n" })).toMatchObject({
      id: "alpine",
      versionId: "3.19.1",
    });
    expect(await detect({ "/etc/debian_version": "12.5\n" })).toMatchObject({
      id: "debian",
      versionId: "12",
    });
    expect(await detect({ "/etc/debian_version": "trixie/sid\n" })).toEqual({
      id: "debian",
      idLike: [],
      source: "/etc/debian_version",
    });
    expect(
      await detect({ "/etc/redhat-release": "Red Hat Enterprise Linux release 8.9 (Ootpa)\n" }),
    ).toMatchObject({
      id: "rhel",
      versionId: "8.9",
    });
    expect(await detect({ "/etc/hostname": "x" })).toBeUndefined();
  });
});
