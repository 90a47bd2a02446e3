import type TS from 'typescript';
import { StressError } from '../../protocol/index.ts';
import { type CheckContext, declaredSymbol, type IntegrationCheckRunner, walk } from './check-context.ts';

/** Classes and variables with these name endings are mock cores and must satisfy the port. */
export const MOCK_CORE_NAME_ENDINGS: readonly string[] = ['MessagingCore', 'MockCore', 'CoreMock'];

const portTypes = new WeakMap<TS.TypeChecker, TS.Type>();

/** The `MessagingCore` interface type of the configured module, looked up once per program. */
function messagingCorePort(context: CheckContext, program: TS.Program): TS.Type {
  const cached = portTypes.get(context.checker);
  if (cached !== undefined) return cached;
  const file = program.getSourceFile(context.options.messagingCoreModule);
  const module = file === undefined ? undefined : context.checker.getSymbolAtLocation(file);
  const symbol =
    module === undefined
      ? undefined
      : context.checker.getExportsOfModule(module).find((s) => s.name === 'MessagingCore');
  if (symbol === undefined) {
    throw new StressError(
      'ERR_TARGET_MODULE',
      `Expected \`${context.options.messagingCoreModule}\` to export the \`MessagingCore\` interface, got a module without it. Point \`messagingCoreModule\` at the file that declares the port.`,
    );
  }
  const type = context.checker.getDeclaredTypeOfSymbol(symbol);
  portTypes.set(context.checker, type);
  return type;
}

function hasMockCoreName(name: string): boolean {
  return MOCK_CORE_NAME_ENDINGS.some((ending) => name.endsWith(ending));
}

/** What to check and where to report: mock-core classes, mock-core variables, and values given as `messagingCore`. */
function candidates(
  context: CheckContext,
  node: TS.Node,
): { readonly type: TS.Type; readonly at: TS.Node; readonly label: string }[] {
  const { ts, checker } = context;
  if ((ts.isClassDeclaration(node) || ts.isClassExpression(node)) && node.name !== undefined) {
    const implementsPort = (node.heritageClauses ?? []).some(
      (clause) =>
        clause.token === ts.SyntaxKind.ImplementsKeyword &&
        clause.types.some((type) => declaredSymbol(context, type.expression)?.name === 'MessagingCore'),
    );
    const symbol = checker.getSymbolAtLocation(node.name);
    if (symbol === undefined || !(implementsPort || hasMockCoreName(node.name.text))) return [];
    return [
      { type: checker.getDeclaredTypeOfSymbol(symbol), at: node.name, label: `Class \`${node.name.text}\`` },
    ];
  }
  if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && hasMockCoreName(node.name.text)) {
    if (node.initializer !== undefined && ts.isClassExpression(node.initializer)) return [];
    return [{ type: checker.getTypeAtLocation(node.name), at: node.name, label: `\`${node.name.text}\`` }];
  }
  if (ts.isPropertyAssignment(node) && node.name.getText() === 'messagingCore') {
    return [
      {
        type: checker.getTypeAtLocation(node.initializer),
        at: node.initializer,
        label: 'The value given as `messagingCore`',
      },
    ];
  }
  if (ts.isShorthandPropertyAssignment(node) && node.name.text === 'messagingCore') {
    return [
      {
        type: checker.getTypeAtLocation(node.name),
        at: node.name,
        label: 'The value given as `messagingCore`',
      },
    ];
  }
  if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments !== undefined) {
    const signature = checker.getResolvedSignature(node);
    return node.arguments.flatMap((argument, index) => {
      const parameter = signature?.parameters[index];
      return parameter?.name === 'messagingCore'
        ? [
            {
              type: checker.getTypeAtLocation(argument),
              at: argument,
              label: 'The argument given as `messagingCore`',
            },
          ]
        : [];
    });
  }
  return [];
}

function mismatch(context: CheckContext, type: TS.Type, port: TS.Type, at: TS.Node): string {
  const { checker } = context;
  const missing = port
    .getProperties()
    .filter((property) => checker.getPropertyOfType(type, property.name) === undefined);
  if (missing.length > 0) {
    const own = type.getProperties().map((property) => `\`${property.name}\``);
    return `it has no ${missing.map((p) => `\`${p.name}\``).join(', ')}${own.length > 0 ? ` (it has ${own.join(', ')})` : ''}`;
  }
  const [first] = port.getProperties().filter((property) => {
    const theirs = checker.getPropertyOfType(type, property.name);
    return (
      theirs !== undefined &&
      !checker.isTypeAssignableTo(
        checker.getTypeOfSymbolAtLocation(theirs, at),
        checker.getTypeOfSymbolAtLocation(property, at),
      )
    );
  });
  if (first === undefined) return 'its members do not match the port';
  const theirs = checker.getPropertyOfType(type, first.name) as TS.Symbol;
  return `its \`${first.name}\` is \`${checker.typeToString(checker.getTypeOfSymbolAtLocation(theirs, at))}\`, the port needs \`${checker.typeToString(checker.getTypeOfSymbolAtLocation(first, at))}\``;
}

/** Builds the check for one program: every mock core and injected core must be assignable to MessagingCore. */
export function checkMessagingCorePort(program: TS.Program): IntegrationCheckRunner {
  return (context, sourceFile) => {
    const port = messagingCorePort(context, program);
    const unknownFlags = context.ts.TypeFlags.Any | context.ts.TypeFlags.Unknown;
    walk(context.ts, sourceFile, (node) => {
      for (const { type, at, label } of candidates(context, node)) {
        if ((type.flags & unknownFlags) !== 0 || context.checker.isTypeAssignableTo(type, port)) continue;
        context.report(
          'messaging-core-port',
          at,
          `${label} does not satisfy the MessagingCore port: ${mismatch(context, type, port, at)}${context.via(sourceFile.fileName)}. The port is \`deliver(message, recipient, attempt): Promise<boolean>\`.`,
        );
      }
    });
  };
}
