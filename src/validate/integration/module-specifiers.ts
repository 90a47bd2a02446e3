import type TS from 'typescript';
import type { TypeScriptApi } from './load-typescript.ts';

/** One module a file loads, or names in a type-only import. */
export interface ModuleSpecifier {
  readonly specifier: string;
  /** The string the specifier came from (or the expression whose literal type gave it), for locations. */
  readonly node: TS.Node;
  /** False for `import type`/`export type`: nothing is loaded at run time. */
  readonly runtime: boolean;
  /** How it is loaded: `import`, `import()`, `export from` or `require`. */
  readonly via: 'import' | 'import()' | 'export from' | 'require';
}

function literalText(
  ts: TypeScriptApi,
  node: TS.Node,
  checker: TS.TypeChecker | undefined,
): string | undefined {
  if (ts.isStringLiteralLike(node)) return node.text;
  const type = checker?.getTypeAtLocation(node);
  return type?.isStringLiteral() === true ? type.value : undefined;
}

/** `require(x)`, and `createRequire(url)(x)` in any spelling of the `createRequire` import. */
function isRequireCall(ts: TypeScriptApi, call: TS.CallExpression): boolean {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text === 'require';
  if (!ts.isCallExpression(callee)) return false;
  const inner = callee.expression;
  return (
    (ts.isIdentifier(inner) && inner.text === 'createRequire') ||
    (ts.isPropertyAccessExpression(inner) && inner.name.text === 'createRequire')
  );
}

/**
 * Every module specifier of a file, from the syntax tree: static and type-only imports, re-exports,
 * `import x = require()`, dynamic `import()` and `require`/`createRequire` calls. With a type checker, a
 * non-literal argument whose type is a string literal (a `const`) counts too.
 */
export function moduleSpecifiers(
  ts: TypeScriptApi,
  sourceFile: TS.SourceFile,
  checker?: TS.TypeChecker,
): ModuleSpecifier[] {
  const found: ModuleSpecifier[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const runtime = node.importClause?.isTypeOnly !== true;
      found.push({
        specifier: node.moduleSpecifier.text,
        node: node.moduleSpecifier,
        runtime,
        via: 'import',
      });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const specifier = node.moduleSpecifier.text;
      found.push({ specifier, node: node.moduleSpecifier, runtime: !node.isTypeOnly, via: 'export from' });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      const literal = node.moduleReference.expression;
      found.push({ specifier: literal.text, node: literal, runtime: !node.isTypeOnly, via: 'require' });
    } else if (ts.isCallExpression(node) && node.arguments[0] !== undefined) {
      const argument = node.arguments[0];
      const dynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      if (dynamic || isRequireCall(ts, node)) {
        const specifier = literalText(ts, argument, checker);
        if (specifier !== undefined) {
          found.push({ specifier, node: argument, runtime: true, via: dynamic ? 'import()' : 'require' });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}
