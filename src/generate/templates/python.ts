/**
 * Python: dependencies go into a virtual environment (/opt/venv) in the build stage, which the
 * final stage copies; manifests and lockfiles are copied before the source, pip's cache is a
 * BuildKit cache mount. pip, uv (UV_PROJECT_ENVIRONMENT), Poetry and PDM (active VIRTUAL_ENV)
 * and Pipenv (`pipenv requirements` from Pipfile.lock) are supported.
 * Sources: docker init's Python template and Railpack/Nixpacks env settings
 * (shared/reference/base-images-and-generators.md §1.1, §1.5, §7); the distroless python3
 * example for the hardened runtime (§4.1).
 */
import type { PythonApp } from "../../advise/types.ts";
import { from, type GenerateOptions, header, joinSections, type Plan, runtimeStage } from "../plan.ts";
import { cacheMount, installPackages, run, SYSTEM_PIN_PRAGMA, stageComment } from "../writer.ts";

const VENV = "/opt/venv";
/** The package manager gets its own venv, so it never ships in the app's. */
const TOOLS = "/opt/tools";
const PIP_CACHE = cacheMount("/root/.cache/pip");

export function pythonDockerfile(plan: Plan, options: GenerateOptions): string {
  const { detection } = plan;
  const app = detection.app as PythonApp;
  const distroless = plan.runtime.id === "distroless-python3";
  const python = distroless ? "python3" : "python";

  const build: string[] = [
    stageComment("build", "installs the dependencies into a virtual environment"),
    from(plan, plan.builder, "build"),
    `ENV PYTHONDONTWRITEBYTECODE=1 \\\n    PYTHONUNBUFFERED=1 \\\n    PIP_DISABLE_PIP_VERSION_CHECK=1`,
  ];
  const buildPackages = [...plan.advice.buildPackages];
  if (distroless)
    buildPackages.push(
      "python3",
      "python3-venv",
      ...(plan.advice.needsCompiler ? ["build-essential", "python3-dev"] : []),
    );
  if (buildPackages.length > 0) build.push(SYSTEM_PIN_PRAGMA.apt, installPackages("apt", buildPackages));
  build.push("WORKDIR /app");
  const tool = installTool(detection.packageManager.name, python);
  build.push(...tool);
  build.push(
    `RUN ${python} -m venv ${VENV}`,
    `ENV VIRTUAL_ENV=${VENV} \\\n    PATH="${VENV}/bin:${tool.length > 0 ? `${TOOLS}/bin:` : ""}$PATH"`,
  );
  build.push(...installDependencies(plan, app));

  const runtimeEnv = [
    "PYTHONDONTWRITEBYTECODE=1",
    "PYTHONUNBUFFERED=1",
    `VIRTUAL_ENV=${VENV}`,
    `PATH="${VENV}/bin:$PATH"`,
  ];
  const files = ["WORKDIR /app", `COPY --from=build ${VENV} ${VENV}`, "COPY . ."];
  const argv = detection.start?.argv ?? ["python", "-c", "print('no start command found: set CMD')"];
  if (!detection.start)
    plan.notes.push("no start command found (no framework, entry file or [project.scripts]): edit CMD");
  const sections = { env: runtimeEnv, packages: plan.advice.runtimePackages, files, argv };
  return joinSections([
    header(plan, options),
    build,
    runtimeStage(plan, plan.debug, "debug", sections),
    runtimeStage(plan, plan.runtime, "final", {
      ...sections,
      argv: distroless ? distrolessArgv(argv) : argv,
    }),
  ]);
}

/** The venv's console scripts are on PATH; `python` is the venv's interpreter. */
function distrolessArgv(argv: string[]): string[] {
  if (argv[0] === "python" || argv[0] === "python3") return [`${VENV}/bin/python`, ...argv.slice(1)];
  return [`${VENV}/bin/${argv[0]}`, ...argv.slice(1)];
}

/** Package managers other than pip, pinned to a major version range (DL3013), in /opt/tools. */
function installTool(manager: string, python: string): string[] {
  const spec: Record<string, string> = {
    uv: "uv>=0.5,<1",
    poetry: "poetry>=2,<3",
    pdm: "pdm>=2,<3",
    pipenv: "pipenv>=2024.0",
  };
  const requirement = spec[manager];
  if (!requirement) return [];
  return [run([`${python} -m venv ${TOOLS}`, `${TOOLS}/bin/pip install "${requirement}"`], [PIP_CACHE])];
}

function installDependencies(plan: Plan, app: PythonApp): string[] {
  const { detection } = plan;
  const manager = detection.packageManager;
  const lock = manager.lockfile;
  switch (manager.name) {
    case "uv": {
      const uvCache = cacheMount("/root/.cache/uv");
      const manifests = ["pyproject.toml", ...(lock ? [lock] : [])];
      const frozen = lock ? "--frozen " : "";
      return [
        `ENV UV_PROJECT_ENVIRONMENT=${VENV} \\\n    UV_COMPILE_BYTECODE=1 \\\n    UV_LINK_MODE=copy`,
        `COPY ${manifests.join(" ")} ./`,
        run([`uv sync ${frozen}--no-dev --no-install-project`], [uvCache]),
        "COPY . .",
        run([`uv sync ${frozen}--no-dev`], [uvCache]),
      ];
    }
    case "poetry": {
      const manifests = ["pyproject.toml", ...(lock ? [lock] : [])];
      return [
        `COPY ${manifests.join(" ")} ./`,
        run(["poetry install --only main --no-root --no-interaction"], [cacheMount("/root/.cache/pypoetry")]),
      ];
    }
    case "pdm": {
      const manifests = ["pyproject.toml", ...(lock ? [lock] : [])];
      return [
        `COPY ${manifests.join(" ")} ./`,
        run(["pdm sync --prod --no-self"], [cacheMount("/root/.cache/pdm")]),
      ];
    }
    case "pipenv": {
      if (!lock) {
        plan.notes.push(
          "Pipfile without Pipfile.lock: the build locks at build time (`pipenv lock`); commit Pipfile.lock instead",
        );
        return [
          "COPY Pipfile ./",
          run(
            [
              "pipenv lock",
              "pipenv requirements > /tmp/requirements.txt",
              "pip install -r /tmp/requirements.txt",
            ],
            [PIP_CACHE],
          ),
        ];
      }
      return [
        "COPY Pipfile Pipfile.lock ./",
        run(
          ["pipenv requirements > /tmp/requirements.txt", "pip install -r /tmp/requirements.txt"],
          [PIP_CACHE],
        ),
      ];
    }
    default: {
      if (app.requirements.length > 0) {
        const files = app.requirementFiles.length > 0 ? app.requirementFiles : app.requirements;
        return [
          `COPY ${files.join(" ")} ./`,
          run(
            app.requirements.map((r) => `pip install -r ${r}`),
            [PIP_CACHE],
          ),
        ];
      }
      if (app.installsProject) {
        plan.notes.push(
          "no lockfile or requirements.txt: the project and its dependencies install in one step from a bind mount of the source (add requirements.txt or uv.lock to cache dependencies separately)",
        );
        return [run(["pip install /tmp/src"], [PIP_CACHE, "type=bind,target=/tmp/src,rw"])];
      }
      return ["# No dependencies to install: the app uses the standard library only."];
    }
  }
}
