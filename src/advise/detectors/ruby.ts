/**
 * Ruby detection: Gemfile / Gemfile.lock (RUBY VERSION, BUNDLED WITH, PLATFORMS), the Ruby
 * version (.ruby-version, Gemfile `ruby`, lockfile), Rails or Rack, the server gem, native gems
 * and the port. Sources: shared/reference/base-images-and-generators.md §1.3, §1.6, §2, §3
 * (Ruby); Bundler's lockfile format (https://bundler.io/guides/gemfile_lock.html, [memory]).
 */
import { findKnown, RUBY_NATIVE } from "../data/native-packages.ts";
import { lineOf, type ProjectFiles } from "../project-files.ts";
import { resolveRuntime, type VersionRequest } from "../runtime.ts";
import type { Detection, Evidence, NativeFinding, RubyApp, StartCommand } from "../types.ts";
import { type DetectContext, firstLine, procfileWeb, toolVersionRequests } from "./common.ts";

const SERVERS = ["puma", "unicorn", "falcon", "thin", "passenger", "pitchfork"];

export function detectRuby(ctx: DetectContext): Detection | null {
  const { files } = ctx;
  const gemfileName = files.isFile("Gemfile") ? "Gemfile" : files.isFile("gems.rb") ? "gems.rb" : null;
  if (!gemfileName) return null;
  const lockName = gemfileName === "Gemfile" ? "Gemfile.lock" : "gems.locked";
  const gemfile = files.read(gemfileName) ?? "";
  const lock = files.read(lockName);
  const notes: string[] = [];
  const markers: Evidence[] = [{ file: gemfileName }];
  if (lock !== null) markers.push({ file: lockName });
  else
    notes.push(
      `no ${lockName}: gem versions are not locked and \`bundle install\` cannot run in deployment mode; commit it`,
    );

  const runtime = resolveRuntime("ruby", versionRequests(files, gemfileName, gemfile, lockName, lock), {
    date: ctx.date,
  });
  const lockedGems = lock
    ? [...lock.matchAll(/^ {4}([a-zA-Z0-9_.-]+) \(([^)]+)\)$/gm)].map((m) => ({
        name: m[1]!,
        version: m[2]!,
      }))
    : [];
  const direct = [...gemfile.matchAll(/^\s*gem\s+["']([^"']+)["']/gm)].map((m) => m[1]!);
  const names = [...new Set([...direct, ...lockedGems.map((g) => g.name)])];

  if (lock) {
    const platforms =
      /^PLATFORMS\n((?: {2}.+\n?)+)/m
        .exec(lock)?.[1]
        ?.split("\n")
        .map((p) => p.trim())
        .filter(Boolean) ?? [];
    if (platforms.length > 0 && !platforms.some((p) => p === "ruby" || p.includes("linux"))) {
      notes.push(
        `${lockName} PLATFORMS (${platforms.join(", ")}) has no Linux platform: run \`bundle lock --add-platform x86_64-linux aarch64-linux\``,
      );
    }
  }
  const native: NativeFinding[] = [];
  for (const gem of names) {
    const known = findKnown(RUBY_NATIVE, gem);
    if (!known) continue;
    const locked = lockedGems.find((g) => g.name === gem);
    const source: Evidence = locked
      ? { file: lockName, line: lineOf(lock ?? "", `    ${gem} (`), detail: `${gem} ${locked.version}` }
      : { file: gemfileName, line: lineOf(gemfile, new RegExp(`gem\\s+["']${gem}["']`)), detail: gem };
    native.push({
      package: gem,
      kind: "native-gem",
      source,
      needsCompiler: !known.prebuilt,
      ...(known.buildPackages ? { buildPackages: known.buildPackages } : {}),
      ...(known.runtimePackages ? { runtimePackages: known.runtimePackages } : {}),
      note: `${gem}: ${known.note}`,
    });
  }

  const rails =
    names.includes("rails") || names.includes("railties") || files.isFile("config/application.rb");
  const server = SERVERS.find((s) => names.includes(s));
  const app: RubyApp = {
    kind: "ruby",
    rails,
    assets: rails && (files.isDir("app/assets") || files.isDir("app/javascript")),
    hasLock: lock !== null,
    ...(server ? { server } : {}),
  };
  const { start, port, framework } = startCommand(files, app, gemfileName, gemfile);
  return {
    stack: "ruby",
    language: "Ruby",
    markers,
    runtime,
    packageManager: {
      name: "bundler",
      source: { file: gemfileName },
      ...(lock ? { lockfile: lockName } : {}),
      ...(lock && /^BUNDLED WITH\n\s+(\S+)/m.test(lock)
        ? { version: /^BUNDLED WITH\n\s+(\S+)/m.exec(lock)![1]! }
        : {}),
    },
    ...(framework ? { framework } : {}),
    ...(start ? { start } : {}),
    ...(port ? { port } : {}),
    native,
    dependencies: direct,
    app,
    backendScore: framework || start ? 2 : 0,
    notes,
  };
}

function versionRequests(
  files: ProjectFiles,
  gemfileName: string,
  gemfile: string,
  lockName: string,
  lock: string | null,
): VersionRequest[] {
  const requests: VersionRequest[] = [];
  const dotRuby = files.read(".ruby-version");
  const first = dotRuby ? firstLine(dotRuby) : null;
  if (first)
    requests.push({
      requested: first.value.replace(/^ruby-/, ""),
      kind: "pin",
      source: { file: ".ruby-version", line: first.line },
    });
  requests.push(...toolVersionRequests(files, ["ruby"]));
  const declared = /^\s*ruby\s+["']([^"']+)["']/m.exec(gemfile);
  if (declared) {
    const value = declared[1]!;
    const range = /[~<>=]/.test(value);
    requests.push({
      requested: value.replace(/^~>\s*/, "~"),
      kind: range ? "range" : "pin",
      dialect: "composer",
      source: { file: gemfileName, line: lineOf(gemfile, declared[0].trim()), detail: declared[0].trim() },
    });
  }
  const locked = lock ? /^RUBY VERSION\n\s+ruby (\d+\.\d+\.\d+)/m.exec(lock) : null;
  if (locked) {
    requests.push({
      requested: locked[1]!,
      kind: "pin",
      source: {
        file: lockName,
        line: (lineOf(lock!, "RUBY VERSION") ?? 0) + 1,
        detail: `RUBY VERSION ${locked[1]}`,
      },
    });
  }
  return requests;
}

function startCommand(
  files: ProjectFiles,
  app: RubyApp,
  gemfileName: string,
  gemfile: string,
): {
  start?: StartCommand;
  port?: { value: number; source: Evidence };
  framework?: { name: string; source: Evidence };
} {
  const railsSource: Evidence = files.isFile("config/application.rb")
    ? { file: "config/application.rb" }
    : { file: gemfileName, line: lineOf(gemfile, /gem\s+["']rails["']/), detail: "gem rails" };
  const framework = app.rails
    ? { name: "Rails", source: railsSource }
    : /gem\s+["']sinatra["']/.test(gemfile)
      ? {
          name: "Sinatra",
          source: {
            file: gemfileName,
            line: lineOf(gemfile, /gem\s+["']sinatra["']/),
            detail: "gem sinatra",
          },
        }
      : undefined;
  const defaultPort = app.rails ? 3000 : app.server ? 9292 : 4567;
  const procfile = procfileWeb(files, defaultPort);
  if (procfile) {
    const bind = procfile.argv.join(" ").match(/(?:-p\s*|--port[= ]|:)(\d{2,5})\b/);
    return {
      start: { argv: procfile.argv, source: procfile.source },
      port: { value: bind ? Number(bind[1]) : defaultPort, source: procfile.source },
      ...(framework ? { framework } : {}),
    };
  }
  if (app.rails) {
    const argv = files.isFile("bin/rails")
      ? ["./bin/rails", "server", "-b", "0.0.0.0", "-p", "3000"]
      : ["bundle", "exec", "rails", "server", "-b", "0.0.0.0", "-p", "3000"];
    return {
      start: { argv, source: railsSource },
      port: { value: 3000, source: railsSource },
      framework: framework!,
    };
  }
  if (files.isFile("config.ru")) {
    const argv =
      app.server === "puma"
        ? ["bundle", "exec", "puma", "-b", "tcp://0.0.0.0:9292"]
        : ["bundle", "exec", "rackup", "-o", "0.0.0.0", "-p", "9292"];
    return {
      start: { argv, source: { file: "config.ru" } },
      port: { value: 9292, source: { file: "config.ru", detail: "rackup/puma default 9292" } },
      ...(framework ? { framework } : {}),
    };
  }
  for (const file of ["app.rb", "main.rb", "server.rb"]) {
    if (!files.isFile(file)) continue;
    return {
      start: { argv: ["bundle", "exec", "ruby", file, "-o", "0.0.0.0"], source: { file } },
      ...(framework ? { port: { value: 4567, source: framework.source }, framework } : {}),
    };
  }
  return framework ? { framework } : {};
}
