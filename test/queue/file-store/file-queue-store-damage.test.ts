// Randomized damage to store directories: every damage must be refused with a coded error naming the file and
// position, or recovered with a report that accounts exactly for what is missing. A store that opens with a
// state that is not the acknowledged one, or one cut at a point its report does not name, is a silent change.
// VITEST_STRESS_DAMAGE_TRIALS raises the number of damages (default 400); VITEST_STRESS_DAMAGE_SEED replays one.
import { readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyToModel,
  emptyModel,
  makeEntry,
  modelView,
} from '../../../fixtures/store-crash/queue-records.ts';
import { SeededRandom } from '../../../src/engine/workload/seeded-random.ts';
import { StressError } from '../../../src/protocol/index.ts';
import { FileQueueStore } from '../../../src/queue/file-store/file-queue-store.ts';
import type { QueueRecord } from '../../../src/queue/queue-record.ts';
import { addJournal, copyStore, storeImage } from './store-image.ts';

const TRIALS = Number(process.env.VITEST_STRESS_DAMAGE_TRIALS ?? 400);
const SEED = Number(process.env.VITEST_STRESS_DAMAGE_SEED ?? 20_261_205);

/** A store image and what its acknowledged records add up to after each of them. */
interface BaseImage {
  readonly name: string;
  readonly directory: string;
  readonly records: readonly QueueRecord[];
  /** `prefixes[k]`: the recovered state after the first k records, as canonical JSON. */
  readonly prefixes: readonly string[];
}

/** A workload touching every record kind, split into commits of 1–4 records. */
function workload(random: SeededRandom, commits: number): QueueRecord[][] {
  const model = emptyModel();
  const out: QueueRecord[][] = [];
  for (let c = 0; c < commits; c++) {
    const commit: QueueRecord[] = [];
    for (let n = random.nextInt(1, 4); n > 0; n--) {
      const live = [...model.live.keys()];
      const roll = random.below(10);
      let record: QueueRecord;
      if (live.length === 0 || roll < 4) {
        record = { op: 'enqueue', entry: makeEntry(model.lastSequence + 1, `damage ${c} ✓`) };
      } else {
        const entryId = random.pick(live);
        const at = c * 10 + n;
        if (roll < 6) record = { op: 'ack', entryId, at };
        else if (roll < 7) record = { op: 'progress', entryId, recipient: `Agent-${random.nextInt(1, 3)}` };
        else if (roll < 9)
          record = { op: 'retry', entryId, attempts: 1, availableAt: at, lastError: `boom ${at}` };
        else record = { op: 'dead', entryId, attempts: 3, lastError: `gave up ${at}`, at };
      }
      applyToModel(model, record);
      commit.push(record);
    }
    out.push(commit);
  }
  return out;
}

const canonical = (view: { entries: unknown; deadLetters: unknown; lastSequence: number }) =>
  JSON.stringify({ entries: view.entries, deadLetters: view.deadLetters, lastSequence: view.lastSequence });

async function baseImage(
  name: string,
  random: SeededRandom,
  how: 'crashed' | 'closed',
  compactEvery: number,
  extra = false,
): Promise<BaseImage> {
  const commits = workload(random, 40);
  const kept = extra ? commits.slice(0, 30) : commits;
  const image = await storeImage(kept, how, { compactEvery });
  // A second, sealed journal after the first, as a snapshot that failed (or a crash before it) leaves them.
  if (extra) await addJournal(image.directory, commits.slice(30), true);
  const records = commits.flat();
  const model = emptyModel();
  const prefixes = [canonical(modelView(model))];
  for (const record of records) {
    applyToModel(model, record);
    prefixes.push(canonical(modelView(model)));
  }
  return { name, directory: image.directory, records, prefixes };
}

type Damage = (path: string, random: SeededRandom) => Promise<string>;

async function lineStarts(path: string): Promise<number[]> {
  const bytes = await readFile(path);
  const starts = [0];
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) starts.push(i + 1);
  return starts;
}

const DAMAGES: Record<string, Damage> = {
  'flip a bit': async (path, random) => {
    const bytes = await readFile(path);
    if (bytes.length === 0) return 'nothing to flip';
    const at = random.below(bytes.length);
    const bit = random.below(8);
    bytes[at]! ^= 1 << bit;
    await writeFile(path, bytes);
    return `bit ${bit} of byte ${at}`;
  },
  'truncate anywhere': async (path, random) => {
    const size = (await stat(path)).size;
    const to = random.below(Math.max(size, 1));
    await truncate(path, to);
    return `to ${to} of ${size} bytes`;
  },
  'truncate at a line boundary': async (path, random) => {
    const starts = await lineStarts(path);
    const to = random.pick(starts.slice(0, -1).length > 0 ? starts.slice(0, -1) : starts);
    await truncate(path, to);
    return `to ${to} bytes`;
  },
  'zero a range': async (path, random) => {
    const bytes = await readFile(path);
    if (bytes.length === 0) return 'nothing to zero';
    const at = random.below(bytes.length);
    const length = Math.min(random.nextInt(1, 96), bytes.length - at);
    bytes.fill(0, at, at + length);
    await writeFile(path, bytes);
    return `${length} bytes at ${at}`;
  },
  'delete a line': async (path, random) => {
    const bytes = await readFile(path);
    const starts = await lineStarts(path);
    const lines = starts.length - 1;
    if (lines === 0) return 'no line';
    const n = random.below(lines);
    await writeFile(path, Buffer.concat([bytes.subarray(0, starts[n]), bytes.subarray(starts[n + 1])]));
    return `line ${n + 1} of ${lines}`;
  },
  'repeat a line': async (path, random) => {
    const bytes = await readFile(path);
    const starts = await lineStarts(path);
    if (starts.length < 2) return 'no line';
    const n = random.below(starts.length - 1);
    const line = bytes.subarray(starts[n], starts[n + 1]);
    await writeFile(
      path,
      Buffer.concat([bytes.subarray(0, starts[n + 1]), line, bytes.subarray(starts[n + 1])]),
    );
    return `line ${n + 1}`;
  },
  'delete the file': async (path) => {
    await rm(path);
    return 'deleted';
  },
  'empty the file': async (path) => {
    await truncate(path, 0);
    return 'emptied';
  },
};

type Outcome = 'refused' | 'unchanged' | 'reported loss' | 'SILENT CHANGE' | 'UNCODED ERROR';

async function damageAndOpen(
  base: BaseImage,
  random: SeededRandom,
): Promise<{ outcome: Outcome; what: string }> {
  const directory = await copyStore(base.directory);
  const files = (await readdir(directory)).filter((name) => name !== 'LOCK').sort();
  // The newest journal gets extra weight: it is the one whose tail may legally be torn.
  const file = random.chance(0.3)
    ? files.filter((f) => f.startsWith('journal-')).at(-1)!
    : random.pick(files);
  const kind = random.pick(Object.keys(DAMAGES));
  const detail = await DAMAGES[kind]!(join(directory, file), random);
  const what = `${base.name}: ${kind} of ${file} (${detail})`;
  const store = new FileQueueStore({ directory, compactEvery: Number.POSITIVE_INFINITY });
  let outcome: Outcome;
  try {
    const recovered = await store.open();
    const state = canonical(recovered);
    const cuts = base.prefixes.flatMap((prefix, k) => (prefix === state ? [k] : []));
    const report = store.recovery!;
    const named = report.lastRecord;
    // The report must name the cut: the last record it kept is the k-th acknowledged one (or, when no journal
    // record was kept, the state is the snapshot's).
    const namesCut = (k: number): boolean => {
      const last = base.records[k - 1];
      if (named === undefined) return true;
      const entryId =
        last === undefined ? undefined : last.op === 'enqueue' ? last.entry.entryId : last.entryId;
      return last !== undefined && named.op === last.op && named.entryId === entryId;
    };
    if (cuts.includes(base.records.length)) outcome = 'unchanged';
    else if (recovered.warnings.length === 0 || report.clean || !cuts.some(namesCut))
      outcome = 'SILENT CHANGE';
    else outcome = 'reported loss';
    await store.close();
  } catch (error) {
    const coded =
      StressError.is(error) &&
      ['ERR_STORE_CORRUPTED', 'ERR_STORE_FORMAT'].includes(error.code) &&
      typeof error.details.path === 'string' &&
      error.message.includes(error.details.path as string) &&
      Number.isSafeInteger(error.details.line);
    outcome = coded ? 'refused' : 'UNCODED ERROR';
    if (!coded) return { outcome, what: `${what}: ${String(error)}` };
  }
  await rm(directory, { recursive: true, force: true });
  return { outcome, what };
}

describe('FileQueueStore under random damage', () => {
  it(`refuses or exactly reports every one of ${TRIALS} random damages (seed ${SEED})`, async () => {
    const random = new SeededRandom(SEED);
    const bases = [
      await baseImage('crashed, no snapshot yet', random.fork('a'), 'crashed', Number.POSITIVE_INFINITY),
      await baseImage('crashed, compacted', random.fork('b'), 'crashed', 25),
      await baseImage('crashed, two journals', random.fork('c'), 'crashed', Number.POSITIVE_INFINITY, true),
      await baseImage('closed, compacted', random.fork('d'), 'closed', 25),
      await baseImage('closed, never compacted', random.fork('e'), 'closed', Number.POSITIVE_INFINITY),
    ];
    const counts: Record<string, number> = {};
    const bad: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const trialRandom = random.fork(`trial ${trial}`);
      const { outcome, what } = await damageAndOpen(trialRandom.pick(bases), trialRandom);
      counts[outcome] = (counts[outcome] ?? 0) + 1;
      if (outcome === 'SILENT CHANGE' || outcome === 'UNCODED ERROR')
        bad.push(`trial ${trial}: ${outcome}: ${what}`);
    }
    console.log(JSON.stringify(counts));
    expect(bad, JSON.stringify(counts)).toEqual([]);
    // Both ways out are exercised: damage that is refused, and damage recovered with a report.
    expect(counts.refused).toBeGreaterThan(TRIALS / 4);
    expect(counts['reported loss']).toBeGreaterThan(0);
    for (const base of bases) await rm(base.directory, { recursive: true, force: true });
  }, 120_000);
});
