/**
 * Atomic changes to the database file: the change is built in a temporary file next to it (a
 * copy of the current database, or a new one) and renamed over it only when complete. A crash,
 * a bad download or a corrupt record leaves the previous database as it was (rename(2) within
 * one directory is atomic). A lock file keeps two imports from racing.
 */
import { randomUUID } from "node:crypto";
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import Database from "better-sqlite3";
import { DrydockError } from "../../errors.ts";
import {
  createLookupIndexes,
  createTables,
  dropLookupIndexes,
  SCHEMA_VERSION,
  schemaVersionOf,
  writeMeta,
} from "./schema.ts";

/** A lock older than this is from a process that died: it is taken over. */
const STALE_LOCK_MS = 6 * 60 * 60 * 1000;

export interface AtomicOptions {
  now: Date;
  /** Start from an empty database instead of a copy of the current one. */
  fresh?: boolean;
  /** Messages for the user (a database of another schema version was replaced, ...). */
  warn?: (message: string) => void;
}

function lock(path: string, now: Date): () => void {
  const lockPath = `${path}.lock`;
  const take = () => {
    const fd = openSync(lockPath, "wx");
    writeSync(fd, now.toISOString());
    closeSync(fd);
  };
  try {
    take();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const since = Date.parse(readFileSync(lockPath, "utf8").trim());
    if (!Number.isNaN(since) && now.getTime() - since < STALE_LOCK_MS) {
      throw new DrydockError(
        "DB_LOCKED",
        `${path} is being changed by another drydock since ${new Date(since).toISOString()}`,
        {
          hint: `remove ${lockPath} if no other import or update is running`,
        },
      );
    }
    rmSync(lockPath, { force: true });
    take();
  }
  return () => rmSync(lockPath, { force: true });
}

function removeTemp(path: string): void {
  for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
}

/** Whether a file is a database this drydock can extend (right schema version). */
function reusable(path: string, warn?: (message: string) => void): boolean {
  if (!existsSync(path)) return false;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const version = schemaVersionOf(db);
    if (version === SCHEMA_VERSION) return true;
    warn?.(
      `${path} has database schema ${version}, this drydock writes ${SCHEMA_VERSION}: starting a new database`,
    );
    return false;
  } catch (error) {
    warn?.(`${path} is not a readable database (${(error as Error).message}): starting a new database`);
    return false;
  } finally {
    db?.close();
  }
}

/**
 * Runs `change` on a temporary copy of the database at `path` and renames the copy over it
 * when `change` succeeds. The copy is opened without journal syncs: it is thrown away on
 * failure anyway.
 */
export async function changeAtomically<T>(
  path: string,
  change: (db: Database.Database, context: { fresh: boolean }) => Promise<T> | T,
  options: AtomicOptions,
): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  const unlock = lock(path, options.now);
  const temp = join(dirname(path), `.${basename(path)}.${randomUUID().slice(0, 8)}.tmp`);
  let db: Database.Database | undefined;
  try {
    const fresh = options.fresh === true || !reusable(path, options.warn);
    if (!fresh) copyFileSync(path, temp);
    db = new Database(temp);
    db.pragma("journal_mode = DELETE");
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -200000");
    db.pragma("temp_store = MEMORY");
    createTables(db);
    // A bulk load into an empty database builds the lookup indexes once, at the end.
    if (fresh) dropLookupIndexes(db);
    db.exec("BEGIN");
    const result = await change(db, { fresh });
    writeMeta(db, "updated_at", options.now.toISOString());
    if (fresh) writeMeta(db, "created_at", options.now.toISOString());
    db.exec("COMMIT");
    createLookupIndexes(db);
    // Sampled statistics: enough for the planner, seconds cheaper than a full ANALYZE.
    db.pragma("analysis_limit = 1000");
    db.exec("ANALYZE");
    db.close();
    db = undefined;
    renameSync(temp, path);
    return result;
  } catch (error) {
    try {
      db?.close();
    } catch {
      // Closing a broken connection can fail too; the temp file goes either way.
    }
    removeTemp(temp);
    throw error;
  } finally {
    unlock();
  }
}
