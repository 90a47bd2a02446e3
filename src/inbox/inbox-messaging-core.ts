import { readdir, readFile, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../io/atomic-write.ts';
import { ioError } from '../io/io-error.ts';
import { makeDirectory } from '../io/make-directory.ts';
import { removeStaleTempFiles } from '../io/remove-stale-temp-files.ts';
import { reportRealCoreUse } from '../isolation/real-core-use.ts';
import {
  assertSafeAgentId,
  BROADCAST_RECIPIENT,
  type Clock,
  type DeliveryAttempt,
  invalidOption,
  type Message,
  type MessagingCore,
  StressError,
} from '../protocol/index.ts';
import {
  formatInboxMessage,
  INBOX_FILE_PREFIX,
  type InboxMessage,
  inboxFileName,
  parseInboxMessage,
} from './inbox-file.ts';

/** Options of {@link InboxMessagingCore}. */
export interface InboxMessagingCoreOptions {
  /** Directory under which `agent_workspaces/<agent>/inbox/` is written; nothing is written outside it. */
  readonly workspaceRoot: string;
  /** Source of the file timestamps. @default the wall clock (`Date.now`) */
  readonly clock?: Pick<Clock, 'now'>;
}

/** This module's file: what the isolation guard names when the real core loads or is built in a guarded run. */
export const REAL_CORE_FILE: string = fileURLToPath(import.meta.url);

// However this module was loaded (a path the resolve hooks never saw, a second copy of the package), loading it in
// a guarded run is an escape: it is the real delivery the stress run must not reach.
reportRealCoreUse(REAL_CORE_FILE, 'load');

/** The directory holding every agent workspace under a root. */
const WORKSPACES = 'agent_workspaces';

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function escaped(root: string, path: string): StressError {
  return new StressError(
    'ERR_UNSAFE_AGENT_ID',
    `Expected the inbox \`${path}\` to be inside the workspace root \`${root}\`, got a path outside it.`,
    { details: { root, path } },
  );
}

/**
 * A real {@link MessagingCore}: delivers like the original's inbox fallback, writing each message atomically
 * to `<workspaceRoot>/agent_workspaces/<agent>/inbox/INBOX_MESSAGE_<timestamp>_<id>.md`. An unsafe recipient
 * throws `ERR_UNSAFE_AGENT_ID` (a failed delivery) and nothing is written. The first delivery to an inbox removes
 * the temp files that writers killed mid-write (their process gone) left in it.
 */
export class InboxMessagingCore implements MessagingCore {
  /** The absolute workspace root. */
  readonly workspaceRoot: string;
  private readonly clock: Pick<Clock, 'now'> | undefined;
  /** Inboxes this core has already cleared of dead writers' temp files. */
  private readonly cleaned = new Set<string>();

  constructor(options: InboxMessagingCoreOptions) {
    // A module loaded before the guard (or cached from an earlier test) is caught when it is used.
    reportRealCoreUse(REAL_CORE_FILE, 'new InboxMessagingCore');
    if (typeof options?.workspaceRoot !== 'string' || options.workspaceRoot.length === 0) {
      throw invalidOption('workspaceRoot', 'a non-empty path string', options?.workspaceRoot);
    }
    if (options.clock !== undefined && typeof options.clock?.now !== 'function') {
      throw invalidOption('clock', 'a Clock', options.clock);
    }
    this.workspaceRoot = resolve(options.workspaceRoot);
    this.clock = options.clock;
  }

  /** Writes the message to the recipient's inbox; resolves true once the file is in place. */
  async deliver(message: Message, recipient: string, attempt: DeliveryAttempt): Promise<boolean> {
    assertSafeAgentId(recipient, 'recipient');
    if (recipient === BROADCAST_RECIPIENT) {
      // The original wrote broadcasts to `agent_workspaces/ALL/inbox`; the processor must fan them out first.
      throw new StressError(
        'ERR_UNSAFE_AGENT_ID',
        `Expected \`recipient\` to be one agent, got the broadcast recipient "${BROADCAST_RECIPIENT}".`,
      );
    }
    attempt.signal?.throwIfAborted();
    const inbox = resolve(this.workspaceRoot, WORKSPACES, recipient, 'inbox');
    if (!isInside(this.workspaceRoot, inbox)) throw escaped(this.workspaceRoot, inbox);
    await makeDirectory(inbox).catch((cause: unknown) => {
      throw ioError(`the inbox directory \`${inbox}\` to exist or be created`, inbox, cause);
    });
    // A symlinked workspace could still point outside the root; compare the real paths.
    const realRoot = await realpath(this.workspaceRoot);
    if (!isInside(realRoot, await realpath(inbox))) throw escaped(this.workspaceRoot, inbox);
    if (!this.cleaned.has(inbox)) {
      // The first delivery to an inbox clears what writers killed mid-write left there.
      await removeStaleTempFiles(inbox);
      this.cleaned.add(inbox);
    }
    const now = this.clock?.now() ?? Date.now();
    await writeFileAtomic(
      join(inbox, inboxFileName(now, message.id)),
      formatInboxMessage(message, recipient, now),
    );
    return true;
  }
}

async function listOrEmpty(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Reads back every inbox message under a workspace root, by agent then file name (delivery time order);
 * a file that does not parse throws `ERR_IO` naming it.
 */
export async function readInbox(workspaceRoot: string): Promise<InboxMessage[]> {
  const root = join(resolve(workspaceRoot), WORKSPACES);
  const messages: InboxMessage[] = [];
  for (const agent of (await listOrEmpty(root)).sort()) {
    const inbox = join(root, agent, 'inbox');
    const names = (await listOrEmpty(inbox)).filter(
      (n) => n.startsWith(INBOX_FILE_PREFIX) && n.endsWith('.md'),
    );
    for (const name of names.sort()) {
      const path = join(inbox, name);
      const parsed = parseInboxMessage(name, await readFile(path, 'utf8'));
      if (typeof parsed === 'string') {
        throw new StressError('ERR_IO', `Expected \`${path}\` to be an inbox message file, but ${parsed}.`, {
          details: { path },
        });
      }
      messages.push(parsed);
    }
  }
  return messages;
}
