import type { IsolationViolationRecord } from './isolation-violation.ts';

/** Keeps the violations of one guard, in order, and hands them out per test. */
export class ViolationRecorder {
  readonly #records: IsolationViolationRecord[] = [];
  readonly #seen = new Set<string>();
  #taken = 0;

  /**
   * Stores a record. An observed (not blocked) repeat of the same kind, target and test is dropped: an observed
   * write stream would otherwise report its `open` and then every chunk it writes.
   */
  add(record: IsolationViolationRecord): void {
    if (!record.blocked) {
      const key = `${record.test ?? ''}\0${record.kind}\0${record.target}`;
      if (this.#seen.has(key)) return;
      this.#seen.add(key);
    }
    this.#records.push(record);
  }

  /** Every violation so far. */
  all(): readonly IsolationViolationRecord[] {
    return this.#records.slice();
  }

  /** The violations recorded since the previous call, for per-test collection. */
  take(): readonly IsolationViolationRecord[] {
    const fresh = this.#records.slice(this.#taken);
    this.#taken = this.#records.length;
    return fresh;
  }
}
