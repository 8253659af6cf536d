/**
 * Rust crates compiled into binaries built with cargo-auditable (see binary/rust-audit.ts).
 * Every crate in the dependency tree is reported, the root (the binary's own crate) included,
 * as syft does. purl: pkg:cargo/NAME@VERSION.
 */
import { EXECUTABLE_CAPTURE, type ExecutableFacts } from "../binary/executables.ts";
import { purl } from "../identity.ts";
import type { Cataloger, CatalogInput, Package } from "../types.ts";

const NAME = "cargo-auditable-binary-cataloger";

function catalog(input: CatalogInput): Package[] {
  const { files } = input;
  const packages: Package[] = [];
  for (const ref of files.find(() => true)) {
    const facts = files.extracted(ref) as ExecutableFacts | undefined;
    for (const crate of facts?.rust ?? []) {
      const metadata: Record<string, unknown> = {};
      if (crate.source) metadata.source = crate.source;
      if (crate.kind) metadata.kind = crate.kind;
      if (crate.root) metadata.root = true;
      packages.push({
        name: crate.name,
        version: crate.version,
        type: "rust-crate",
        foundBy: NAME,
        purl: purl("cargo", undefined, crate.name, crate.version),
        cpes: [],
        licenses: [],
        locations: [files.location(ref)],
        metadata,
      });
    }
  }
  return packages;
}

export const cataloger: Cataloger = { name: NAME, capture: [EXECUTABLE_CAPTURE], catalog };
