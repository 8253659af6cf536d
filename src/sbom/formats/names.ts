/** The `drydock sbom -o` format names, apart from the renderers so the CLI's help loads nothing else. */
export const SBOM_FORMATS = [
  "table",
  "cyclonedx-json",
  "cyclonedx-json@1.5",
  "cyclonedx-json@1.6",
  "spdx-json",
  "json",
] as const;
export type SbomFormat = (typeof SBOM_FORMATS)[number];

export const isSbomFormat = (text: string): text is SbomFormat =>
  (SBOM_FORMATS as readonly string[]).includes(text);
