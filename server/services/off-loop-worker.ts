/**
 * The worker thread of off-loop.ts: runs the tasks of off-loop-tasks.ts, one message at a time.
 */
import { parentPort } from 'node:worker_threads';
import { tasks, type Tasks } from './off-loop-tasks.ts';

async function run(id: number, task: keyof Tasks, input: never): Promise<void> {
  try {
    const output = await (tasks[task] as (input: never) => unknown)(input);
    parentPort!.postMessage({ id, output });
  } catch (error) {
    parentPort!.postMessage({ id, error: { message: error instanceof Error ? error.message : String(error) } });
  }
}

parentPort!.on('message', ({ id, task, input }: { id: number; task: keyof Tasks; input: never }) => {
  void run(id, task, input);
});
