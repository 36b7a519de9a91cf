/**
 * What use cases report for the operator's metrics (plugins/metrics.ts), through Node's `diagnostics_channel`:
 * a service publishes a fact and goes on, whether or not anyone listens (without a subscriber, publishing costs
 * next to nothing). Services know nothing of HTTP or Prometheus; the metrics plugin of each app subscribes and
 * keeps its own counts, so several apps in one process (tests) never share a registry.
 *
 * @example importFinished.publish({ db, rows: 1200, seconds: 0.8, status: 'succeeded', dryRun: false })
 */
import diagnosticsChannel from 'node:diagnostics_channel';

/** An import that reached its end, written or not (a dry run, or refused rows). */
export interface ImportFinished {
  /** The database handle the import ran on (an app's metrics count only its own database's imports). */
  db: object;
  /** Data rows read from the file. */
  rows: number;
  /** From the upload spooled to the answer ready. */
  seconds: number;
  status: 'succeeded' | 'rejected' | 'failed';
  dryRun: boolean;
}

/** A heavy task the worker thread ran (services/off-loop.ts): its name and the worker's time on it. */
export interface EngineTaskFinished {
  task: string;
  seconds: number;
  ok: boolean;
}

export const importFinished = typedChannel<ImportFinished>('rba.import.finished');
export const engineTaskFinished = typedChannel<EngineTaskFinished>('rba.engine.task');

export interface TypedChannel<T> {
  publish(message: T): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: (message: T) => void): () => void;
}

function typedChannel<T>(name: string): TypedChannel<T> {
  const channel = diagnosticsChannel.channel(name);
  return {
    publish(message) {
      if (channel.hasSubscribers) channel.publish(message);
    },
    subscribe(listener) {
      const onMessage = (message: unknown) => listener(message as T);
      channel.subscribe(onMessage);
      return () => channel.unsubscribe(onMessage);
    },
  };
}
