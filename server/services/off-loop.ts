/**
 * Runs CPU-heavy work (off-loop-tasks.ts) in one worker thread, so that no request blocks the event loop for
 * long: a group chart of 20 groups × 1,200 periods is seconds of CPU, during which `/healthz` and every other
 * request would otherwise wait. One worker (the work is CPU-bound; more would compete with the main thread on
 * a small machine), tasks queued in order, started with the server (or on first use) and again if it dies.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { engineTaskFinished } from '../instrumentation.ts';
import type { Answer, Tasks } from './off-loop-tasks.ts';
import type { AnalyzeWithFits } from './stored-fits.ts';

type Pending = { task: string; resolve: (value: unknown) => void; reject: (error: Error) => void };

/** A task's answer from off-loop-worker.ts, with the worker's time on it. */
interface WorkerMessage {
  id: number;
  output?: unknown;
  error?: { message: string };
  seconds: number;
}

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, Pending>();

function failAll(error: Error): void {
  for (const { reject } of pending.values()) reject(error);
  pending.clear();
}

function start(): Worker {
  // The same extension as this file: .ts under tsx (the worker gets tsx's loader too), .js once built.
  const here = fileURLToPath(import.meta.url);
  const entry = path.join(path.dirname(here), `off-loop-worker${path.extname(here)}`);
  const started =
    path.extname(here) === '.ts'
      ? new Worker(
          `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
             .then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); })`,
          { eval: true },
        )
      : new Worker(entry);
  started.unref();
  started.on('message', ({ id, output, error, seconds }: WorkerMessage) => {
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    engineTaskFinished.publish({ task: waiting.task, seconds, ok: !error });
    if (error) waiting.reject(new Error(error.message));
    else waiting.resolve(output);
  });
  started.on('error', (error) => failAll(error));
  started.on('exit', () => {
    if (worker === started) worker = null;
    failAll(new Error('the worker thread stopped'));
  });
  return started;
}

/** Starts the worker now (the server does at start), so the first heavy request does not wait for its modules to load. */
export function startOffLoop(): void {
  worker ??= start();
}

/** Runs a task in the worker thread; its input and output are copied (structured clone). */
export async function offLoop<K extends keyof Tasks>(
  task: K,
  input: Parameters<Tasks[K]>[0],
): Promise<Awaited<ReturnType<Tasks[K]>>> {
  worker ??= start();
  const id = nextId++;
  const result = new Promise<unknown>((resolve, reject) => pending.set(id, { task, resolve, reject }));
  // While a task waits, the worker must keep the process alive (and may stop doing so once idle).
  worker.ref();
  worker.postMessage({ id, task, input });
  try {
    return (await result) as Awaited<ReturnType<Tasks[K]>>;
  } finally {
    if (pending.size === 0) worker?.unref();
  }
}

/** The engine step of stored-fits.ts in the worker thread: one indicator's analysis, its fits handed back. */
export const analyzeInWorker: AnalyzeWithFits = async (subject, { level, baselineModels }) => {
  const { analysis, fits } = await offLoop('analyze', {
    indicator: subject.indicator,
    points: subject.points,
    level,
    baselineModels: [...baselineModels],
  });
  return { analysis, fits: new Map(fits) };
};

/** Runs an `…Answer` task (off-loop-tasks.ts): the answer's bytes as a Buffer over the transferred memory. */
export async function answerOffLoop<K extends 'analysisAnswer' | 'chartAnswer' | 'embedAnswer'>(
  task: K,
  input: Parameters<Tasks[K]>[0],
): Promise<{ body: Buffer; refits: Answer['refits'] }> {
  const { body, refits } = (await offLoop(task, input)) as Answer;
  return { body: Buffer.from(body.buffer, body.byteOffset, body.byteLength), refits };
}
