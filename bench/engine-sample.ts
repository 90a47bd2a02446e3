// One engine configuration in a process of its own (bench/engine.bench.ts spawns it): warm-up runs, then timed
// runs, each timed from outside (`performance.now()` around the whole call: option handling, the run and the
// final report), printed as JSON. A process per configuration keeps one target's JIT state from slowing another.
import { createRingTarget } from '../fixtures/targets/ring-target.ts';
import { createSimpleTarget } from '../fixtures/targets/simple-processor.ts';
import { runStress, type StressOptions, type StressTargetFactory } from '../src/engine/index.ts';
import { createReferenceTarget } from '../src/reference/index.ts';
import { clockInstants } from './clock-instants.ts';

/** One measured configuration: what runs, how big, and how many untimed and timed runs a process makes. */
interface EngineConfig {
  readonly run: () => Promise<number>;
  readonly warmUps: number;
  readonly timed: number;
}

const BURSTS = {
  arrival: { kind: 'burst', size: 1000, gapMs: 1 },
  core: { latency: { kind: 'none' } },
} as const;
const MILLION = { agents: 10, messagesPerAgent: 100_000 } as const;

/** Delivery units of one engine run; throws when the run failed (a failing run measures nothing useful). */
async function engine(options: Omit<StressOptions, 'target'>, target: StressTargetFactory): Promise<number> {
  const report = await runStress({ target, ...options });
  if (!report.ok) throw new Error(`bench run failed: ${report.failures.join('; ')}`);
  return report.invariants.deliveries;
}

const AGENTS = Array.from({ length: 10 }, (_, i) => `Agent-${i + 1}`);
const TYPES = ['direct', 'broadcast', 'task', 'status', 'coordination'];

/**
 * The independent baseline: the same work in plain code that shares nothing with the package (its own message
 * objects with ids, text and send times, a plain array queue, 4 workers awaiting a no-op delivery, latencies
 * counted in power-of-two buckets, counters per agent and per type). Plain and lean on purpose: a slow baseline
 * would flatter the engine's ratio.
 */
async function independentPipeline(units: number): Promise<number> {
  const buckets = new Float64Array(64);
  let recorded = 0;
  const byAgent = new Float64Array(AGENTS.length);
  const byType = new Float64Array(TYPES.length);
  const deliver = async (_message: object, _recipient: string): Promise<boolean> => true;
  let queue: {
    id: string;
    sender: string;
    recipient: string;
    type: string;
    content: string;
    createdAt: number;
  }[] = [];
  let head = 0;
  let now = 0;
  const worker = async (): Promise<void> => {
    while (head < queue.length) {
      const message = queue[head++]!;
      if (await deliver(message, message.recipient)) {
        buckets[31 - Math.clz32((now - message.createdAt) * 1000 + 1)]!++;
        recorded++;
        byAgent[Number(message.recipient.slice(6)) - 1]!++;
        byType[TYPES.indexOf(message.type)]!++;
      }
    }
  };
  for (let sent = 0; sent < units; now++) {
    queue = [];
    head = 0;
    const end = Math.min(units, sent + 1000);
    for (; sent < end; sent++) {
      const recipient = AGENTS[(sent + 1) % AGENTS.length]!;
      queue.push({
        id: `msg-${sent}`,
        sender: AGENTS[sent % AGENTS.length]!,
        recipient,
        type: TYPES[sent % TYPES.length]!,
        content: `Message ${sent} for ${recipient}`,
        createdAt: now,
      });
    }
    await Promise.all([worker(), worker(), worker(), worker()]);
  }
  if (recorded !== units) throw new Error('the independent pipeline lost deliveries');
  return units;
}

const CONFIGS: Record<string, EngineConfig> = {
  // The headline: bursts of 1,000 every ms, no latency, the minimal ring target.
  headline: { run: () => engine({ ...MILLION, ...BURSTS }, createRingTarget(4)), warmUps: 2, timed: 3 },
  'simple-bursts': {
    run: () => engine({ ...MILLION, ...BURSTS }, createSimpleTarget()),
    warmUps: 2,
    timed: 3,
  },
  // What `stress.run()` does by default (open arrival 25/s per agent, latency 1-5 ms), minimal target.
  'default-minimal': {
    run: () => engine({ agents: 10, messagesPerAgent: 20_000 }, createRingTarget(4)),
    warmUps: 2,
    timed: 3,
  },
  // The shipped default target under the default configuration.
  'reference-default': {
    run: () => engine({ agents: 9, messagesPerAgent: 2_000 }, createReferenceTarget()),
    warmUps: 2,
    timed: 3,
  },
  // What `npx vitest run --project stress` runs per test: 9 x 100 on the reference target.
  'reference-900': {
    run: () => engine({ agents: 9, messagesPerAgent: 100 }, createReferenceTarget()),
    warmUps: 10,
    timed: 10,
  },
  // The first 9 x 100 run in a fresh process: no warm-up at all.
  cold: {
    run: () => engine({ agents: 9, messagesPerAgent: 100 }, createReferenceTarget()),
    warmUps: 0,
    timed: 1,
  },
  independent: {
    run: () => independentPipeline(MILLION.agents * MILLION.messagesPerAgent),
    warmUps: 2,
    timed: 3,
  },
  // The clock alone: instants per second with one sleeping worker and nothing else (samples are instants/s).
  instant: { run: () => clockInstants(200_000), warmUps: 2, timed: 3 },
};

const name = process.argv[2] ?? '';
const config = CONFIGS[name];
if (config === undefined) {
  console.error(`usage: engine-sample.ts <${Object.keys(CONFIGS).join('|')}>`);
  process.exit(2);
} else {
  for (let i = 0; i < config.warmUps; i++) await config.run();
  const samples: number[] = [];
  for (let i = 0; i < config.timed; i++) {
    const started = performance.now();
    const units = await config.run();
    samples.push(units / ((performance.now() - started) / 1000));
  }
  process.stdout.write(`${JSON.stringify({ name, samples })}\n`);
}
