/**
 * RPM packages from the rpm database in any of its three backends (see rpm/databases.ts), at
 * the paths syft and trivy read: {var/lib,usr/share,usr/lib/sysimage}/rpm/{Packages,
 * Packages.db,rpmdb.sqlite}. `gpg-pubkey` entries are imported keys, not packages.
 * purl as syft writes it: pkg:rpm/rhel/NAME@VERSION-RELEASE?arch=ARCH&epoch=N&upstream=SRPM&distro=rhel-9.3.
 */
import { introducedIn } from "../attribution.ts";
import { distroQualifier } from "../distro.ts";
import type { FileRef } from "../files.ts";
import { normalizeLicense, purl } from "../identity.ts";
import { readRpmDb } from "../rpm/databases.ts";
import { type RpmHeader, readRpmHeader } from "../rpm/header.ts";
import type { Cataloger, CatalogInput, Package } from "../types.ts";

const NAME = "rpm-db-cataloger";
const DB_PATH =
  /(?:^|\/)(?:var\/lib|usr\/share|usr\/lib\/sysimage)\/rpm\/(?:Packages|Packages\.db|rpmdb\.sqlite)$/;
const isRpmDb = (path: string) => DB_PATH.test(path);

export function readRpmPackages(content: Buffer): RpmHeader[] {
  const out: RpmHeader[] = [];
  for (const blob of readRpmDb(content)) {
    const header = readRpmHeader(blob);
    if (header && header.name !== "gpg-pubkey") out.push(header);
  }
  return out;
}

export function rpmVersion(h: Pick<RpmHeader, "epoch" | "version" | "release">): string {
  const vr = h.release ? `${h.version}-${h.release}` : h.version;
  return h.epoch !== undefined && h.epoch !== 0 ? `${h.epoch}:${vr}` : vr;
}

const keyOf = (h: RpmHeader) => `${h.name}\u0000${rpmVersion(h)}\u0000${h.arch ?? ""}`;

/** The database is parsed during the layer pass: only the headers' facts stay in memory. */
async function extractRpmDb(_path: string, stream: AsyncIterable<Buffer>): Promise<RpmDbResult> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  try {
    return { headers: readRpmPackages(Buffer.concat(chunks)) };
  } catch (error) {
    return { headers: [], error: (error as Error).message };
  }
}

interface RpmDbResult {
  headers: RpmHeader[];
  error?: string;
}

const headersAt = (files: CatalogInput["files"], ref: FileRef) =>
  (files.extracted(ref) as RpmDbResult | undefined)?.headers ?? [];

function catalog(input: CatalogInput): Package[] {
  const { files, distro } = input;
  const packages: Package[] = [];
  for (const db of files.find(isRpmDb)) {
    const headers = headersAt(files, db);
    const introduced = introducedIn(files, db.path, (ref) => headersAt(files, ref).map(keyOf), db.layer);
    for (const h of headers) {
      const layer = introduced.get(keyOf(h)) ?? db.layer;
      const metadata: Record<string, unknown> = {
        architecture: h.arch,
        release: h.release,
      };
      if (h.epoch !== undefined) metadata.epoch = h.epoch;
      if (h.sourceRpm) metadata.sourceRpm = h.sourceRpm;
      if (h.vendor) metadata.vendor = h.vendor;
      if (h.size !== undefined) metadata.size = h.size;
      if (h.modularityLabel) metadata.modularityLabel = h.modularityLabel;
      packages.push({
        name: h.name,
        version: rpmVersion(h),
        type: "rpm",
        foundBy: NAME,
        ...(distro
          ? {
              purl: purl("rpm", distro.id, h.name, h.release ? `${h.version}-${h.release}` : h.version, {
                arch: h.arch,
                epoch: h.epoch !== undefined && h.epoch !== 0 ? String(h.epoch) : undefined,
                upstream: h.sourceRpm,
                distro: distroQualifier(distro),
              }),
            }
          : {}),
        cpes: [],
        licenses: h.license ? [normalizeLicense(h.license)] : [],
        locations: [files.location({ path: db.path, layer })],
        metadata,
        ownedFiles: h.files,
      });
    }
  }
  return packages;
}

export const cataloger: Cataloger = {
  name: NAME,
  capture: [{ matches: isRpmDb, maxBytes: 1024 * 1024 * 1024, extract: extractRpmDb }],
  catalog,
};
