/**
 * A counter that moves whenever data may have changed: every successful write through this API bumps it
 * (and, on PostgreSQL, every other server instance's, through LISTEN/NOTIFY). Caches remember the
 * generation they were filled at and are stale as soon as it moves, so a change of data, indicator, result
 * or initiative invalidates every cached chart at once, without a database query on the hot path.
 */
export class ChangeGeneration {
  #value = 0;
  readonly #listeners = new Set<() => void>();

  get value(): number {
    return this.#value;
  }

  /** Moves the generation; `notify` also tells other instances (set false when the change came from them). */
  bump(notify = true): void {
    this.#value += 1;
    if (notify) for (const listener of this.#listeners) listener();
  }

  /** Called on every local bump (the PostgreSQL notifier hooks in here). */
  onLocalBump(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
