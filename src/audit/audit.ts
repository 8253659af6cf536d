/**
 * `drydock audit`: where an image's bytes go, what is wasted, and the Dockerfile line that
 * wasted them. One pass reads every layer (`handle.readLayers`, with the secret detector's
 * capture rule); everything else is computed from the layer indexes in memory. The result's
 * fields are documented in docs/audit.md.
 */
import { parseDockerfile } from "../dockerfile/parse.ts";
import type { ImageHandle } from "../image/handle.ts";
import type { CaptureRule } from "../image/layer-index.ts";
import type { LayerData, ReadLayersOptions } from "../image/read.ts";
import { platformString, type ResolvedImage } from "../image/types.ts";
import { type BaseBoundary, findBaseBoundary } from "./base.ts";
import { type BloatResult, classifyBloat } from "./bloat.ts";
import { type CiEvaluation, type CiThresholds, compileCiRules, evaluateCi } from "./ci.ts";
import { type DiveMetrics, diveMetrics } from "./dive.ts";
import {
  type Alignment,
  alignHistory,
  dockerfileSteps,
  finalStageChain,
  type HistoryStep,
  historySteps,
} from "./history.ts";
import { type DuNode, type LargeFile, largestInLayer, largestSquashed } from "./largest.ts";
import { buildModel } from "./model.ts";
import {
  type CorrectedMetrics,
  correctedMetrics,
  type ReclaimablePath,
  reclaimableByLayer,
  reclaimablePaths,
  type WasteGroup,
  wasteGroups,
} from "./reclaimable.ts";
import { findSecrets, SECRET_CAPTURE, type SecretFinding } from "./secrets.ts";
import { type ChangeCount, stackLayers } from "./stack.ts";
import { type LayerOrigin, type Suggestion, suggestFixes } from "./suggestions.ts";

export interface AuditDockerfile {
  /** Path shown in messages. */
  path: string;
  text: string;
  /** Stage to match (name or index); default the last stage. */
  target?: string;
  /** Found beside the build context rather than given: dropped when it does not match the history. */
  auto?: boolean;
}

export interface AuditOptions {
  /** `--base IMAGE`. */
  base?: string;
  /** Opens `--base` or the image an annotation names (the CLI passes openImage). */
  openBase?: (reference: string) => Promise<ImageHandle>;
  dockerfile?: AuditDockerfile;
  /** Rows in the top-N lists (default 10). */
  top?: number;
  /** Also list the largest files and directories of each layer. */
  byLayer?: boolean;
  /** Evaluate the CI gate with these thresholds. */
  ci?: CiThresholds;
  /** Reading options passed to readLayers (concurrency, limits). */
  read?: Omit<ReadLayersOptions, "capture">;
  /** Capture rules of other analyses that share this pass. */
  capture?: CaptureRule[];
}

export interface AuditLayer {
  index: number;
  digest: string;
  diffId: string;
  compression: string;
  /** Blob size as stored or transferred. */
  compressedSize: number;
  /** Layer tar size. */
  uncompressedSize: number;
  /** Σ sizes of the layer's files (dive's layer size). */
  sizeBytes: number;
  /** Entries (files, directories, links), whiteouts excluded. */
  entries: number;
  whiteouts: number;
  opaqueDirs: number;
  added: ChangeCount;
  modified: ChangeCount;
  removed: ChangeCount;
  /** Bytes of lower copies this layer deleted or replaced. */
  hiddenBytes: number;
  /** Bytes of this layer's files that later layers deleted or replaced. */
  reclaimableBytes: number;
  /** Part of the base image (see `base`). */
  base: boolean;
  createdBy?: string;
  created?: string;
  comment?: string;
  /** The Dockerfile instruction that made it, with `--dockerfile`. */
  instruction?: { line: number; endLine: number; keyword: string; source: string };
}

export interface AuditHistoryEntry {
  createdBy: string;
  emptyLayer: boolean;
  builder: string;
  keyword?: string;
  layer?: number;
  line?: number;
}

export interface AuditResult {
  schemaVersion: 1;
  image: {
    source: string;
    reference?: string;
    digest?: string;
    platform: string;
    configDigest: string;
    created?: string;
  };
  totals: {
    layers: number;
    compressedSize: number;
    uncompressedSize: number;
    /** Σ file bytes over all layers. */
    sizeBytes: number;
    /** Bytes of the files a container sees. */
    finalBytes: number;
    /** Entries a container sees. */
    files: number;
  };
  base: BaseBoundary;
  dockerfile?: {
    path: string;
    stage: string;
    matchedLines: number;
    layerLines: number;
    matchedLayerLines: number;
    used: boolean;
    note?: string;
  };
  layers: AuditLayer[];
  history: AuditHistoryEntry[];
  dive: Omit<DiveMetrics, "userWastedPercent" | "layerSizes"> & {
    /** null when dive's division gives NaN or Infinity (no user bytes). */
    userWastedPercent: number | null;
  };
  corrected: CorrectedMetrics;
  waste: WasteGroup[];
  reclaimablePaths: ReclaimablePath[];
  bloat: BloatResult;
  secrets: SecretFinding[];
  largest: {
    files: LargeFile[];
    tree: DuNode;
    /** Layers by size, largest first. */
    layers: Array<{ index: number; sizeBytes: number; compressedSize: number }>;
    perLayer?: Array<{ index: number; files: LargeFile[]; tree: DuNode }>;
  };
  suggestions: Suggestion[];
  ci?: CiEvaluation;
}

/** Capture rules the audit needs from the layer pass (for callers that share one pass). */
export function auditCaptureRules(): CaptureRule[] {
  return [SECRET_CAPTURE];
}

/** Reads the image once and audits it. */
export async function audit(handle: ImageHandle, options: AuditOptions = {}): Promise<AuditResult> {
  // Compile the CI rules first: a bad threshold is a usage error before any reading.
  if (options.ci) compileCiRules(options.ci);
  const layers = await handle.readLayers({
    ...options.read,
    capture: [...auditCaptureRules(), ...(options.capture ?? [])],
  });
  const image = await handle.resolve();
  return auditLayers(image, layers, options);
}

interface MatchedDockerfile {
  /** The Dockerfile's source lines. */
  lines: string[];
  alignment: Alignment;
  steps: ReturnType<typeof dockerfileSteps>;
  summary: NonNullable<AuditResult["dockerfile"]>;
}

function matchDockerfile(history: HistoryStep[], dockerfile: AuditDockerfile): MatchedDockerfile {
  const parsed = parseDockerfile(dockerfile.text);
  const chain = finalStageChain(parsed, dockerfile.target);
  const steps = dockerfileSteps(chain);
  const alignment = alignHistory(history, steps);
  const last = chain[chain.length - 1];
  const stage = last ? (last.name ?? String(last.index)) : "(none)";
  // Enough of the layer-making lines must match, else the file is not this image's.
  const good =
    alignment.matchedLayerSteps > 0 && alignment.matchedLayerSteps * 2 >= Math.max(1, alignment.layerSteps);
  const used = good || !dockerfile.auto;
  const note = good
    ? undefined
    : `only ${alignment.matchedLayerSteps} of ${alignment.layerSteps} RUN/COPY/ADD lines match the image history${used ? "" : ": not used"}`;
  return {
    lines: parsed.lines,
    alignment,
    steps,
    summary: {
      path: dockerfile.path,
      stage,
      matchedLines: alignment.matched,
      layerLines: alignment.layerSteps,
      matchedLayerLines: alignment.matchedLayerSteps,
      used,
      ...(note ? { note } : {}),
    },
  };
}

/** Audits layers already read (by `audit`, or by a caller that shares the pass). */
export async function auditLayers(
  image: ResolvedImage,
  layers: LayerData[],
  options: AuditOptions = {},
): Promise<AuditResult> {
  const top = options.top ?? 10;
  const indexes = layers.map((l) => l.index);
  const model = buildModel(indexes);
  const stack = stackLayers(model);
  const dive = diveMetrics(model);
  const history = historySteps(image.config, layers.length);

  const matched = options.dockerfile ? matchDockerfile(history, options.dockerfile) : undefined;
  const useDockerfile = matched?.summary.used ? matched : undefined;
  const base = await findBaseBoundary(image, history, {
    base: options.base,
    openBase: options.openBase,
    ...(useDockerfile?.alignment.firstMatch !== undefined
      ? { dockerfileFirstMatch: useDockerfile.alignment.firstMatch }
      : {}),
  });

  const source = matched?.lines ?? [];
  const instructionOfLayer = new Map<number, NonNullable<AuditLayer["instruction"]>>();
  const lineOfHistory = new Map<number, number>();
  if (useDockerfile) {
    useDockerfile.alignment.stepOfHistory.forEach((stepIndex, historyIndex) => {
      if (stepIndex === undefined) return;
      const instruction = useDockerfile.steps[stepIndex]!.instruction;
      lineOfHistory.set(historyIndex, instruction.line);
      const layer = history[historyIndex]!.layer;
      if (layer === undefined) return;
      instructionOfLayer.set(layer, {
        line: instruction.line,
        endLine: instruction.endLine,
        keyword: instruction.keyword,
        source: (source[instruction.line - 1] ?? "").trim(),
      });
    });
  }
  const historyOfLayer = new Map<number, HistoryStep>();
  for (const h of history) if (h.layer !== undefined) historyOfLayer.set(h.layer, h);

  const origins: LayerOrigin[] = layers.map((l, i) => {
    const h = historyOfLayer.get(i);
    const instruction = instructionOfLayer.get(i);
    return {
      layer: i,
      base: i < base.layers,
      createdBy: h?.createdBy ?? l.ref.history?.created_by ?? "",
      ...(h?.keyword || instruction ? { keyword: instruction?.keyword ?? h?.keyword } : {}),
      body: h?.body ?? "",
      ...(instruction
        ? { line: instruction.line, endLine: instruction.endLine, source: instruction.source }
        : {}),
    };
  });

  const env = image.config.config?.Env ?? [];
  const corrected = correctedMetrics(model, stack, base.layers);
  const waste = wasteGroups(model, stack, top);
  const bloat = classifyBloat(model, stack, { env, limit: top });
  const secrets = findSecrets(model, stack);
  const squashed = largestSquashed(model, stack, { top });
  const reclaimedByLayer = reclaimableByLayer(model, stack);
  const suggestions = suggestFixes(waste, bloat.classes, origins);

  let visibleFiles = 0;
  for (let s = 1; s < model.table.size; s++) if (stack.visibleLayer[s]! >= 0) visibleFiles++;

  const auditLayersOut: AuditLayer[] = layers.map((l, i) => {
    const change = stack.changes[i]!;
    const h = historyOfLayer.get(i);
    const instruction = instructionOfLayer.get(i);
    return {
      index: i,
      digest: l.ref.descriptor.digest,
      diffId: l.ref.diffId,
      compression: l.compression,
      compressedSize: l.compressedSize,
      uncompressedSize: l.uncompressedSize,
      sizeBytes: l.index.fileBytes,
      entries: l.index.count,
      whiteouts: l.index.whiteouts.length,
      opaqueDirs: l.index.opaqueDirs.length,
      added: change.added,
      modified: change.modified,
      removed: change.removed,
      hiddenBytes: change.hiddenBytes,
      reclaimableBytes: reclaimedByLayer[i]!,
      base: i < base.layers,
      ...(h
        ? { createdBy: h.createdBy }
        : l.ref.history?.created_by
          ? { createdBy: l.ref.history.created_by }
          : {}),
      ...(l.ref.history?.created ? { created: l.ref.history.created } : {}),
      ...(h?.comment ? { comment: h.comment } : {}),
      ...(instruction ? { instruction } : {}),
    };
  });

  const ciInput = {
    efficiency: dive.efficiency,
    wastedBytes: dive.wastedBytes,
    userWastedPercent: dive.userWastedPercent,
    sizeBytes: corrected.sizeBytes,
    reclaimableBytes: corrected.reclaimableBytes,
  };
  const { userWastedPercent, layerSizes: _layerSizes, ...diveRest } = dive;
  return {
    schemaVersion: 1,
    image: {
      source: image.source,
      ...(image.reference ? { reference: image.reference } : {}),
      ...(image.manifestDigest ? { digest: image.manifestDigest } : {}),
      platform: platformString(image.platform),
      configDigest: image.configDigest,
      ...(image.config.created ? { created: image.config.created } : {}),
    },
    totals: {
      layers: layers.length,
      compressedSize: layers.reduce((n, l) => n + l.compressedSize, 0),
      uncompressedSize: layers.reduce((n, l) => n + l.uncompressedSize, 0),
      sizeBytes: corrected.sizeBytes,
      finalBytes: corrected.finalBytes,
      files: visibleFiles,
    },
    base,
    ...(matched ? { dockerfile: matched.summary } : {}),
    layers: auditLayersOut,
    history: history.map((h) => ({
      createdBy: h.createdBy,
      emptyLayer: h.emptyLayer,
      builder: h.builder,
      ...(h.keyword ? { keyword: h.keyword } : {}),
      ...(h.layer !== undefined ? { layer: h.layer } : {}),
      ...(lineOfHistory.has(h.index) ? { line: lineOfHistory.get(h.index)! } : {}),
    })),
    dive: {
      ...diveRest,
      userWastedPercent: Number.isFinite(userWastedPercent) ? userWastedPercent : null,
    },
    corrected,
    waste,
    reclaimablePaths: reclaimablePaths(model, stack, top),
    bloat,
    secrets,
    largest: {
      files: squashed.files,
      tree: squashed.tree,
      layers: auditLayersOut
        .map((l) => ({ index: l.index, sizeBytes: l.sizeBytes, compressedSize: l.compressedSize }))
        .sort((a, b) => b.sizeBytes - a.sizeBytes || a.index - b.index),
      ...(options.byLayer
        ? { perLayer: layers.map((_, i) => ({ index: i, ...largestInLayer(model, i, { top }) })) }
        : {}),
    },
    suggestions,
    ...(options.ci ? { ci: evaluateCi(compileCiRules(options.ci), ciInput) } : {}),
  };
}
