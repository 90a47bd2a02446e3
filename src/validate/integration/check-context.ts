import type TS from 'typescript';
import type { IntegrationCheck } from './integration-report.ts';
import type { TypeScriptApi } from './load-typescript.ts';
import type { ImportResolver, ModuleGraph } from './module-graph.ts';
import type { ResolvedValidateIntegrationOptions } from './validate-integration-options.ts';

/** What every check gets: the compiler, the type checker, the graph and a way to report. */
export interface CheckContext {
  readonly ts: TypeScriptApi;
  readonly checker: TS.TypeChecker;
  readonly options: ResolvedValidateIntegrationOptions;
  readonly resolver: ImportResolver;
  readonly graph: ModuleGraph;
  /** ` (in a module imported by a.stress.ts)` for files the tests reach through imports, `` for the tests. */
  via(file: string): string;
  report(check: IntegrationCheck, node: TS.Node, message: string): void;
}

/** One check over one source file; it reports through the context. */
export type IntegrationCheckRunner = (context: CheckContext, sourceFile: TS.SourceFile) => void;

/** The symbol behind `node`, with import aliases followed to the declaration. */
export function declaredSymbol(context: CheckContext, node: TS.Node): TS.Symbol | undefined {
  const symbol = context.checker.getSymbolAtLocation(node);
  if (symbol === undefined) return undefined;
  return (symbol.flags & context.ts.SymbolFlags.Alias) !== 0
    ? context.checker.getAliasedSymbol(symbol)
    : symbol;
}

/** Calls `visit` on every node of `root`, depth first. */
export function walk(ts: TypeScriptApi, root: TS.Node, visit: (node: TS.Node) => void): void {
  const step = (node: TS.Node): void => {
    visit(node);
    ts.forEachChild(node, step);
  };
  step(root);
}
