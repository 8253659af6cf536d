/** A small image, three layers, used by the pipeline and format tests. */

import { CATALOGERS } from "../catalogers/index.ts";
import { catalogLayers, type SbomResult, sbomCaptureRules } from "../sbom.ts";
import { layerIndex } from "../test-kit.ts";

const STATUS_BASE = `Package: base-files
Status: install ok installed
Architecture: amd64
Version: 12.4+deb12u5

Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl
Version: 3.0.11-1~deb12u2
`;
const STATUS_PY = `${STATUS_BASE}
Package: python3-six
Status: install ok installed
Architecture: all
Source: six
Version: 1.16.0-4
`;

export async function sampleResult(): Promise<SbomResult> {
  const capture = sbomCaptureRules(CATALOGERS);
  const layers: Array<Record<string, string>> = [
    {
      "/etc/os-release": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n',
      "/var/lib/dpkg/status": STATUS_BASE,
      "/usr/share/doc/libssl3/copyright":
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: Apache-2.0\n\nFiles: x\nLicense: Some-Odd-Licence\n",
    },
    {
      "/var/lib/dpkg/status": STATUS_PY,
      "/var/lib/dpkg/info/python3-six.list": "/usr/lib/python3/dist-packages/six-1.16.0.egg-info\n",
      "/usr/lib/python3/dist-packages/six-1.16.0.egg-info":
        "Metadata-Version: 1.2\nName: six\nVersion: 1.16.0\n",
    },
    {
      "/app/node_modules/left-pad/package.json": '{"name":"left-pad","version":"1.3.0","license":"WTFPL"}',
      "/app/node_modules/@scope/x/package.json":
        '{"name":"@scope/x","version":"0.1.0","license":"(MIT OR Apache-2.0)"}',
      "/app/node_modules/weird/package.json":
        '{"name":"weird","version":"2.0.0","license":"SEE LICENSE IN LICENSE.txt"}',
    },
  ];
  const indexes = await Promise.all(layers.map((files) => layerIndex(files, capture)));
  const viewLayers = indexes.map((index, i) => ({ index, diffId: `sha256:${String(i + 1).repeat(64)}` }));
  const result = catalogLayers(viewLayers, CATALOGERS, "squashed");
  return {
    schema: "drydock-sbom/1",
    source: {
      type: "image",
      name: "docker-archive:sample.tar",
      reference: "docker.io/library/sample:1",
      manifestDigest: `sha256:${"a".repeat(64)}`,
      configDigest: `sha256:${"b".repeat(64)}`,
      platform: "linux/amd64",
      layers: viewLayers.map((l, index) => ({ index, diffId: l.diffId, digest: l.diffId })),
    },
    scope: "squashed",
    ...result,
    catalogers: CATALOGERS.map((c) => c.name),
  };
}
