/**
 * `db status`: where the database is, its schema, size, counts per ecosystem, the feeds it was
 * filled from and when, and a warning when its data is older than a week (grype refuses a
 * database built more than 5 days ago; drydock warns and goes on).
 */
import { statSync } from "node:fs";
import { SCHEMA_VERSION } from "./schema.ts";
import { type EcosystemInfo, type FeedInfo, VulnStore } from "./store.ts";

export const STALE_AFTER_DAYS = 7;

export interface DbStatus {
  path: string;
  exists: boolean;
  schemaVersion: number;
  sizeBytes?: number;
  createdAt?: string;
  /** When records last changed (import or update). */
  updatedAt?: string;
  /** The latest of updatedAt and the last time a feed was found unchanged. */
  checkedAt?: string;
  ageDays?: number;
  stale: boolean;
  records: number;
  aliases: number;
  affected: number;
  ecosystems: EcosystemInfo[];
  feeds: FeedInfo[];
  /** Ecosystems scans looked for (what `db update` refreshes by default). */
  seen: string[];
  warnings: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

function latest(times: Array<string | undefined>): string | undefined {
  let best: string | undefined;
  for (const t of times) if (t && (!best || Date.parse(t) > Date.parse(best))) best = t;
  return best;
}

/** The age warning for a database last checked at `checkedAt`, or undefined when fresh. */
export function staleWarning(path: string, checkedAt: string | undefined, now: Date): string | undefined {
  if (!checkedAt) return undefined;
  const days = (now.getTime() - Date.parse(checkedAt)) / DAY_MS;
  if (days <= STALE_AFTER_DAYS) return undefined;
  return `the vulnerability data in ${path} is ${Math.floor(days)} days old: run \`drydock db update\``;
}

export function dbStatus(options: { dbPath: string; now?: Date }): DbStatus {
  const now = options.now ?? new Date();
  const empty: DbStatus = {
    path: options.dbPath,
    exists: false,
    schemaVersion: SCHEMA_VERSION,
    stale: false,
    records: 0,
    aliases: 0,
    affected: 0,
    ecosystems: [],
    feeds: [],
    seen: [],
    warnings: [
      `no database at ${options.dbPath}: run \`drydock db update --ecosystem NAME\` or \`drydock db import PATH\``,
    ],
  };
  let size: number;
  try {
    size = statSync(options.dbPath).size;
  } catch {
    return empty;
  }
  const store = VulnStore.open(options.dbPath);
  try {
    const feeds = store.feeds();
    const updatedAt = store.meta("updated_at");
    const checkedAt = latest([updatedAt, ...feeds.map((f) => f.checkedAt)]);
    const warning = staleWarning(options.dbPath, checkedAt, now);
    const createdAt = store.meta("created_at");
    return {
      path: options.dbPath,
      exists: true,
      schemaVersion: SCHEMA_VERSION,
      sizeBytes: size,
      ...(createdAt ? { createdAt } : {}),
      ...(updatedAt ? { updatedAt } : {}),
      ...(checkedAt ? { checkedAt, ageDays: (now.getTime() - Date.parse(checkedAt)) / DAY_MS } : {}),
      stale: warning !== undefined,
      ...store.counts(),
      ecosystems: store.ecosystems(),
      feeds,
      seen: store.seenEcosystems(),
      warnings: warning ? [warning] : [],
    };
  } finally {
    store.close();
  }
}
