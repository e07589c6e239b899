import type { WorkflowGraph } from './ops-types.ts';

/**
 * A layered left-to-right layout of the workflow's state machine, small enough to do by hand
 * (a Sugiyama layout in four steps): back edges found by a depth-first walk from the start
 * state, layers by longest path over the rest, the widest layer packed and the others placed at
 * the mean height of their neighbours, then routes. A transition and its way back (Route ⇄ an
 * action state) is one connector with two arrowheads; a back edge without a forward twin runs in
 * a lane under the graph. Text widths are estimated (no DOM measuring: the layout is pure).
 */

export interface LaidNode {
  name: string;
  type: string;
  layer: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidEdge {
  /** `from→to` of the connector; a two-way connector also answers to `to→from`. */
  key: string;
  from: string;
  to: string;
  kind: 'forward' | 'both' | 'back';
  /** SVG path data. */
  path: string;
  label?: { text: string; x: number; y: number; anchor: 'start' | 'end' | 'middle' };
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: LaidNode[];
  edges: LaidEdge[];
  /** The connector a transition `from→to` is drawn as, if any. */
  edgeOf(from: string, to: string): LaidEdge | undefined;
}

const NODE_HEIGHT = 34;
const ROW_GAP = 12;
const MARGIN = 16;
const LANE = 16;
const MIN_GAP = 56;
const MIN_WIDTH = 96;
/** Average advance of the node font (13px) and the label font (11px), in pixels per character. */
const NODE_CHAR = 7.6;
const LABEL_CHAR = 6.2;

const textWidth = (text: string, perChar: number) => Math.ceil(text.length * perChar);

interface Merged {
  from: string;
  to: string;
  labels: (string | undefined)[];
}

/** Parallel transitions (a task's Next and its Catch to the same state) are one connector. */
const mergeParallel = (graph: WorkflowGraph): Merged[] => {
  const merged = new Map<string, Merged>();
  for (const edge of graph.edges) {
    const key = `${edge.from}→${edge.to}`;
    const entry = merged.get(key) ?? { from: edge.from, to: edge.to, labels: [] };
    entry.labels.push(edge.label);
    merged.set(key, entry);
  }
  return [...merged.values()];
};

/** `done or States.Timeout` for a task's two ways to the same state; undefined when none is named. */
const labelOf = (labels: readonly (string | undefined)[]): string | undefined => {
  const named = labels.filter((label): label is string => Boolean(label));
  if (named.length === 0) return undefined;
  return (labels.length > named.length ? ['done', ...named] : named).join(' or ');
};

export const layoutGraph = (graph: WorkflowGraph): GraphLayout => {
  const names = graph.states.map((state) => state.name);
  const edges = mergeParallel(graph).filter((edge) => names.includes(edge.from) && names.includes(edge.to));
  const out = new Map<string, Merged[]>(names.map((name) => [name, []]));
  for (const edge of edges) out.get(edge.from)?.push(edge);

  // 1. Depth-first from the start: an edge to a state still on the walk's stack closes a cycle.
  const visiting = new Set<string>();
  const done = new Set<string>();
  const back = new Set<Merged>();
  const preorder: string[] = [];
  const postorder: string[] = [];
  const walk = (name: string) => {
    visiting.add(name);
    preorder.push(name);
    for (const edge of out.get(name) ?? []) {
      if (visiting.has(edge.to)) back.add(edge);
      else if (!done.has(edge.to)) walk(edge.to);
    }
    visiting.delete(name);
    done.add(name);
    postorder.push(name);
  };
  const start = names.includes(graph.startAt) ? graph.startAt : names[0];
  if (start) walk(start);
  for (const name of names) if (!done.has(name)) walk(name);
  const forward = edges.filter((edge) => !back.has(edge));

  // 2. Layers: the longest path from a source, over the forward edges (reverse postorder is topological).
  const layer = new Map<string, number>(names.map((name) => [name, 0]));
  for (const name of [...postorder].reverse())
    for (const edge of out.get(name) ?? [])
      if (!back.has(edge)) layer.set(edge.to, Math.max(layer.get(edge.to) ?? 0, (layer.get(name) ?? 0) + 1));

  // A way back with a forward twin is drawn on the twin.
  const twoWay = new Set<Merged>();
  const lanes: Merged[] = [];
  for (const edge of back) {
    const twin = forward.find((candidate) => candidate.from === edge.to && candidate.to === edge.from);
    if (twin) twoWay.add(twin);
    else lanes.push(edge);
  }

  // 3. Order within layers: the walk's order, then by the mean position of forward predecessors.
  const layerCount = Math.max(0, ...layer.values()) + 1;
  const layers: string[][] = Array.from({ length: layerCount }, () => []);
  for (const name of preorder) layers[layer.get(name) ?? 0]?.push(name);
  const position = new Map<string, number>();
  for (const row of layers) for (const [index, name] of row.entries()) position.set(name, index);
  for (let index = 1; index < layerCount; index++) {
    const row = layers[index] ?? [];
    const mean = (name: string) => {
      const from = forward.filter((edge) => edge.to === name).map((edge) => position.get(edge.from) ?? 0);
      return from.length ? from.reduce((a, b) => a + b, 0) / from.length : (position.get(name) ?? 0);
    };
    const sorted = row
      .map((name, order) => ({ name, order, at: mean(name) }))
      .sort((a, b) => a.at - b.at || a.order - b.order);
    layers[index] = sorted.map((entry) => entry.name);
    for (const [order, entry] of sorted.entries()) position.set(entry.name, order);
  }

  // Labels: beside the target, unless the target has several labelled arrivals (then beside the source).
  const labelled = forward.filter((edge) => labelOf(edge.labels));
  const arrivals = new Map<string, number>();
  for (const edge of labelled) arrivals.set(edge.to, (arrivals.get(edge.to) ?? 0) + 1);
  const besideTarget = (edge: Merged) => (arrivals.get(edge.to) ?? 0) <= 1;

  // 4. Columns: each layer as wide as its longest name, the gap before it as wide as its labels.
  const widths = layers.map((row) =>
    Math.max(MIN_WIDTH, ...row.map((name) => textWidth(name, NODE_CHAR) + 28)),
  );
  const gaps = layers.map((_, index) => {
    const texts = labelled
      .filter((edge) =>
        besideTarget(edge) ? layer.get(edge.to) === index : (layer.get(edge.from) ?? 0) + 1 === index,
      )
      .map((edge) => textWidth(labelOf(edge.labels) ?? '', LABEL_CHAR) + 28);
    return Math.max(MIN_GAP, ...texts);
  });
  const xs: number[] = [];
  let x = MARGIN;
  layers.forEach((_, index) => {
    if (index > 0) x += gaps[index] ?? MIN_GAP;
    xs.push(x);
    x += widths[index] ?? MIN_WIDTH;
  });
  const width = x + MARGIN;

  // 5. Heights: the widest layer packed, the others at the mean height of their neighbours toward it.
  const rowHeight = (count: number) => count * NODE_HEIGHT + Math.max(0, count - 1) * ROW_GAP;
  const graphHeight = Math.max(NODE_HEIGHT, ...layers.map((row) => rowHeight(row.length)));
  const widest = layers.reduce(
    (best, row, index) => (row.length > (layers[best]?.length ?? 0) ? index : best),
    0,
  );
  const centre = new Map<string, number>();
  for (const [index, name] of (layers[widest] ?? []).entries())
    centre.set(name, MARGIN + index * (NODE_HEIGHT + ROW_GAP) + NODE_HEIGHT / 2);
  const place = (index: number, neighbours: (name: string) => string[]) => {
    const row = layers[index] ?? [];
    const wanted = row.map((name, order) => {
      const ys = neighbours(name)
        .map((other) => centre.get(other))
        .filter((y): y is number => y !== undefined);
      const packed = MARGIN + (graphHeight - rowHeight(row.length)) / 2 + order * (NODE_HEIGHT + ROW_GAP);
      return {
        name,
        order,
        y: ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : packed + NODE_HEIGHT / 2,
      };
    });
    wanted.sort((a, b) => a.y - b.y || a.order - b.order);
    let bottom = Number.NEGATIVE_INFINITY;
    const tops = wanted.map((entry) => {
      const top = Math.max(entry.y - NODE_HEIGHT / 2, bottom + ROW_GAP, MARGIN);
      bottom = top + NODE_HEIGHT;
      return top;
    });
    const overflow = Math.min(bottom - (MARGIN + graphHeight), (tops[0] ?? MARGIN) - MARGIN);
    for (const [order, entry] of wanted.entries())
      centre.set(entry.name, (tops[order] ?? 0) - Math.max(0, overflow) + NODE_HEIGHT / 2);
    layers[index] = wanted.map((entry) => entry.name);
  };
  for (let index = widest + 1; index < layerCount; index++)
    place(index, (name) => forward.filter((edge) => edge.to === name).map((edge) => edge.from));
  for (let index = widest - 1; index >= 0; index--)
    place(index, (name) => forward.filter((edge) => edge.from === name).map((edge) => edge.to));

  const types = new Map(graph.states.map((state) => [state.name, state.type]));
  const nodes = new Map<string, LaidNode>();
  layers.forEach((row, index) => {
    for (const name of row)
      nodes.set(name, {
        name,
        type: types.get(name) ?? 'Task',
        layer: index,
        x: xs[index] ?? 0,
        y: (centre.get(name) ?? 0) - NODE_HEIGHT / 2,
        width: widths[index] ?? MIN_WIDTH,
        height: NODE_HEIGHT,
      });
  });

  // 6. Routes.
  const laid: LaidEdge[] = [];
  for (const edge of forward) {
    const from = nodes.get(edge.from);
    const to = nodes.get(edge.to);
    if (!from || !to) continue;
    const x1 = from.x + from.width;
    const y1 = from.y + from.height / 2;
    const x2 = to.x;
    const y2 = to.y + to.height / 2;
    const bend = Math.max(24, (x2 - x1) / 2);
    const text = labelOf(edge.labels);
    laid.push({
      key: `${edge.from}→${edge.to}`,
      from: edge.from,
      to: edge.to,
      kind: twoWay.has(edge) ? 'both' : 'forward',
      path: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`,
      ...(text && {
        label: besideTarget(edge)
          ? { text, x: x2 - 8, y: y2 - 5, anchor: 'end' as const }
          : { text, x: x1 + 8, y: y1 - 5, anchor: 'start' as const },
      }),
    });
  }
  const below = (node: LaidNode) =>
    [...nodes.values()].some((other) => other.layer === node.layer && other.y > node.y);
  lanes.forEach((edge, index) => {
    const from = nodes.get(edge.from);
    const to = nodes.get(edge.to);
    if (!from || !to) return;
    const laneY = MARGIN + graphHeight + (index + 1) * LANE;
    // Leave from the bottom, or the right side when a state sits below; arrive likewise, from the left.
    const start = below(from)
      ? `M${from.x + from.width},${from.y + from.height / 2} H${from.x + from.width + 10 + index * 6} V${laneY}`
      : `M${from.x + from.width / 2},${from.y + from.height} V${laneY}`;
    const end = below(to)
      ? `H${to.x - 10 - index * 6} V${to.y + to.height / 2} H${to.x}`
      : `H${to.x + to.width / 2} V${to.y + to.height}`;
    const text = labelOf(edge.labels);
    laid.push({
      key: `${edge.from}→${edge.to}`,
      from: edge.from,
      to: edge.to,
      kind: 'back',
      path: `${start} ${end}`,
      ...(text && {
        label: { text, x: (from.x + to.x + to.width) / 2, y: laneY - 4, anchor: 'middle' as const },
      }),
    });
  });

  const height = MARGIN * 2 + graphHeight + lanes.length * LANE + (lanes.length ? 8 : 0);
  const byKey = new Map<string, LaidEdge>();
  for (const edge of laid) {
    byKey.set(edge.key, edge);
    if (edge.kind === 'both') byKey.set(`${edge.to}→${edge.from}`, edge);
  }
  return {
    width,
    height,
    nodes: [...nodes.values()],
    edges: laid,
    edgeOf: (from, to) => byKey.get(`${from}→${to}`),
  };
};
