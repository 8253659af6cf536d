/** Entry point of a lint worker thread (see parallel.ts). */
import { parentPort, workerData } from "node:worker_threads";
import { type LintWorkerData, runLintWorker } from "./parallel.ts";

await runLintWorker(workerData as LintWorkerData, (message) => parentPort?.postMessage(message));
