import { readInbox } from '../inbox/inbox-messaging-core.ts';
import type { DeliveredUnit } from './timed-core.ts';

/** Whether the real inbox holds exactly what the real core reported delivered; JSON-plain. */
export interface InboxCheck {
  readonly ok: boolean;
  /** Inbox message files found. */
  readonly files: number;
  /** Successful deliveries the core made (duplicates included). */
  readonly delivered: number;
  /** Deliveries with no inbox file, as `<id> -> <agent>` (at most 5). */
  readonly missing: readonly string[];
  /** Inbox files no delivery explains (at most 5). */
  readonly unexpected: readonly string[];
  readonly missing_count: number;
  readonly unexpected_count: number;
}

const key = (messageId: string, recipient: string): string => `${messageId} -> ${recipient}`;

/** Reads every inbox file under `workspaceRoot` and matches them one to one with `delivered`. */
export async function checkInbox(
  workspaceRoot: string,
  delivered: readonly DeliveredUnit[],
): Promise<InboxCheck> {
  const files = await readInbox(workspaceRoot);
  const expected = new Map<string, number>();
  for (const unit of delivered) {
    const k = key(unit.messageId, unit.recipient);
    expected.set(k, (expected.get(k) ?? 0) + 1);
  }
  const unexpected: string[] = [];
  for (const file of files) {
    const k = key(file.id, file.recipient);
    const left = expected.get(k) ?? 0;
    if (left > 0) expected.set(k, left - 1);
    else unexpected.push(`${k} (${file.fileName})`);
  }
  const missing = [...expected].flatMap(([k, count]) => Array.from({ length: count }, () => k));
  return {
    ok: missing.length === 0 && unexpected.length === 0,
    files: files.length,
    delivered: delivered.length,
    missing: missing.slice(0, 5),
    unexpected: unexpected.slice(0, 5),
    missing_count: missing.length,
    unexpected_count: unexpected.length,
  };
}
