import type TS from 'typescript';
import { type CheckContext, type IntegrationCheckRunner, walk } from './check-context.ts';
import { moduleSpecifiers } from './module-specifiers.ts';
import { staticPath } from './static-path.ts';

const NODE_TYPINGS = /[\\/]@types[\\/]node[\\/]/;

/** The members of `process` that reach below the public modules, and what to do instead. */
const DOORS: Readonly<Record<string, string>> = {
  binding:
    'hands out Node’s raw bindings (files, processes, sockets) below the public modules; the guard refuses their I/O calls at run time. Use the public module (`fs`, `child_process`, `net` ...) and deliver only through the injected mock core',
  _linkedBinding:
    'loads a binding linked into the Node binary, which no JavaScript guard can check. Remove it from stress tests and the code they load',
  dlopen:
    'loads a native addon, whose own system calls no JavaScript guard can check. Keep native code out of the stress run: give the target a JavaScript test double',
};

const INSPECTOR_FIX =
  'opens a debugger port or an in-process session that runs code past the guard. Debug with `vitest --inspect` instead, and keep the inspector out of stress tests and the code they load';

function unwrap(context: CheckContext, node: TS.Expression): TS.Expression {
  const { ts } = context;
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isNonNullExpression(current)
  )
    current = current.expression;
  return current;
}

/** `process`, `globalThis.process`, or anything typed as Node's `Process` (an alias, `node:process`'s default). */
function isProcess(context: CheckContext, node: TS.Expression): boolean {
  const { ts, checker } = context;
  const expression = unwrap(context, node);
  if (ts.isIdentifier(expression) && expression.text === 'process') return true;
  if (
    ts.isPropertyAccessExpression(expression) &&
    expression.name.text === 'process' &&
    ts.isIdentifier(expression.expression) &&
    (expression.expression.text === 'globalThis' || expression.expression.text === 'global')
  ) {
    return true;
  }
  const symbol = checker.getTypeAtLocation(expression).getSymbol();
  return (
    symbol?.name === 'Process' &&
    (symbol.declarations ?? []).some((declaration) => NODE_TYPINGS.test(declaration.getSourceFile().fileName))
  );
}

/** The value of a key expression when it is known at compile time (`'bind' + 'ing'`, a `const`). */
function constantKey(context: CheckContext, key: TS.Expression | undefined): string | undefined {
  const known = key === undefined ? undefined : staticPath(context, key);
  return known?.complete === true ? known.path : undefined;
}

/** The property a destructured element takes: `{ binding }`, `{ binding: alias }`, `{ ['bind' + 'ing']: alias }`. */
function destructuredName(context: CheckContext, element: TS.BindingElement): string | undefined {
  const { ts } = context;
  const property = element.propertyName ?? element.name;
  if (ts.isIdentifier(property) || ts.isStringLiteral(property)) return property.text;
  return ts.isComputedPropertyName(property) ? constantKey(context, property.expression) : undefined;
}

/** `Reflect.get(process, key)` and the descriptor getters, which read a property without naming it in code. */
function isPropertyRead(context: CheckContext, callee: TS.Expression): boolean {
  const { ts } = context;
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return false;
  const owner = callee.expression.text;
  const method = callee.name.text;
  return (
    (owner === 'Reflect' && (method === 'get' || method === 'getOwnPropertyDescriptor')) ||
    (owner === 'Object' && method === 'getOwnPropertyDescriptor')
  );
}

/** The property a node reads and the object it reads it from, in any spelling. */
function propertyRead(
  context: CheckContext,
  node: TS.Node,
): { readonly name: string | undefined; readonly from: TS.Expression } | undefined {
  const { ts } = context;
  if (ts.isPropertyAccessExpression(node)) return { name: node.name.text, from: node.expression };
  if (ts.isElementAccessExpression(node)) {
    return { name: constantKey(context, node.argumentExpression), from: node.expression };
  }
  if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
    const declaration = node.parent.parent;
    if (!ts.isVariableDeclaration(declaration) || declaration.initializer === undefined) return undefined;
    return { name: destructuredName(context, node), from: declaration.initializer };
  }
  if (ts.isCallExpression(node) && isPropertyRead(context, node.expression)) {
    const [from, key] = node.arguments;
    return from === undefined ? undefined : { name: constantKey(context, key), from };
  }
  return undefined;
}

/** `import { binding } from 'node:process'`: the imported name. */
function processImport(context: CheckContext, node: TS.Node): string | undefined {
  const { ts } = context;
  if (!ts.isImportSpecifier(node) || node.isTypeOnly) return undefined;
  const declaration = node.parent.parent.parent;
  const from = ts.isStringLiteral(declaration.moduleSpecifier) ? declaration.moduleSpecifier.text : '';
  return from === 'process' || from === 'node:process' ? (node.propertyName ?? node.name).text : undefined;
}

/** Which door of `process` a node opens, in any spelling; the type checker is asked only about door names. */
function doorRead(context: CheckContext, node: TS.Node): string | undefined {
  const imported = processImport(context, node);
  if (imported !== undefined) return Object.hasOwn(DOORS, imported) ? imported : undefined;
  const read = propertyRead(context, node);
  const name = read?.name;
  if (read === undefined || name === undefined || !Object.hasOwn(DOORS, name)) return undefined;
  return isProcess(context, read.from) ? name : undefined;
}

/** Flags `process.binding`, `process._linkedBinding`, `process.dlopen` (in any spelling) and inspector imports. */
export const checkNativeAccess: IntegrationCheckRunner = (context, sourceFile) => {
  const where = context.via(sourceFile.fileName);
  walk(context.ts, sourceFile, (node) => {
    const door = doorRead(context, node);
    if (door !== undefined)
      context.report('native-access', node, `\`process.${door}\` ${DOORS[door]}${where}.`);
  });
  for (const { specifier, node, runtime, via } of moduleSpecifiers(context.ts, sourceFile, context.checker)) {
    const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
    if (!runtime || (bare !== 'inspector' && bare !== 'inspector/promises')) continue;
    context.report(
      'native-access',
      node,
      `\`${specifier}\` (loaded here with \`${via}\`) ${INSPECTOR_FIX}${where}.`,
    );
  }
};
