import { describe, expect, it } from 'vitest';
import { ACTION_STATES, PARK_STATES, workflowDefinitionString } from '#shared/workflow/definition';
import { workflowGraph } from '#shared/workflow/graph';

/** The picture of the workflow is the deployed definition's graph: every state, every transition. */

interface State {
  Type: string;
  Next?: string;
  Default?: string;
  Choices?: { Next: string }[];
  Catch?: { Next: string }[];
}

const deployed = JSON.parse(workflowDefinitionString()) as { StartAt: string; States: Record<string, State> };

describe('Module: workflow graph', () => {
  describe('Function: workflowGraph', () => {
    it('has every state of the deployed definition, with its type, and starts where it starts', () => {
      const graph = workflowGraph();
      expect(graph.startAt).toBe(deployed.StartAt);
      expect(graph.states).toEqual(
        Object.entries(deployed.States).map(([name, state]) => ({ name, type: state.Type })),
      );
    });

    it('has one edge per transition of the definition, and every edge joins two of its states', () => {
      const graph = workflowGraph();
      const transitions = Object.entries(deployed.States).flatMap(([from, state]) =>
        [
          ...(state.Choices ?? []).map((rule) => rule.Next),
          state.Default,
          state.Next,
          ...(state.Catch ?? []).map((caught) => caught.Next),
        ]
          .filter((to): to is string => to !== undefined)
          .map((to) => `${from}→${to}`),
      );
      expect(graph.edges.map((edge) => `${edge.from}→${edge.to}`).sort()).toEqual(transitions.sort());
      const names = new Set(graph.states.map((state) => state.name));
      for (const edge of graph.edges) {
        expect(names.has(edge.from)).toBe(true);
        expect(names.has(edge.to)).toBe(true);
      }
    });

    it('labels choices by their rule, the default, and caught errors', () => {
      const { edges } = workflowGraph();
      const label = (from: string, to: string) =>
        edges.filter((edge) => edge.from === from && edge.to === to).map((edge) => edge.label);
      expect(label('Route', PARK_STATES.working)).toEqual(['phase = working']);
      expect(label('Route', ACTION_STATES.escalate)).toEqual(['action = escalate']);
      expect(label('Route', 'ContinueAsNew')).toEqual([expect.stringMatching(/^loops ≥ \d+$/)]);
      expect(label('Route', 'UnknownPhase')).toEqual(['otherwise']);
      expect(label(PARK_STATES.working, 'Evaluate')).toEqual([undefined, 'States.Timeout']);
      expect(label('Triage', 'Route')).toEqual([undefined]);
    });
  });
});
