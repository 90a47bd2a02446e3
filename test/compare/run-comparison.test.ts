import { existsSync, mkdtempSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkInbox, comparisonFile, runComparison } from '../../src/compare/index.ts';
import { InboxMessagingCore, readInbox } from '../../src/inbox/inbox-messaging-core.ts';
import { StressError } from '../../src/protocol/index.ts';
import { checkMessage } from '../../src/validate/queue/check-message.ts';

const parent = mkdtempSync(join(tmpdir(), 'run-comparison-test-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('runComparison', { timeout: 60_000 }, () => {
  it('runs both sides on the same workload, matches the inbox and removes the workspace', async () => {
    const sides: string[] = [];
    const result = await runComparison({
      stress: { agents: 3, messagesPerAgent: 10, seed: 4 },
      tempParent: parent,
      onRunner: (_, side) => sides.push(side),
    });
    expect(sides).toEqual(['mock', 'real']);
    expect(result.ok).toBe(true);
    expect(result.failures).toEqual([]);
    expect(result.mock.invariants.delivered).toBe(30);
    expect(result.real.invariants.delivered).toBe(30);
    expect(result.inbox).toMatchObject({ ok: true, files: 30, delivered: 30 });
    expect(result.workspace.removed).toBe(true);
    expect(existsSync(result.workspace.path)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
    // The real side's latency is the inbox core's measured service time, waited on the virtual clock.
    expect(result.real.metrics.latency_stats.min_ms).toBeGreaterThan(0);
    expect(result.ratios.throughput).toBeGreaterThan(0);
    const file = comparisonFile(result);
    expect(file).toMatchObject({ schema_version: 1, kind: 'comparison', ok: true });
    expect(file.mock.run.seed).toBe(4);
  });

  it('refuses chaos: the real core cannot take injected faults', async () => {
    await expect(runComparison({ stress: { chaos: 'original' }, tempParent: parent })).rejects.toSatisfy(
      (error) => StressError.is(error, 'ERR_INVALID_OPTION') && /comparison mode/.test(String(error)),
    );
  });
});

describe('checkInbox', () => {
  it('matches inbox files one to one with deliveries and reports what is missing or extra', async () => {
    const root = mkdtempSync(join(parent, 'inbox-'));
    const core = new InboxMessagingCore({ workspaceRoot: root });
    const units = [0, 1, 2].map((index) => ({ messageId: `q-${index}`, recipient: 'Agent-2' }));
    for (const index of [0, 1, 2]) await core.deliver(checkMessage({ index }), 'Agent-2', { attempt: 1 });
    expect(await checkInbox(root, units)).toMatchObject({ ok: true, files: 3, delivered: 3 });
    expect(await checkInbox(root, [...units, { messageId: 'q-9', recipient: 'Agent-2' }])).toMatchObject({
      ok: false,
      missing: ['q-9 -> Agent-2'],
      missing_count: 1,
    });
    expect(await checkInbox(root, units.slice(1))).toMatchObject({ ok: false, unexpected_count: 1 });
    const [first] = await readInbox(root);
    unlinkSync(join(root, 'agent_workspaces/Agent-2/inbox', first!.fileName));
    expect(await checkInbox(root, units)).toMatchObject({ ok: false, missing_count: 1, files: 2 });
  });
});
