import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type TS from 'typescript';
import type { TypeScriptApi } from './load-typescript.ts';

/** The config files Vitest reads from a project root, in its own order of preference. */
export const VITEST_CONFIG_FILES = [
  'vitest.config.ts',
  'vitest.config.mts',
  'vitest.config.cts',
  'vitest.config.js',
  'vitest.config.mjs',
  'vitest.config.cjs',
  'vite.config.ts',
  'vite.config.mts',
  'vite.config.js',
  'vite.config.mjs',
] as const;

/** A target module a stress project names in its config. */
export interface ConfiguredTarget {
  /** Absolute path of the target module. */
  readonly path: string;
  /** The config file that names it. */
  readonly config: string;
  /** As written in the config. */
  readonly specifier: string;
}

function propertyText(
  ts: TypeScriptApi,
  object: TS.ObjectLiteralExpression,
  name: string,
): string | undefined {
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const key = property.name;
    const keyText = ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : undefined;
    if (keyText !== name) continue;
    const value = property.initializer;
    if (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) return value.text;
  }
  return undefined;
}

/** Resolves a target the way the stress project does: against its `root`, else the config's folder. */
function resolveTarget(
  specifier: string,
  configDir: string,
  projectRoot: string | undefined,
): string | undefined {
  const base = projectRoot === undefined ? configDir : resolve(configDir, projectRoot);
  const path = resolve(base, specifier);
  return existsSync(path) ? path : undefined;
}

/**
 * Finds the target modules the stress projects of `root`'s Vitest config name (`defineStressProject({ target })`),
 * statically: the config is parsed, never run. A computed target (a variable, an expression) is not followed;
 * pass it to the validator by path.
 */
export function findConfiguredTargets(ts: TypeScriptApi, root: string): ConfiguredTarget[] {
  const found: ConfiguredTarget[] = [];
  for (const name of VITEST_CONFIG_FILES) {
    const config = resolve(root, name);
    if (!existsSync(config)) continue;
    const source = ts.createSourceFile(config, readFileSync(config, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: TS.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'defineStressProject' &&
        node.arguments[0] !== undefined &&
        ts.isObjectLiteralExpression(node.arguments[0])
      ) {
        const options = node.arguments[0];
        const specifier = propertyText(ts, options, 'target');
        const path =
          specifier === undefined
            ? undefined
            : resolveTarget(specifier, dirname(config), propertyText(ts, options, 'root'));
        if (specifier !== undefined && path !== undefined) found.push({ path, config, specifier });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    break;
  }
  return found;
}
