/**
 * Audit settings from files, lowest precedence first (the command line goes on top):
 *
 *   1. the `audit:` section of `.drydock.yaml` / `.drydock.yml` in the working directory
 *      (kebab-case keys, strict: a misspelt key is an error)
 *   2. dive's `.dive-ci` (or `--ci-config FILE`): `rules:` with dive's camelCase keys
 *      (`lowestEfficiency`, …) or the kebab-case ones of dive's newer config
 *      (`lowest-efficiency`, …); other keys are ignored, as dive ignores them
 *
 * YAML numbers are taken as written (`0.95`), `false` / empty values turn a rule off. The
 * files are parsed by config-files.ts, loaded only when one exists.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { errorMessage, UsageError } from "../errors.ts";
import { CI_RULE_KEYS, type CiThresholds } from "./ci.ts";

export interface AuditFileSettings {
  thresholds: Partial<CiThresholds>;
  ci?: boolean;
  base?: string;
  dockerfile?: string;
  top?: number;
  /** Files read, in order. */
  files: string[];
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new UsageError(`cannot read ${file}: ${errorMessage(error)}`);
  }
}

export interface AuditConfigPlace {
  cwd: string;
  /** `--ci-config FILE` (default `.dive-ci` in cwd, read when present). */
  ciConfig?: string;
}

export async function loadAuditConfig(place: AuditConfigPlace): Promise<AuditFileSettings> {
  const settings: AuditFileSettings = { thresholds: {}, files: [] };
  let ciConfig = place.ciConfig;
  for (const name of [".drydock.yaml", ".drydock.yml"]) {
    const file = join(place.cwd, name);
    const text = await readOptional(file);
    if (text === undefined) continue;
    settings.files.push(file);
    const { drydockAuditSection, KEBAB } = await import("./config-files.ts");
    const audit = drydockAuditSection(text, file);
    if (audit) {
      const values = audit as Record<string, unknown>;
      for (const key of CI_RULE_KEYS) {
        const value = values[KEBAB[key]];
        if (typeof value === "string") settings.thresholds[key] = value;
      }
      if (audit.ci !== undefined) settings.ci = audit.ci;
      if (audit.base !== undefined) settings.base = audit.base;
      if (audit.dockerfile !== undefined) settings.dockerfile = resolve(place.cwd, audit.dockerfile);
      if (audit.top !== undefined) settings.top = audit.top;
      if (ciConfig === undefined && audit["ci-config"] !== undefined) ciConfig = audit["ci-config"];
    }
    break;
  }
  const explicit = ciConfig !== undefined;
  const diveFile = resolve(place.cwd, ciConfig ?? ".dive-ci");
  const text = await readOptional(diveFile);
  if (text === undefined) {
    if (explicit) throw new UsageError(`CI config file ${diveFile} not found`);
  } else {
    settings.files.push(diveFile);
    const { rulesFromDiveCiText } = await import("./config-files.ts");
    Object.assign(settings.thresholds, rulesFromDiveCiText(text, diveFile));
  }
  return settings;
}
