import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, runBinary, type Sandbox } from './run-binary.ts';

let box: Sandbox;
beforeAll(() => {
  box = createSandbox();
});
afterAll(() => box.remove());

/** Arguments, and what the one error line must say (the problem and the expected form). */
const CASES: readonly (readonly [readonly string[], RegExp])[] = [
  [[], /Expected a command\. Usage: vitest-stress <run\|compare\|validate\|report>/],
  [['frob'], /Unknown command `frob`\. Usage:/],
  [['run', '--frob'], /Unknown flag `--frob`\. Usage: vitest-stress run/],
  [['run', '--agents', 'nine'], /Expected `--agents` to be an integer from 1 to 10000, got "nine"\./],
  [['run', '--agents', '0'], /Expected `--agents` to be an integer from 1 to 10000, got "0"\./],
  [['run', '--messages-per-agent', '1.5'], /Expected `--messages-per-agent` to be an integer/],
  [['run', '--rate', '0'], /Expected `--rate` to be a number above 0/],
  [['run', '--agents'], /Flag `--agents` needs a value\./],
  [['run', '--json=yes'], /Flag `--json` takes no value\./],
  [['run', 'extra'], /Unexpected argument `extra`\./],
  [
    ['run', '--chaos', 'stormy'],
    /Expected `--chaos` to be a preset \(none, original, harsh\) or a chaos schedule JSON file/,
  ],
  [['run', '--chaos', 'missing.json'], /"missing\.json" could not be read as JSON/],
  [['run', '--clock', 'fast'], /Expected `--clock` to be "virtual" or "real", got "fast"\./],
  [['run', '--mix', 'system_to_agent=0.5'], /shares summing to 0\.5 instead of 1/],
  [['run', '--threshold', 'p95 under 50'], /Expected `--threshold` to be <metric><operator><number>/],
  [['run', '--threshold', 'success_rate>=high'], /to end in a number/],
  [['run', '--target', 'nowhere.ts'], /Expected the target module "nowhere\.ts" to be an existing file/],
  [['run', '--target-options', '[1]'], /Expected `--target-options` to be a JSON object/],
  [
    ['run', '--duration', '2', '--messages-per-agent', '5'],
    /Give either `--messages-per-agent` or `--duration`/,
  ],
  [['compare', 'only-one.json'], /Expected a baseline and a current metrics file, got 1 argument/],
  [['compare', 'a.json', 'b.json', '--format', 'pdf'], /Expected `--format` to be "text", "md" or "json"/],
  [['report'], /Expected the path of a metrics file\./],
  [['validate'], /Expected a validator: integration or queue\./],
  [['validate', 'schema'], /Unknown validator `schema`\./],
  [['validate', 'queue', '--check', 'speed'], /Expected `--check` to be one of capacity, ordering/],
  [['validate', 'queue', '--capacity', 'lots'], /Expected `--capacity` to be an integer/],
  [
    ['validate', 'integration', 'no/such/file.stress.ts'],
    /No file or directory "no\/such\/file\.stress\.ts"\./,
  ],
];

describe('bad input', { timeout: 60_000 }, () => {
  for (const [args, message] of CASES) {
    it(`vitest-stress ${args.join(' ')} → exit 2 and one line`, async () => {
      const result = await runBinary(args, { cwd: box.cwd, tmp: box.tmp });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^vitest-stress: /);
      expect(lines[0]).toMatch(message);
      expect(box.files()).toEqual([]);
    });
  }
});

describe('--help', { timeout: 60_000 }, () => {
  for (const command of [
    ['run'],
    ['compare'],
    ['report'],
    ['validate', 'queue'],
    ['validate', 'integration'],
  ]) {
    it(`vitest-stress ${command.join(' ')} --help prints usage and examples`, async () => {
      const result = await runBinary([...command, '--help'], { cwd: box.cwd, tmp: box.tmp });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: vitest-stress ${command.join(' ')}`));
      expect(result.stdout).toContain('Examples');
      expect(result.stderr).toBe('');
    });
  }

  it('vitest-stress --help lists the pipeline and --version prints the version', async () => {
    const help = await runBinary(['--help'], { cwd: box.cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/validate integration[\s\S]*validate queue[\s\S]*run[\s\S]*report/);
    const version = await runBinary(['--version'], { cwd: box.cwd });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
