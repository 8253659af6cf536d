/**
 * Ruby: Gemfile and Gemfile.lock first, `bundle install` in deployment mode without the
 * development and test groups, gem caches removed in the same RUN; Rails precompiles bootsnap
 * and assets in the build stage. Compiling gems build on the full ruby image; the bundle is
 * copied to -slim with only the runtime libraries (libpq5, ...). Sources: Railpack's Ruby
 * provider and the Rails Dockerfile generator conventions as summarised in
 * shared/reference/base-images-and-generators.md §1.6, §7.
 */
import type { RubyApp } from "../../advise/types.ts";
import {
  APP_UID,
  from,
  type GenerateOptions,
  header,
  joinSections,
  type Plan,
  runtimeStage,
} from "../plan.ts";
import { installPackages, run, SYSTEM_PIN_PRAGMA, stageComment } from "../writer.ts";

const BUNDLE_ENV = [
  'BUNDLE_DEPLOYMENT="1"',
  'BUNDLE_PATH="/usr/local/bundle"',
  'BUNDLE_WITHOUT="development:test"',
];

export function rubyDockerfile(plan: Plan, options: GenerateOptions): string {
  const app = plan.detection.app as RubyApp;
  const build: string[] = [
    stageComment("build", "installs the gems" + (app.rails ? " and precompiles the Rails app" : "")),
    from(plan, plan.builder, "build"),
  ];
  build.push(`ENV ${[...BUNDLE_ENV, ...(app.rails ? ['RAILS_ENV="production"'] : [])].join(" \\\n    ")}`);
  const buildPackages = [...plan.advice.buildPackages];
  if (plan.advice.needsCompiler && plan.builder.id === "ruby-slim") buildPackages.push("build-essential");
  if (buildPackages.length > 0) build.push(SYSTEM_PIN_PRAGMA.apt, installPackages("apt", buildPackages));
  build.push("WORKDIR /app");
  const lock = plan.detection.packageManager.lockfile;
  if (!lock)
    plan.notes.push(
      "no Gemfile.lock: bundle install resolves versions at build time (deployment mode needs a lockfile, so BUNDLE_DEPLOYMENT is off)",
    );
  build.push(
    `COPY ${lock ? "Gemfile Gemfile.lock" : "Gemfile"} ./`,
    run([
      lock ? "bundle install" : "BUNDLE_DEPLOYMENT=0 bundle install",
      'rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/cache "${BUNDLE_PATH}"/ruby/*/bundler/gems/*/.git',
    ]),
    "COPY . .",
  );
  const precompile = [
    ...(app.rails && plan.detection.dependencies.includes("bootsnap")
      ? ["bundle exec bootsnap precompile app/ lib/"]
      : []),
    ...(app.assets ? ["SECRET_KEY_BASE_DUMMY=1 ./bin/rails assets:precompile"] : []),
  ];
  if (app.assets)
    build.push("# A dummy secret key lets the assets compile without the production credentials.");
  if (precompile.length > 0) build.push(run(precompile));

  const files = [
    "WORKDIR /app",
    "COPY --from=build /usr/local/bundle /usr/local/bundle",
    "COPY --from=build /app /app",
  ];
  const setup: string[] = [];
  const writable = app.rails
    ? [
        "# Rails writes to tmp/, log/ and storage/ at runtime.",
        run([
          "mkdir -p /app/tmp /app/log /app/storage",
          `chown -R ${APP_UID}:${APP_UID} /app/tmp /app/log /app/storage`,
        ]),
      ]
    : [];
  const env = [...BUNDLE_ENV, ...(app.rails ? ['RAILS_ENV="production"', 'RAILS_LOG_TO_STDOUT="1"'] : [])];
  const argv = plan.detection.start?.argv ?? ["bundle", "exec", "ruby", "app.rb"];
  if (!plan.detection.start)
    plan.notes.push("no start command found (Rails, config.ru, Procfile or app.rb): edit CMD");
  return joinSections([
    header(plan, options),
    build,
    runtimeStage(plan, plan.debug, "debug", {
      env,
      packages: plan.advice.runtimePackages,
      files: [...setup, ...files, ...writable],
      argv,
    }),
    runtimeStage(plan, plan.runtime, "final", {
      env,
      packages: plan.advice.runtimePackages,
      files: [...setup, ...files, ...writable],
      argv,
    }),
  ]);
}
