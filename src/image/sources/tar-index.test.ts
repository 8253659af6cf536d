import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DrydockError } from "../../errors.ts";
import { makeTar } from "../test-helpers/tar.ts";
import { indexTarFile } from "./tar-index.ts";

const dir = mkdtempSync(join(tmpdir(), "drydock-tar-index-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

function file(data: Buffer): string {
  const path = join(dir, `a-${counter++}.tar`);
  writeFileSync(path, data);
  return path;
}

describe("indexTarFile", () => {
  it("finds each member's data by offset, with long names, links and ./ prefixes", async () => {
    const longName = `blobs/${"x".repeat(150)}/layer.tar`;
    const tar = await makeTar([
      { name: "./manifest.json", content: '{"a":1}' },
      { name: "abc/", type: "directory" },
      { name: longName, content: Buffer.alloc(70_000, 9) },
      { name: "abc/layer.tar", type: "symlink", linkname: "../blobs/layer.tar" },
      { name: "hard", type: "link", linkname: "manifest.json" },
    ]);
    const path = file(tar);
    const members = await indexTarFile(path);
    expect(members.map((m) => [m.name, m.type, m.size, m.linkname])).toEqual([
      ["manifest.json", "file", 7, ""],
      ["abc/", "directory", 0, ""],
      [longName, "file", 70_000, ""],
      ["abc/layer.tar", "symlink", 0, "../blobs/layer.tar"],
      ["hard", "link", 0, "manifest.json"],
    ]);
    const bytes = readFileSync(path);
    const at = (name: string) => members.find((m) => m.name === name)!;
    expect(bytes.toString("utf8", at("manifest.json").offset, at("manifest.json").offset + 7)).toBe(
      '{"a":1}',
    );
    const big = at(longName);
    expect(bytes.subarray(big.offset, big.offset + big.size).equals(Buffer.alloc(70_000, 9))).toBe(true);
  });

  it("stops at the end-of-archive marker (what follows is not read as members)", async () => {
    const tar = await makeTar([{ name: "a", content: "1" }]);
    const members = await indexTarFile(file(Buffer.concat([tar, Buffer.alloc(4096, 0x41)])));
    expect(members.map((m) => m.name)).toEqual(["a"]);
  });

  it("rejects a truncated archive and a damaged header with one-line errors", async () => {
    const tar = await makeTar([{ name: "big", content: Buffer.alloc(10_000, 1) }]);
    const truncated = await indexTarFile(file(tar.subarray(0, 4096))).catch((e: unknown) => e);
    expect(truncated).toBeInstanceOf(DrydockError);
    expect((truncated as DrydockError).code).toBe("CORRUPT_ARCHIVE");
    expect((truncated as Error).message).toMatch(/the archive ends in the middle of an entry \(truncated\)$/);
    const damaged = Buffer.from(tar);
    damaged[10] = 0x7f;
    const bad = await indexTarFile(file(damaged)).catch((e: unknown) => e);
    expect((bad as DrydockError).code).toBe("CORRUPT_ARCHIVE");
    expect((bad as Error).message).toMatch(/not a valid tar archive \(bad header checksum at offset 0\)/);
  });

  it("bounds the number of members", async () => {
    const tar = await makeTar([
      { name: "a", content: "1" },
      { name: "b", content: "2" },
      { name: "c", content: "3" },
    ]);
    await expect(indexTarFile(file(tar), { maxMembers: 2 })).rejects.toThrow(/more than 2 members/);
  });
});
