import { useEffect, useMemo, useRef } from 'preact/hooks';
import { type GraphLayout, type LaidNode, layoutGraph } from './graph-layout.ts';
import type { WorkflowGraph } from './ops-types.ts';

/**
 * The workflow's state machine as an SVG picture: states in layers left to right, the current
 * state, the visited and the failed ones marked by fill, border and a symbol (never colour
 * alone), the transitions taken drawn darker. The picture is one image to assistive technology
 * (role="img" with a summary); the steps timeline beside it is its text alternative.
 */

export interface GraphMarks {
  current?: string;
  visited: ReadonlySet<string>;
  failed: ReadonlySet<string>;
  /** Transitions taken, as `from→to`. */
  taken: ReadonlySet<string>;
}

const SYMBOL = { current: '▶', failed: '✕', visited: '✓' } as const;

const markOf = (name: string, marks: GraphMarks): 'failed' | 'visited' | 'unvisited' =>
  marks.failed.has(name) ? 'failed' : marks.visited.has(name) ? 'visited' : 'unvisited';

const Shape = ({ node }: { node: LaidNode }) => {
  const { x, y, width, height } = node;
  if (node.type === 'Choice') {
    const inset = 14;
    const points = [
      [x, y + height / 2],
      [x + inset, y],
      [x + width - inset, y],
      [x + width, y + height / 2],
      [x + width - inset, y + height],
      [x + inset, y + height],
    ];
    return <polygon class="wf-shape" points={points.map((point) => point.join(',')).join(' ')} />;
  }
  const terminal = node.type === 'Succeed' || node.type === 'Fail';
  return <rect class="wf-shape" x={x} y={y} width={width} height={height} rx={terminal ? height / 2 : 5} />;
};

const describe = (name: string, type: string, marks: GraphMarks): string => {
  const words = [name, `(${type})`];
  if (marks.current === name) words.push('— the current state');
  const mark = markOf(name, marks);
  if (mark !== 'unvisited') words.push(marks.current === name ? `, ${mark}` : `— ${mark}`);
  return words.join(' ');
};

export const WorkflowGraphPicture = ({
  graph,
  marks,
  summary,
}: {
  graph: WorkflowGraph;
  marks: GraphMarks;
  /** What the picture shows, in words (the image's accessible name). */
  summary: string;
}) => {
  const layout: GraphLayout = useMemo(() => layoutGraph(graph), [graph]);
  const scroller = useRef<HTMLElement>(null);
  // On a narrow screen the picture scrolls: bring the current state into view.
  const currentNode = layout.nodes.find((node) => node.name === marks.current);
  const currentX = currentNode ? currentNode.x + currentNode.width / 2 : undefined;
  useEffect(() => {
    const element = scroller.current;
    if (!element || currentX === undefined || element.scrollWidth <= element.clientWidth) return;
    element.scrollLeft = Math.max(0, currentX - element.clientWidth / 2);
  }, [currentX]);
  const takenEdges = new Set(
    [...marks.taken].map((key) => {
      const [from = '', to = ''] = key.split('→');
      return layout.edgeOf(from, to)?.key;
    }),
  );
  return (
    // Scrolls sideways on a narrow screen: focusable so that a keyboard can scroll it too.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take the focus
    <section ref={scroller} class="wf-graph-scroll" tabIndex={0} aria-label="The state machine picture">
      <svg
        class="wf-graph"
        role="img"
        aria-label={summary}
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
      >
        <defs>
          {['plain', 'taken'].map((kind) => (
            <marker
              key={kind}
              id={`wf-arrow-${kind}`}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerUnits="userSpaceOnUse"
              markerWidth="9"
              markerHeight="9"
              orient="auto-start-reverse"
            >
              <path d="M0,0 L10,5 L0,10 z" class={`wf-arrow ${kind}`} />
            </marker>
          ))}
        </defs>
        <g class="wf-edges">
          {layout.edges.map((edge) => {
            const kind = takenEdges.has(edge.key) ? 'taken' : 'plain';
            return (
              <path
                key={edge.key}
                class={`wf-edge ${kind} ${edge.kind}`}
                d={edge.path}
                data-edge={edge.key}
                marker-end={`url(#wf-arrow-${kind})`}
                marker-start={edge.kind === 'both' ? `url(#wf-arrow-${kind})` : undefined}
              />
            );
          })}
        </g>
        <g class="wf-labels">
          {layout.edges.map(
            (edge) =>
              edge.label && (
                <text
                  key={edge.key}
                  class="wf-edge-label"
                  x={edge.label.x}
                  y={edge.label.y}
                  text-anchor={edge.label.anchor}
                >
                  {edge.label.text}
                </text>
              ),
          )}
        </g>
        <g class="wf-nodes">
          {layout.nodes.map((node) => {
            const mark = markOf(node.name, marks);
            const current = marks.current === node.name;
            const symbol = current ? SYMBOL.current : mark === 'unvisited' ? '' : SYMBOL[mark];
            return (
              <g
                key={node.name}
                class={`wf-node ${mark}${current ? ' current' : ''}`}
                data-state-name={node.name}
                data-mark={mark}
                data-current={current ? 'true' : undefined}
              >
                <title>{describe(node.name, node.type, marks)}</title>
                <Shape node={node} />
                <text class="wf-node-text" x={node.x + node.width / 2} y={node.y + node.height / 2 + 4.5}>
                  {symbol ? `${symbol} ${node.name}` : node.name}
                </text>
              </g>
            );
          })}
        </g>
      </svg>
    </section>
  );
};

/** The key to the picture's marks: the same symbols and fills as the states. */
export const GraphLegend = () => (
  <ul class="wf-legend" aria-label="Key to the picture">
    <li>
      <span class="wf-swatch current" aria-hidden="true">
        {SYMBOL.current}
      </span>{' '}
      current state
    </li>
    <li>
      <span class="wf-swatch visited" aria-hidden="true">
        {SYMBOL.visited}
      </span>{' '}
      visited
    </li>
    <li>
      <span class="wf-swatch failed" aria-hidden="true">
        {SYMBOL.failed}
      </span>{' '}
      failed
    </li>
    <li>
      <span class="wf-swatch unvisited" aria-hidden="true" /> not visited
    </li>
    <li>
      <span class="wf-line taken" aria-hidden="true" /> transition taken
    </li>
  </ul>
);
