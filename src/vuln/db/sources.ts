/**
 * What `db import` reads: OSV records as JSON or YAML files (one record, a list, or an
 * `{"vulns": [...]}` answer of the OSV API), folders of them (walked recursively), zip archives
 * of them (OSV's per-ecosystem `all.zip`), and Alpine secdb files (YAML or JSON). Each input
 * yields batches of checked records, with the name of the file they came from.
 */
import { open, readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { InvalidRecordError, type OsvRecord, readOsvRecord } from "../osv.ts";
import { isSecdbDocument, secdbRecords } from "./secdb.ts";
import { looksLikeZip, zipFiles } from "./zip.ts";

/** A document that is not a valid OSV or secdb document: the error says which field. */
export interface InvalidDocument {
  where: string;
  error: InvalidRecordError;
}

export interface RecordBatch {
  /** The file (or zip member) the records came from. */
  where: string;
  records: OsvRecord[];
  /**
   * `replace`: each record replaces the stored one. `merge`: the records describe only the
   * packages and releases of this file (Alpine secdb), merged into stored ones.
   */
  mode: "replace" | "merge";
}

const RECORD_FILE = /\.(json|ya?ml)$/i;

function isRecordFile(name: string): boolean {
  const base = basename(name);
  return RECORD_FILE.test(base) && !base.startsWith(".");
}

function parseText(text: string, name: string): unknown {
  const trimmed = text.trimStart();
  if (/\.json$/i.test(name) || trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(text);
    } catch (error) {
      if (/\.json$/i.test(name))
        throw new InvalidRecordError(`${name}: not valid JSON (${(error as Error).message})`);
    }
  }
  try {
    // failsafe: every scalar stays a string (an unquoted version 1.10 is "1.10", not 1.1).
    return parseYaml(text, { schema: "failsafe" });
  } catch (error) {
    throw new InvalidRecordError(`${name}: not valid YAML (${(error as Error).message.split("\n", 1)[0]})`);
  }
}

/** The records of one parsed document. */
export function documentRecords(value: unknown, where: string, now: string): RecordBatch {
  if (isSecdbDocument(value)) {
    try {
      return { where, records: secdbRecords(value, where, now), mode: "merge" };
    } catch (error) {
      throw new InvalidRecordError((error as Error).message);
    }
  }
  const list = Array.isArray(value)
    ? value
    : typeof value === "object" && value !== null && Array.isArray((value as { vulns?: unknown }).vulns)
      ? (value as { vulns: unknown[] }).vulns
      : [value];
  return {
    where,
    records: list.map((item, i) => readOsvRecord(item, list.length > 1 ? `${where}[${i}]` : where)),
    mode: "replace",
  };
}

export function parseDocument(data: Buffer | string, where: string, now: string): RecordBatch {
  return documentRecords(
    parseText(typeof data === "string" ? data : data.toString("utf8"), where),
    where,
    now,
  );
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile() && (isRecordFile(entry.name) || /\.zip$/i.test(entry.name))) yield path;
  }
}

async function startsLikeZip(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    return looksLikeZip(head);
  } finally {
    await handle.close();
  }
}

function parsed(data: Buffer, where: string, now: string): RecordBatch | InvalidDocument {
  try {
    return parseDocument(data, where, now);
  } catch (error) {
    if (error instanceof InvalidRecordError) return { where, error };
    throw error;
  }
}

async function* fileBatches(
  path: string,
  label: string,
  now: string,
): AsyncGenerator<RecordBatch | InvalidDocument> {
  if (/\.zip$/i.test(path) || (await startsLikeZip(path))) {
    for await (const file of zipFiles(path, isRecordFile, label))
      yield parsed(file.data, `${label}: ${file.name}`, now);
    return;
  }
  yield parsed(await readFile(path), label, now);
}

/**
 * The batches of records in a file, folder or zip archive, and the documents that are not
 * valid (the caller decides whether that stops the import). `label` names the input in
 * messages (the URL a download came from, say). Throws CorruptArchiveError for a damaged
 * archive and InvalidRecordError for a missing input.
 */
export async function* readInput(
  path: string,
  now: string,
  label = path,
): AsyncGenerator<RecordBatch | InvalidDocument> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new InvalidRecordError(`${label}: no such file or folder`);
  }
  if (info.isDirectory()) {
    for await (const file of walk(path)) yield* fileBatches(file, file, now);
    return;
  }
  yield* fileBatches(path, label, now);
}
