import { type FileHandle, open } from 'node:fs/promises';
import { type JournalHeader, journalHeader } from './journal-header.ts';
import { encodeHeaderLine } from './journal-line.ts';

/** Counters of the I/O journals did, for tests and benchmarks; shared by the journals of one store. */
export interface JournalIoStats {
  /** Write calls (one per batch, unless the OS wrote it short). */
  writes: number;
  /** `datasync` calls made to make those batches durable. */
  syncs: number;
}

/** Which journal a {@link JournalFile} is: its generation and the salt its lines are checksummed with. */
export interface JournalIdentity {
  readonly generation: number;
  readonly salt: number;
}

/**
 * One open journal file that only grows: each {@link JournalFile.append} writes its bytes at the end and
 * datasyncs once. A failed append truncates the file back, so a half-written batch never precedes a later one.
 */
export class JournalFile {
  private broken: unknown;

  private constructor(
    readonly path: string,
    readonly identity: JournalIdentity,
    private readonly handle: FileHandle,
    private size: number,
    private readonly stats: JournalIoStats,
  ) {}

  /**
   * Creates journal `path` (it must not exist) holding only its header, datasynced; the caller fsyncs the
   * directory before anything depends on the file being there.
   */
  static async create(
    path: string,
    identity: JournalIdentity,
    firstLsn: number,
    stats: JournalIoStats,
  ): Promise<JournalFile> {
    const header: JournalHeader = journalHeader(identity.generation, firstLsn, identity.salt);
    const data = Buffer.from(encodeHeaderLine(header));
    const handle = await open(path, 'ax');
    try {
      await handle.writeFile(data);
      stats.writes++;
      stats.syncs++;
      await handle.datasync();
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new JournalFile(path, identity, handle, data.length, stats);
  }

  /** Opens existing journal `path` for appending at byte `size`, which recovery found to be intact. */
  static async open(
    path: string,
    identity: JournalIdentity,
    size: number,
    stats: JournalIoStats,
  ): Promise<JournalFile> {
    const handle = await open(path, 'r+');
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
    return new JournalFile(path, identity, handle, size, stats);
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
        const at = this.size + written;
        const { bytesWritten } = await this.handle.write(data, written, data.length - written, at);
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
