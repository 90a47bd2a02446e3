import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRingTarget } from '../fixtures/targets/ring-target.ts';
import { createSimpleTarget } from '../fixtures/targets/simple-processor.ts';
import {
  CHAOS_KINDS,
  runStress,
  type StressOptions,
  StressRunner,
  type StressTargetFactory,
} from '../src/engine/index.ts';
import { chaosSchedule, checkStressProperty, stressProperty } from '../src/generators/index.ts';
import { createReferenceTarget } from '../src/reference/index.ts';
import { type AsyncCensus, asyncCensus } from './async-census.ts';
import type { BenchResult } from './bench-result.ts';
import { instantsPerUnit } from './clock-instants.ts';
import { type Spread, spread as spreadOf } from './sample-statistics.ts';

// Engine throughput end to end (workload, mock core, ledger, every metric and the final report, on the virtual
// clock), measured honestly: every figure is timed from outside the call, each configuration runs in a process
// of its own (bench/engine-sample.ts) so no target's JIT state slows another, rounds of all configurations are
// interleaved so a slow spell of the machine hits every figure alike, and each figure is the median of its
// samples with the spread (min-max) printed. The baseline is independent of the code it judges: a plain
// pipeline with its own message objects, queue and counters (nothing imported from the package).

const SAMPLE = fileURLToPath(new URL('./engine-sample.ts', import.meta.url));
const ROUNDS = 5;
const CONFIGS = [
  'independent',
  'headline',
  'simple-bursts',
  'default-minimal',
  'reference-default',
  'reference-900',
  'cold',
  'instant',
] as const;
type ConfigName = (typeof CONFIGS)[number];

/** Runs one configuration in a fresh process and returns its samples (deliveries per second). */
function sampleInProcess(name: ConfigName): number[] {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', SAMPLE, name], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (child.status !== 0) throw new Error(`engine sample ${name} failed:\n${child.stderr}`);
  return (JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as { samples: number[] }).samples;
}

const thousands = (value: number): string => Math.round(value).toLocaleString('en-US');
const spread = (f: Spread): string =>
  `median of ${f.count} samples, min ${thousands(f.min)}, max ${thousands(f.max)} (${ROUNDS} interleaved rounds, one process per configuration and round)`;

const MILLION_AGENTS = 10;
const MILLION_PER_AGENT = 100_000;
const BURSTS = {
  arrival: { kind: 'burst', size: 1000, gapMs: 1 },
  core: { latency: { kind: 'none' } },
} as const;

const gc = (globalThis as { gc?: () => void }).gc;

/** The JS heap plus array buffers (the ledger's typed arrays live outside the heap). */
const memory = (): number => {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

/** Memory after a full GC (when exposed) at the end of a run, with the ledger and metrics still alive. */
async function heapAtEnd(options: Omit<StressOptions, 'target'>): Promise<number> {
  // Array buffers of earlier runs are released by a task after the collection: let it run, then measure.
  gc?.();
  await new Promise((resolve) => setImmediate(resolve));
  gc?.();
  const before = memory();
  let atEnd = 0;
  const runner = new StressRunner({ target: createSimpleTarget(), ...options });
  runner.addEventListener('progress', (event) => {
    if (event.detail.phase !== 'done') return;
    gc?.();
    atEnd = memory();
  });
  await runner.run();
  return atEnd - before;
}

/** Delivery units of one passing run (a failing run measures nothing useful). */
async function deliveries(
  options: Omit<StressOptions, 'target'>,
  target: StressTargetFactory,
): Promise<number> {
  const report = await runStress({ target, ...options });
  if (!report.ok) throw new Error(`bench run failed: ${report.failures.join('; ')}`);
  return report.invariants.deliveries;
}

const censusNote = (census: AsyncCensus): string =>
  `${census.ticks} ticks and ${census.other} other async resources per unit over ${census.units.toLocaleString('en-US')} units; ` +
  'an async_hooks census of the whole runStress() call: exact (the same code and seed give the same count), so it ' +
  'compares across commits where the timings above drift';

/** Measures the engine figures; prints nothing (bench/index.ts prints). */
export async function run(): Promise<BenchResult[]> {
  const samples = Object.fromEntries(CONFIGS.map((name) => [name, [] as number[]])) as Record<
    ConfigName,
    number[]
  >;
  for (let round = 0; round < ROUNDS; round++) {
    // Rotated each round, so no configuration always runs right after the same other one.
    for (let i = 0; i < CONFIGS.length; i++) {
      const name = CONFIGS[(i + round) % CONFIGS.length] as ConfigName;
      samples[name].push(...sampleInProcess(name));
    }
  }
  const f = Object.fromEntries(CONFIGS.map((name) => [name, spreadOf(samples[name])])) as Record<
    ConfigName,
    Spread
  >;
  const million = MILLION_AGENTS * MILLION_PER_AGENT;
  const independent = {
    name: 'independent plain pipeline (no package code)',
    value: f.independent.median,
  };

  const heap1M = await heapAtEnd({ agents: MILLION_AGENTS, messagesPerAgent: MILLION_PER_AGENT, ...BURSTS });
  const heap5M = await heapAtEnd({
    agents: MILLION_AGENTS,
    messagesPerAgent: 5 * MILLION_PER_AGENT,
    ...BURSTS,
  });
  const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
  const perUnit = (bytes: number, units: number): number => Math.round((bytes / units) * 10) / 10;

  const property = stressProperty({
    target: createSimpleTarget(),
    chaos: chaosSchedule({ kinds: CHAOS_KINDS.filter((kind) => kind !== 'hang') }),
  });
  await checkStressProperty(property, { seed: 7, numRuns: 10 });
  const propertyStart = performance.now();
  const checked = await checkStressProperty(property, { seed: 1, numRuns: 100 });
  const propertyMs = performance.now() - propertyStart;
  if (!checked.ok || checked.numRuns !== 100) throw new Error('the clean property failed in the bench');

  // After a warm-up run each, so one-time promises (module state, first allocations) stay out of the count.
  const ringDefault = () => deliveries({ agents: 10, messagesPerAgent: 2_000 }, createRingTarget(4));
  const referenceDefault = () => deliveries({ agents: 9, messagesPerAgent: 2_000 }, createReferenceTarget());
  await ringDefault();
  const ringCensus = await asyncCensus(ringDefault);
  await referenceDefault();
  const referenceCensus = await asyncCensus(referenceDefault);
  const ringInstants = await instantsPerUnit(ringDefault);
  const referenceInstants = await instantsPerUnit(referenceDefault);
  // What the default-arrival row could reach if each unit cost what a headline unit costs plus the clock's own
  // share of its instants: an estimate from two measured figures, to show how much of the gap is the clock.
  const instantUs = 1e6 / f.instant.median;
  const clockUsPerUnit = ringInstants * instantUs;
  const headlineUsPerUnit = 1e6 / f.headline.median;
  const ceiling = 1e6 / (headlineUsPerUnit + clockUsPerUnit);
  const us = (value: number): string => value.toFixed(2);

  const engine =
    'virtual clock, ledger + all metrics + final report, timed from outside the runStress() call';
  return [
    {
      name: `independent plain pipeline, ${million.toLocaleString('en-US')} units`,
      value: f.independent.median,
      unit: 'deliveries/s',
      note: `its own message objects (id, sender, recipient, type, text, send time), a plain array queue, 4 workers awaiting a no-op delivery, latency buckets, counters per agent and type; ${spread(f.independent)}`,
    },
    {
      name: `engine headline: ${million.toLocaleString('en-US')} units, bursts of 1,000 every 1 ms, no latency, ring target`,
      value: f.headline.median,
      unit: 'deliveries/s',
      baseline: independent,
      target: '>= 2,500,000 deliveries/s and >= 0.5 x the independent pipeline',
      note: `fixtures/targets/ring-target.ts (a ring buffer, 4 workers); ${engine}; ${spread(f.headline)}`,
    },
    {
      name: `engine: ${million.toLocaleString('en-US')} units as above, simple processor`,
      value: f['simple-bursts'].median,
      unit: 'deliveries/s',
      baseline: independent,
      note: `fixtures/targets/simple-processor.ts (4 workers, retries, crash/restart); ${engine}; ${spread(f['simple-bursts'])}`,
    },
    {
      name: 'engine: default arrival and latency, 10 agents x 20,000 (200,000 units), ring target',
      value: f['default-minimal'].median,
      unit: 'deliveries/s',
      baseline: independent,
      target: '>= 1,000,000 deliveries/s',
      note: `what stress.run() does by default (open arrival 25/s per agent, latency uniform 1-5 ms) with a minimal target; ${engine}; ${spread(f['default-minimal'])}`,
    },
    {
      name: 'engine: the shipped default target, default configuration, 9 agents x 2,000 (18,000 units)',
      value: f['reference-default'].median,
      unit: 'deliveries/s',
      baseline: { name: 'the same run with the ring target (above)', value: f['default-minimal'].median },
      target: '>= 300,000 deliveries/s',
      note: `createReferenceTarget() (MessageQueueProcessor on a memory store) as runStress() and the stress project use it; ${engine}; ${spread(f['reference-default'])}`,
    },
    {
      name: 'engine: the shipped default target, 9 agents x 100 (what each stress test runs), warm',
      value: f['reference-900'].median,
      unit: 'deliveries/s',
      note: `${engine}; after 10 warm-up runs in the process; ${spread(f['reference-900'])}`,
    },
    {
      name: 'engine: cold start, the first 9 x 100 run in a fresh process, shipped default target',
      value: f.cold.median,
      unit: 'deliveries/s',
      baseline: { name: 'the same run warm', value: f['reference-900'].median },
      target: '>= 100,000 deliveries/s',
      note: `modules loaded, nothing run before it; ${engine}; ${spread(f.cold)}`,
    },
    {
      name: 'engine: promises per delivery unit, default arrival and latency, ring target',
      value: ringCensus.promises,
      unit: 'promises/unit',
      note: censusNote(ringCensus),
    },
    {
      name: 'engine: promises per delivery unit, the shipped default target, default configuration',
      value: referenceCensus.promises,
      unit: 'promises/unit',
      baseline: { name: 'the same run with the ring target (above)', value: ringCensus.promises },
      note: censusNote(referenceCensus),
    },
    {
      name: 'engine: the virtual clock alone, one worker sleeping 1 ms 200,000 times',
      value: f.instant.median,
      unit: 'instants/s',
      note: `${us(instantUs)} µs per instant: a timer set and fired, the sleep's promise, the worker's await and the two-round settle of bench/clock-instants.ts; ${spread(f.instant)}`,
    },
    {
      name: 'engine: clock instants per delivery unit, default arrival and latency',
      value: ringInstants,
      unit: 'instants/unit',
      note: `ring target, 10 x 2,000 (the shipped target: ${referenceInstants}); every advanceToNext() during runStress(), exact. Each arrival and each latency's end is an instant of its own: ${us(clockUsPerUnit)} µs of clock per unit`,
    },
    {
      name: 'engine: default arrival and latency, estimated ceiling (a headline unit plus the clock alone)',
      value: Math.round(ceiling),
      unit: 'deliveries/s',
      baseline: { name: 'the measured default-arrival run (above)', value: f['default-minimal'].median },
      target: '>= 1,000,000 deliveries/s (the default-arrival target)',
      note: `1 / (${us(headlineUsPerUnit)} µs per headline unit + ${ringInstants} instants x ${us(instantUs)} µs): the most the default-arrival row could reach if its units cost only what bursts cost plus the clock's own share of their instants. A ceiling under the target means it needs fewer instants per unit, a cheaper settle or cheaper units, not only a leaner run loop`,
    },
    {
      name: 'engine: memory retained per delivery unit at 5,000,000 units',
      value: perUnit(heap5M, 5 * million),
      unit: 'B/unit',
      target: '<= 16 B/unit',
      note:
        `heap + array buffers at the end of the run (ledger and metrics alive, before finish) minus before it, simple processor, bursts: ` +
        `${mb(heap5M)} MB at 5M units, ${mb(heap1M)} MB at 1M (${perUnit(heap1M, million)} B/unit; ` +
        `${perUnit(heap5M - heap1M, 4 * million)} B/unit from 1M to 5M); ${gc ? 'after a full GC (--expose-gc)' : 'WITHOUT GC (run node with --expose-gc for exact figures)'}`,
    },
    {
      name: 'generators: 100 chaos property runs of 900 deliveries (checkStressProperty, numRuns 100)',
      value: Math.round(propertyMs),
      unit: 'ms',
      target: '<= 5000 ms',
      note: 'clean simple target, default 9 x 100 workload, chaosSchedule() without hang; after a 10-run warm-up',
    },
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await run(), null, 2));
}
