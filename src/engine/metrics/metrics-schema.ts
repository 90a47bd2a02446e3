import { DELIVERY_OUTCOMES } from '../mock-core/delivery-sink.ts';
import { TIMELINE_COUNTERS } from './run-timeline.ts';

/*
 * The schema lives here as a TS const, not only as docs/metrics.schema.json, so the compiled package (which
 * ships dist/ only) carries it and no code has to find a file relative to itself. docs/metrics.schema.json is
 * a copy for readers and editors; test/engine/metrics/metrics-schema.test.ts fails when the two differ and prints
 * the command that regenerates the copy.
 */

const count = { type: 'integer', minimum: 0 } as const;
const amount = { type: 'number', minimum: 0 } as const;
const maybeNumber = { type: ['number', 'null'] } as const;
const counts = { type: 'object', additionalProperties: count } as const;
const strings = { type: 'array', items: { type: 'string' } } as const;

const latencyStats = {
  type: 'object',
  description: 'Latency figures in milliseconds; null when nothing was recorded.',
  required: [
    'count',
    'min_ms',
    'max_ms',
    'avg_ms',
    'p50_ms',
    'p90_ms',
    'p95_ms',
    'p99_ms',
    'p999_ms',
    'stddev_ms',
  ],
  additionalProperties: false,
  properties: {
    count,
    min_ms: maybeNumber,
    max_ms: maybeNumber,
    avg_ms: maybeNumber,
    p50_ms: maybeNumber,
    p90_ms: maybeNumber,
    p95_ms: maybeNumber,
    p99_ms: maybeNumber,
    p999_ms: maybeNumber,
    stddev_ms: maybeNumber,
  },
} as const;

const encodedHistogram = {
  type: 'object',
  description:
    'HdrHistogram V2 compressed base64 counts in microseconds, plus the exact count, min, max and sum.',
  required: ['count', 'min_us', 'max_us', 'sum_us', 'hdr'],
  additionalProperties: false,
  properties: { count, min_us: count, max_us: count, sum_us: count, hdr: { type: 'string', minLength: 1 } },
} as const;

const invariantCounts = [
  'sent',
  'accepted',
  'rejected',
  'indeterminate',
  'delivered',
  'deliveries',
  'attempts',
  'lost',
  'duplicated',
  'duplicate_deliveries',
  'unexpected',
  'recovered',
  'dead_lettered',
  'pending',
  'stuck',
  'order_violations',
  'priority_inversions',
] as const;

const conservationCounts = [
  'sent',
  'delivered',
  'dead_lettered',
  'rejected',
  'pending',
  'in_flight',
  'indeterminate',
  'lost',
] as const;

const exampleKinds = [
  'lost',
  'duplicated',
  'unexpected',
  'recovered',
  'order_violations',
  'priority_inversions',
] as const;

const invariants = {
  type: 'object',
  description: 'The delivery ledger verdict; counts are delivery units (message x recipient).',
  required: ['profile', 'checks', 'valid', 'violations', ...invariantCounts, 'conservation', 'examples'],
  additionalProperties: false,
  properties: {
    profile: { enum: ['at-least-once', 'exactly-once'] },
    checks: {
      type: 'object',
      required: ['order', 'priority'],
      additionalProperties: false,
      properties: { order: { type: 'boolean' }, priority: { type: 'boolean' } },
    },
    valid: { type: 'boolean' },
    violations: strings,
    ...Object.fromEntries(invariantCounts.map((name) => [name, count])),
    conservation: {
      type: 'object',
      required: [...conservationCounts, 'holds'],
      additionalProperties: false,
      properties: {
        ...Object.fromEntries(conservationCounts.map((name) => [name, count])),
        holds: { type: 'boolean' },
      },
    },
    examples: {
      type: 'object',
      required: exampleKinds,
      additionalProperties: false,
      properties: Object.fromEntries(exampleKinds.map((name) => [name, strings])),
    },
  },
} as const;

/** JSON Schema (draft 2020-12) of the metrics JSON v1 written for every run; see `MetricsReport`. */
export const METRICS_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:vitest-stress:metrics:1',
  title: 'vitest-stress metrics report',
  description:
    'Metrics of one stress run. Wall-clock fields (run.started_at, run.wall_time_ms) and environment fields ' +
    '(run.tool_version, run.node_version) vary between runs; everything else is determined by the seed and ' +
    'the configuration. Counts are delivery units: one message to one recipient.',
  type: 'object',
  required: [
    'schema_version',
    'total_processed',
    'success_count',
    'failure_count',
    'success_rate',
    'rejected',
    'rejected_by_chaos',
    'rejected_rate',
    'duration',
    'throughput',
    'by_message_type',
    'by_agent',
    'latency_stats',
    'latency_by_agent',
    'latency_by_type',
    'service_time_stats',
    'attempts',
    'duplicate_deliveries',
    'retries',
    'dead_lettered',
    'chaos',
    'queue_depth',
    'run',
    'invariants',
    'thresholds',
    'replay',
    'histograms',
  ],
  additionalProperties: false,
  properties: {
    schema_version: { const: 1 },
    total_processed: {
      ...count,
      description: 'Units that reached a final state: delivered, dead-lettered or lost.',
    },
    success_count: { ...count, description: 'Units delivered at least once.' },
    failure_count: { ...count, description: 'Units dead-lettered or lost.' },
    success_rate: { type: ['number', 'null'], minimum: 0, maximum: 1 },
    rejected: { ...count, description: 'Units the target refused at enqueue: never accepted, so not lost.' },
    rejected_by_chaos: {
      ...count,
      description:
        'Of the rejected, units the injected chaos caused (refused while crashed, or by an injected store fault).',
    },
    rejected_rate: {
      type: ['number', 'null'],
      minimum: 0,
      maximum: 1,
      description:
        'Share of the sent units a running target refused on its own: (rejected - rejected_by_chaos) / sent. Fails the run above 0.05 unless relaxed.',
    },
    duration: { ...amount, description: 'Simulated duration in seconds.' },
    throughput: {
      type: ['number', 'null'],
      minimum: 0,
      description: 'Delivered units per simulated second.',
    },
    by_message_type: {
      type: 'object',
      propertyNames: { pattern: '^[A-Z][A-Z_]*$' },
      additionalProperties: count,
    },
    by_agent: counts,
    latency_stats: latencyStats,
    latency_by_agent: { type: 'object', additionalProperties: latencyStats },
    latency_by_type: {
      type: 'object',
      propertyNames: { pattern: '^[A-Z][A-Z_]*$' },
      additionalProperties: latencyStats,
    },
    service_time_stats: latencyStats,
    attempts: {
      type: 'object',
      required: [...DELIVERY_OUTCOMES, 'total'],
      additionalProperties: false,
      properties: Object.fromEntries([...DELIVERY_OUTCOMES, 'total'].map((name) => [name, count])),
    },
    duplicate_deliveries: count,
    retries: count,
    dead_lettered: count,
    chaos: counts,
    queue_depth: {
      type: 'object',
      required: ['max', 'mean', 'samples'],
      additionalProperties: false,
      properties: { max: maybeNumber, mean: maybeNumber, samples: count },
    },
    run: {
      type: 'object',
      required: [
        'seed',
        'clock',
        'agents',
        'messages_per_agent',
        'mix',
        'chaos',
        'started_at',
        'wall_time_ms',
        'tool_version',
        'node_version',
      ],
      additionalProperties: false,
      properties: {
        seed: { type: 'integer' },
        clock: { enum: ['virtual', 'real'] },
        agents: count,
        messages_per_agent: count,
        mix: {},
        chaos: {},
        started_at: { type: 'string', format: 'date-time' },
        wall_time_ms: amount,
        tool_version: { type: 'string' },
        node_version: { type: 'string' },
        notes: { type: 'array', items: { type: 'string' } },
      },
    },
    invariants,
    thresholds: {
      type: 'array',
      items: {
        type: 'object',
        required: ['metric', 'expression', 'ok', 'value'],
        additionalProperties: false,
        properties: {
          metric: { type: 'string' },
          expression: { type: 'string' },
          ok: { type: 'boolean' },
          value: maybeNumber,
          reason: { type: 'string' },
        },
      },
    },
    replay: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['seed'],
          additionalProperties: false,
          properties: { seed: { type: 'integer' }, path: { type: 'string' }, command: { type: 'string' } },
        },
      ],
    },
    histograms: {
      type: 'object',
      required: ['latency', 'service_time', 'latency_by_agent', 'latency_by_type'],
      additionalProperties: false,
      properties: {
        latency: encodedHistogram,
        service_time: encodedHistogram,
        latency_by_agent: { type: 'object', additionalProperties: encodedHistogram },
        latency_by_type: { type: 'object', additionalProperties: encodedHistogram },
      },
    },
    timeline: {
      type: 'object',
      description:
        'Optional (added in 0.1, additive): the run as fixed-width intervals of its clock, interval i covering [i * width_ms, (i + 1) * width_ms); the width is a power of two ms, doubled when the run outgrows max_intervals. Chaos events and ledger findings on the same clock.',
      required: ['version', 'width_ms', 'max_intervals', 'intervals', 'chaos_events', 'findings'],
      additionalProperties: false,
      properties: {
        version: { const: 1 },
        width_ms: { type: 'number', exclusiveMinimum: 0 },
        max_intervals: { type: 'integer', minimum: 2 },
        intervals: {
          type: 'array',
          items: {
            type: 'object',
            required: [...TIMELINE_COUNTERS, 'depth_min', 'depth_max', 'latency', 'failed_by_agent'],
            additionalProperties: false,
            properties: {
              ...Object.fromEntries(TIMELINE_COUNTERS.map((name) => [name, count])),
              depth_min: count,
              depth_max: count,
              latency: encodedHistogram,
              failed_by_agent: counts,
            },
          },
        },
        chaos_events: {
          type: 'array',
          items: {
            type: 'object',
            required: ['kind', 'start_ms', 'end_ms'],
            additionalProperties: false,
            properties: {
              kind: { type: 'string' },
              start_ms: amount,
              end_ms: amount,
              agent: { type: 'string' },
            },
          },
        },
        findings: {
          type: 'array',
          items: {
            type: 'object',
            required: ['kind', 'unit', 'at_ms'],
            additionalProperties: false,
            properties: { kind: { enum: ['lost', 'stuck'] }, unit: { type: 'string' }, at_ms: amount },
          },
        },
      },
    },
  },
} as const;
