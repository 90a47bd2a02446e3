import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, formatCliError } from '../../src/cli/cli-error.ts';
import { integerFlag, mixFlag, thresholdFlag, toleranceFlag } from '../../src/cli/flag-values.ts';
import { parseFlags } from '../../src/cli/parse-flags.ts';
import { StressError } from '../../src/protocol/index.ts';

const U = 'vitest-stress test';

describe('flag values', () => {
  it('property: integerFlag returns every integer in bounds as given and refuses the rest', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 200 }), (n) => {
        const bounds = { min: 1, max: 100 };
        if (n >= 1 && n <= 100) return integerFlag(String(n), 'n', bounds, U) === n;
        return StressError.is(
          catchError(() => integerFlag(String(n), 'n', bounds, U)),
          'ERR_CLI_USAGE',
        );
      }),
    );
    expect(() => integerFlag('1e3', 'n', { min: 1, max: 10_000 }, U)).toThrow(
      /integer from 1 to 10000, got "1e3"/,
    );
  });

  it('reads tolerances as percentages or fractions', () => {
    expect(toleranceFlag('10%', 't', U)).toBeCloseTo(0.1);
    expect(toleranceFlag('0.25', 't', U)).toBe(0.25);
    expect(() => toleranceFlag('25', 't', U)).toThrow(/percentage such as 10%/);
  });

  it('reads mixes as pairs or as an equal-share list with the seed names', () => {
    expect(mixFlag('system_to_agent=0.75,broadcast=0.25', U)).toEqual({
      system_to_agent: 0.75,
      broadcast: 0.25,
    });
    expect(mixFlag('direct,hard_onboard,soft_onboard,broadcast', U)).toEqual({
      system_to_agent: 0.25,
      onboarding: 0.5,
      broadcast: 0.25,
    });
    expect(() => mixFlag('text=0.5,broadcast', U)).toThrow(/mix of both forms/);
  });

  it('splits a threshold at its operator', () => {
    expect(thresholdFlag('latency_stats.p95_ms<50', U)).toEqual({
      metric: 'latency_stats.p95_ms',
      expression: '< 50',
    });
    expect(thresholdFlag(' invariants.lost == 0 ', U)).toEqual({
      metric: 'invariants.lost',
      expression: '== 0',
    });
  });

  it('turns parseArgs errors into usage errors that name the flag', () => {
    const spec = { agents: { type: 'string' as const }, json: { type: 'boolean' as const } };
    expect(() => parseFlags(['--nope'], spec, U)).toThrow(
      /Unknown flag `--nope`\. Usage: vitest-stress test/,
    );
    expect(() => parseFlags(['--agents'], spec, U)).toThrow(/`--agents` needs a value/);
    expect(() => parseFlags(['--agents', '--json'], spec, U)).toThrow(/`--agents` needs a value/);
    expect(() => parseFlags(['a', 'b'], spec, U, 1)).toThrow(/Unexpected argument `b`/);
    expect(() => parseFlags(['--json=yes'], spec, U)).toThrow(/`--json` takes no value/);
    expect(() => parseFlags(['-x'], spec, U)).toThrow(/Unknown flag `-x`/);
    expect(() => parseFlags(['--agents='], spec, U)).not.toThrow();
  });

  it('reads values as given: inline, next argument, negative numbers, repeated flags', () => {
    const spec = {
      seed: { type: 'string' as const },
      tag: { type: 'string' as const, multiple: true },
      json: { type: 'boolean' as const, short: 'j' },
    };
    expect(parseFlags(['--seed', '-5', '-j', 'x'], spec, U, 1)).toEqual({
      values: { seed: '-5', json: true },
      positionals: ['x'],
    });
    expect(parseFlags(['--seed=7', '--tag', 'a', '--tag=b'], spec, U).values).toEqual({
      seed: '7',
      tag: ['a', 'b'],
    });
    expect(() => parseFlags(['--seed', '--json'], spec, U)).toThrow(/`--seed` needs a value/);
    expect(() => parseFlags(['--seed', '-j'], spec, U)).toThrow(/`--seed` needs a value/);
  });
});

describe('error lines', () => {
  it('prints one line without the [vitest-stress] prefix or a stack, and maps codes to exit codes', () => {
    const error = new StressError(
      'ERR_INVALID_METRICS_FILE',
      'Metrics file x.json does not match:\n  - (root): missing field "run"\n  - a: b',
    );
    expect(formatCliError(error)).toBe(
      'vitest-stress: Metrics file x.json does not match: (root): missing field "run"; a: b\n',
    );
    expect(exitCodeOf(error)).toBe(2);
    expect(exitCodeOf(new StressError('ERR_TARGET', 'boom'))).toBe(1);
    expect(formatCliError(new TypeError('oops'))).toBe('vitest-stress: unexpected error: oops\n');
    expect(formatCliError(new TypeError('oops'), true)).toMatch(
      /^vitest-stress: unexpected error: oops\nTypeError: oops\n\s+at /,
    );
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('--clock', () => {
  it('is virtual by default but marked not given, so a target that needs the real clock gets it', async () => {
    const { parseRunSettings } = await import('../../src/cli/run-settings.ts');
    expect(parseRunSettings([], process.cwd())).toMatchObject({ clock: 'virtual', clockGiven: false });
    expect(parseRunSettings(['--clock', 'virtual'], process.cwd())).toMatchObject({
      clock: 'virtual',
      clockGiven: true,
    });
  });
});
