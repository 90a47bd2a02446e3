import { BINDING_RULES, type BindingMemberRule, type BindingRules } from './binding-rules.ts';
import { guardConstructor, guardFunction } from './guarded-function.ts';
import type { PatchSet } from './patch-set.ts';
import { pathArgument } from './path-policy.ts';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
type AnyClass = new (...args: unknown[]) => object;

function guardMember(original: AnyFunction, api: string, rule: BindingMemberRule): AnyFunction {
  return guardFunction(original, { kind: rule.kind, api, refuse: 'throw', inspect: rule.inspect });
}

/**
 * A subclass of a handle class whose listed methods are checked. Node's own sockets and processes use the real
 * class (through `internalBinding`), so they are untouched; handles built from `process.binding()` get these.
 */
function guardMethods(original: AnyClass, api: string, methods: Readonly<Record<string, BindingMemberRule>>) {
  const guarded = class extends original {};
  for (const [name, rule] of Object.entries(methods)) {
    const method = (original.prototype as Record<string, unknown>)[name];
    if (typeof method !== 'function') continue;
    Object.defineProperty(guarded.prototype, name, {
      value: guardMember(method as AnyFunction, `${api}.${name}`, rule),
      writable: true,
      configurable: true,
    });
  }
  Object.defineProperty(guarded, 'name', { value: original.name });
  return guarded;
}

/** A plain function, not a class: Node's binding methods have no `prototype`. */
function isPlainFunction(value: unknown): value is AnyFunction {
  return typeof value === 'function' && !Object.hasOwn(value, 'prototype');
}

function guardedValue(value: unknown, key: string, api: string, rules: BindingRules): unknown {
  const member = `${api}.${key}`;
  if (typeof value !== 'function') return value;
  const constructorRule = rules.constructors?.[key];
  if (constructorRule !== undefined) {
    return guardConstructor(value, {
      kind: constructorRule.kind,
      api: member,
      inspect: constructorRule.inspect,
    });
  }
  const methods = rules.methods?.[key];
  if (methods !== undefined) return guardMethods(value as AnyClass, member, methods);
  if (!isPlainFunction(value)) return value;
  const rule = rules.functions?.[key];
  if (rule !== undefined) return guardMember(value, member, rule);
  const other = rules.otherFunctions;
  return other === undefined || other.readOnly.has(key) ? value : guardMember(value, member, other.rule);
}

/**
 * A view of a binding object with its dangerous members checked. The real object is shared with Node's own modules,
 * so it is never changed: the view is a new object with the same properties.
 */
function guardedBinding(name: string, binding: object, rules: BindingRules): object {
  const api = `process.binding('${name}')`;
  const view = Object.create(Object.getPrototypeOf(binding) as object | null) as object;
  for (const key of Reflect.ownKeys(binding)) {
    const descriptor = Object.getOwnPropertyDescriptor(binding, key) as PropertyDescriptor;
    if (typeof key === 'string' && 'value' in descriptor) {
      descriptor.value = guardedValue(descriptor.value, key, api, rules);
    }
    Object.defineProperty(view, key, descriptor);
  }
  return view;
}

/** Which rules apply: with `allowNetwork`, the network members are handed out unchecked. */
function applicableRules(rules: BindingRules, allowNetwork: boolean): BindingRules {
  if (!allowNetwork) return rules;
  const keep = (members: Readonly<Record<string, BindingMemberRule>> | undefined) =>
    Object.fromEntries(Object.entries(members ?? {}).filter(([, rule]) => rule.kind !== 'network'));
  return {
    ...rules,
    functions: keep(rules.functions),
    constructors: keep(rules.constructors),
    methods: Object.fromEntries(
      Object.entries(rules.methods ?? {})
        .map(([name, members]) => [name, keep(members)] as const)
        .filter(([, members]) => Object.keys(members).length > 0),
    ),
  };
}

/**
 * Patches `process.binding` to hand out checked views of the bindings that write files, start processes, reach
 * the network or open the debugger, and checks every `process._linkedBinding` and `process.dlopen` call: a linked
 * binding or a native addon does what it likes, beyond any JavaScript guard.
 */
export function patchBindings(patches: PatchSet, allowNetwork: boolean): void {
  const views = new Map<string, object>();
  patches.replace<AnyFunction>(process, 'binding', (original) => {
    const binding = function (this: unknown, ...args: unknown[]): unknown {
      const real = original.apply(this, args);
      const name = String(args[0]);
      const rules = BINDING_RULES[name];
      if (rules === undefined || typeof real !== 'object' || real === null) return real;
      let view = views.get(name);
      if (view === undefined) {
        view = guardedBinding(name, real, applicableRules(rules, allowNetwork));
        views.set(name, view);
      }
      return view;
    };
    Object.defineProperties(binding, { name: { value: original.name }, length: { value: original.length } });
    return binding;
  });
  patches.replace<AnyFunction>(process, '_linkedBinding', (original) =>
    guardMember(original, 'process._linkedBinding', {
      kind: 'native',
      inspect: (_runtime, [name]) => String(name),
    }),
  );
  patches.replace<AnyFunction>(process, 'dlopen', (original) =>
    guardMember(original, 'process.dlopen', {
      kind: 'native',
      inspect: (_runtime, [, filename]) => pathArgument(filename) ?? String(filename),
    }),
  );
}
