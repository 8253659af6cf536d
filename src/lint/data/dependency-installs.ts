/**
 * DD001: commands that install a project's dependencies from its manifest, per ecosystem, and
 * the files to COPY before them so the install layer stays cached while the code changes.
 * Sources: each tool's CLI reference (npm ci/install, yarn install, pnpm install, bun install,
 * pip install -r, uv sync, poetry install, pipenv install, pdm install, go mod download,
 * cargo fetch/build, bundle install, mvn dependency:go-offline, gradle, dotnet restore,
 * composer install) and Docker's "Optimize cache usage in builds" guide.
 */

/**
 * How a matching command qualifies as a manifest install:
 * - `no-packages`: only when no package names follow the subcommand (`npm ci`, `npm install`,
 *   not `npm install express`), and not a global install (`-g`).
 * - `requirements`: pip style: `-r <file>` or a local path such as `.` / `-e .`.
 * - `goals`: build tools (mvn, gradle): when one of `goals` is among the arguments.
 * - `always`: the subcommand alone is enough.
 */
export type InstallCondition = "no-packages" | "requirements" | "goals" | "always";

export interface DependencyInstall {
  /** Ecosystem family: an earlier install of the same family in the stage means the dependency
   * layer already exists (e.g. `pip install -r` before `COPY . .` and `pip install .` after). */
  family: string;
  /** Program basenames (`python -m pip` is read as `pip`). */
  programs: readonly string[];
  /** Subcommand word sequences; `[]` is the bare program (`yarn`, `bundle`). */
  subcommands: readonly (readonly string[])[];
  condition: InstallCondition;
  goals?: readonly string[];
  /** Flags that turn the command into something that needs no dependency download. */
  exceptFlags?: readonly string[];
  /** What to COPY first, as the message says it. */
  manifests: string;
}

export const DEPENDENCY_INSTALLS: readonly DependencyInstall[] = [
  {
    family: "node",
    programs: ["npm"],
    subcommands: [["ci"], ["install"], ["i"], ["isntall"], ["clean-install"], ["install-clean"]],
    condition: "no-packages",
    exceptFlags: ["g", "global"],
    manifests: "package.json and package-lock.json",
  },
  {
    family: "node",
    programs: ["yarn"],
    subcommands: [[], ["install"]],
    condition: "no-packages",
    manifests: "package.json and yarn.lock (plus .yarnrc.yml and .yarn/releases for Yarn 2+)",
  },
  {
    family: "node",
    programs: ["pnpm"],
    subcommands: [["install"], ["i"]],
    condition: "no-packages",
    exceptFlags: ["g", "global"],
    manifests: "package.json and pnpm-lock.yaml",
  },
  {
    family: "node",
    programs: ["bun"],
    subcommands: [["install"], ["i"]],
    condition: "no-packages",
    exceptFlags: ["g", "global"],
    manifests: "package.json and bun.lock",
  },
  {
    family: "python",
    programs: ["pip", "pip3"],
    subcommands: [["install"]],
    condition: "requirements",
    manifests: "requirements.txt",
  },
  {
    family: "python",
    programs: ["uv"],
    subcommands: [["pip", "install"]],
    condition: "requirements",
    manifests: "requirements.txt",
  },
  {
    family: "python",
    programs: ["uv"],
    subcommands: [["sync"], ["pip", "sync"]],
    condition: "always",
    manifests: "pyproject.toml and uv.lock",
  },
  {
    family: "python",
    programs: ["poetry"],
    subcommands: [["install"]],
    condition: "always",
    manifests: "pyproject.toml and poetry.lock",
  },
  {
    family: "python",
    programs: ["pipenv"],
    subcommands: [["install"], ["sync"]],
    condition: "no-packages",
    manifests: "Pipfile and Pipfile.lock",
  },
  {
    family: "python",
    programs: ["pdm"],
    subcommands: [["install"], ["sync"]],
    condition: "always",
    manifests: "pyproject.toml and pdm.lock",
  },
  {
    family: "go",
    programs: ["go"],
    subcommands: [["mod", "download"]],
    condition: "always",
    manifests: "go.mod and go.sum",
  },
  {
    family: "rust",
    programs: ["cargo"],
    subcommands: [["fetch"], ["build"], ["b"]],
    condition: "always",
    manifests: "Cargo.toml and Cargo.lock (then build the dependencies with a stub main.rs or cargo-chef)",
  },
  {
    family: "ruby",
    programs: ["bundle", "bundler"],
    subcommands: [[], ["install"]],
    condition: "always",
    manifests: "Gemfile and Gemfile.lock",
  },
  {
    family: "java-maven",
    programs: ["mvn", "mvnw"],
    subcommands: [[]],
    condition: "goals",
    goals: ["dependency:go-offline", "dependency:resolve", "package", "install", "verify"],
    manifests: "pom.xml (and .mvn/ with mvnw)",
  },
  {
    family: "java-gradle",
    programs: ["gradle", "gradlew"],
    subcommands: [[]],
    condition: "goals",
    goals: ["dependencies", "build", "assemble", "bootJar", "shadowJar", "installDist"],
    manifests: "build.gradle(.kts), settings.gradle(.kts) and gradle/",
  },
  {
    family: "dotnet",
    programs: ["dotnet"],
    subcommands: [["restore"], ["publish"], ["build"]],
    condition: "always",
    exceptFlags: ["no-restore"],
    manifests: "the *.csproj / *.sln files (and NuGet.config)",
  },
  {
    family: "php",
    programs: ["composer", "composer.phar"],
    subcommands: [["install"], ["i"]],
    condition: "always",
    manifests: "composer.json and composer.lock",
  },
];

/** pip-style installs from a local project rather than a requirements file. */
export const LOCAL_PROJECT_MANIFESTS = "pyproject.toml (or setup.py / setup.cfg)";
