import { parseArgs } from 'node:util';
import { CORRECT_PROCESSORS } from '../fixtures/targets/correct-processors.ts';
import { FIXTURE_BUGS } from '../fixtures/targets/planted-bugs.ts';
import type { DeliveryProfile, StressTargetFactory } from '../src/engine/index.ts';
import {
  checkStressProperty,
  describeStressCase,
  type StressPropertyFailure,
  stressProperty,
  workloadOptions,
} from '../src/generators/index.ts';

// Verdict power (`npm run verdict`): how often the default chaos property and the property example of
// docs/USAGE.md fail correct processors (false alarms: the target is 0), and how often they catch each planted
// bug (the target is at least 9 of 10 fast-check seeds), with the size each counterexample shrank to. A report,
// not a timed test: figures are printed, never asserted. `--cases N` sets the generated cases per correct
// processor, profile and property (default 400; the bar is 10,000); `--seeds N` the seeds per bug;
// `--only alarms` or `--only bugs` runs one half; `--show-large` prints each counterexample above the size bar.

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '400' },
    seeds: { type: 'string', default: '10' },
    only: { type: 'string' },
    'show-large': { type: 'boolean', default: false },
  },
});
const only = values.only;
if (only !== undefined && only !== 'alarms' && only !== 'bugs')
  throw new Error(`Expected --only to be "alarms" or "bugs", got ${only}`);
const cases = Number(values.cases);
const seeds = Number(values.seeds);
if (!Number.isInteger(cases) || cases < 4)
  throw new Error(`Expected --cases to be an integer >= 4, got ${values.cases}`);
if (!Number.isInteger(seeds) || seeds < 1)
  throw new Error(`Expected --seeds to be a positive integer, got ${values.seeds}`);

/** The properties users meet: the default one, and the example of USAGE "Chaos properties and replay". */
const PROPERTIES = {
  default: {},
  'USAGE example': {
    workload: workloadOptions({ maxAgents: 5, maxDeliveries: 150 }),
    options: { thresholds: { 'invariants.lost': '== 0', 'invariants.duplicated': '>= 0' } },
  },
} as const;

function propertyOf(name: keyof typeof PROPERTIES, target: StressTargetFactory, profile: DeliveryProfile) {
  const { workload, options } = { workload: undefined, options: {}, ...PROPERTIES[name] };
  return stressProperty({
    target,
    options: {
      ...options,
      profile,
      // Under exactly-once the profile's own invariant judges duplicates; the example's relaxation is for at least once.
      ...(profile === 'exactly-once' ? { thresholds: { 'invariants.lost': '== 0' } } : {}),
    },
    ...(workload === undefined ? {} : { workload }),
  });
}

/** Units of a counterexample's workload (agents × messages per agent, the engine's defaults filled in). */
function shrunkSize(failure: StressPropertyFailure): number {
  const w = failure.counterexample.workload as { agents?: number; messagesPerAgent?: number };
  return (w.agents ?? 9) * (w.messagesPerAgent ?? 100);
}

/** The bar for a shrunk counterexample: at most 3 agents, 50 messages per agent and 5 chaos events. */
function isSmall(failure: StressPropertyFailure): boolean {
  const { workload, chaos } = failure.counterexample;
  const w = workload as { agents?: number; messagesPerAgent?: number };
  return (w.agents ?? 9) <= 3 && (w.messagesPerAgent ?? 100) <= 50 && (chaos.events?.length ?? 0) <= 5;
}

const median = (list: number[]): number | null =>
  list.length === 0 ? null : [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;

const started = performance.now();
console.log(
  `vitest-stress verdict power — Node ${process.version}; ${cases} cases per correct configuration, ${seeds} seeds per bug`,
);
let alarms = 0;
if (only !== 'bugs') console.log('\nFalse alarms (correct processors; target 0):');
for (const processor of only === 'bugs' ? [] : CORRECT_PROCESSORS) {
  for (const profile of processor.profiles) {
    for (const name of Object.keys(PROPERTIES) as (keyof typeof PROPERTIES)[]) {
      const t0 = performance.now();
      let ran = 0;
      const failed: string[] = [];
      // Four independent checks, so one failure does not end the count; each stops at its first failure.
      for (let part = 0; part < 4; part++) {
        const seed = 1000 + part;
        const result = await checkStressProperty(propertyOf(name, processor.target(), profile), {
          seed,
          numRuns: Math.ceil(cases / 4),
          endOnFailure: true,
        });
        ran += result.numRuns;
        if (!result.ok) failed.push(`seed ${seed}: ${result.failure?.failures[0] ?? 'failed'}`);
      }
      alarms += failed.length;
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      console.log(
        `  ${processor.name.padEnd(12)} ${profile.padEnd(14)} ${name.padEnd(14)} ${String(ran).padStart(6)} cases  ${failed.length} false alarm(s)  ${seconds} s`,
      );
      for (const line of failed) console.log(`      ${line}`);
    }
  }
}

if (only !== 'alarms')
  console.log(
    `\nCatch rate (planted bugs, default property; target >= 9/10), shrunk size (units) and shrunk cases with\n` +
      `<= 3 agents, <= 50 messages per agent and <= 5 events:`,
  );
const sizes: number[] = [];
let missed = 0;
for (const bug of only === 'alarms' ? [] : FIXTURE_BUGS) {
  let caught = 0;
  let small = 0;
  const bugSizes: number[] = [];
  for (let s = 1; s <= seeds; s++) {
    const result = await checkStressProperty(propertyOf('default', bug.target(), bug.profile), {
      seed: 5000 + s,
      numRuns: 25,
      timeLimitMs: 20_000,
    });
    if (result.failure !== null) {
      caught++;
      if (isSmall(result.failure)) small++;
      else if (values['show-large'])
        console.log(
          `    ${bug.name} seed ${5000 + s}:\n      ${describeStressCase(result.failure.counterexample).replaceAll('\n', '\n      ')}`,
        );
      bugSizes.push(shrunkSize(result.failure));
    }
  }
  if (caught < Math.ceil(0.9 * seeds)) missed++;
  sizes.push(...bugSizes);
  console.log(
    `  ${bug.name.padEnd(38)} ${bug.bugClass.padEnd(48)} caught ${caught}/${seeds}  median shrunk ${String(median(bugSizes) ?? '–').padStart(3)}  small ${small}/${caught}`,
  );
}
console.log(
  `\n${alarms} false alarm(s); ${missed} bug(s) below 9/10; median shrunk counterexample ${median(sizes)} units; ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
