import { type FileHandle, open } from 'node:fs/promises';

/** Counters of the I/O journals did, for tests and benchmarks; shared by the journals of one store. */
export interface JournalIoStats {
  /** Write calls (one per batch, unless the OS wrote it short). */
  writes: number;
  /** `datasync` calls made to make those batches durable. */
  syncs: number;
}

/**
 * One open journal file that only grows: each {@link JournalFile.append} writes its bytes at the end and
 * datasyncs once. A failed append truncates the file back, so a half-written batch never precedes a later one.
 */
export class JournalFile {
  private broken: unknown;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private size: number,
    private readonly stats: JournalIoStats,
  ) {}

  /** Opens (creating if missing) `path` for appending at byte `size`, which recovery found to be intact. */
  static async open(path: string, size: number, stats: JournalIoStats): Promise<JournalFile> {
    const handle = await open(path, 'a+');
    try {
      const actual = (await handle.stat()).size;
      // Recovery already cut a torn tail off; anything past `size` here would be a bug, so cut it again.
      if (actual !== size) {
        await handle.truncate(size);
        await handle.datasync();
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new JournalFile(path, handle, size, stats);
  }

  /** Bytes of intact records in the file. */
  get bytes(): number {
    return this.size;
  }

  /** Appends `data` and makes it durable with one datasync; on failure the file is cut back to its old size. */
  async append(data: Buffer): Promise<void> {
    if (this.broken !== undefined) throw this.broken;
    try {
      let written = 0;
      while (written < data.length) {
        this.stats.writes++;
        const { bytesWritten } = await this.handle.write(data, written, data.length - written);
        written += bytesWritten;
      }
      this.stats.syncs++;
      await this.handle.datasync();
      this.size += data.length;
    } catch (error) {
      await this.rollBack(error);
      throw error;
    }
  }

  /** Closes the handle; the file stays as it is. */
  async close(): Promise<void> {
    await this.handle.close();
  }

  private async rollBack(error: unknown): Promise<void> {
    try {
      await this.handle.truncate(this.size);
      await this.handle.datasync();
    } catch {
      // The tail may now hold part of a batch; writing after it would bury it mid-file as corruption.
      this.broken = error;
    }
  }
}
