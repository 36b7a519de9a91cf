/**
 * A counter that moves whenever data may have changed: every successful write through this API bumps it,
 * and on PostgreSQL every write by any instance does too (the database notifies each write at commit:
 * schema/migrations/2026120303-change-notify.ts, heard by cache/postgres-change-feed.ts). Caches remember
 * the generation they were filled at and are stale as soon as it moves, so a change of data, indicator,
 * result or initiative invalidates every cached answer at once, without a database query on the hot path.
 *
 * While notifications from other instances may be missed (the listening connection is down) the generation
 * is not `trusted`: caches then answer nothing from memory.
 *
 * The database's change token (`RBA-Change-Token`, read-your-writes across instances) is tracked here too:
 * `seenToken` is the newest token this instance's caches are known to reflect.
 */
export class ChangeGeneration {
  #value = 0;
  #trusted = true;
  #seenToken = 0;

  get value(): number {
    return this.#value;
  }

  /** False while changes by other instances may go unnoticed: caches must not be read. */
  get trusted(): boolean {
    return this.#trusted;
  }

  /** Moves the generation: every cached answer is stale. */
  bump(): void {
    this.#value += 1;
  }

  /** The listener lost its connection (false) or listens again (true; caches were flushed meanwhile). */
  setTrusted(trusted: boolean): void {
    if (trusted) this.bump(); // changes may have been missed while not listening
    this.#trusted = trusted;
  }

  /**
   * A change notification with token `token` was heard: every change whose token is lower committed before
   * it (the database hands out tokens in time order and delivers notifications in commit order).
   */
  heard(token: number): void {
    this.bump();
    if (token > this.#seenToken) this.#seenToken = token;
  }

  /**
   * The caches are flushed after the database's latest token was `token`. Every change with a LOWER token
   * committed before that (the change holding `token` itself may still commit after the flush: its
   * notification will cover it).
   */
  flushedAt(token: number): void {
    this.bump();
    if (token - 1 > this.#seenToken) this.#seenToken = token - 1;
  }

  get seenToken(): number {
    return this.#seenToken;
  }
}
