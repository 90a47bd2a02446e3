import { open } from 'node:fs/promises';

/** One line of a file as {@link scanLines} sees it. */
export interface ScannedLine {
  /** 1-based line number. */
  readonly number: number;
  /** Byte offset of the line's first byte. */
  readonly offset: number;
  /** The line's bytes without its newline; only valid during the visit (the buffer is reused). */
  readonly bytes: Buffer;
  /** False for a last line with no newline after it. */
  readonly complete: boolean;
}

const NEWLINE = 0x0a;
const CHUNK = 1 << 20;

/**
 * Reads a file front to back in 1 MiB chunks and shows each line to `visit`, in order, so a file of any size is
 * read in bounded memory (plus the longest line). `visit` returns `false` to stop early. Resolves with the size
 * in bytes of the file as read.
 */
export async function scanLines(
  path: string,
  visit: (line: ScannedLine) => boolean | undefined,
): Promise<number> {
  const handle = await open(path, 'r');
  try {
    let buffer = Buffer.allocUnsafe(CHUNK);
    let filled = 0;
    let base = 0;
    let number = 0;
    for (;;) {
      if (filled === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, filled);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, base + filled);
      const atEnd = bytesRead === 0;
      filled += bytesRead;
      let start = 0;
      for (;;) {
        const newline = buffer.indexOf(NEWLINE, start);
        if (newline === -1 || newline >= filled) break;
        number++;
        const line = { number, offset: base + start, bytes: buffer.subarray(start, newline), complete: true };
        if (visit(line) === false) return base + filled;
        start = newline + 1;
      }
      if (atEnd) {
        if (start < filled) {
          number++;
          const bytes = buffer.subarray(start, filled);
          if (visit({ number, offset: base + start, bytes, complete: false }) === false) return base + filled;
        }
        return base + filled;
      }
      // Keep the unfinished line at the front of the buffer for the next read.
      buffer.copy(buffer, 0, start, filled);
      base += start;
      filled -= start;
    }
  } finally {
    await handle.close();
  }
}
