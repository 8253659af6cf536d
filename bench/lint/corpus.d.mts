/** Types of corpus.mjs (kept as plain ESM so `npm run bench:lint` runs without a build step). */

export interface GeneratedFile {
  name: string;
  content: string;
  stack: string;
  stages: number;
  /** Line count. */
  lines: number;
  crlf: boolean;
  escape: "\\" | "`";
  /** The kind of intended syntax error, or null for a valid file. */
  syntaxError: string | null;
}

export interface CorpusOptions {
  seed?: number;
  count?: number;
}

export interface CorpusStats {
  files: number;
  bytes: number;
  lines: { min: number; median: number; max: number };
  multiStage: number;
  heredoc: number;
  crlf: number;
  backtickEscape: number;
  syntaxErrors: number;
  stacks: Record<string, number>;
}

export const DEFAULT_SEED: number;
export const DEFAULT_COUNT: number;
export const DEFAULT_DIR: string;
export function imageFamily(image: string): string | null;
export function generateDockerfile(seed: number, index: number): GeneratedFile;
export function generateCorpus(options?: CorpusOptions): GeneratedFile[];
export function writeCorpus(dir?: string, options?: CorpusOptions): GeneratedFile[];
export function describeCorpus(files: GeneratedFile[]): CorpusStats;
