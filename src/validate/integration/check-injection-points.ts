import type TS from 'typescript';
import { type CheckContext, type IntegrationCheckRunner, walk } from './check-context.ts';

type FunctionLike = TS.ArrowFunction | TS.FunctionExpression | TS.FunctionDeclaration;

/** Exported functions with these names are target factories even without a `StressTargetFactory` type. */
export const TARGET_FACTORY_NAMES: readonly string[] = ['createTarget', 'createStressTarget'];

function isExported(ts: CheckContext['ts'], node: TS.Node): boolean {
  const statement = ts.isVariableDeclaration(node) ? node.parent.parent : node;
  return ts.canHaveModifiers(statement)
    ? (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
    : false;
}

/**
 * A target factory is a function typed as `StressTargetFactory` (annotated, `satisfies`, or passed where one is
 * expected, such as the plugin's `target` option), or an exported `createTarget`/`createStressTarget`.
 */
function factoryName(context: CheckContext, fn: FunctionLike): string | undefined {
  const { ts, checker } = context;
  let holder: TS.Node = fn;
  while (
    ts.isParenthesizedExpression(holder.parent) ||
    ts.isSatisfiesExpression(holder.parent) ||
    ts.isAsExpression(holder.parent)
  ) {
    holder = holder.parent;
  }
  const named = ts.isFunctionDeclaration(fn)
    ? fn
    : ts.isVariableDeclaration(holder.parent) && holder.parent.initializer === holder
      ? holder.parent
      : undefined;
  const name = named?.name !== undefined && ts.isIdentifier(named.name) ? named.name.text : undefined;
  if (
    !ts.isFunctionDeclaration(fn) &&
    checker.getContextualType(fn)?.aliasSymbol?.name === 'StressTargetFactory'
  ) {
    return name ?? 'target factory';
  }
  if (
    named !== undefined &&
    name !== undefined &&
    TARGET_FACTORY_NAMES.includes(name) &&
    isExported(ts, named)
  ) {
    return name;
  }
  return undefined;
}

/** Whether the body reads `messagingCore` from the context parameter, or hands the whole context on. */
function usesMessagingCore(context: CheckContext, fn: FunctionLike, parameter: TS.Identifier): boolean {
  const { ts, checker } = context;
  const symbol = checker.getSymbolAtLocation(parameter);
  let used = false;
  if (fn.body === undefined) return false;
  walk(ts, fn.body, (node) => {
    if (used || !ts.isIdentifier(node) || checker.getSymbolAtLocation(node) !== symbol) return;
    const parent = node.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
      used = parent.name.text === 'messagingCore';
    } else if (ts.isElementAccessExpression(parent) && parent.expression === node) {
      const key = parent.argumentExpression;
      used = ts.isStringLiteralLike(key) && key.text === 'messagingCore';
    } else if (ts.isVariableDeclaration(parent) && ts.isObjectBindingPattern(parent.name)) {
      used = parent.name.elements.some(
        (element) =>
          element.dotDotDotToken !== undefined ||
          (element.propertyName ?? element.name).getText() === 'messagingCore',
      );
    } else {
      // Passed on, spread, returned or stored: the callee may well inject it; only definite misses are reported.
      used = true;
    }
  });
  return used;
}

function missingReason(context: CheckContext, fn: FunctionLike): string | undefined {
  const { ts } = context;
  const [first] = fn.parameters;
  if (first === undefined) return 'takes no parameters, so the injected `messagingCore` never reaches it';
  if (ts.isObjectBindingPattern(first.name)) {
    const names = first.name.elements.map((element) => (element.propertyName ?? element.name).getText());
    const accepts = names.includes('messagingCore') || first.name.elements.some((e) => e.dotDotDotToken);
    return accepts
      ? undefined
      : `destructures \`{ ${names.join(', ')} }\` from its context but not \`messagingCore\``;
  }
  if (ts.isIdentifier(first.name) && !usesMessagingCore(context, fn, first.name)) {
    return `never reads \`${first.name.text}.messagingCore\``;
  }
  return undefined;
}

/** Flags target factories that do not take the injected messaging core (the injection point). */
export const checkInjectionPoints: IntegrationCheckRunner = (context, sourceFile) => {
  const { ts } = context;
  walk(ts, sourceFile, (node) => {
    if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node) && !ts.isFunctionDeclaration(node))
      return;
    const name = factoryName(context, node);
    const reason = name === undefined ? undefined : missingReason(context, node);
    if (name === undefined || reason === undefined) return;
    context.report(
      'injection-point',
      node.parameters[0] ?? node,
      `Target factory \`${name}\` ${reason}${context.via(sourceFile.fileName)}. Build the processor around \`context.messagingCore\`, so every delivery goes through the mock.`,
    );
  });
};
