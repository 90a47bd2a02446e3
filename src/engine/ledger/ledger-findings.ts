import type { TimelineFinding } from '../metrics/run-timeline.ts';
import type { InvariantReport } from './invariant-report.ts';
import { ENQUEUE_ACCEPTED, ENQUEUE_MASK, type LedgerTables, UNIT_DEAD_LETTERED } from './ledger-tables.ts';

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
  // Unresolved accepted units keep their times in the window: only resolved ones are released.
  for (let message = 0; message < t.messageCount; message++) {
    const first = t.messageStart[message]!;
    if (first < 0 || (t.messageFlags[message]! & ENQUEUE_MASK) !== ENQUEUE_ACCEPTED) continue;
    for (let unit = first; unit < first + t.messageUnits[message]!; unit++) {
      if (t.unitDeliveries.get(unit) > 0 || (t.unitFlags[unit]! & UNIT_DEAD_LETTERED) !== 0) continue;
      const started = t.window.startOf(unit);
      if (lost.length < lostLimit) {
        lost.push({ kind: 'lost', unit: t.describe(runId, message, unit), at_ms: t.window.sentAtOf(unit) });
      } else if (stuck.length < stuckLimit && Number.isFinite(started)) {
        stuck.push({ kind: 'stuck', unit: t.describe(runId, message, unit), at_ms: started });
      }
      if (lost.length >= lostLimit && stuck.length >= stuckLimit) return [...lost, ...sortedByTime(stuck)];
    }
  }
  // Sent order is time order for lost units; stuck ones are sorted by their first attempt.
  return [...lost, ...sortedByTime(stuck)];
}

const sortedByTime = (findings: TimelineFinding[]): TimelineFinding[] =>
  findings.sort((a, b) => a.at_ms - b.at_ms);
