import { lstatSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type TS from 'typescript';
import { invalidOption } from '../../protocol/index.ts';
import type { CheckContext, IntegrationCheckRunner } from './check-context.ts';
import { checkForbiddenImports } from './check-forbidden-imports.ts';
import { checkInjectionPoints } from './check-injection-points.ts';
import { checkMessagingCorePort } from './check-messaging-core-port.ts';
import { checkNativeAccess } from './check-native-access.ts';
import { checkProtectedWrites } from './check-protected-writes.ts';
import type {
  IntegrationFinding,
  IntegrationReport,
  SkippedCheck,
  UncheckedFile,
} from './integration-report.ts';
import { loadTypeScript, type TypeScriptApi } from './load-typescript.ts';
import { collectModuleGraph, ImportResolver } from './module-graph.ts';
import { readSourceFile } from './read-source-file.ts';
import {
  type ResolvedValidateIntegrationOptions,
  resolveValidateIntegrationOptions,
  type ValidateIntegrationOptions,
} from './validate-integration-options.ts';

/** vitest-stress's own code legitimately uses Node's APIs; imports into it are judged at the edge, not followed. */
const OWN_PACKAGE = fileURLToPath(new URL('../../../', import.meta.url));
const OWN_CODE = [resolve(OWN_PACKAGE, 'src') + sep, resolve(OWN_PACKAGE, 'dist') + sep];

const DEFAULT_COMPILER_OPTIONS = {
  strict: true,
  allowJs: true,
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
} as const;

function compilerOptions(ts: TypeScriptApi, options: ResolvedValidateIntegrationOptions): TS.CompilerOptions {
  const configFile = options.tsconfig ?? ts.findConfigFile(options.root, ts.sys.fileExists);
  const parsed =
    configFile === undefined
      ? undefined
      : ts.getParsedCommandLineOfConfigFile(
          configFile,
          {},
          { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
        );
  const base: TS.CompilerOptions = parsed?.options ?? {
    ...DEFAULT_COMPILER_OPTIONS,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  };
  // allowJs so plain JavaScript stress tests are parsed and checked too, whatever the project's config says.
  return { ...base, allowJs: true, noEmit: true, skipLibCheck: true };
}

const NODE_FS_TYPINGS = /[\\/]@types[\\/]node[\\/]fs\.d\.ts$/;

/**
 * A compiler host at the project's root (so its own `@types` are found, not the caller's) that reads the graph's
 * files from memory and never opens anything but a regular file.
 */
function compilerHost(
  ts: TypeScriptApi,
  compiler: TS.CompilerOptions,
  root: string,
  texts: ReadonlyMap<string, string>,
): TS.CompilerHost {
  const host = ts.createCompilerHost(compiler);
  host.getCurrentDirectory = () => root;
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => {
    const known = texts.get(resolve(file));
    if (known !== undefined) return known;
    return statSync(file, { throwIfNoEntry: false })?.isFile() === true ? readFile(file) : undefined;
  };
  return host;
}

function location(sourceFile: TS.SourceFile, node: TS.Node): { line: number; column: number } {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  return { line: line + 1, column: character + 1 };
}

/**
 * Statically inspects stress test files before they run: parses them and every project module they import
 * (transitively) with the TypeScript compiler, and type-checks mock cores against the MessagingCore port.
 * Files it cannot read or parse, and checks it cannot run, are listed and make the verdict `incomplete`, never
 * `clear`. The CLI prints {@link formatFindingsTable} or the JSON and exits 0, 1 or 3 by the verdict.
 * @example
 * const report = await validateIntegration(['test/stress/queue.stress.ts']);
 * if (!report.ok) console.error(formatFindingsTable(report));
 */
export async function validateIntegration(
  paths: readonly string[],
  options: ValidateIntegrationOptions = {},
): Promise<IntegrationReport> {
  if (
    !Array.isArray(paths) ||
    paths.length === 0 ||
    paths.some((path) => typeof path !== 'string' || path === '')
  ) {
    throw invalidOption('paths', 'a non-empty array of stress test file paths', paths);
  }
  const resolved = resolveValidateIntegrationOptions(options);
  const entries = paths.map((path) => resolve(resolved.root, path));
  entries.forEach((entry, index) => {
    // lstat: a symlink loop or a dangling link is there, and is reported as unreadable rather than refused.
    if (lstatSync(entry, { throwIfNoEntry: false }) === undefined)
      throw invalidOption(`paths[${index}]`, 'an existing stress test file', paths[index]);
  });
  const ts = await loadTypeScript();
  const compiler = compilerOptions(ts, resolved);
  const resolver = new ImportResolver(ts, compiler, resolved.root);
  const graph = collectModuleGraph(
    ts,
    entries,
    resolver,
    (path) => OWN_CODE.some((own) => path.startsWith(own)),
    (path) => readSourceFile(path, resolved.maxFileBytes),
  );
  const program = ts.createProgram({
    rootNames: [...graph.files, resolved.messagingCoreModule],
    options: compiler,
    host: compilerHost(ts, compiler, resolved.root, graph.texts),
  });
  const show = (path: string): string => relative(resolved.root, path).split(sep).join('/');
  const unchecked: UncheckedFile[] = [...graph.unreadable].map(([file, { reason, detail }]) => ({
    file: show(file),
    reason,
    message: `${show(file)} ${detail}${reason === 'empty' ? '' : '; it was not checked'}.`,
  }));
  const skipped: SkippedCheck[] = [];
  if (
    graph.files.length > 0 &&
    !program.getSourceFiles().some((file) => NODE_FS_TYPINGS.test(file.fileName))
  ) {
    skipped.push({
      check: 'protected-write',
      message:
        "Node's typings (`@types/node`) did not resolve from the project, so `fs` calls cannot be recognized and no write was checked. Install them (`npm install --save-dev @types/node`) or list them in the tsconfig's `types`, and run again.",
    });
  }
  const findings = new Map<string, IntegrationFinding>();
  let current: TS.SourceFile | undefined;
  const context: CheckContext = {
    ts,
    checker: program.getTypeChecker(),
    options: resolved,
    resolver,
    graph,
    via(file) {
      const entry = graph.reachedFrom.get(file);
      if (entry === undefined) return '';
      let root = entry;
      for (
        let parent = graph.reachedFrom.get(root);
        parent !== undefined;
        parent = graph.reachedFrom.get(root)
      ) {
        root = parent;
      }
      return ` (in a module imported by ${show(root)})`;
    },
    report(check, node, message) {
      if (current === undefined) return;
      const finding = { check, file: show(current.fileName), ...location(current, node), message };
      findings.set(`${finding.file}:${finding.line}:${finding.column}:${check}`, finding);
    },
  };
  const checks: readonly IntegrationCheckRunner[] = [
    checkForbiddenImports,
    ...(skipped.length === 0 ? [checkProtectedWrites] : []),
    checkInjectionPoints,
    checkMessagingCorePort(program),
    checkNativeAccess,
  ];
  for (const file of graph.files) {
    current = program.getSourceFile(file);
    if (current === undefined) continue;
    const [syntaxError] = program.getSyntacticDiagnostics(current);
    if (syntaxError !== undefined) {
      const at = current.getLineAndCharacterOfPosition(syntaxError.start ?? 0);
      const text = ts.flattenDiagnosticMessageText(syntaxError.messageText, ' ');
      unchecked.push({
        file: show(file),
        reason: 'syntax-error',
        message: `${show(file)}:${at.line + 1}:${at.character + 1} does not parse (${text}); what parsed was checked, the rest was not.`,
      });
    }
    for (const check of checks) check(context, current);
  }
  const sorted = [...findings.values()].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.check.localeCompare(b.check),
  );
  unchecked.sort((a, b) => a.file.localeCompare(b.file));
  const verdict =
    sorted.length > 0 ? 'findings' : unchecked.length > 0 || skipped.length > 0 ? 'incomplete' : 'clear';
  return {
    schema_version: 2,
    root: resolved.root,
    files: graph.files.map(show),
    findings: sorted,
    unchecked,
    skipped_checks: skipped,
    verdict,
    ok: verdict === 'clear',
  };
}
