import { crc32 } from 'node:zlib';
import type { Message } from '../protocol/index.ts';

/** The prefix of every inbox message file name, as the original inbox fallback wrote it. */
export const INBOX_FILE_PREFIX = 'INBOX_MESSAGE_';

/** One inbox message file read back: the message facts its headers and body carry. */
export interface InboxMessage {
  readonly fileName: string;
  readonly id: string;
  readonly sender: string;
  readonly recipient: string;
  readonly priority: string;
  readonly type: string;
  readonly tags: readonly string[];
  /** The `Timestamp` header: the delivery time as an ISO-8601 string. */
  readonly timestamp: string;
  readonly content: string;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Formats a time as the original's file-name timestamp, in UTC: `20250128_143000_123`. */
export function inboxTimestamp(ms: number): string {
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  return `${date}_${time}_${pad(d.getUTCMilliseconds(), 3)}`;
}

/**
 * The file name of a delivery: `INBOX_MESSAGE_<timestamp>_<id>.md`. An id that is not file-name safe is
 * replaced character by character and suffixed with its CRC-32, so two different ids never share a name.
 */
export function inboxFileName(ms: number, messageId: string): string {
  const safe = messageId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
  const id = safe === messageId ? safe : `${safe}-${crc32(messageId).toString(16).padStart(8, '0')}`;
  return `${INBOX_FILE_PREFIX}${inboxTimestamp(ms)}_${id}.md`;
}

const HEADERS = ['From', 'To', 'Priority', 'Message Type', 'Tags', 'Timestamp', 'Message Id'] as const;
const BODY_START = '\n---\n\n';
const BODY_END = '\n\n---\n';

/** Renders a delivery as the original's Markdown inbox file, plus a `Message Id` header (JSON-quoted). */
export function formatInboxMessage(message: Message, recipient: string, ms: number): string {
  const values = [
    message.sender,
    recipient,
    message.priority,
    message.type,
    message.tags.length > 0 ? message.tags.join(', ') : 'none',
    new Date(ms).toISOString(),
    JSON.stringify(message.id),
  ];
  const headers = HEADERS.map((name, i) => `**${name}**: ${values[i]}`).join('\n');
  return `# 🚨 INBOX MESSAGE - ${message.type.toUpperCase()}\n\n${headers}\n${BODY_START}${message.content}${BODY_END}`;
}

/** Parses a file written by {@link formatInboxMessage}; returns why it does not parse as a string. */
export function parseInboxMessage(fileName: string, text: string): InboxMessage | string {
  const split = text.indexOf(BODY_START);
  if (split === -1 || !text.endsWith(BODY_END)) return 'the body is not framed by "---" lines';
  const values = new Map<string, string>();
  for (const line of text.slice(0, split).split('\n').slice(1)) {
    const match = /^\*\*(.+?)\*\*: (.*)$/.exec(line);
    if (match !== null) values.set(match[1]!, match[2]!);
  }
  const missing = HEADERS.find((name) => !values.has(name));
  if (missing !== undefined) return `the "${missing}" header is missing`;
  let id: unknown;
  try {
    id = JSON.parse(values.get('Message Id')!);
  } catch {
    id = undefined;
  }
  if (typeof id !== 'string') return 'the "Message Id" header is not a JSON string';
  const tags = values.get('Tags')!;
  return {
    fileName,
    id,
    sender: values.get('From')!,
    recipient: values.get('To')!,
    priority: values.get('Priority')!,
    type: values.get('Message Type')!,
    tags: tags === 'none' ? [] : tags.split(', '),
    timestamp: values.get('Timestamp')!,
    content: text.slice(split + BODY_START.length, text.length - BODY_END.length),
  };
}
