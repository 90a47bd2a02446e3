import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, ROOT, runBinary, type Sandbox } from './run-binary.ts';

// docs/USAGE.md shows real output of `vitest-stress run`. A run on the virtual clock is a pure function of its
// seed and options, so every line of those examples but the wall-clock and file-name ones must still be what
// the binary prints: an engine change that moves a figure makes this fail until the docs are re-captured.

/** Lines that change from run to run (wall time, timestamped file names) or stand for elided output. */
const VOLATILE = /^(\$ |Metrics: |Summary: |Run: |Comparison: |Temporary |\.\.\.$|$)/;

interface Example {
  readonly command: string;
  readonly args: string[];
  readonly code: number;
  readonly lines: string[];
}

/** Splits a shell command line on spaces, honouring single quotes (enough for the examples). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((match) => match[1] ?? (match[2] as string));
}

function runExamples(): Example[] {
  const usage = readFileSync(join(ROOT, 'docs/USAGE.md'), 'utf8');
  const examples: Example[] = [];
  for (const [, block] of usage.matchAll(/```console\n([\s\S]*?)```/g)) {
    const lines = (block as string).trimEnd().split('\n');
    const commands = lines.filter((line) => line.startsWith('$ '));
    const command = commands[0]?.slice(2) ?? '';
    // Comparison mode times the real inbox core on the wall clock, so its figures are not reproducible.
    if (
      commands.length !== 1 ||
      !command.startsWith('npx vitest-stress run') ||
      command.includes('--compare')
    )
      continue;
    const [words, comment = ''] = command.split(/\s+#\s*/);
    examples.push({
      command,
      args: shellWords(words as string).slice(2),
      code: comment.includes('exit 1') ? 1 : 0,
      lines: lines.filter((line) => !VOLATILE.test(line)),
    });
  }
  return examples;
}

let box: Sandbox;
beforeEach(() => {
  box = createSandbox();
  // The examples name targets as `fixtures/...`, relative to the repository root.
  symlinkSync(join(ROOT, 'fixtures'), join(box.cwd, 'fixtures'));
});
afterEach(() => box.remove());

const examples = runExamples();

describe('docs/USAGE.md run examples print what the binary prints', { timeout: 60_000 }, () => {
  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  it.each(examples.map((example) => [example.command, example] as const))('%s', async (_, example) => {
    const result = await runBinary(example.args, { cwd: box.cwd, tmp: box.tmp });
    expect(result.code, result.stderr).toBe(example.code);
    const printed = new Set(`${result.stderr}${result.stdout}`.split('\n'));
    const missing = example.lines.filter((line) => !printed.has(line));
    expect(missing, `${result.stderr}${result.stdout}`).toEqual([]);
  });
});
