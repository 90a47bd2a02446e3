import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type TS from 'typescript';
import { type CheckContext, declaredSymbol } from './check-context.ts';

/** A path known at compile time: the whole path, or a directory the real path is certainly inside. */
export interface StaticPath {
  readonly path: string;
  /** False when only a containing directory is known, as in `` `agent_workspaces/${id}/inbox` ``. */
  readonly complete: boolean;
}

const NODE_TYPINGS = /[\\/]@types[\\/]node[\\/]/;

/**
 * Which function of Node's typings `callee` names, when it is declared in a file matching `typings`: a
 * module-level function (`fs.writeFileSync`, not `FileHandle.writeFile`), or with `methods` also a method of
 * an interface (`path.join` is a method of `PlatformPath`).
 */
export function nodeFunctionName(
  context: CheckContext,
  callee: TS.Expression,
  typings: RegExp,
  methods = false,
): string | undefined {
  const { ts } = context;
  const name = ts.isIdentifier(callee)
    ? callee
    : ts.isPropertyAccessExpression(callee)
      ? callee.name
      : undefined;
  if (name === undefined) return undefined;
  const symbol = declaredSymbol(context, name);
  const declaration = symbol?.declarations?.find(
    (candidate) => ts.isFunctionDeclaration(candidate) || (methods && ts.isMethodSignature(candidate)),
  );
  const file = declaration?.getSourceFile().fileName;
  if (file === undefined || !NODE_TYPINGS.test(file) || !typings.test(file)) return undefined;
  return symbol?.name;
}

/** Keeps the part of a partial string that ends at a separator: only whole directories are certain. */
function certainDirectory(prefix: string): StaticPath | undefined {
  const cut = Math.max(prefix.lastIndexOf('/'), prefix.lastIndexOf(sep));
  return cut <= 0 ? undefined : { path: prefix.slice(0, cut), complete: false };
}

function isImportMeta(context: CheckContext, node: TS.Node, property: string): boolean {
  const { ts } = context;
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === property &&
    ts.isMetaProperty(node.expression) &&
    node.expression.keywordToken === ts.SyntaxKind.ImportKeyword
  );
}

/**
 * Evaluates a path expression as far as the source allows: literals and `const`s, template and `+`
 * prefixes, `path.join`/`resolve`, `process.cwd()`, `__dirname`, `import.meta.dirname` and
 * `new URL(literal, import.meta.url)`. Anything else gives undefined (no finding, never a guess).
 */
export function staticPath(context: CheckContext, node: TS.Expression, depth = 0): StaticPath | undefined {
  const { ts, checker, options } = context;
  const file = node.getSourceFile().fileName;
  if (depth > 8) return undefined;
  if (ts.isStringLiteralLike(node)) return { path: node.text, complete: true };
  if (ts.isTemplateExpression(node)) {
    let text = node.head.text;
    for (const span of node.templateSpans) {
      const part = staticPath(context, span.expression, depth + 1);
      if (part?.complete !== true) return certainDirectory(text + (part?.path ?? ''));
      text += part.path + span.literal.text;
    }
    return { path: text, complete: true };
  }
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) {
    return staticPath(context, node.expression, depth + 1);
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = staticPath(context, node.left, depth + 1);
    if (left === undefined || !left.complete) return left;
    const right = staticPath(context, node.right, depth + 1);
    if (right?.complete === true) return { path: left.path + right.path, complete: true };
    return certainDirectory(left.path + (right?.path ?? ''));
  }
  if (ts.isIdentifier(node)) {
    if (node.text === '__dirname') return { path: dirname(file), complete: true };
    const type = checker.getTypeAtLocation(node);
    if (type.isStringLiteral()) return { path: type.value, complete: true };
    const declaration = declaredSymbol(context, node)?.valueDeclaration;
    if (
      declaration !== undefined &&
      ts.isVariableDeclaration(declaration) &&
      declaration.initializer !== undefined
    ) {
      const constant = (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0;
      return constant ? staticPath(context, declaration.initializer, depth + 1) : undefined;
    }
    return undefined;
  }
  if (isImportMeta(context, node, 'dirname')) return { path: dirname(file), complete: true };
  if (isImportMeta(context, node, 'filename')) return { path: file, complete: true };
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    if (
      ts.isPropertyAccessExpression(callee) &&
      callee.name.text === 'cwd' &&
      ts.isIdentifier(callee.expression) &&
      callee.expression.text === 'process'
    ) {
      return { path: options.root, complete: true };
    }
    const pathFunction = nodeFunctionName(context, callee, /[\\/]path\.d\.ts$/, true);
    if (pathFunction === 'join' || pathFunction === 'resolve' || pathFunction === 'normalize') {
      const parts: string[] = [];
      for (const argument of node.arguments) {
        const part = staticPath(context, argument, depth + 1);
        if (part === undefined) break;
        parts.push(part.path);
        if (!part.complete) break;
      }
      if (parts.length === 0) return undefined;
      const complete = parts.length === node.arguments.length;
      const joined = pathFunction === 'resolve' ? resolve(options.root, ...parts) : join(...parts);
      return { path: joined, complete };
    }
    if (nodeFunctionName(context, callee, /[\\/]url\.d\.ts$/) === 'pathToFileURL' && node.arguments[0]) {
      return staticPath(context, node.arguments[0], depth + 1);
    }
  }
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
    const [first, base] = node.arguments ?? [];
    const relative = first === undefined ? undefined : staticPath(context, first, depth + 1);
    if (relative?.complete !== true) return undefined;
    if (base !== undefined && isImportMeta(context, base, 'url')) {
      return { path: fileURLToPath(new URL(relative.path, pathToFileURL(file))), complete: true };
    }
    return relative.path.startsWith('file:')
      ? { path: fileURLToPath(relative.path), complete: true }
      : undefined;
  }
  return undefined;
}
