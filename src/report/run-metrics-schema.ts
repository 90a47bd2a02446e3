import { DELIVERY_OUTCOMES } from '../engine/index.ts';
import { METRICS_SCHEMA } from '../engine/metrics/metrics-schema.ts';

/*
 * The per-test `metrics` entries are the engine's metrics JSON v1, validated by METRICS_SCHEMA itself (embedded
 * without its `$id`, so one Ajv instance can hold both); everything else is the run level.
 */
const { $schema: _schema, $id: _id, ...metricsReport } = METRICS_SCHEMA;

const count = { type: 'integer', minimum: 0 } as const;
const amount = { type: 'number', minimum: 0 } as const;
const counts = { type: 'object', additionalProperties: count } as const;
const strings = { type: 'array', items: { type: 'string' } } as const;
const encodedHistogram = METRICS_SCHEMA.properties.histograms.properties.latency;
const histogramMap = { type: 'object', additionalProperties: encodedHistogram } as const;

const counters = (names: readonly string[]) =>
  ({
    type: 'object',
    required: names,
    additionalProperties: false,
    properties: Object.fromEntries(names.map((name) => [name, amount])),
  }) as const;

const snapshot = {
  type: 'object',
  description: 'Counters and encoded histograms, mergeable (see mergeSnapshots).',
  required: [
    'schema_version',
    'duration_ms',
    'units',
    'attempts',
    'duplicate_deliveries',
    'retries',
    'chaos',
    'queue_depth',
    'by_agent',
    'by_type',
    'latency',
    'latency_by_agent',
    'latency_by_type',
    'service_time',
  ],
  additionalProperties: false,
  properties: {
    schema_version: { const: 1 },
    duration_ms: amount,
    units: counters(['sent', 'rejected', 'rejected_by_chaos', 'delivered', 'dead_lettered', 'lost']),
    attempts: counters(DELIVERY_OUTCOMES),
    duplicate_deliveries: count,
    retries: count,
    chaos: counts,
    queue_depth: counters(['samples', 'max', 'sum', 'weighted_sum', 'span_ms']),
    by_agent: counts,
    by_type: counts,
    latency: encodedHistogram,
    latency_by_agent: histogramMap,
    latency_by_type: histogramMap,
    service_time: encodedHistogram,
  },
} as const;

const nullable = <T extends object>(schema: T) => ({ oneOf: [{ type: 'null' }, schema] }) as const;

const violation = {
  type: 'object',
  required: ['kind', 'target', 'api', 'blocked'],
  additionalProperties: false,
  properties: {
    kind: { enum: ['fs-write', 'process', 'network', 'worker', 'module', 'native'] },
    target: { type: 'string' },
    api: { type: 'string' },
    test: { type: 'string' },
    frame: { type: 'string' },
    blocked: { type: 'boolean' },
    raced: { const: true },
  },
} as const;

const testRecord = {
  type: 'object',
  required: [
    'name',
    'file',
    'project',
    'state',
    'duration_ms',
    'errors',
    'options',
    'runs',
    'metrics',
    'snapshot',
    'invariants',
    'thresholds',
    'isolation',
    'replay',
  ],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    file: { type: 'string' },
    project: { type: 'string' },
    state: { enum: ['passed', 'failed', 'skipped', 'pending'] },
    duration_ms: { type: ['number', 'null'], minimum: 0 },
    errors: strings,
    options: { type: 'object' },
    runs: count,
    metrics: nullable(metricsReport),
    snapshot: nullable(snapshot),
    invariants: nullable(METRICS_SCHEMA.properties.invariants),
    thresholds: METRICS_SCHEMA.properties.thresholds,
    isolation: {
      type: 'object',
      required: ['mode', 'violations'],
      additionalProperties: false,
      properties: {
        mode: { enum: ['block', 'observe', 'off'] },
        violations: { type: 'array', items: violation },
      },
    },
    replay: nullable({
      type: 'object',
      required: ['seed'],
      additionalProperties: false,
      properties: {
        seed: { type: 'integer' },
        path: { type: 'string' },
        command: { type: 'string' },
        counterexample: { type: 'string' },
        num_runs: count,
      },
    }),
    warnings: strings,
    all_runs: {
      type: 'object',
      required: ['lost', 'duplicated', 'failed'],
      additionalProperties: false,
      properties: { lost: count, duplicated: count, failed: count },
    },
    property: {
      type: 'object',
      required: ['cases_asked', 'cases_run', 'time_limit_ms', 'interrupted', 'shrinks', 'shrunk_case'],
      additionalProperties: false,
      properties: {
        cases_asked: count,
        cases_run: count,
        time_limit_ms: { type: 'number', minimum: 0 },
        interrupted: { type: 'boolean' },
        shrinks: count,
        shrunk_case: nullable({
          type: 'object',
          required: ['workload', 'chaos'],
          additionalProperties: false,
          properties: { workload: { type: 'string' }, chaos: { type: 'string' } },
        }),
      },
    },
  },
} as const;

const { required: summaryRequired, properties: reportProperties } = METRICS_SCHEMA;
const SUMMARY_FIELDS = summaryRequired.filter(
  (name) => !['schema_version', 'run', 'invariants', 'thresholds', 'replay', 'histograms'].includes(name),
);

/** JSON Schema (draft 2020-12) of the run-level metrics file; see `RunMetricsFile`. */
export const RUN_METRICS_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:vitest-stress:run-metrics:1',
  title: 'vitest-stress run metrics',
  description:
    'One file per stress run: the verdict, totals from the merged snapshots of every test, and one section per ' +
    'test whose `metrics` is a metrics report v1 (urn:vitest-stress:metrics:1).',
  type: 'object',
  required: [
    'schema_version',
    'kind',
    'generated_at',
    'tool_version',
    'node_version',
    'verdict',
    'totals',
    'snapshot',
    'tests',
  ],
  additionalProperties: false,
  properties: {
    schema_version: { const: 1 },
    kind: { const: 'vitest-stress-run' },
    generated_at: { type: 'string', format: 'date-time' },
    tool_version: { type: 'string' },
    node_version: { type: 'string' },
    verdict: {
      type: 'object',
      required: [
        'ok',
        'tests',
        'passed',
        'failed',
        'skipped',
        'threshold_failures',
        'invariant_failures',
        'isolation_violations',
        'reasons',
      ],
      additionalProperties: false,
      properties: {
        ok: { type: 'boolean' },
        tests: count,
        passed: count,
        failed: count,
        skipped: count,
        threshold_failures: count,
        invariant_failures: count,
        isolation_violations: count,
        reasons: strings,
      },
    },
    totals: nullable({
      type: 'object',
      required: [...SUMMARY_FIELDS, 'tests', 'runs'],
      additionalProperties: false,
      properties: {
        ...Object.fromEntries(SUMMARY_FIELDS.map((name) => [name, reportProperties[name]])),
        tests: count,
        runs: count,
      },
    }),
    snapshot: nullable(snapshot),
    tests: { type: 'array', items: testRecord },
  },
} as const;
