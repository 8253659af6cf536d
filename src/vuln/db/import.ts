/**
 * `db import`: records from files, folders, zip archives and URLs into the database, all or
 * nothing (atomic.ts). A corrupt archive or an invalid record stops the import with a message
 * naming the file and the field, and the database stays as it was; `skipInvalid` turns invalid
 * records (not damaged archives) into warnings instead.
 */
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { DrydockError } from "../../errors.ts";
import { InvalidRecordError } from "../osv.ts";
import { changeAtomically } from "./atomic.ts";
import { download } from "./download.ts";
import { readInput } from "./sources.ts";
import { addCount, DbWriter, emptyCounts, type ImportCounts } from "./writer.ts";
import { CorruptArchiveError } from "./zip.ts";

export type DbProgress =
  | { phase: "download"; input: string; received: number; total?: number }
  | { phase: "import"; input: string; records: number };

export interface ImportOptions {
  dbPath: string;
  /** Paths (files, folders, zip archives) or http(s) URLs. */
  inputs: readonly string[];
  /** Resolves relative paths. */
  cwd: string;
  now?: Date;
  skipInvalid?: boolean;
  timeoutMs?: number;
  fetch?: typeof fetch;
  onProgress?: (event: DbProgress) => void;
  warn?: (message: string) => void;
}

export interface ImportedInput {
  input: string;
  records: number;
  counts: ImportCounts;
}

export interface ImportResult {
  dbPath: string;
  inputs: ImportedInput[];
  totals: ImportCounts;
  /** Invalid records left out (with skipInvalid). */
  skipped: string[];
  /** Whether a new database was started. */
  fresh: boolean;
}

export const isUrl = (input: string) => /^https?:\/\//i.test(input);

/** Errors of the inputs become one-line DrydockErrors that say nothing was changed. */
export function inputError(error: unknown, dbPath: string): unknown {
  if (error instanceof InvalidRecordError || error instanceof CorruptArchiveError) {
    return new DrydockError("DB_INPUT", `${error.message}; nothing imported`, {
      hint: `${dbPath} is unchanged`,
      cause: error,
    });
  }
  return error;
}

/** Records per batch between progress reports. */
const PROGRESS_EVERY = 5000;

export async function importIntoDb(options: ImportOptions): Promise<ImportResult> {
  const now = options.now ?? new Date();
  const stamp = now.toISOString();
  const dbPath = options.dbPath;
  const inputs: ImportedInput[] = [];
  const skipped: string[] = [];
  const totals = emptyCounts();
  const downloads: string[] = [];
  try {
    const fresh = await changeAtomically(
      dbPath,
      async (db, context) => {
        const writer = new DbWriter(db);
        for (const input of options.inputs) {
          let path = input;
          if (isUrl(input)) {
            path = join(dirname(dbPath), `.${basename(dbPath)}.${randomUUID().slice(0, 8)}.download`);
            downloads.push(path);
            await download(input, path, {
              ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
              ...(options.fetch ? { fetch: options.fetch } : {}),
              onProgress: (received, total) =>
                options.onProgress?.({ phase: "download", input, received, ...(total ? { total } : {}) }),
            });
          } else {
            path = resolve(options.cwd, input);
          }
          const counts = emptyCounts();
          let records = 0;
          let reported = 0;
          for await (const batch of readInput(path, stamp, input)) {
            if ("error" in batch) {
              if (!options.skipInvalid) throw batch.error;
              skipped.push(batch.error.message);
              options.warn?.(`skipped: ${batch.error.message}`);
              continue;
            }
            for (const record of batch.records) {
              addCount(counts, batch.mode === "merge" ? writer.merge(record) : writer.write(record));
              records++;
            }
            if (records - reported >= PROGRESS_EVERY) {
              reported = records;
              options.onProgress?.({ phase: "import", input, records });
            }
          }
          options.onProgress?.({ phase: "import", input, records });
          writer.noteFeed({
            name: isUrl(input) ? input : path,
            ...(isUrl(input) ? { url: input } : {}),
            updatedAt: stamp,
            records,
          });
          inputs.push({ input, records, counts });
          for (const key of Object.keys(totals) as Array<keyof ImportCounts>) totals[key] += counts[key];
        }
        writer.summarize();
        return context.fresh;
      },
      { now, ...(options.warn ? { warn: options.warn } : {}) },
    );
    return { dbPath, inputs, totals, skipped, fresh };
  } catch (error) {
    throw inputError(error, dbPath);
  } finally {
    for (const path of downloads) await rm(path, { force: true });
  }
}
