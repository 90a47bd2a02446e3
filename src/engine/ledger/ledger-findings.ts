import type { TimelineFinding } from '../metrics/run-timeline.ts';
import type { InvariantReport } from './invariant-report.ts';
import { ENQUEUE_ACCEPTED, type LedgerTables } from './ledger-tables.ts';
import { describeUnit } from './order-checks.ts';

/**
 * Places the ledger's findings on the run clock, at most `max` of each kind, earliest first:
 * - `lost`: an accepted unit never delivered nor dead-lettered, at the time its message was sent (and accepted).
 *   Only when the target held nothing at the end: otherwise which unresolved units are the lost ones is unknown,
 *   and naming innocent ones would mislead.
 * - `stuck`: a unit the target still reported mid-attempt, at its first attempt's start (the last time the ledger
 *   saw it move). Only when nothing was pending or lost, for the same reason; at most `report.stuck` are named.
 */
export function placeFindings(
  t: LedgerTables,
  report: InvariantReport,
  runId: string,
  max: number,
): TimelineFinding[] {
  const exactLoss = report.lost > 0 && report.pending === 0 && report.stuck === 0;
  const lostLimit = exactLoss ? Math.min(max, report.lost) : 0;
  const exactStuck = report.stuck > 0 && report.pending === 0 && report.lost === 0;
  const stuckLimit = exactStuck ? Math.min(max, report.stuck) : 0;
  if (lostLimit === 0 && stuckLimit === 0) return [];
  const lost: TimelineFinding[] = [];
  const stuck: TimelineFinding[] = [];
  for (let unit = 0; unit < t.unitCount; unit++) {
    if (t.unitDeliveries[unit]! > 0 || t.unitDeadLettered[unit] === 1) continue;
    const message = t.unitMessage[unit]!;
    if (t.messageEnqueue[message] !== ENQUEUE_ACCEPTED) continue;
    const started = t.unitFirstStart[unit]!;
    if (lost.length < lostLimit) {
      lost.push({ kind: 'lost', unit: describeUnit(t, runId, unit), at_ms: t.messageSentAt[message]! });
    } else if (stuck.length < stuckLimit && Number.isFinite(started)) {
      stuck.push({ kind: 'stuck', unit: describeUnit(t, runId, unit), at_ms: started });
    }
    if (lost.length >= lostLimit && stuck.length >= stuckLimit) break;
  }
  // Sent order is time order for lost units; stuck ones are sorted by their first attempt.
  return [...lost, ...stuck.sort((a, b) => a.at_ms - b.at_ms)];
}
