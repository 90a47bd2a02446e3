import type { IsolationViolationRecord } from './isolation-violation.ts';

/** Keeps the violations of one guard, in order, and hands them out per test. */
export class ViolationRecorder {
  readonly #records: IsolationViolationRecord[] = [];
  readonly #seen = new Set<string>();
  #pending: IsolationViolationRecord[] = [];

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
    this.#pending.push(record);
  }

  /** Every violation so far. */
  all(): readonly IsolationViolationRecord[] {
    return this.#records.slice();
  }

  /**
   * The violations not handed out yet: all of them, or those `select` accepts (the others stay, in order, for
   * their own test or for whoever collects the ones that belong to no running test).
   */
  take(select?: (record: IsolationViolationRecord) => boolean): readonly IsolationViolationRecord[] {
    if (select === undefined) return this.#pending.splice(0);
    const taken: IsolationViolationRecord[] = [];
    const kept: IsolationViolationRecord[] = [];
    for (const record of this.#pending) (select(record) ? taken : kept).push(record);
    if (taken.length > 0) this.#pending = kept;
    return taken;
  }
}
