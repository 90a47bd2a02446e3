import { invalidOption } from '../../protocol/index.ts';

/** The delivery guarantee a run checks: duplicates are allowed under at-least-once and fail exactly-once. */
export type DeliveryProfile = 'at-least-once' | 'exactly-once';

/** Options of {@link DeliveryLedger}. */
export interface DeliveryLedgerOptions {
  /** The run id every message id starts with: ids are `<runId>-<index>`. */
  readonly runId: string;
  /**
   * The run's agents, in order; interning them first lets a broadcast's units be found in O(1).
   * @default []
   */
  readonly agents?: readonly string[];
  /** Messages expected, to size the tables up front; they grow geometrically past it. @default 1024 */
  readonly expectedMessages?: number;
  /** Delivery units expected (a broadcast to N agents is N units). @default expectedMessages */
  readonly expectedUnits?: number;
  /** @default 'at-least-once' */
  readonly profile?: DeliveryProfile;
  /** Fail the run when a unit's first attempt starts before an earlier-accepted unit of its stream. @default true */
  readonly checkOrder?: boolean;
  /** Fail the run when a later-accepted regular unit overtakes an urgent one to the same recipient. @default true */
  readonly checkPriority?: boolean;
  /** Example unit ids kept per anomaly, for debugging. @default 10 */
  readonly maxExamples?: number;
}

/** {@link DeliveryLedgerOptions} with defaults applied and validated. */
export interface ResolvedDeliveryLedgerOptions {
  readonly runId: string;
  readonly agents: readonly string[];
  readonly expectedMessages: number;
  readonly expectedUnits: number;
  readonly profile: DeliveryProfile;
  readonly checkOrder: boolean;
  readonly checkPriority: boolean;
  readonly maxExamples: number;
}

const isCount = (value: unknown, min: number, max: number): value is number =>
  Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;

/** Applies the defaults of {@link DeliveryLedgerOptions} and validates them once. */
export function resolveDeliveryLedgerOptions(options: DeliveryLedgerOptions): ResolvedDeliveryLedgerOptions {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object', options);
  const {
    runId,
    agents = [],
    expectedMessages = 1024,
    profile = 'at-least-once',
    maxExamples = 10,
  } = options;
  const { checkOrder = true, checkPriority = true } = options;
  const expectedUnits = options.expectedUnits ?? expectedMessages;
  if (typeof runId !== 'string' || runId.length === 0)
    throw invalidOption('runId', 'a non-empty string', runId);
  if (!Array.isArray(agents) || agents.some((agent) => typeof agent !== 'string')) {
    throw invalidOption('agents', 'an array of agent ids', agents);
  }
  if (new Set(agents).size !== agents.length) {
    const twice = agents.find((agent, i) => agents.indexOf(agent) !== i);
    throw invalidOption('agents', `unique agent ids (${JSON.stringify(twice)} is listed twice)`, agents);
  }
  if (!isCount(expectedMessages, 0, 2 ** 30)) {
    throw invalidOption('expectedMessages', 'an integer from 0 to 2^30', expectedMessages);
  }
  if (!isCount(expectedUnits, 0, 2 ** 30)) {
    throw invalidOption('expectedUnits', 'an integer from 0 to 2^30', expectedUnits);
  }
  if (profile !== 'at-least-once' && profile !== 'exactly-once') {
    throw invalidOption('profile', '"at-least-once" or "exactly-once"', profile);
  }
  if (typeof checkOrder !== 'boolean') throw invalidOption('checkOrder', 'a boolean', checkOrder);
  if (typeof checkPriority !== 'boolean') throw invalidOption('checkPriority', 'a boolean', checkPriority);
  if (!isCount(maxExamples, 0, 1000))
    throw invalidOption('maxExamples', 'an integer from 0 to 1000', maxExamples);
  return { runId, agents, expectedMessages, expectedUnits, profile, checkOrder, checkPriority, maxExamples };
}
