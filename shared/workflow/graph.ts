import { workflowDefinitionString } from './definition.ts';

/**
 * The ticket lifecycle's state machine as a graph — states and transitions — derived from the
 * deployed definition string (the one the CDK app synthesizes and the local engine runs), so a
 * picture of the workflow can never drift from the workflow. The same for every ticket.
 */

export interface WorkflowGraphState {
  name: string;
  /** The ASL state type: Task, Choice, Succeed, Fail, … */
  type: string;
}

export interface WorkflowGraphEdge {
  from: string;
  to: string;
  /** Why this transition is taken: a Choice rule (`phase = working`), `otherwise`, a caught error. */
  label?: string;
}

export interface WorkflowGraph {
  startAt: string;
  states: WorkflowGraphState[];
  edges: WorkflowGraphEdge[];
}

interface AslChoiceRule {
  Variable?: string;
  Next?: string;
  Not?: AslChoiceRule;
  [operator: string]: unknown;
}

interface AslState {
  Type: string;
  Next?: string;
  Default?: string;
  Choices?: AslChoiceRule[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
}

interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
}

const OPERATORS: [RegExp, string][] = [
  [/^(String|Numeric|Boolean|Timestamp)Equals$/, '='],
  [/^(String|Numeric|Timestamp)GreaterThanEquals$/, '≥'],
  [/^(String|Numeric|Timestamp)LessThanEquals$/, '≤'],
  [/^(String|Numeric|Timestamp)GreaterThan$/, '>'],
  [/^(String|Numeric|Timestamp)LessThan$/, '<'],
  [/^StringMatches$/, '~'],
];

/** `$.Payload.phase` + `StringEquals: "working"` → `phase = working`; under `Not`, `phase ≠ working`. */
const conditionOf = (rule: AslChoiceRule): string => {
  if (rule.Not) {
    const inner = conditionOf(rule.Not);
    return / = /.test(inner) ? inner.replace(' = ', ' ≠ ') : `not (${inner})`;
  }
  const variable = (rule.Variable ?? '').split('.').at(-1) || 'input';
  for (const [key, value] of Object.entries(rule)) {
    if (key === 'Variable' || key === 'Next' || key === 'Not') continue;
    const operator = OPERATORS.find(([pattern]) => pattern.test(key))?.[1];
    if (operator) return `${variable} ${operator} ${String(value)}`;
  }
  return 'a rule matches';
};

const derive = (definition: AslDefinition): WorkflowGraph => {
  const states: WorkflowGraphState[] = [];
  const edges: WorkflowGraphEdge[] = [];
  for (const [name, state] of Object.entries(definition.States)) {
    states.push({ name, type: state.Type });
    for (const rule of state.Choices ?? [])
      if (rule.Next) edges.push({ from: name, to: rule.Next, label: conditionOf(rule) });
    if (state.Default) edges.push({ from: name, to: state.Default, label: 'otherwise' });
    if (state.Next) edges.push({ from: name, to: state.Next });
    for (const caught of state.Catch ?? [])
      edges.push({ from: name, to: caught.Next, label: caught.ErrorEquals.join(', ') });
  }
  return { startAt: definition.StartAt, states, edges };
};

let derived: WorkflowGraph | undefined;

/** The lifecycle's graph, derived once per process from the deployed definition. */
export const workflowGraph = (): WorkflowGraph => {
  derived ??= derive(JSON.parse(workflowDefinitionString()) as AslDefinition);
  return derived;
};
