import { constants as fsConstants, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type TS from 'typescript';
import { writesWithFlags } from '../../isolation/index.ts';
import { type CheckContext, declaredSymbol, type IntegrationCheckRunner, walk } from './check-context.ts';
import { nodeFunctionName, staticPath } from './static-path.ts';

interface PathArguments {
  readonly indexes: readonly number[];
  /** Removing or moving: also refused when the path contains a protected root. */
  readonly destructive?: boolean;
  /** Index of `open`'s flags; the call writes only when they do. */
  readonly flags?: number;
}

/** The `fs` and `fs/promises` functions that write, by name without `Sync`, and which arguments are paths. */
const WRITING_FUNCTIONS: Readonly<Record<string, PathArguments>> = {
  writeFile: { indexes: [0] },
  appendFile: { indexes: [0] },
  open: { indexes: [0], flags: 1 },
  createWriteStream: { indexes: [0] },
  rename: { indexes: [0, 1], destructive: true },
  copyFile: { indexes: [1] },
  cp: { indexes: [1], destructive: true },
  mkdir: { indexes: [0] },
  mkdtemp: { indexes: [0] },
  rm: { indexes: [0], destructive: true },
  rmdir: { indexes: [0], destructive: true },
  unlink: { indexes: [0] },
  symlink: { indexes: [1] },
  link: { indexes: [0, 1] },
  truncate: { indexes: [0] },
  utimes: { indexes: [0] },
  lutimes: { indexes: [0] },
  chmod: { indexes: [0] },
  lchmod: { indexes: [0] },
  chown: { indexes: [0] },
  lchown: { indexes: [0] },
};

const FS_TYPINGS = /[\\/](?:fs|fs[\\/]promises)\.d\.ts$/;

/**
 * The value of `open` flags known at compile time: a string (`'r'`), a number, `fs.constants.O_*` (by this
 * Node's values) and `|` of those, through `const`s.
 */
function staticFlags(context: CheckContext, node: TS.Expression, depth = 0): string | number | undefined {
  const { ts } = context;
  if (depth > 8) return undefined;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isParenthesizedExpression(node)) return staticFlags(context, node.expression, depth + 1);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.BarToken) {
    const left = staticFlags(context, node.left, depth + 1);
    const right = staticFlags(context, node.right, depth + 1);
    return typeof left === 'number' && typeof right === 'number' ? left | right : undefined;
  }
  if (ts.isPropertyAccessExpression(node) && /^O_[A-Z]+$/.test(node.name.text)) {
    const owner = node.expression;
    const isConstants =
      (ts.isIdentifier(owner) && owner.text === 'constants') ||
      (ts.isPropertyAccessExpression(owner) && owner.name.text === 'constants');
    const value = (fsConstants as unknown as Record<string, unknown>)[node.name.text];
    return isConstants && typeof value === 'number' ? value : undefined;
  }
  if (ts.isIdentifier(node)) {
    const declaration = declaredSymbol(context, node)?.valueDeclaration;
    if (
      declaration !== undefined &&
      ts.isVariableDeclaration(declaration) &&
      declaration.initializer !== undefined &&
      (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0
    ) {
      return staticFlags(context, declaration.initializer, depth + 1);
    }
  }
  const known = staticPath(context, node, depth);
  return known?.complete === true ? known.path : undefined;
}

function writesHere(context: CheckContext, call: TS.CallExpression, spec: PathArguments): boolean {
  if (spec.flags === undefined) return true;
  const flags = call.arguments[spec.flags];
  if (flags === undefined) return false;
  const known = staticFlags(context, flags);
  // Unknown flags may well write; only flags known to be read-only clear the call.
  return known === undefined || writesWithFlags(known);
}

/** `mkdir` of a directory that exists now creates nothing (recursive) or fails (not recursive): no write. */
function createsNothing(context: CheckContext, name: string, call: TS.CallExpression): boolean {
  if (name.replace(/Sync$/, '') !== 'mkdir' || call.arguments[0] === undefined) return false;
  const known = staticPath(context, call.arguments[0]);
  if (known?.complete !== true) return false;
  const absolute = isAbsolute(known.path) ? resolve(known.path) : resolve(context.options.root, known.path);
  return statSync(absolute, { throwIfNoEntry: false })?.isDirectory() === true;
}

/** The path as the message shows it (relative to the root, `a path under dir/` when partial), if protected. */
function protectedTarget(
  context: CheckContext,
  argument: TS.Expression,
  destructive: boolean,
): string | undefined {
  const known = staticPath(context, argument);
  if (known === undefined) return undefined;
  const absolute = isAbsolute(known.path) ? resolve(known.path) : resolve(context.options.root, known.path);
  // Of a partial path only the containing directory is known: refused only when that directory is protected.
  const refused = context.options.policy.checkAbsolute(absolute, known.complete && destructive);
  if (refused === undefined) return undefined;
  const shown = relative(context.options.root, absolute).split(sep).join('/') || '.';
  return known.complete ? `\`${shown}\`` : `a path under \`${shown}/\``;
}

/** Flags `fs` writes, renames and deletions whose path is known at compile time and lies under a protected root. */
export const checkProtectedWrites: IntegrationCheckRunner = (context, sourceFile) => {
  const { ts } = context;
  walk(ts, sourceFile, (node) => {
    if (!ts.isCallExpression(node)) return;
    const name = nodeFunctionName(context, node.expression, FS_TYPINGS);
    const spec = name === undefined ? undefined : WRITING_FUNCTIONS[name.replace(/Sync$/, '')];
    if (spec === undefined || name === undefined || !writesHere(context, node, spec)) return;
    if (createsNothing(context, name, node)) return;
    for (const index of spec.indexes) {
      const argument = node.arguments[index];
      const target =
        argument === undefined ? undefined : protectedTarget(context, argument, spec.destructive === true);
      if (argument === undefined || target === undefined) continue;
      context.report(
        'protected-write',
        argument,
        `\`${name}\` ${spec.destructive === true ? 'removes or moves' : 'writes'} ${target}, which is protected${context.via(sourceFile.fileName)}. A stress test must deliver only through the injected mock core; the guard blocks this at run time.`,
      );
      return;
    }
  });
};
