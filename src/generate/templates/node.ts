/**
 * Node.js: package.json and the lockfile are copied first, the package manager installs with
 * its frozen/immutable flag and a BuildKit cache mount, and NODE_ENV=production is set only in
 * the final stage (docker init's early NODE_ENV breaks builds that need devDependencies,
 * shared/reference/base-images-and-generators.md §8). With a build script the build stage
 * installs everything, builds, then prunes to production dependencies; Next.js standalone
 * output is copied on its own. Bun projects that run with bun use Bun's image.
 */
import type { NodeApp } from "../../advise/types.ts";
import { from, type GenerateOptions, header, joinSections, type Plan, runtimeStage } from "../plan.ts";
import { cacheMount, installPackages, run, SYSTEM_PIN_PRAGMA, stageComment } from "../writer.ts";

interface Manager {
  /** Files to copy before installing. */
  manifests: string[];
  /** RUN lines that make the package manager available (pinned). */
  setup: string[];
  mounts: string[];
  installAll: string;
  installProduction: string;
  /** Drops devDependencies after a build. */
  prune: string;
  run: (script: string) => string;
}

function manager(plan: Plan, app: NodeApp): Manager {
  const pm = plan.detection.packageManager;
  const lock = pm.lockfile;
  const manifests = [
    "package.json",
    ...(lock ? [lock] : []),
    ...app.installFiles.filter((f) => !f.includes("/")),
  ];
  const npmCache = cacheMount("/root/.npm");
  switch (pm.name) {
    case "pnpm": {
      const version = pm.version ?? pnpmMajorFromLock(plan, app);
      return {
        manifests,
        setup: [run([`npm install -g pnpm@${version}`], [npmCache])],
        mounts: [cacheMount("/root/.local/share/pnpm/store")],
        installAll: `pnpm install ${lock ? "--frozen-lockfile" : "--no-frozen-lockfile"}`,
        installProduction: `pnpm install ${lock ? "--frozen-lockfile" : "--no-frozen-lockfile"} --prod`,
        prune: "pnpm prune --prod",
        run: (script) => `pnpm run ${script}`,
      };
    }
    case "yarn": {
      if (pm.variant === "berry") {
        const releases = app.installFiles.includes(".yarn/releases");
        const setup = releases ? [] : ["RUN corepack enable"];
        if (app.yarnNodeLinker !== "node-modules") {
          // Plug'n'Play keeps packages in a cache outside /app: a node_modules folder is what
          // the runtime stage can copy and run with plain `node`.
          setup.unshift("ENV YARN_NODE_LINKER=node-modules");
          plan.notes.push(
            `Yarn Berry with nodeLinker ${app.yarnNodeLinker ?? "pnp"}: the image installs with YARN_NODE_LINKER=node-modules so plain \`node\` can run it`,
          );
        }
        if (pm.version && Number.parseInt(pm.version, 10) < 4) {
          plan.notes.push(
            "`yarn workspaces focus --production` is built into Yarn 4; Yarn 2/3 need the workspace-tools plugin",
          );
        }
        if (!releases) {
          plan.notes.push(
            "Yarn Berry without a committed .yarn/releases: the Dockerfile runs `corepack enable` (bundled with Node up to 24; on Node 25+ install corepack first)",
          );
        }
        return {
          manifests,
          setup,
          mounts: [cacheMount("/root/.yarn/berry/cache")],
          installAll: "yarn install --immutable",
          installProduction: "yarn workspaces focus --all --production",
          prune: "yarn workspaces focus --all --production",
          run: (script) => `yarn run ${script}`,
        };
      }
      return {
        manifests,
        setup: [],
        mounts: [cacheMount("/usr/local/share/.cache/yarn")],
        installAll: `yarn install ${lock ? "--frozen-lockfile" : ""}`.trim(),
        installProduction: `yarn install ${lock ? "--frozen-lockfile " : ""}--production`,
        prune: `yarn install ${lock ? "--frozen-lockfile " : ""}--production --ignore-scripts --prefer-offline`,
        run: (script) => `yarn run ${script}`,
      };
    }
    case "bun": {
      const bunImage = plan.runtime.id === "bun-slim";
      return {
        manifests,
        setup: bunImage ? [] : [run([`npm install -g bun@${pm.version ?? "1"}`], [npmCache])],
        mounts: [cacheMount("/root/.bun/install/cache")],
        installAll: `bun install${lock ? " --frozen-lockfile" : ""}`,
        installProduction: `bun install${lock ? " --frozen-lockfile" : ""} --production`,
        prune: `bun install${lock ? " --frozen-lockfile" : ""} --production`,
        run: (script) => `bun run ${script}`,
      };
    }
    default:
      return {
        manifests,
        setup: [],
        mounts: [npmCache],
        installAll: lock ? "npm ci" : "npm install",
        installProduction: lock ? "npm ci --omit=dev" : "npm install --omit=dev",
        prune: "npm prune --omit=dev",
        run: (script) => `npm run ${script}`,
      };
  }
}

/** pnpm major for a lockfile version: 9.0 → 9 (read by pnpm 9 and 10), 6.x → 8, 5.x → 7. */
function pnpmMajorFromLock(plan: Plan, app: NodeApp): string {
  const lock = Number.parseFloat(app.pnpmLockVersion ?? "9");
  const major = lock >= 9 ? "9" : lock >= 6 ? "8" : "7";
  plan.notes.push(
    `package.json has no packageManager field: installing pnpm@${major}, which reads pnpm-lock.yaml version ${app.pnpmLockVersion ?? "(none)"}; add "packageManager" to pin it`,
  );
  return major;
}

export function nodeDockerfile(plan: Plan, options: GenerateOptions): string {
  const { detection } = plan;
  const app = detection.app as NodeApp;
  const pm = manager(plan, app);
  const stageImage = plan.builder;
  const needsToolchain = plan.advice.needsCompiler && stageImage.packages !== "none";
  const toolchain = needsToolchain
    ? stageImage.packages === "apk"
      ? ["RUN apk add --no-cache python3 make g++"]
      : [
          SYSTEM_PIN_PRAGMA.apt,
          installPackages("apt", ["python3", "make", "g++", ...plan.advice.buildPackages]),
        ]
    : [];
  if (needsToolchain && stageImage.packages === "apk")
    toolchain.unshift("# drydock ignore=DL3018 build-only tools in a throw-away stage");
  const copyDirs = app.installFiles.filter((f) => f.includes("/")).map((dir) => `COPY ${dir} ${dir}`);

  const install = (production: boolean, stage: string, description: string): string[] => [
    stageComment(stage, description),
    from(plan, stageImage, stage),
    ...toolchain,
    "WORKDIR /app",
    ...pm.setup,
    `COPY ${pm.manifests.join(" ")} ./`,
    ...copyDirs,
    run([production ? pm.installProduction : pm.installAll], pm.mounts),
  ];

  const start = detection.start?.argv ?? ["node", "index.js"];
  if (!detection.start) plan.notes.push("no start command found (scripts.start, main or index.js): edit CMD");
  const stages: string[][] = [header(plan, options)];
  let files: string[];
  if (app.buildScript) {
    stages.push([
      ...install(false, "build", "installs every dependency, builds the app, then drops devDependencies"),
      "COPY . .",
      run([pm.run("build"), ...(app.nextStandalone ? [] : [pm.prune])], pm.mounts),
    ]);
    files = app.nextStandalone
      ? [
          "WORKDIR /app",
          "COPY --from=build /app/.next/standalone ./",
          "COPY --from=build /app/.next/static ./.next/static",
          ...(app.publicDir ? ["COPY --from=build /app/public ./public"] : []),
        ]
      : ["WORKDIR /app", "COPY --from=build /app ./"];
  } else {
    stages.push(install(true, "deps", "installs the production dependencies"));
    // /app, not /app/node_modules: with no dependencies npm creates no node_modules folder.
    files = ["WORKDIR /app", "COPY --from=deps /app ./", "COPY . ."];
  }
  const env = [
    "NODE_ENV=production",
    ...(app.nextStandalone ? ["HOSTNAME=0.0.0.0", `PORT=${plan.port ?? 3000}`] : []),
  ];
  const sections = { env, packages: plan.advice.runtimePackages, files };
  stages.push(runtimeStage(plan, plan.debug, "debug", { ...sections, argv: start }));
  stages.push(runtimeStage(plan, plan.runtime, "final", { ...sections, argv: finalArgv(plan, start) }));
  return joinSections(stages);
}

/** distroless nodejs: the ENTRYPOINT is node, so name the full path; `npm start` cannot run there. */
function finalArgv(plan: Plan, argv: string[]): string[] {
  if (plan.runtime.id === "distroless-nodejs" && argv[0] === "node")
    return ["/nodejs/bin/node", ...argv.slice(1)];
  return argv;
}
