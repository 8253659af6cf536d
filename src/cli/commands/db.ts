import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { type Command, Option } from "@commander-js/extra-typings";
import { UsageError } from "../../errors.ts";
import { humanBytes } from "../../report/format.ts";
import type { DbProgress } from "../../vuln/db/import.ts";
import type { DbStatus } from "../../vuln/db/status.ts";
import type { UpdateResult } from "../../vuln/db/update.ts";
import { collect } from "../collect.ts";
import type { CliIO } from "../io.ts";

/**
 * Where the vulnerability database lives: --db PATH, else $DRYDOCK_DB, else the user's cache
 * dir: $XDG_CACHE_HOME/drydock/vuln.db (~/.cache when unset; XDG Base Directory spec), macOS
 * ~/Library/Caches/drydock, Windows %LOCALAPPDATA%\drydock\cache.
 */
export function resolveDbPath(
  flag: string | undefined,
  io: CliIO,
  platform: string = process.platform,
): string {
  if (flag) return resolve(io.cwd, flag);
  if (io.env.DRYDOCK_DB) return resolve(io.cwd, io.env.DRYDOCK_DB);
  const home = io.env.HOME ?? homedir();
  if (platform === "win32")
    return join(io.env.LOCALAPPDATA ?? join(home, "AppData", "Local"), "drydock", "cache", "vuln.db");
  if (platform === "darwin" && !io.env.XDG_CACHE_HOME)
    return join(home, "Library", "Caches", "drydock", "vuln.db");
  return join(io.env.XDG_CACHE_HOME || join(home, ".cache"), "drydock", "vuln.db");
}

export function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`--timeout ${value}: not a positive number of seconds`);
  return seconds * 1000;
}

/** Progress on a terminal: one line rewritten in place on stderr. */
function progressPrinter(io: CliIO): { report: (event: DbProgress) => void; done: () => void } {
  if (!io.stderr.isTTY) return { report: () => undefined, done: () => undefined };
  let shown = false;
  let last = 0;
  return {
    report(event) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const text =
        event.phase === "download"
          ? `downloading ${event.input}: ${humanBytes(event.received)}${event.total ? ` of ${humanBytes(event.total)}` : ""}`
          : `importing ${event.input}: ${event.records} records`;
      io.stderr.write(`\r\x1b[K${text}`);
      shown = true;
    },
    done() {
      if (shown) io.stderr.write("\r\x1b[K");
    },
  };
}

const warn = (io: CliIO) => (message: string) => io.stderr.write(`drydock: warning: ${message}\n`);

function ageText(days: number | undefined): string {
  if (days === undefined) return "";
  if (days < 1 / 24) return " (less than an hour ago)";
  if (days < 1) return ` (${Math.round(days * 24)} hours ago)`;
  return ` (${Math.floor(days)} day${Math.floor(days) === 1 ? "" : "s"} ago)`;
}

export function renderDbStatus(status: DbStatus): string {
  const lines = [`Database: ${status.path}`];
  if (!status.exists) return `${lines.join("\n")}\nNo database yet.\n`;
  lines.push(
    `Schema: ${status.schemaVersion}, size ${humanBytes(status.sizeBytes ?? 0)}`,
    `Records: ${status.records} (${status.aliases} aliases, ${status.affected} affected packages)`,
    `Last update: ${status.updatedAt ?? "never"}${ageText(status.ageDays)}`,
  );
  if (status.ecosystems.length > 0) {
    lines.push("", "Ecosystems:");
    const width = Math.max(...status.ecosystems.map((e) => e.name.length));
    for (const e of status.ecosystems)
      lines.push(
        `  ${e.name.padEnd(width)}  ${String(e.records).padStart(7)} records  ${e.packages} packages`,
      );
  }
  if (status.feeds.length > 0) {
    lines.push("", "Sources:");
    for (const f of status.feeds)
      lines.push(`  ${f.name}: ${f.records} records, updated ${f.updatedAt}, checked ${f.checkedAt}`);
  }
  if (status.seen.length > 0) lines.push("", `Ecosystems scans used: ${status.seen.join(", ")}`);
  return `${lines.join("\n")}\n`;
}

export function registerDb(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const db = program
    .command("db")
    .description(
      "The local vulnerability database (OSV data, SQLite): import files, folders, zips and Alpine secdb files, update from OSV, show its status.",
    )
    .addHelpText(
      "after",
      `
Location: --db PATH, else $DRYDOCK_DB, else $XDG_CACHE_HOME/drydock/vuln.db (~/.cache/drydock/vuln.db).

Examples:
  drydock db update --ecosystem Debian --ecosystem PyPI
  drydock db import ./osv-records/ Alpine-all.zip https://example.test/secdb/v3.20/main.json
  drydock db status`,
    );

  db.command("import")
    .description(
      "Add OSV records (JSON/YAML files, folders, zip archives such as OSV's all.zip, URLs) and Alpine secdb files. All or nothing: a damaged file leaves the database as it was.",
    )
    .argument("<inputs...>", "files, folders, zip archives or http(s) URLs")
    .option("--db <path>", "database file (default: $DRYDOCK_DB or the cache dir)")
    .option(
      "--skip-invalid",
      "leave out records that do not follow the OSV schema (with a warning) instead of stopping",
    )
    .option("--timeout <seconds>", "network timeout for URLs (default 30)")
    .action(async (inputs, opts) => {
      const { importIntoDb } = await import("../../vuln/db/import.ts");
      const dbPath = resolveDbPath(opts.db, io);
      const progress = progressPrinter(io);
      try {
        const result = await importIntoDb({
          dbPath,
          inputs,
          cwd: io.cwd,
          ...(opts.skipInvalid ? { skipInvalid: true } : {}),
          ...(opts.timeout ? { timeoutMs: parseTimeout(opts.timeout)! } : {}),
          onProgress: progress.report,
          warn: warn(io),
        });
        progress.done();
        for (const input of result.inputs) {
          const c = input.counts;
          const parts = [`${c.inserted} new`, `${c.replaced} updated`];
          if (c.keptNewer) parts.push(`${c.keptNewer} older than stored`);
          if (c.withdrawn) parts.push(`${c.withdrawn} withdrawn`);
          io.stdout.write(`${input.input}: ${input.records} records (${parts.join(", ")})\n`);
        }
        io.stdout.write(
          `Imported into ${dbPath}${result.skipped.length ? ` (${result.skipped.length} invalid left out)` : ""}\n`,
        );
        setExit(0);
      } finally {
        progress.done();
      }
    });

  db.command("update")
    .description(
      "Download OSV's all.zip for each ecosystem (default: those scans used) and apply the ones that changed (ETag/Last-Modified).",
    )
    .option("--db <path>", "database file (default: $DRYDOCK_DB or the cache dir)")
    .option(
      "-e, --ecosystem <name>",
      "OSV ecosystem (Debian, Ubuntu, Alpine, PyPI, npm, Go, Maven, ...); repeatable or comma-separated",
      collect,
    )
    .option(
      "--base-url <url>",
      // The library's DEFAULT_OSV_BASE_URL (scan.test.ts checks): the help loads no update code.
      "where the per-ecosystem zips are (default: $DRYDOCK_OSV_URL or https://osv-vulnerabilities.storage.googleapis.com)",
    )
    .option("--timeout <seconds>", "network timeout for an answer and between chunks (default 30)")
    .action(async (opts) => {
      const { DEFAULT_OSV_BASE_URL, updateDb } = await import("../../vuln/db/update.ts");
      const dbPath = resolveDbPath(opts.db, io);
      const ecosystems = (opts.ecosystem ?? [])
        .flatMap((e) => e.split(","))
        .map((e) => e.trim())
        .filter(Boolean);
      const progress = progressPrinter(io);
      let result: UpdateResult;
      try {
        result = await updateDb({
          dbPath,
          ...(ecosystems.length > 0 ? { ecosystems } : {}),
          baseUrl: opts.baseUrl ?? io.env.DRYDOCK_OSV_URL ?? DEFAULT_OSV_BASE_URL,
          ...(opts.timeout ? { timeoutMs: parseTimeout(opts.timeout)! } : {}),
          onProgress: progress.report,
          warn: warn(io),
        });
      } finally {
        progress.done();
      }
      let failed = 0;
      for (const e of result.ecosystems) {
        if (e.status === "failed") {
          failed++;
          io.stderr.write(`drydock: ${e.ecosystem}: update failed: ${e.error}\n`);
          continue;
        }
        const detail =
          e.status === "updated" && e.counts
            ? `${e.records} records (${e.counts.inserted} new, ${e.counts.replaced} updated, ${e.counts.removed} removed, ${e.counts.withdrawn} withdrawn)`
            : "unchanged";
        io.stdout.write(`${e.ecosystem}: ${detail}\n`);
      }
      setExit(failed > 0 ? 1 : 0);
    });

  db.command("status")
    .description(
      "Show the database: location, size, records per ecosystem, sources and when they were updated.",
    )
    .option("--db <path>", "database file (default: $DRYDOCK_DB or the cache dir)")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "json"] as const)
        .default("text" as const),
    )
    .action(async (opts) => {
      const { dbStatus } = await import("../../vuln/db/status.ts");
      const status = dbStatus({ dbPath: resolveDbPath(opts.db, io) });
      io.stdout.write(
        opts.format === "json" ? `${JSON.stringify(status, null, 2)}\n` : renderDbStatus(status),
      );
      for (const warning of status.warnings) warn(io)(warning);
      setExit(status.exists ? 0 : 1);
    });
}
