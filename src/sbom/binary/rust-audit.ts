/**
 * cargo-auditable data (https://github.com/rust-secure-code/cargo-auditable, format in
 * PARSING.md): an ELF section `.dep-v0` holding zlib-compressed JSON
 * `{"packages": [{"name", "version", "source", "kind", "dependencies": [index], "root"}]}`.
 */
import { inflateSync } from "node:zlib";
import { type ElfFile, sectionData } from "./elf.ts";

export interface AuditablePackage {
  name: string;
  version: string;
  source?: string;
  kind?: string;
  root?: boolean;
  dependencies?: number[];
}

export function readCargoAuditable(b: Buffer, elf: ElfFile): AuditablePackage[] | undefined {
  const data = sectionData(b, elf, ".dep-v0");
  if (!data) return undefined;
  try {
    const json = JSON.parse(inflateSync(data, { maxOutputLength: 64 * 1024 * 1024 }).toString("utf8")) as {
      packages?: unknown;
    };
    if (!Array.isArray(json.packages)) return undefined;
    return json.packages.filter(
      (p): p is AuditablePackage =>
        typeof p === "object" && p !== null && typeof p.name === "string" && typeof p.version === "string",
    );
  } catch {
    return undefined;
  }
}
