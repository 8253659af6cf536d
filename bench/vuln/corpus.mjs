/**
 * Synthetic OSV data for the vulnerability benchmark: per-ecosystem `all.zip` files shaped like
 * OSV's (one JSON record per entry, deflated), and a CycloneDX SBOM of packages from the same
 * ecosystems. Record shapes follow the real feeds:
 *  - Debian (DEBIAN-CVE-*): one record per CVE, affected entries for several releases
 *    (`Debian:11`, `Debian:12`, `Debian:13`), urgency in ecosystem_specific, upstream CVE,
 *    often no fix in one release;
 *  - Ubuntu (UBUNTU-CVE-*): releases `Ubuntu:20.04:LTS`..`Ubuntu:24.04:LTS`, a CVSS vector and
 *    an `Ubuntu` priority;
 *  - Alpine (ALPINE-CVE-*): releases v3.17..v3.20, fixed versions `-rN`;
 *  - GitHub advisories for PyPI (with the long `versions` lists osv.dev enumerates), npm,
 *    Maven and Go (SEMVER ranges, ecosystem_specific imports), with CVE aliases, CVSS v3/v4
 *    vectors (drawn, skewed, from pools of 1,500 v3 and 800 v4 vectors: real feeds repeat
 *    vectors), database_specific.severity, references and a few paragraphs of details.
 * A seeded PRNG (mulberry32) makes the bytes the same for the same seed. Nothing is copied from
 * a real feed.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { crc32, deflateRawSync } from "node:zlib";

export const DEFAULT_RECORDS = 300_000;
export const DEFAULT_PACKAGES = 2_000;
export const DEFAULT_SEED = 20240601;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Share of records per ecosystem (roughly OSV's mix for a container scanner's use). */
const MIX = [
  ["Debian", 0.3],
  ["Ubuntu", 0.18],
  ["Alpine", 0.08],
  ["PyPI", 0.12],
  ["npm", 0.2],
  ["Maven", 0.07],
  ["Go", 0.05],
];

const WORDS =
  "buffer overflow heap use after free integer underflow crafted request remote attacker denial of service memory corruption parser header validation certificate signature path traversal injection bypass authentication session token leak race condition null pointer dereference out of bounds read write allows via".split(
    " ",
  );

/** A zip file written entry by entry (PKWARE APPNOTE: local headers, central directory, end). */
class ZipWriter {
  constructor(path) {
    this.fd = openSync(path, "w");
    this.offset = 0;
    this.central = [];
    this.count = 0;
  }
  add(name, text) {
    const data = Buffer.from(text);
    const body = deflateRawSync(data, { level: 1 });
    const nameBytes = Buffer.from(name);
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    writeSync(this.fd, local);
    writeSync(this.fd, nameBytes);
    writeSync(this.fd, body);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt16LE(0x21, 14);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(body.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(this.offset, 42);
    this.central.push(entry, nameBytes);
    this.offset += 30 + nameBytes.length + body.length;
    this.count++;
  }
  close() {
    const directory = Buffer.concat(this.central);
    writeSync(this.fd, directory);
    // More than 65,534 entries (OSV's Debian and npm archives) need the ZIP64 end record and
    // its locator, as OSV's own archives have (APPNOTE 4.3.14-15); the 16-bit counts saturate.
    if (this.count >= 0xffff) {
      const end64 = Buffer.alloc(56);
      end64.writeUInt32LE(0x06064b50, 0);
      end64.writeBigUInt64LE(44n, 4);
      end64.writeUInt16LE(45, 12);
      end64.writeUInt16LE(45, 14);
      end64.writeBigUInt64LE(BigInt(this.count), 24);
      end64.writeBigUInt64LE(BigInt(this.count), 32);
      end64.writeBigUInt64LE(BigInt(directory.length), 40);
      end64.writeBigUInt64LE(BigInt(this.offset), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeBigUInt64LE(BigInt(this.offset + directory.length), 8);
      locator.writeUInt32LE(1, 16);
      writeSync(this.fd, end64);
      writeSync(this.fd, locator);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(Math.min(this.count, 0xffff), 8);
    end.writeUInt16LE(Math.min(this.count, 0xffff), 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(this.offset, 16);
    writeSync(this.fd, end);
    closeSync(this.fd);
  }
}

function generator(seed) {
  const rand = mulberry32(seed);
  const int = (n) => Math.floor(rand() * n);
  const pick = (list) => list[int(list.length)];
  const sentence = (n) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  const details = () => Array.from({ length: 1 + int(3) }, () => `${sentence(25 + int(30))}.`).join("\n\n");
  // Real feeds repeat vectors: advisories draw from a few thousand distinct ones, the common
  // ones far more often (a skewed pick from a pool).
  const v3Pool = Array.from(
    { length: 1500 },
    () =>
      `CVSS:3.1/AV:${pick("NNNAL")}/AC:${pick("LLH")}/PR:${pick("NNLH")}/UI:${pick("NR")}/S:${pick("UUC")}/C:${pick("HLN")}/I:${pick("HLN")}/A:${pick("HLN")}`,
  );
  const v4Pool = Array.from(
    { length: 800 },
    () =>
      `CVSS:4.0/AV:${pick("NNAL")}/AC:${pick("LLH")}/AT:${pick("NNP")}/PR:${pick("NLH")}/UI:${pick("NPA")}/VC:${pick("HLN")}/VI:${pick("HLN")}/VA:${pick("HLN")}/SC:${pick("NNNL")}/SI:${pick("NNNL")}/SA:${pick("NNNL")}`,
  );
  const skewed = (pool) => pool[Math.floor(pool.length * rand() ** 2)];
  const cvss3 = () => skewed(v3Pool);
  const cvss4 = () => skewed(v4Pool);
  const refs = (n, id) =>
    Array.from({ length: n }, (_, i) => ({
      type: i === 0 ? "ADVISORY" : pick(["WEB", "FIX", "REPORT", "PACKAGE"]),
      url:
        i === 0
          ? `https://nvd.nist.gov/vuln/detail/${id}`
          : `https://example.test/${id.toLowerCase()}/${i}/${int(1e6)}`,
    }));
  return { rand, int, pick, sentence, details, cvss3, cvss4, refs };
}

/** Package names per ecosystem (the SBOM draws from the same lists). */
export function packageNames(ecosystem, count) {
  const prefix = {
    Debian: "libdeb",
    Ubuntu: "libubu",
    Alpine: "apk",
    PyPI: "py-pkg",
    npm: "npm-pkg",
    Maven: "org.example.g",
    Go: "example.test/mod",
  }[ecosystem];
  return Array.from({ length: count }, (_, i) => {
    if (ecosystem === "Maven") return `${prefix}${i % 50}:artifact-${i}`;
    if (ecosystem === "Go") return `${prefix}${i % 40}/pkg${i}`;
    return `${prefix}${i}`;
  });
}

const NAMES_PER_ECOSYSTEM = 6_000;

function record(ecosystem, n, g) {
  const year = 2015 + (n % 10);
  const cve = `CVE-${year}-${String(10000 + n).padStart(5, "0")}`;
  const names = packageNames(ecosystem, NAMES_PER_ECOSYSTEM);
  const name = names[g.int(names.length)];
  const modified = new Date(
    Date.UTC(2024, g.int(12), 1 + g.int(28), g.int(24), g.int(60), g.int(60)),
  ).toISOString();
  const published = `${year}-0${1 + g.int(9)}-1${g.int(9)}T00:00:00Z`;
  const minor = g.int(20);
  const patch = g.int(30);
  switch (ecosystem) {
    case "Debian": {
      const releases = ["11", "12", "13"].filter(() => g.rand() < 0.8);
      if (releases.length === 0) releases.push("12");
      return {
        id: `DEBIAN-${cve}`,
        modified,
        published,
        upstream: [cve],
        details: g.details(),
        affected: releases.map((release) => ({
          package: { ecosystem: `Debian:${release}`, name, purl: `pkg:deb/debian/${name}?arch=source` },
          ranges: [
            {
              type: "ECOSYSTEM",
              events: [
                { introduced: "0" },
                ...(g.rand() < 0.7
                  ? [{ fixed: `${1 + minor}.${patch}-${1 + g.int(5)}+deb${release}u${1 + g.int(4)}` }]
                  : []),
              ],
            },
          ],
          ecosystem_specific: {
            urgency: g.pick(["low", "medium", "high", "unimportant", "not yet assigned"]),
          },
        })),
        references: [{ type: "ADVISORY", url: `https://security-tracker.debian.org/tracker/${cve}` }],
      };
    }
    case "Ubuntu": {
      const releases = ["20.04:LTS", "22.04:LTS", "24.04:LTS"].filter(() => g.rand() < 0.7);
      if (releases.length === 0) releases.push("22.04:LTS");
      return {
        id: `UBUNTU-${cve}`,
        modified,
        published,
        upstream: [cve],
        details: g.details(),
        severity: [
          { type: "CVSS_V3", score: g.cvss3() },
          { type: "Ubuntu", score: g.pick(["negligible", "low", "medium", "high"]) },
        ],
        affected: releases.map((release) => ({
          package: { ecosystem: `Ubuntu:${release}`, name },
          ranges: [
            {
              type: "ECOSYSTEM",
              events: [
                { introduced: "0" },
                ...(g.rand() < 0.6
                  ? [{ fixed: `${1 + minor}.${patch}-${g.int(9)}ubuntu0.${g.int(4)}` }]
                  : []),
              ],
            },
          ],
          versions: Array.from(
            { length: 3 + g.int(10) },
            (_, i) => `${1 + minor}.${i}-${g.int(5)}ubuntu${g.int(3)}`,
          ),
        })),
        references: g.refs(3, cve),
      };
    }
    case "Alpine": {
      const releases = ["v3.17", "v3.18", "v3.19", "v3.20"].filter(() => g.rand() < 0.6);
      if (releases.length === 0) releases.push("v3.18");
      return {
        id: `ALPINE-${cve}`,
        modified,
        published,
        upstream: [cve],
        details: g.sentence(20),
        affected: releases.map((release) => ({
          package: { ecosystem: `Alpine:${release}`, name },
          ranges: [
            {
              type: "ECOSYSTEM",
              events: [{ introduced: "0" }, { fixed: `${1 + minor}.${patch}.${g.int(9)}-r${g.int(6)}` }],
            },
          ],
        })),
      };
    }
    default: {
      const ghsa = `GHSA-${n.toString(36).padStart(4, "0")}-${g.int(46656).toString(36).padStart(4, "0")}-${g.int(46656).toString(36).padStart(4, "0")}`;
      const semver = ecosystem === "Go";
      const introduced = g.rand() < 0.5 ? "0" : `${g.int(5)}.${minor}.0`;
      const fixed = `${g.int(5) + 1}.${minor}.${patch}`;
      const affected = {
        package: { ecosystem, name, purl: `pkg:${ecosystem.toLowerCase()}/${name}` },
        ranges: [{ type: semver ? "SEMVER" : "ECOSYSTEM", events: [{ introduced }, { fixed }] }],
        database_specific: { source: "https://example.test/advisories" },
      };
      if (ecosystem === "PyPI") {
        affected.versions = Array.from(
          { length: 20 + g.int(120) },
          (_, i) => `${Math.floor(i / 20)}.${i % 20}.${g.int(3)}`,
        );
      }
      if (semver) {
        affected.ecosystem_specific = {
          imports: [
            {
              path: `${name}/internal/${g.pick(WORDS)}`,
              symbols: Array.from({ length: 1 + g.int(6) }, () => `Parse${g.pick(WORDS)}`),
            },
          ],
        };
      }
      return {
        schema_version: "1.6.0",
        id: ghsa,
        modified,
        published,
        aliases: g.rand() < 0.85 ? [cve] : [],
        summary: g.sentence(8),
        details: g.details(),
        severity: [
          { type: "CVSS_V3", score: g.cvss3() },
          ...(g.rand() < 0.3 ? [{ type: "CVSS_V4", score: g.cvss4() }] : []),
        ],
        affected: [affected],
        references: g.refs(3 + g.int(6), cve),
        database_specific: {
          cwe_ids: [`CWE-${g.int(900)}`],
          severity: g.pick(["LOW", "MODERATE", "HIGH", "CRITICAL"]),
          github_reviewed: true,
          github_reviewed_at: modified,
        },
      };
    }
  }
}

/** Writes `<dir>/<Ecosystem>/all.zip` for each ecosystem; returns their paths and sizes. */
export function writeCorpus(dir, { records = DEFAULT_RECORDS, seed = DEFAULT_SEED } = {}) {
  const g = generator(seed);
  const zips = [];
  let written = 0;
  let jsonBytes = 0;
  MIX.forEach(([ecosystem, share], i) => {
    const count = i === MIX.length - 1 ? records - written : Math.round(records * share);
    mkdirSync(join(dir, ecosystem), { recursive: true });
    const path = join(dir, ecosystem, "all.zip");
    const zip = new ZipWriter(path);
    for (let n = 0; n < count; n++) {
      const r = record(ecosystem, written + n, g);
      const text = JSON.stringify(r, null, 2);
      jsonBytes += text.length;
      zip.add(`${r.id}.json`, text);
    }
    zip.close();
    zips.push({ ecosystem, path, records: count, bytes: zip.offset });
    written += count;
  });
  return { zips, records: written, jsonBytes };
}

/**
 * A CycloneDX SBOM of `count` packages: OS packages of Debian 12 (with source packages) and
 * language packages, drawn from the corpus's names so that many are looked up and some match.
 */
export function writeSbom(path, { count = DEFAULT_PACKAGES, seed = DEFAULT_SEED } = {}) {
  const rand = mulberry32(seed + 1);
  const int = (n) => Math.floor(rand() * n);
  const kinds = [
    ["Debian", 0.45],
    ["PyPI", 0.15],
    ["npm", 0.3],
    ["Maven", 0.05],
    ["Go", 0.05],
  ];
  const components = [{ "bom-ref": "os", type: "operating-system", name: "debian", version: "12" }];
  let made = 0;
  kinds.forEach(([ecosystem, share], i) => {
    const n = i === kinds.length - 1 ? count - made : Math.round(count * share);
    const names = packageNames(ecosystem, NAMES_PER_ECOSYSTEM);
    for (let k = 0; k < n; k++) {
      const name = names[int(names.length)];
      const version = `${1 + int(5)}.${int(20)}.${int(30)}`;
      let purl;
      if (ecosystem === "Debian")
        purl = `pkg:deb/debian/${name}-bin${k}@${version}-1?arch=amd64&upstream=${name}&distro=debian-12`;
      else if (ecosystem === "PyPI") purl = `pkg:pypi/${name}@${version}`;
      else if (ecosystem === "npm") purl = `pkg:npm/${name}@${version}`;
      else if (ecosystem === "Maven") {
        const [group, artifact] = name.split(":");
        purl = `pkg:maven/${group}/${artifact}@${version}`;
      } else purl = `pkg:golang/${name}@v${version}`;
      components.push({
        "bom-ref": `c${made + k}`,
        type: "library",
        name: ecosystem === "Debian" ? `${name}-bin${k}` : name,
        version: ecosystem === "Debian" ? `${version}-1` : version,
        purl,
      });
    }
    made += n;
  });
  writeFileSync(path, JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.6", version: 1, components }));
  return { packages: components.length - 1 };
}
