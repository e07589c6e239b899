import { describe, expect, it } from 'vitest';
import { APPLY_STATE, PARK_STATES, workflowDefinitionString } from '#shared/workflow/definition';
import { workflowGraph } from '#shared/workflow/graph';
import { layoutGraph } from '../../web/src/pages/ops/graph-layout.ts';

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
      expect(label('Route', APPLY_STATE)).toEqual(['action ≠ none']);
      expect(label('Route', 'ContinueAsNew')).toEqual([expect.stringMatching(/^loops ≥ \d+$/)]);
      expect(label('Route', 'UnknownPhase')).toEqual(['otherwise']);
      expect(label(PARK_STATES.working, 'Evaluate')).toEqual([undefined]);
      expect(label(PARK_STATES.working, APPLY_STATE)).toEqual(['States.Timeout']);
      expect(label('Triage', PARK_STATES.working)).toEqual([undefined]);
      expect(label('Triage', 'Route')).toEqual([]);
    });
  });

  describe('Function: layoutGraph (the console draws it)', () => {
    const graph = workflowGraph();
    const layout = layoutGraph(graph);

    it('places every state once, inside the picture, no two overlapping', () => {
      expect(layout.nodes.map((node) => node.name).sort()).toEqual(
        graph.states.map((state) => state.name).sort(),
      );
      for (const node of layout.nodes) {
        expect(node.x).toBeGreaterThanOrEqual(0);
        expect(node.y).toBeGreaterThanOrEqual(0);
        expect(node.x + node.width).toBeLessThanOrEqual(layout.width);
        expect(node.y + node.height).toBeLessThanOrEqual(layout.height);
      }
      for (const [index, a] of layout.nodes.entries())
        for (const b of layout.nodes.slice(index + 1)) {
          const apart =
            a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
          expect(apart, `${a.name} and ${b.name} overlap`).toBe(true);
        }
    });

    it('reads left to right from the start state, and draws every transition', () => {
      const layer = new Map(layout.nodes.map((node) => [node.name, node.layer]));
      expect(layer.get('Triage')).toBe(0);
      expect(layer.get(PARK_STATES.working)).toBe(1);
      expect(layer.get('Evaluate')).toBe(2);
      expect(layer.get('Route')).toBe(3);
      for (const edge of graph.edges)
        expect(layout.edgeOf(edge.from, edge.to), `${edge.from}→${edge.to}`).toBeDefined();
    });

    it('draws ApplyClockEvent and its way back to Route as one two-way connector, and Route→AwaitAgent as a lane below', () => {
      expect(layout.edgeOf('Route', APPLY_STATE)).toMatchObject({
        kind: 'both',
        label: { text: 'action ≠ none' },
      });
      expect(layout.edgeOf(APPLY_STATE, 'Route')).toBe(layout.edgeOf('Route', APPLY_STATE));
      expect(layout.edgeOf('Evaluate', 'Route')?.kind).toBe('forward');
      expect(layout.edgeOf('Route', PARK_STATES.working)?.kind).toBe('back');
      expect(layout.edgeOf(PARK_STATES.working, 'Evaluate')?.label).toBeUndefined();
      expect(layout.edgeOf(PARK_STATES.working, APPLY_STATE)?.label?.text).toBe('States.Timeout');
    });
  });
});
