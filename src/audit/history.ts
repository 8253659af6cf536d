/**
 * Image history ↔ Dockerfile lines. The config's `history` has one entry per instruction of
 * every build that made the image (base image first); entries with `empty_layer` made no layer.
 * The two builders write `created_by` differently:
 *
 *   classic builder  `/bin/sh -c #(nop)  CMD ["sh"]`, `/bin/sh -c #(nop) COPY file:<sha> in /app `,
 *                    RUN as `/bin/sh -c apt-get update` or `|1 X=1 /bin/sh -c …` (build args in
 *                    scope), exec-form RUN as its words joined by spaces
 *   BuildKit         `RUN /bin/sh -c apt-get update # buildkit`, `RUN |1 X=1 /bin/sh -c … # buildkit`,
 *                    `COPY src /dst # buildkit`, `WORKDIR /app`, `CMD ["sh"]`, `ENV A=b`
 *
 * Matching aligns the history with the instructions of the final stage (and of the stages it
 * is built FROM) by a longest-common-subsequence over instruction keyword and normalised text,
 * preferring the latest entries, because only the final stage's lines produce the image's
 * layers; earlier entries belong to the base image.
 */
import {
  type Dockerfile,
  type Instruction,
  KNOWN_INSTRUCTIONS,
  runScript,
  type Stage,
} from "../dockerfile/parse.ts";
import type { HistoryEntry, ImageConfig } from "../image/types.ts";

export type Builder = "buildkit" | "classic" | "unknown";

export interface HistoryStep {
  /** Position in the config's history. */
  index: number;
  createdBy: string;
  comment?: string;
  emptyLayer: boolean;
  /** The layer it made, when history and layers line up. */
  layer?: number;
  builder: Builder;
  /** Dockerfile keyword (RUN, COPY, …), when recognisable. */
  keyword?: string;
  /** The instruction's text after the keyword: for RUN the command without shell prefix and build args. */
  body: string;
}

/** Instructions that history entries name (FROM leaves none). */
const KEYWORDS = new Set([...KNOWN_INSTRUCTIONS].filter((keyword) => keyword !== "FROM"));
const BUILDKIT_SUFFIX = "# buildkit";
const NOP = "#(nop) ";

/** Collapses runs of white space, as continuation lines joined by the builders leave them. */
export function normalizeText(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** `|2 A=1 B=2 rest` → `rest`: the build args a RUN saw, prefixed by both builders. */
function stripBuildArgs(text: string): string {
  const match = /^\|(\d+) /.exec(text);
  if (!match) return text;
  let rest = text.slice(match[0].length);
  for (let i = 0; i < Number(match[1]); i++) {
    const space = rest.indexOf(" ");
    rest = space < 0 ? "" : rest.slice(space + 1);
  }
  return rest;
}

/** `/bin/sh -c cmd`, `/bin/bash -o pipefail -c cmd` → `cmd`. */
function stripShell(text: string): string {
  const match = /^(?:\/\S*\/)?(?:ba|da|z|k|a)?sh(?: -[a-zA-Z]+(?: [a-z]+)?)*? -c /.exec(text);
  return match ? text.slice(match[0].length) : text;
}

/** Leading `--mount=… --network=…` flags that BuildKit may keep in a RUN's history. */
function stripFlags(text: string): string {
  return text.replace(/^(?:--[a-z-]+(?:=\S*)? )+/, "");
}

export function parseCreatedBy(createdBy: string): Pick<HistoryStep, "builder" | "keyword" | "body"> {
  let text = createdBy.trim();
  if (text === "") return { builder: "unknown", body: "" };
  if (text.endsWith(BUILDKIT_SUFFIX)) {
    text = text.slice(0, -BUILDKIT_SUFFIX.length).trim();
    const keyword = firstWord(text);
    if (keyword && KEYWORDS.has(keyword)) return buildkitStep(keyword, text);
    return { builder: "buildkit", keyword: "RUN", body: runBody(text) };
  }
  const nop = text.indexOf(NOP);
  if (nop >= 0 && nop < 80 && /^\S*sh\b.* -c$/.test(text.slice(0, nop).trimEnd())) {
    const rest = text.slice(nop + NOP.length).trim();
    const keyword = firstWord(rest);
    return { builder: "classic", keyword, body: rest.slice(keyword?.length ?? 0).trim() };
  }
  const keyword = firstWord(text);
  if (keyword && KEYWORDS.has(keyword)) return buildkitStep(keyword, text);
  return { builder: "classic", keyword: "RUN", body: runBody(text) };
}

function buildkitStep(keyword: string, text: string): Pick<HistoryStep, "builder" | "keyword" | "body"> {
  const rest = text.slice(keyword.length).trim();
  return { builder: "buildkit", keyword, body: keyword === "RUN" ? runBody(stripFlags(rest)) : rest };
}

function runBody(text: string): string {
  return stripShell(stripBuildArgs(text.trim()));
}

function firstWord(text: string): string | undefined {
  const match = /^[A-Z]+\b/.exec(text);
  return match?.[0];
}

/** History entries with the layer each one made (when the non-empty entries match the layers). */
export function historySteps(config: ImageConfig, layerCount: number): HistoryStep[] {
  const history: HistoryEntry[] = config.history ?? [];
  const aligned = history.filter((h) => !h.empty_layer).length === layerCount;
  let layer = 0;
  return history.map((h, index) => {
    const step: HistoryStep = {
      index,
      createdBy: h.created_by ?? "",
      ...(h.comment ? { comment: h.comment } : {}),
      emptyLayer: Boolean(h.empty_layer),
      ...parseCreatedBy(h.created_by ?? ""),
    };
    if (!h.empty_layer && aligned) step.layer = layer++;
    return step;
  });
}

// ---------------------------------------------------------------------------------------------
// Dockerfile side

export interface DockerfileStep {
  instruction: Instruction;
  keyword: string;
  /** Normalised text to compare with a history body. */
  body: string;
  /** A heredoc RUN's script, which BuildKit may record instead of the first line. */
  script?: string;
  /** COPY/ADD destination. */
  dest?: string;
}

/**
 * The stages whose instructions end up in the image, base-most first: the target (default the
 * last stage), preceded by the stage it is built FROM when that is a stage of the same file.
 */
export function finalStageChain(dockerfile: Dockerfile, target?: string): Stage[] {
  const stages = dockerfile.stages;
  let stage: Stage | undefined;
  if (target !== undefined) {
    stage = stages.find((s) => s.name === target.toLowerCase()) ?? stages[Number(target)];
    if (!stage) return [];
  } else {
    stage = stages[stages.length - 1];
  }
  const chain: Stage[] = [];
  const seen = new Set<number>();
  while (stage && !seen.has(stage.index)) {
    seen.add(stage.index);
    chain.unshift(stage);
    const from = stage.image.toLowerCase();
    const before = stages.slice(0, stage.index);
    stage = before.find((s) => s.name === from) ?? (/^\d+$/.test(from) ? before[Number(from)] : undefined);
  }
  return chain;
}

export function dockerfileSteps(chain: Stage[]): DockerfileStep[] {
  const steps: DockerfileStep[] = [];
  for (const stage of chain) {
    for (const instruction of stage.instructions) {
      if (instruction.keyword === "FROM") continue;
      const keyword = instruction.keyword;
      const body =
        keyword === "RUN" && instruction.json ? runBody(instruction.json.join(" ")) : instruction.args;
      const step: DockerfileStep = { instruction, keyword, body: normalizeText(body) };
      if (keyword === "RUN" && instruction.heredocs.length > 0)
        step.script = normalizeText(runScript(instruction));
      if (keyword === "COPY" || keyword === "ADD") {
        const words = instruction.json ?? instruction.args.trim().split(/\s+/);
        step.dest = words[words.length - 1];
      }
      steps.push(step);
    }
  }
  return steps;
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

/** How well a history entry matches a Dockerfile instruction: 0 = no match. */
export function matchScore(history: HistoryStep, step: DockerfileStep): number {
  if (!history.keyword || history.keyword !== step.keyword) return 0;
  const body = normalizeText(history.body);
  switch (step.keyword) {
    case "RUN":
      // The command text is kept verbatim by both builders (never expanded); a heredoc RUN's
      // history may hold its script, so containment is accepted too.
      if (body === step.body) return 4;
      for (const want of [step.body, step.script]) {
        if (want && want.length >= 8 && body.includes(want)) return 3;
      }
      return 0;
    case "COPY":
    case "ADD": {
      const dest = /(?:^| )in (\S+)\s*$/.exec(body)?.[1] ?? body.split(" ").pop() ?? "";
      const want = step.dest ?? "";
      if (
        dest &&
        want &&
        (trimSlash(dest) === trimSlash(want) || trimSlash(dest).endsWith(`/${trimSlash(want)}`))
      )
        return 3;
      return 1;
    }
    default:
      return body === step.body ? 2 : 1;
  }
}

export interface Alignment {
  /** Dockerfile step index for each history index (undefined = not matched). */
  stepOfHistory: Array<number | undefined>;
  matched: number;
  /** Layer-producing Dockerfile steps (RUN, COPY, ADD) and how many of them matched. */
  layerSteps: number;
  matchedLayerSteps: number;
  /** First history index matched to the Dockerfile, if any. */
  firstMatch?: number;
}

/** LCS alignment that prefers the latest history entries for each instruction. */
export function alignHistory(history: HistoryStep[], steps: DockerfileStep[]): Alignment {
  const n = history.length;
  const m = steps.length;
  const best = Array.from({ length: n + 1 }, () => new Float64Array(m + 1));
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const score = matchScore(history[i - 1]!, steps[j - 1]!);
      let value = Math.max(best[i - 1]![j]!, best[i]![j - 1]!);
      if (score > 0) value = Math.max(value, best[i - 1]![j - 1]! + score);
      best[i]![j] = value;
    }
  }
  const stepOfHistory: Array<number | undefined> = new Array(n).fill(undefined);
  let i = n;
  let j = m;
  let matched = 0;
  while (i > 0 && j > 0) {
    const score = matchScore(history[i - 1]!, steps[j - 1]!);
    if (score > 0 && best[i]![j] === best[i - 1]![j - 1]! + score) {
      stepOfHistory[i - 1] = j - 1;
      matched++;
      i--;
      j--;
    } else if (best[i - 1]![j] === best[i]![j]) {
      i--;
    } else {
      j--;
    }
  }
  const producesLayer = (s: DockerfileStep) => ["RUN", "COPY", "ADD"].includes(s.keyword);
  const matchedSteps = new Set(stepOfHistory.filter((s): s is number => s !== undefined));
  const firstMatch = stepOfHistory.findIndex((s) => s !== undefined);
  return {
    stepOfHistory,
    matched,
    layerSteps: steps.filter(producesLayer).length,
    matchedLayerSteps: [...matchedSteps].filter((s) => producesLayer(steps[s]!)).length,
    ...(firstMatch >= 0 ? { firstMatch } : {}),
  };
}
