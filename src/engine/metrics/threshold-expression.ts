import { describeValue, StressError } from '../../protocol/index.ts';

/** Comparison operators a threshold may use. */
export const THRESHOLD_OPERATORS = ['<', '<=', '>', '>=', '==', '!='] as const;

/** One of {@link THRESHOLD_OPERATORS}. */
export type ThresholdOperator = (typeof THRESHOLD_OPERATORS)[number];

/** A parsed threshold such as `>= 0.99`: the measured value must compare true against `value`. */
export interface ThresholdExpression {
  readonly operator: ThresholdOperator;
  readonly value: number;
  /** The text as written, trimmed. */
  readonly source: string;
}

const EXPRESSION = /^(<=|>=|==|!=|<|>)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)$/;

/**
 * Parses a k6-style threshold expression (`'>= 0.99'`, `'<50'`, `'== 0'`); throws `ERR_INVALID_THRESHOLD`
 * showing the expected form and the received text, so a typo never becomes a threshold that silently passes.
 */
export function parseThreshold(text: unknown, metric = 'threshold'): ThresholdExpression {
  const match = typeof text === 'string' ? EXPRESSION.exec(text.trim()) : null;
  if (match === null) {
    throw new StressError(
      'ERR_INVALID_THRESHOLD',
      `Expected threshold for \`${metric}\` to be an operator (${THRESHOLD_OPERATORS.join(', ')}) followed by ` +
        `a number, such as ">= 0.99" or "< 50", got ${describeValue(text)}.`,
      { details: { metric, received: typeof text === 'string' ? text : String(text) } },
    );
  }
  return {
    operator: match[1] as ThresholdOperator,
    value: Number(match[2]),
    source: (text as string).trim(),
  };
}

/** True when `measured` satisfies the expression. */
export function compareThreshold(measured: number, expression: ThresholdExpression): boolean {
  const { operator, value } = expression;
  switch (operator) {
    case '<':
      return measured < value;
    case '<=':
      return measured <= value;
    case '>':
      return measured > value;
    case '>=':
      return measured >= value;
    case '==':
      return measured === value;
    case '!=':
      return measured !== value;
  }
}
