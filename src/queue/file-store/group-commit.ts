import { setImmediate, setTimeout } from 'node:timers';

/** How a {@link GroupCommit} batches: how long to linger before a write and how much one write may carry. */
export interface GroupCommitOptions {
  /** Milliseconds to wait for more items before a write starts; 0 writes on the next turn of the event loop. */
  readonly lingerMs: number;
  /** Largest total weight of one batch; a single heavier item still goes alone. */
  readonly maxWeight: number;
}

/**
 * Writes a batch; resolves to one outcome per item, in order (`undefined` = committed, an error = that item
 * failed alone). Throwing fails every item of the batch with the thrown error.
 */
export type CommitBatch<T> = (items: readonly T[]) => Promise<ReadonlyArray<Error | undefined>>;

interface Waiting<T> {
  readonly item: T;
  readonly weight: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: items submitted while a batch is being written wait and go together in the next batch, so
 * N concurrent submitters share one write (and one fsync) instead of paying for N. One batch at a time.
 */
export class GroupCommit<T> {
  private waiting: Waiting<T>[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly options: GroupCommitOptions,
    private readonly commit: CommitBatch<T>,
  ) {}

  /** Queues `item`; resolves once the batch holding it is committed, rejects with its failure. */
  submit(item: T, weight: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, weight, resolve, reject });
      this.running ??= this.run();
    });
  }

  /** Resolves when nothing is waiting or being written. */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  private async run(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        await this.linger();
        await this.commitNext();
      }
    } finally {
      this.running = undefined;
    }
  }

  private linger(): Promise<void> {
    // setImmediate rather than a microtask: submitters resumed by the previous batch get to submit first.
    // Imported from node:timers so a test's fake timers (which patch the globals) cannot stall durability.
    return new Promise((resolve) => {
      if (this.options.lingerMs > 0) setTimeout(resolve, this.options.lingerMs);
      else setImmediate(resolve);
    });
  }

  private async commitNext(): Promise<void> {
    let weight = 0;
    let count = 0;
    while (count < this.waiting.length) {
      const next = this.waiting[count]!;
      if (count > 0 && weight + next.weight > this.options.maxWeight) break;
      weight += next.weight;
      count++;
    }
    const batch = this.waiting.splice(0, count);
    let outcomes: ReadonlyArray<Error | undefined>;
    try {
      outcomes = await this.commit(batch.map((waiting) => waiting.item));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    batch.forEach((waiting, i) => {
      const failure = outcomes[i];
      if (failure === undefined) waiting.resolve();
      else waiting.reject(failure);
    });
  }
}
