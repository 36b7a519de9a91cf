/**
 * The worker thread of off-loop.ts: runs the tasks of off-loop-tasks.ts, one message at a time.
 */
import { parentPort } from 'node:worker_threads';
import { tasks, type Tasks } from './off-loop-tasks.ts';

async function run(id: number, task: keyof Tasks, input: never): Promise<void> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000; // the worker's own time, for the metrics
  try {
    const output = await (tasks[task] as (input: never) => unknown)(input);
    // An answer's bytes move to the main thread instead of being copied (their buffer is the answer's own).
    const body = (output as { body?: unknown } | null)?.body;
    parentPort!.postMessage(
      { id, output, seconds: seconds() },
      body instanceof Uint8Array ? [body.buffer as ArrayBuffer] : [],
    );
  } catch (error) {
    parentPort!.postMessage({
      id,
      error: { message: error instanceof Error ? error.message : String(error) },
      seconds: seconds(),
    });
  }
}

parentPort!.on('message', ({ id, task, input }: { id: number; task: keyof Tasks; input: never }) => {
  void run(id, task, input);
});
