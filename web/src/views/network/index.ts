// The network explorer: start from a subject (/network?seed=ID, "Open in
// network" on the subject page) or a saved canvas (/network?case=C&canvas=N);
// click a node to expand it (its neighbour counts by kind of tie are shown
// before), filter by kind of tie, fold high-degree nodes into "and N more",
// keep only ties active in a time window (linked both ways to the subject
// timeline's brush through state.ts), see communities (colours), brokers
// (◆, larger), selectors nobody owns (squares, with their proposed owner),
// and the shortest or earliest time-respecting path between two nodes.
// Drawn with sigma.js (WebGL); ForceAtlas2 runs in a web worker. Exports:
// PNG and SVG (client side), GraphML (the server, audited).
//
// Every control is a button, input or select; the graph itself has a
// keyboard (arrows pan, + and - zoom, 0 resets) and, for screen readers,
// the list of the nodes and ties drawn. Ctrl+Z / Ctrl+Shift+Z undo and redo
// canvas edits (expansions, removals, moves, layouts, groups, notes).
//
// The open view (saved or not) is kept in memory across navigation and an
// expired session (the re-login dialog keeps the page); nothing is written
// to browser storage and the token is never part of it.
import Graph from 'graphology';
import Sigma from 'sigma';
import { EdgeLineProgram, NodePointProgram } from 'sigma/rendering';
import { get, post } from '../../api';
import { badge, h, replace, when } from '../../dom';
import type { View } from '../../router';
import { brushedWindow } from '../../state';
import { errorBox, notice, pageHeader } from '../../ui';
import { canvasPanel, withheldNotice, type CanvasMeta } from './canvas';
import { download, pngOf, svgOf } from './export';
import type { LayoutReply, LayoutRequest } from './layout.worker';
import {
  DAY,
  KIND_LABELS,
  TIE_KINDS,
  createHistory,
  emptyModel,
  mergeNeighbourhood,
  mergeTies,
  neighbourhoodIds,
  pathTies,
  removeNodes,
  tieKey,
  timeExtent,
  toDocument,
  visibleGraph,
  type CanvasState,
  type History,
  type NeighbourhoodColumns,
  type NetModel,
  type NetNode,
  type NetTie,
  type Point,
  type TiesReply,
  type Window,
} from './model';

// Selectors are drawn as squares: sigma's point program with a fragment
// shader that fills a square instead of a disc.
const SQUARE_SHADER = `
precision mediump float;
varying vec4 v_color;
varying float v_border;
void main(void) {
  vec2 m = abs(gl_PointCoord - vec2(0.5, 0.5));
  float d = 0.42 - max(m.x, m.y);
  #ifdef PICKING_MODE
  gl_FragColor = d > 0.0 ? v_color : vec4(0.0);
  #else
  gl_FragColor = mix(vec4(0.0), v_color, clamp(d / v_border, 0.0, 1.0));
  #endif
}
`;
class NodeSquareProgram extends NodePointProgram {
  override getDefinition(): ReturnType<NodePointProgram['getDefinition']> {
    return { ...super.getDefinition(), FRAGMENT_SHADER_SOURCE: SQUARE_SHADER };
  }
}

const PALETTE = ['#2f6fc2', '#2a8c5a', '#7a4fb5', '#b86e00', '#c0282d', '#0f7c8c', '#8c5a2a', '#5a6b0f', '#b0357a', '#4a5866'];
const KIND_COLOURS: Record<string, string> = {
  call: '#7d9cc8',
  message: '#86b7a8',
  comm: '#9aa8b7',
  co_travel: '#3f9a68',
  custody: '#8d6bbd',
  report: '#c98a2e',
  handset: '#b0357a',
};
const SELECTOR_COLOUR = '#e08a00';
const MORE_COLOUR = '#9aa8b7';
const PATH_COLOUR = '#d7191c';
const LIST_LIMIT = 300;
// Above THIN_VIEW ties, ties are drawn as 1-pixel GL lines (no thick,
// antialiased quads: a software rasteriser fills far fewer pixels) and
// labels only for nodes drawn at least LARGE_LABEL_SIZE pixels wide (and
// those forced: the start, brokers, the selected and the path). Above
// LARGE_VIEW ties, ties and labels are not drawn while the view moves
// (drag, wheel, keyboard): the frame at rest draws them.
const THIN_VIEW = 2_000;
const LARGE_VIEW = 5_000;
const SMALL_LABEL_SIZE = 7;
const LARGE_LABEL_SIZE = 12;
// A keyboard step is a short camera animation, so that it counts as a move.
const KEY_MOVE_MS = 120;
const DEFAULT_LIMIT = 25;

interface PathResult {
  steps: string[];
  times: string[];
  temporal: boolean;
}

interface Counts {
  neighbours: number;
  by_kind: Record<string, number>;
}

// One open view: kept in memory (module scope) across navigation.
interface Session {
  state: CanvasState;
  history: History<CanvasState>;
  canvas: CanvasMeta | null;
  dirty: boolean;
}
let session: Session | null = null;

function freshState(seed: string): CanvasState {
  return {
    model: emptyModel(seed),
    positions: {},
    pinned: [],
    groups: [],
    notes: [],
    view: { window: null, kinds: null, collapseAbove: 12, unfolded: [] },
  };
}

function newSession(state: CanvasState, canvas: CanvasMeta | null = null): Session {
  return { state, history: createHistory(state), canvas, dirty: false };
}

const iso = (t: number): string => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
const dayText = (t: number): string => new Date(t).toISOString().slice(0, 10);

function windowQuery(window: Window | null): Record<string, string> {
  return window ? { from: iso(window.from), to: iso(window.to) } : {};
}

// New nodes go round the node whose expansion brought them.
function place(model: NetModel, positions: Record<string, Point>): Record<string, Point> {
  const next = { ...positions };
  const children = new Map<string, string[]>();
  for (const node of Object.values(model.nodes)) {
    if (next[node.id]) continue;
    const parent = node.parent && next[node.parent] ? node.parent : '';
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(node.id);
  }
  for (const [parent, ids] of children) {
    const centre = next[parent] ?? { x: 0, y: 0 };
    const radius = parent ? 1 + Math.sqrt(ids.length) * 0.6 : Math.sqrt(ids.length) * 2;
    ids.forEach((id, i) => {
      const angle = (2 * Math.PI * i) / ids.length + (parent.length % 7) * 0.3;
      const r = parent ? radius : radius * Math.sqrt((i + 1) / ids.length);
      next[id] = { x: centre.x + r * Math.cos(angle), y: centre.y + r * Math.sin(angle) };
    });
  }
  return next;
}

function tieColour(tie: NetTie): string {
  for (const kind of ['handset', 'custody', 'co_travel', 'report', 'call', 'message', 'comm']) {
    if (tie.kinds.includes(kind)) return KIND_COLOURS[kind] ?? '#9aa8b7';
  }
  return '#9aa8b7';
}

// A shared-handset tie's evidence in words: the handset and when each end used it.
function handsetText(tie: NetTie): string {
  return (tie.handsets ?? [])
    .map((u) => `${u.device}: ${tie.source} ${dayText(u.sourceFirst)}–${dayText(u.sourceLast)} (${u.sourceCount}), ${tie.target} ${dayText(u.targetFirst)}–${dayText(u.targetLast)} (${u.targetCount})`)
    .join('; ');
}

function nodeLabel(node: NetNode, state: CanvasState): string {
  let label = node.broker ? `◆ ${node.id}` : node.id;
  if (node.kind === 'selector') {
    label += node.proposedOwner
      ? ` ⇢ ${node.proposedOwner} (${node.attributionState ?? 'proposed'} ${node.confidence?.toFixed(2) ?? ''})`.replace(' )', ')')
      : node.proposedOwner === null
        ? ' (no owner proposed)'
        : ' (not attributed)';
  }
  const groups = state.groups.filter((g) => g.members.includes(node.id)).map((g) => g.name);
  if (groups.length) label += ` [${groups.join(', ')}]`;
  if (state.notes.some((n) => n.node === node.id)) label += ' ✎';
  return label;
}

async function renderNetwork(main: HTMLElement, query: URLSearchParams): Promise<() => void> {
  const seedParam = query.get('seed') ?? '';
  const caseParam = query.get('case') ?? '';
  const canvasParam = query.get('canvas') ?? '';
  const tiesOnMove = query.get('ties-on-move') === '1';
  if (seedParam && (!session || session.state.model.seed !== seedParam || session.canvas)) session = newSession(freshState(seedParam));
  if (!session && !caseParam) {
    renderStart(main);
    return () => undefined;
  }
  session ??= newSession(freshState(''));
  const live = session;

  // ---- State of the page (not of the canvas) ----
  let selected: string | null = null;
  const selection = new Set<string>();
  let path: PathResult | null = null;
  const counts = new Map<string, Counts>();
  let countsTimer = 0;
  let countsAsked = '';
  let layoutId = 0;
  let renders = 0;
  let destroyed = false;

  // ---- Elements ----
  const status = h('div', { class: 'net-status', 'aria-live': 'polite' });
  const graphBox = h('div', {
    class: 'network-graph',
    tabindex: '0',
    role: 'application',
    'aria-roledescription': 'network drawing',
    'aria-label': 'Network drawing. Arrows pan, plus and minus zoom, 0 resets the view. The nodes and ties drawn are listed below the drawing.',
    'data-testid': 'network-graph',
  });
  const details = h('section', { class: 'panel net-details', 'aria-label': 'Selected node' });
  const listBox = h('section', { class: 'panel net-list', 'aria-label': 'Nodes and ties in view', 'data-testid': 'network-list' });
  const pathBox = h('div', { class: 'net-path-result', 'aria-live': 'polite', 'data-testid': 'path-result' });
  const withheldBox = h('div', { 'data-testid': 'withheld-box' });

  // ---- Filters: kinds, window, collapse ----
  const kindBoxes = TIE_KINDS.map((kind) =>
    h('input', { type: 'checkbox', name: `kind-${kind}`, value: kind, checked: live.state.view.kinds ? live.state.view.kinds.includes(kind) : true }),
  );
  const kindFieldset = h(
    'fieldset',
    { class: 'net-kinds' },
    h('legend', null, 'Kinds of tie'),
    kindBoxes.map((box, i) =>
      h('label', { class: 'check' }, box, h('span', { class: 'swatch', style: { background: KIND_COLOURS[TIE_KINDS[i] as string] ?? '#999' } }), KIND_LABELS[TIE_KINDS[i] as keyof typeof KIND_LABELS]),
    ),
  );
  const windowOn = h('input', { type: 'checkbox', name: 'window-on', checked: live.state.view.window !== null });
  const fromRange = h('input', { type: 'range', name: 'window-from', min: '0', max: '1', step: '1', value: '0', 'aria-label': 'Window start (days)' });
  const toRange = h('input', { type: 'range', name: 'window-to', min: '0', max: '1', step: '1', value: '1', 'aria-label': 'Window end (days)' });
  const windowText = h('span', { class: 'mono', 'data-testid': 'window-text' });
  const collapseInput = h('input', { type: 'number', name: 'collapse', min: '0', max: '500', value: String(live.state.view.collapseAbove), class: 'narrow' });

  function extent(): Window {
    const e = timeExtent(live.state.model);
    const w = live.state.view.window;
    const from = Math.min(e?.from ?? Date.now() - 365 * DAY, w?.from ?? Infinity);
    const to = Math.max(e?.to ?? Date.now(), w?.to ?? -Infinity);
    const start = Math.floor(from / DAY) * DAY;
    return { from: start, to: Math.max(start + DAY, Math.ceil(to / DAY) * DAY) };
  }

  function syncSlider(): void {
    const e = extent();
    const days = Math.round((e.to - e.from) / DAY);
    fromRange.max = String(days);
    toRange.max = String(days);
    const w = live.state.view.window;
    windowOn.checked = w !== null;
    fromRange.disabled = toRange.disabled = w === null;
    if (w) {
      fromRange.value = String(Math.round((w.from - e.from) / DAY));
      toRange.value = String(Math.round((w.to - e.from) / DAY));
      windowText.textContent = `${dayText(w.from)} → ${dayText(w.to - 1)}`;
    } else {
      fromRange.value = '0';
      toRange.value = String(days);
      windowText.textContent = `all time (${dayText(e.from)} → ${dayText(e.to - 1)})`;
    }
    fromRange.setAttribute('aria-valuetext', w ? dayText(w.from) : 'all time');
    toRange.setAttribute('aria-valuetext', w ? dayText(w.to - 1) : 'all time');
  }

  // The view's filters change the current state without an undo step.
  function setView(change: Partial<CanvasState['view']>): void {
    // A change event repeated on blur must not redraw the list under the
    // pointer (a click whose button is replaced between press and release
    // is lost).
    const now = live.state.view as unknown as Record<string, unknown>;
    if (Object.entries(change).every(([key, value]) => JSON.stringify(now[key]) === JSON.stringify(value))) return;
    live.state = { ...live.state, view: { ...live.state.view, ...change } };
    live.history.replace(live.state);
    refresh();
  }

  function setWindow(w: Window | null, publish: boolean): void {
    const now = live.state.view.window;
    if (w && now && w.from === now.from && w.to === now.to) return;
    if (!w && !now) return;
    setView({ window: w });
    if (publish) brushedWindow.set(w ? { personId: live.state.model.seed, window: w } : null);
  }

  function sliderWindow(): Window {
    const e = extent();
    let a = Number(fromRange.value);
    let b = Number(toRange.value);
    if (b <= a) {
      if (document.activeElement === fromRange) a = b - 1;
      else b = a + 1;
    }
    return { from: e.from + Math.max(0, a) * DAY, to: e.from + b * DAY };
  }

  for (const box of kindBoxes) {
    box.addEventListener('change', () => {
      const chosen = kindBoxes.filter((b) => b.checked).map((b) => b.value);
      setView({ kinds: chosen.length === TIE_KINDS.length ? null : chosen });
    });
  }
  windowOn.addEventListener('change', () => setWindow(windowOn.checked ? extent() : null, true));
  fromRange.addEventListener('input', () => setWindow(sliderWindow(), true));
  toRange.addEventListener('input', () => setWindow(sliderWindow(), true));
  collapseInput.addEventListener('change', () => setView({ collapseAbove: Math.max(0, Number(collapseInput.value) || 0) }));
  // The timeline's brush moves the slider (and the slider the brush).
  const stopBrush = brushedWindow.subscribe((brush) => {
    if (brush) setWindow(brush.window, false);
  });
  const brush = brushedWindow.get();
  if (brush && !live.state.view.window && brush.personId === live.state.model.seed) live.state = { ...live.state, view: { ...live.state.view, window: brush.window } };

  // ---- Edits (undoable) ----
  const undoButton = h('button', { type: 'button', class: 'btn small', title: 'Undo (Ctrl+Z)', 'aria-keyshortcuts': 'Control+Z', on: { click: () => undo() } }, 'Undo');
  const redoButton = h('button', { type: 'button', class: 'btn small', title: 'Redo (Ctrl+Shift+Z)', 'aria-keyshortcuts': 'Control+Shift+Z', on: { click: () => redo() } }, 'Redo');

  function commit(next: CanvasState): void {
    live.history.push(next);
    live.state = next;
    live.dirty = true;
    refresh();
  }
  function undo(): void {
    const s = live.history.undo();
    if (s) {
      live.state = s;
      live.dirty = true;
      refresh();
    }
  }
  function redo(): void {
    const s = live.history.redo();
    if (s) {
      live.state = s;
      live.dirty = true;
      refresh();
    }
  }

  function fail(error: unknown): void {
    status.replaceChildren(errorBox(error));
  }

  async function expand(id: string, limit = DEFAULT_LIMIT): Promise<void> {
    status.replaceChildren(h('span', { class: 'loading' }, `Expanding ${id}…`));
    try {
      // In columns: a fifth of the bytes of the object reply, and no date
      // strings to parse.
      const reply = await get<NeighbourhoodColumns>('/v1/network/neighbourhood', { node: id, limit, activity: true, columns: true });
      if (destroyed) return;
      if (!reply.node) {
        status.replaceChildren(notice(`${id} has no tie you may see.`));
        if (!live.state.model.nodes[id]) {
          commit({ ...live.state, model: mergeTies(live.state.model, { nodes: [{ id, kind: id.includes(':') ? 'selector' : 'person' }], ties: [] }) });
        }
        return;
      }
      let model = mergeNeighbourhood(live.state.model, reply, limit);
      // The reply holds every tie among its nodes: the ties among the
      // whole canvas are asked for only when the canvas held nodes the
      // reply does not (their ties to the new nodes).
      const shown = neighbourhoodIds(reply);
      const inReply = new Set(shown);
      if (Object.keys(live.state.model.nodes).some((n) => !inReply.has(n))) model = await withTiesAmong(model);
      if (destroyed) return;
      const added = Object.keys(model.nodes).length - Object.keys(live.state.model.nodes).length;
      commit({ ...live.state, model, positions: place(model, live.state.positions) });
      status.replaceChildren(notice(`${reply.node.id}: ${shown.length - 1} neighbours shown${reply.more ? `, ${reply.more} more` : ''}; ${added} new on the canvas.`));
      runLayout();
    } catch (error) {
      fail(error);
    }
  }

  // The ties among every node of the model (a new node's ties to nodes
  // that were there before).
  async function withTiesAmong(model: NetModel, extra: string[] = []): Promise<NetModel> {
    const nodes = [...new Set([...Object.keys(model.nodes), ...extra])];
    if (nodes.length < 2) return model;
    const reply = await post<TiesReply>('/v1/network/ties', { nodes, activity: true });
    return mergeTies(model, reply);
  }

  function remove(ids: string[]): void {
    const model = removeNodes(live.state.model, ids);
    if (model === live.state.model) return;
    const gone = new Set(ids);
    commit({
      ...live.state,
      model,
      groups: live.state.groups.map((g) => ({ ...g, members: g.members.filter((m) => !gone.has(m)) })).filter((g) => g.members.length),
      notes: live.state.notes.filter((n) => !n.node || !gone.has(n.node)),
    });
    if (selected && gone.has(selected)) selected = null;
    for (const id of ids) selection.delete(id);
    refresh();
  }

  function unfold(parent: string): void {
    const node = live.state.model.nodes[parent];
    const unfolded = [...new Set([...live.state.view.unfolded, parent])];
    live.state = { ...live.state, view: { ...live.state.view, unfolded } };
    live.history.replace(live.state);
    if (node?.expanded && node.more > 0) void expand(parent, Math.min(10000, Math.max(DEFAULT_LIMIT, node.limit) * 4));
    else refresh();
  }

  // ---- Layout in the worker ----
  let worker: Worker | null = null;
  // The layout starts after the next frame is drawn: the view first shows
  // the nodes where place() put them, then ForceAtlas2's positions.
  function runLayout(iterations?: number): void {
    if (Object.keys(live.state.model.nodes).length < 2) return;
    const id = ++layoutId;
    graphBox.dataset['layout'] = 'running';
    requestAnimationFrame(() => requestAnimationFrame(() => {
      if (!destroyed && id === layoutId) startLayout(id, iterations);
    }));
  }

  function startLayout(id: number, iterations?: number): void {
    const ids = Object.keys(live.state.model.nodes);
    worker ??= new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    const index = new Map(ids.map((id, i) => [id, i]));
    const positions = new Float64Array(ids.length * 2);
    const fixed = new Uint8Array(ids.length);
    const pinned = new Set(live.state.pinned);
    ids.forEach((id, i) => {
      const p = live.state.positions[id] ?? { x: Math.random(), y: Math.random() };
      positions[2 * i] = p.x;
      positions[2 * i + 1] = p.y;
      fixed[i] = pinned.has(id) ? 1 : 0;
    });
    const ties = Object.values(live.state.model.ties);
    const edges = new Uint32Array(ties.length * 2);
    const weights = new Float64Array(ties.length);
    ties.forEach((t, e) => {
      edges[2 * e] = index.get(t.source) ?? 0;
      edges[2 * e + 1] = index.get(t.target) ?? 0;
      weights[e] = Math.log2(1 + t.contacts);
    });
    const request: LayoutRequest = { id, positions, fixed, edges, weights, iterations: iterations ?? (ids.length > 2000 ? 40 : ids.length > 300 ? 120 : 300) };
    worker.onmessage = (event: MessageEvent<LayoutReply>) => {
      if (destroyed || event.data.id !== layoutId) return;
      const out = event.data.positions;
      const next = { ...live.state.positions };
      ids.forEach((nid, i) => {
        if (live.state.model.nodes[nid]) next[nid] = { x: out[2 * i] as number, y: out[2 * i + 1] as number };
      });
      // The layout belongs to the edit that asked for it (one undo step).
      live.state = { ...live.state, positions: next };
      live.history.replace(live.state);
      graphBox.dataset['layout'] = 'done';
      graphBox.dataset['layoutMs'] = event.data.ms.toFixed(0);
      refresh();
    };
    worker.postMessage(request, [positions.buffer, fixed.buffer, edges.buffer, weights.buffer]);
  }

  // ---- The drawing ----
  // The graph sigma draws; sync() writes only what changed since the last
  // call (each write makes sigma re-process the item), and a change of more
  // than BULK_CHANGES items builds a new graph handed to sigma at once.
  let graph = new Graph({ type: 'undirected', multi: false });
  // Node and edge key -> the signature of the attributes written.
  const writtenNodes = new Map<string, string>();
  const writtenEdges = new Map<string, string>();
  let renderer: Sigma | null = null;
  let dragged: string | null = null;
  let dragMoved = false;
  const BULK_CHANGES = 2_000;

  function pathKeys(): Set<string> {
    return path ? pathTies(path.steps) : new Set();
  }

  // visibleGraph of the current state, computed again only when the model,
  // the view's filters or the path changed.
  let visCache: { model: NetModel; view: CanvasState['view']; path: PathResult | null; vis: ReturnType<typeof visibleGraph> } | null = null;
  function visible(): ReturnType<typeof visibleGraph> {
    const s = live.state;
    if (visCache && visCache.model === s.model && visCache.view === s.view && visCache.path === path) return visCache.vis;
    const vis = visibleGraph(s.model, {
      window: s.view.window,
      kinds: s.view.kinds ? new Set(s.view.kinds) : null,
      collapseAbove: s.view.collapseAbove,
      unfolded: new Set(s.view.unfolded),
      keep: pathKeys(),
    });
    visCache = { model: s.model, view: s.view, path, vis };
    return vis;
  }

  // A node or edge to draw: its attributes are made only when written.
  interface Item {
    source?: string;
    target?: string;
    attributes: () => Record<string, unknown>;
    signature: string;
  }

  function sync(): ReturnType<typeof visibleGraph> {
    const s = live.state;
    const vis = visible();
    const onPath = new Set(path?.steps ?? []);
    const keys = pathKeys();
    const nodes = new Map<string, Item>();
    const item = (attributes: Record<string, unknown>, source?: string, target?: string): Item => ({ source, target, attributes: () => attributes, signature: JSON.stringify(attributes) });
    for (const node of vis.nodes) {
      const p = s.positions[node.id] ?? { x: 0, y: 0 };
      const seed = node.id === s.model.seed;
      const highlighted = node.id === selected || selection.has(node.id) || onPath.has(node.id);
      nodes.set(
        node.id,
        item({
          x: p.x,
          y: p.y,
          label: nodeLabel(node, s),
          size: seed ? 11 : node.broker ? 9 : node.kind === 'selector' ? 7 : 6,
          color: node.kind === 'selector' ? SELECTOR_COLOUR : PALETTE[node.community % PALETTE.length],
          type: node.kind === 'selector' ? 'square' : 'circle',
          forceLabel: seed || node.broker || highlighted || vis.nodes.length <= 40,
          highlighted,
          zIndex: highlighted ? 2 : 1,
        }),
      );
    }
    for (const m of vis.more) {
      const parent = s.positions[m.parent] ?? { x: 0, y: 0 };
      nodes.set(m.id, item({ x: parent.x + 0.8, y: parent.y - 0.8, label: `and ${m.count} more`, size: 7, color: MORE_COLOUR, type: 'circle', forceLabel: true, highlighted: false, zIndex: 0 }));
    }
    const edges = new Map<string, Item>();
    const dim = path !== null;
    const thin = vis.ties.length > THIN_VIEW;
    for (const tie of vis.ties) {
      const key = tieKey(tie.source, tie.target);
      const hot = keys.has(key);
      const type = thin && !hot ? 'thin' : 'line';
      const color = hot ? PATH_COLOUR : dim ? '#dfe4ea' : tieColour(tie);
      // The rest follows from the tie's contacts and kinds.
      edges.set(key, {
        source: tie.source,
        target: tie.target,
        signature: `${type}|${color}|${hot ? 1 : 0}|${tie.contacts}|${tie.kinds.join(',')}`,
        attributes: () => ({
          type,
          size: hot ? 4 : Math.min(4, 0.6 + Math.log2(1 + tie.contacts) * 0.4),
          color,
          zIndex: hot ? 2 : 0,
          title: `${tie.source} – ${tie.target}: ${tie.kinds.join(', ')}, ${tie.contacts} contacts${tie.handsets?.length ? `; ${handsetText(tie)}` : ''}`,
        }),
      });
    }
    for (const m of vis.more) edges.set(`more\u0000${m.parent}`, item({ size: 1, color: MORE_COLOUR, zIndex: 0 }, m.parent, m.id));
    // A selector's proposed owner, when on the canvas: an orange tie (unless
    // a tie of theirs is drawn already; the selector's label names its owner).
    for (const node of vis.nodes) {
      if (node.kind !== 'selector' || !node.proposedOwner || !nodes.has(node.proposedOwner)) continue;
      if (edges.has(tieKey(node.id, node.proposedOwner))) continue;
      edges.set(`owner\u0000${node.id}`, item({ size: 2, color: SELECTOR_COLOUR, zIndex: 1, title: `proposed owner of ${node.id}` }, node.id, node.proposedOwner));
    }

    // What changed since the last write.
    let changes = 0;
    graph.forEachNode((id) => {
      if (!nodes.has(id)) changes++;
    });
    graph.forEachEdge((key) => {
      if (!edges.has(key)) changes++;
    });
    // Counted up to the bulk threshold only (a new view of 50,000 ties
    // needs no exact count).
    for (const [key, it] of nodes) {
      if (changes > BULK_CHANGES) break;
      if (writtenNodes.get(key) !== it.signature || !graph.hasNode(key)) changes++;
    }
    for (const [key, it] of edges) {
      if (changes > BULK_CHANGES) break;
      if (writtenEdges.get(key) !== it.signature || !graph.hasEdge(key)) changes++;
    }
    if (changes === 0) return vis;

    if (changes > BULK_CHANGES) {
      const fresh = new Graph({ type: 'undirected', multi: false });
      writtenNodes.clear();
      writtenEdges.clear();
      for (const [key, it] of nodes) {
        fresh.addNode(key, it.attributes());
        writtenNodes.set(key, it.signature);
      }
      for (const [key, it] of edges) {
        fresh.addEdgeWithKey(key, it.source as string, it.target as string, it.attributes());
        writtenEdges.set(key, it.signature);
      }
      graph = fresh;
      renderer?.setGraph(fresh);
      return vis;
    }
    for (const key of graph.edges()) {
      if (edges.has(key)) continue;
      graph.dropEdge(key);
      writtenEdges.delete(key);
    }
    for (const id of graph.nodes()) {
      if (nodes.has(id)) continue;
      graph.dropNode(id);
      writtenNodes.delete(id);
    }
    for (const [key, it] of nodes) {
      if (writtenNodes.get(key) === it.signature && graph.hasNode(key)) continue;
      graph.mergeNode(key, it.attributes());
      writtenNodes.set(key, it.signature);
    }
    for (const [key, it] of edges) {
      if (writtenEdges.get(key) === it.signature && graph.hasEdge(key)) continue;
      if (graph.hasEdge(key)) graph.replaceEdgeAttributes(key, it.attributes());
      else graph.addEdgeWithKey(key, it.source as string, it.target as string, it.attributes());
      writtenEdges.set(key, it.signature);
    }
    return vis;
  }

  function ensureRenderer(): void {
    if (renderer || destroyed) return;
    try {
      renderer = new Sigma(graph, graphBox, {
        allowInvalidContainer: true,
        renderEdgeLabels: false,
        zIndex: true,
        labelRenderedSizeThreshold: SMALL_LABEL_SIZE,
        labelFont: 'system-ui, sans-serif',
        // Discs as GL points (one vertex a node): sigma's default circle
        // program draws an instanced triangle per node, which a software
        // rasteriser (SwiftShader) draws about ten times slower.
        nodeProgramClasses: { circle: NodePointProgram, square: NodeSquareProgram },
        edgeProgramClasses: { thin: EdgeLineProgram },
        defaultEdgeColor: '#9aa8b7',
      });

    } catch (error) {
      graphBox.replaceChildren(errorBox(new Error(`The drawing needs WebGL, which this browser refused (${String(error)}); the list below shows the network.`)));
      return;
    }
    const r = renderer;
    r.on('afterRender', () => {
      renders++;
      graphBox.dataset['renders'] = String(renders);
      graphBox.dataset['drawnNodes'] = String(graph.order);
    });
    r.on('clickNode', ({ node, event }) => {
      if (dragMoved) return;
      if (node.startsWith('more:')) {
        unfold(node.slice(5));
        return;
      }
      if (event.original.shiftKey) {
        if (selection.has(node)) selection.delete(node);
        else selection.add(node);
        refresh();
        return;
      }
      select(node);
      if (!live.state.model.nodes[node]?.expanded) void expand(node);
    });
    r.on('clickStage', () => {
      if (selected) {
        selected = null;
        refresh();
      }
    });
    r.on('downNode', ({ node }) => {
      if (node.startsWith('more:')) return;
      dragged = node;
      dragMoved = false;
      if (!r.getCustomBBox()) r.setCustomBBox(r.getBBox());
    });
    r.on('moveBody', ({ event }) => {
      if (!dragged) return;
      const p = r.viewportToGraph(event);
      graph.setNodeAttribute(dragged, 'x', p.x);
      graph.setNodeAttribute(dragged, 'y', p.y);
      dragMoved = true;
      event.preventSigmaDefault();
      event.original.preventDefault();
      event.original.stopPropagation();
    });
    const up = (): void => {
      if (dragged && dragMoved) {
        const id = dragged;
        const x = graph.getNodeAttribute(id, 'x') as number;
        const y = graph.getNodeAttribute(id, 'y') as number;
        commit({ ...live.state, positions: { ...live.state.positions, [id]: { x, y } }, pinned: [...new Set([...live.state.pinned, id])] });
      }
      dragged = null;
      window.setTimeout(() => (dragMoved = false), 0);
    };
    r.on('upNode', up);
    r.on('upStage', up);
    const camera = live.state.view.camera;
    if (camera) r.getCamera().setState(camera);
  }

  function refresh(): void {
    if (destroyed) return;
    const vis = sync();
    ensureRenderer();
    if (renderer) {
      // Above LARGE_VIEW ties, ties and labels are not drawn while the view
      // moves; ?ties-on-move=1 draws them anyway.
      const hide = graph.size > LARGE_VIEW && !tiesOnMove;
      if (renderer.getSetting('hideEdgesOnMove') !== hide) {
        renderer.setSetting('hideEdgesOnMove', hide);
        renderer.setSetting('hideLabelsOnMove', hide);
      }
      const labelSize = graph.size > THIN_VIEW ? LARGE_LABEL_SIZE : SMALL_LABEL_SIZE;
      if (renderer.getSetting('labelRenderedSizeThreshold') !== labelSize) renderer.setSetting('labelRenderedSizeThreshold', labelSize);
      // The graph's changes have scheduled their own redraw (sync).
    }
    renderList(vis);
    renderDetails();
    syncSlider();
    undoButton.disabled = !live.history.canUndo();
    redoButton.disabled = !live.history.canRedo();
    withheldBox.replaceChildren(live.canvas?.withheld ? withheldNotice() : '');
    panel.update();
    scheduleCounts(vis.nodes);
  }

  // ---- Neighbour counts before expanding ----
  function scheduleCounts(nodes: NetNode[]): void {
    const ask = nodes.filter((n) => !n.expanded).map((n) => n.id).slice(0, 60);
    if (selected && !ask.includes(selected)) ask.unshift(selected);
    const s = live.state.view;
    const key = JSON.stringify([ask, s.window, s.kinds]);
    if (!ask.length || key === countsAsked) return;
    window.clearTimeout(countsTimer);
    countsTimer = window.setTimeout(async () => {
      countsAsked = key;
      try {
        const reply = await get<{ nodes: ({ id: string } & Counts)[] }>('/v1/network/neighbours', {
          nodes: ask.join(','),
          ...windowQuery(s.window),
          ...(s.kinds ? { kinds: s.kinds.join(',') || 'none' } : {}),
        });
        if (destroyed) return;
        for (const n of reply.nodes) counts.set(n.id, { neighbours: n.neighbours, by_kind: n.by_kind });
        // In place: redrawing the list or the panel could swallow a click.
        for (const cell of listBox.querySelectorAll<HTMLElement>('td[data-counts]')) cell.textContent = countsText(cell.dataset['counts'] ?? '');
        const selectedCounts = details.querySelector<HTMLElement>('[data-testid=selected-counts][data-counts]');
        if (selectedCounts) selectedCounts.textContent = countsText(selectedCounts.dataset['counts'] ?? '');
      } catch (error) {
        countsAsked = '';
        fail(error);
      }
    }, 250);
  }

  function countsText(id: string): string {
    const c = counts.get(id);
    if (!c) return '…';
    const parts = Object.entries(c.by_kind).filter(([, n]) => n > 0).map(([k, n]) => `${KIND_LABELS[k as keyof typeof KIND_LABELS] ?? k} ${n}`);
    return `${c.neighbours}${parts.length ? ` (${parts.join(', ')})` : ''}`;
  }

  // ---- The accessible list ----
  function renderList(vis: ReturnType<typeof visibleGraph>): void {
    // The path's nodes and ties first: they are never cut off the list.
    const onPath = new Set(path?.steps ?? []);
    const keys = pathKeys();
    const nodes = [...vis.nodes.filter((n) => onPath.has(n.id)), ...vis.nodes.filter((n) => !onPath.has(n.id))].slice(0, LIST_LIMIT);
    const ties = keys.size ? [...vis.ties.filter((t) => keys.has(tieKey(t.source, t.target))), ...vis.ties.filter((t) => !keys.has(tieKey(t.source, t.target)))].slice(0, LIST_LIMIT) : vis.ties.slice(0, LIST_LIMIT);
    listBox.replaceChildren(
      h('h2', { 'data-testid': 'network-counts', 'data-nodes': String(vis.nodes.length), 'data-ties': String(vis.ties.length), 'data-filtered': String(vis.filteredOut) }, `In view: ${vis.nodes.length} nodes, ${vis.ties.length} ties`, vis.filteredOut ? ` (${vis.filteredOut} ties outside the window or the kinds chosen)` : ''),
      h(
        'table',
        { class: 'grid compact', 'data-testid': 'node-list' },
        h('caption', null, `Nodes${vis.nodes.length > nodes.length ? ` (first ${nodes.length} of ${vis.nodes.length})` : ''}`),
        h('thead', null, h('tr', null, ['Node', 'Kind', 'Community', 'Neighbours (before expanding)', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          null,
          nodes.map((n) => {
            const p = live.state.positions[n.id];
            return h(
              'tr',
              { 'data-node': n.id, 'data-x': p ? p.x.toFixed(3) : '', 'data-y': p ? p.y.toFixed(3) : '', 'data-expanded': String(n.expanded), 'aria-current': n.id === selected ? 'true' : undefined },
              h('td', null, h('button', { type: 'button', class: 'linklike mono', 'data-action': 'select', on: { click: () => select(n.id) } }, n.id), n.broker ? ' ◆ broker' : '', n.id === live.state.model.seed ? ' (start)' : '', path?.steps.includes(n.id) ? ' · on the path' : ''),
              h('td', null, n.kind === 'selector' ? `selector${n.proposedOwner ? `, proposed owner ${n.proposedOwner}` : ', not attributed'}` : 'person'),
              h('td', null, String(n.community)),
              n.expanded ? h('td', null, `expanded${n.more ? `, ${n.more} more` : ''}`) : h('td', { 'data-counts': n.id }, countsText(n.id)),
              h('td', null, n.expanded ? '' : h('button', { type: 'button', class: 'btn small', 'data-action': 'expand', on: { click: () => void expand(n.id) } }, `Expand ${n.id}`)),
            );
          }),
          vis.more.map((m) =>
            h(
              'tr',
              { 'data-more': m.parent },
              h('td', null, `and ${m.count} more (of ${m.parent})`),
              h('td', null, 'folded'),
              h('td', null, ''),
              h('td', null, ''),
              h('td', null, h('button', { type: 'button', class: 'btn small', on: { click: () => unfold(m.parent) } }, `Show all of ${m.parent}`)),
            ),
          ),
        ),
      ),
      h(
        'table',
        { class: 'grid compact', 'data-testid': 'tie-list' },
        h('caption', null, `Ties${vis.ties.length > ties.length ? ` (first ${ties.length} of ${vis.ties.length})` : ''}`),
        h('thead', null, h('tr', null, ['From', 'To', 'Kinds', 'Contacts', 'First', 'Last'].map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          null,
          ties.map((t) =>
            h(
              'tr',
              { 'data-tie': `${t.source}|${t.target}`, 'data-path': String(keys.has(tieKey(t.source, t.target))) },
              h('td', { class: 'mono' }, t.source),
              h('td', { class: 'mono' }, t.target),
              h('td', null, t.kinds.join(', '), t.handsets?.length ? h('div', { class: 'handset-evidence', 'data-testid': 'handset-evidence' }, handsetText(t)) : ''),
              h('td', null, String(t.contacts)),
              h('td', null, Number.isFinite(t.first) ? when(iso(t.first)) : '—'),
              h('td', null, Number.isFinite(t.last) ? when(iso(t.last)) : '—'),
            ),
          ),
        ),
      ),
    );
  }

  // ---- The selected node ----
  function select(id: string): void {
    selected = id;
    refresh();
  }

  const noteInput = h('textarea', { name: 'note', rows: '2', 'aria-label': 'Note text', placeholder: 'A note (on the selected node, or on the canvas)' });
  const groupInput = h('input', { type: 'text', name: 'group', 'aria-label': 'Group name', placeholder: 'group name' });

  function renderDetails(): void {
    const node = selected ? live.state.model.nodes[selected] : undefined;
    const notes = live.state.notes;
    replace(
      details,
      h('h2', null, node ? `Selected: ${node.id}` : 'Selected: none'),
      node
        ? h(
            'div',
            null,
            h(
              'dl',
              { class: 'facts' },
              h('dt', null, 'Kind'), h('dd', null, node.kind === 'selector' ? badge('selector', 'proposed') : 'person'),
              h('dt', null, 'Community'), h('dd', null, h('span', { class: 'swatch', style: { background: PALETTE[node.community % PALETTE.length] ?? '#999' } }), ` ${node.community}`),
              h('dt', null, 'Broker'), h('dd', null, node.broker ? 'yes: bridges communities' : 'no'),
              node.kind === 'selector' ? [h('dt', null, 'Proposed owner'), h('dd', null, node.proposedOwner ? `${node.proposedOwner} (${node.attributionState ?? ''}, ${node.confidence?.toFixed(2) ?? '?'})` : 'none you may see')] : null,
              h('dt', null, 'Neighbours'), h('dd', { 'data-testid': 'selected-counts', 'data-counts': node.expanded ? undefined : node.id }, node.expanded ? `expanded${node.more ? `; ${node.more} more not shown` : ''}` : countsText(node.id)),
            ),
            h(
              'div',
              { class: 'actions wrap' },
              node.expanded
                ? node.more > 0
                  ? h('button', { type: 'button', class: 'btn small', on: { click: () => unfold(node.id) } }, 'Show all neighbours')
                  : null
                : h('button', { type: 'button', class: 'btn small primary', on: { click: () => void expand(node.id) } }, 'Expand'),
              node.kind === 'person' ? h('a', { class: 'btn small', href: `/subject/${encodeURIComponent(node.id)}` }, 'Open subject') : null,
              h('button', { type: 'button', class: 'btn small', on: { click: () => { pathA.value = node.id; } } }, 'Path from here'),
              h('button', { type: 'button', class: 'btn small', on: { click: () => { pathB.value = node.id; } } }, 'Path to here'),
              h('button', { type: 'button', class: 'btn small', on: { click: () => { if (selection.has(node.id)) selection.delete(node.id); else selection.add(node.id); refresh(); } } }, selection.has(node.id) ? 'Unmark' : 'Mark for a group'),
              node.id !== live.state.model.seed ? h('button', { type: 'button', class: 'btn small bad', on: { click: () => remove([node.id]) } }, 'Remove from view') : null,
            ),
          )
        : h('p', { class: 'hint' }, 'Click a node (or its name in the list below) to select it; a click on a node not yet expanded expands it. Shift-click marks nodes for a group.'),
      h('h3', null, `Group (${selection.size} marked)`),
      h(
        'div',
        { class: 'actions wrap' },
        groupInput,
        h('button', {
          type: 'button',
          class: 'btn small',
          disabled: selection.size === 0,
          on: {
            click: () => {
              const name = groupInput.value.trim() || `group ${live.state.groups.length + 1}`;
              commit({ ...live.state, groups: [...live.state.groups, { id: `g${Date.now().toString(36)}`, name, members: [...selection] }] });
              selection.clear();
              groupInput.value = '';
              refresh();
            },
          },
        }, 'Group the marked nodes'),
      ),
      live.state.groups.length
        ? h('ul', { class: 'net-groups' }, live.state.groups.map((g) => h('li', null, h('strong', null, g.name), `: ${g.members.join(', ')} `, h('button', { type: 'button', class: 'btn small', on: { click: () => commit({ ...live.state, groups: live.state.groups.filter((x) => x !== g) }) } }, `Ungroup ${g.name}`))))
        : null,
      h('h3', null, 'Notes'),
      noteInput,
      h('button', {
        type: 'button',
        class: 'btn small',
        on: {
          click: () => {
            const text = noteInput.value.trim();
            if (!text) return;
            commit({ ...live.state, notes: [...live.state.notes, { id: `n${Date.now().toString(36)}`, text, ...(selected ? { node: selected } : {}) }] });
            noteInput.value = '';
          },
        },
      }, selected ? `Add a note on ${selected}` : 'Add a note on the canvas'),
      notes.length ? h('ul', { class: 'net-notes', 'data-testid': 'notes' }, notes.map((n) => h('li', null, n.node ? h('span', { class: 'mono' }, `${n.node}: `) : '', n.text))) : null,
    );
  }

  // ---- Paths ----
  const pathA = h('input', { type: 'text', name: 'path-a', list: 'net-node-ids', 'aria-label': 'Path from (node id)', placeholder: 'from' });
  const pathB = h('input', { type: 'text', name: 'path-b', list: 'net-node-ids', 'aria-label': 'Path to (node id)', placeholder: 'to' });
  const ids = h('datalist', { id: 'net-node-ids' });

  async function findPath(temporal: boolean): Promise<void> {
    const a = pathA.value.trim();
    const b = pathB.value.trim();
    if (!a || !b) {
      pathBox.replaceChildren(errorBox(new Error('Choose the two ends of the path (from and to).')));
      return;
    }
    pathBox.replaceChildren(h('span', { class: 'loading' }, 'Finding the path…'));
    try {
      const reply = await get<{ found: boolean; steps: { id: string; time: string }[] }>('/v1/network/path', { a, b, temporal: temporal || undefined, ...windowQuery(live.state.view.window) });
      if (!reply.found || reply.steps.length === 0) {
        path = null;
        pathBox.replaceChildren(h('p', { 'data-testid': 'path-none' }, `No ${temporal ? 'time-respecting ' : ''}path from ${a} to ${b} that you may see.`));
        refresh();
        return;
      }
      const steps = reply.steps.map((s) => s.id);
      path = { steps, times: reply.steps.map((s) => s.time), temporal };
      const missing = steps.filter((s) => !live.state.model.nodes[s]);
      if (missing.length) {
        const model = await withTiesAmong(live.state.model, missing);
        commit({ ...live.state, model, positions: place(model, live.state.positions) });
        runLayout();
      } else {
        refresh();
      }
      pathBox.replaceChildren(
        h('p', { 'data-testid': 'path-found', 'data-steps': steps.join(',') }, `${temporal ? 'Earliest time-respecting path' : 'Shortest path'}: ${steps.length - 1} ties.`),
        h('ol', { class: 'net-path' }, reply.steps.map((s) => h('li', { class: 'mono' }, s.id, s.time ? ` (${when(s.time)})` : ''))),
      );
    } catch (error) {
      pathBox.replaceChildren(errorBox(error));
    }
  }

  // ---- Exports ----
  // Every export names the nodes drawn (not those folded into "and N
  // more"): GraphML is written by the server, which logs it; a picture is
  // made in the browser only after the server has logged it.
  async function exportGraphml(): Promise<void> {
    const nodes = visible().nodes.map((n) => n.id);
    try {
      const reply = await post<{ files: { name: string; media_type: string; content: string }[]; nodes: number; ties: number }>('/v1/network/export/view', {
        nodes,
        format: 'graphml',
        ...windowQuery(live.state.view.window),
        ...(live.state.view.kinds ? { kinds: live.state.view.kinds.join(',') } : {}),
      });
      for (const file of reply.files) download(file.name, new Blob([file.content], { type: file.media_type }));
      status.replaceChildren(notice(`Exported ${reply.nodes} nodes and ${reply.ties} ties as GraphML (recorded in the audit log).`));
    } catch (error) {
      fail(error);
    }
  }

  async function exportPicture(format: 'png' | 'svg'): Promise<void> {
    const r = renderer;
    if (!r) return;
    try {
      const reply = await post<{ nodes: number }>('/v1/network/export/record', { nodes: visible().nodes.map((n) => n.id), format });
      if (destroyed) return;
      download(`network.${format}`, format === 'png' ? await pngOf(r) : new Blob([svgOf(r, graph)], { type: 'image/svg+xml' }));
      status.replaceChildren(notice(`Exported the drawing of ${reply.nodes} nodes as ${format.toUpperCase()} (recorded in the audit log).`));
    } catch (error) {
      fail(error);
    }
  }

  // ---- Keyboard ----
  let panTarget: { x: number; y: number; ratio: number; angle: number } | null = null;
  graphBox.addEventListener('keydown', (event) => {
    if (!renderer) return;
    const camera = renderer.getCamera();
    // Steps pressed while the last one is still moving add to its target.
    const state = camera.isAnimated() && panTarget ? panTarget : camera.getState();
    const step = 0.1 * state.ratio;
    const pan = (x: number, y: number): void => {
      const target = { ...state, x, y };
      panTarget = target;
      camera.animate(target, { duration: KEY_MOVE_MS, easing: 'linear' }, () => {
        // The end of the move: the frame at rest (with ties) is drawn.
        if (panTarget !== target) return;
        panTarget = null;
        renderer?.scheduleRender();
      });
    };
    const moves: Record<string, () => void> = {
      ArrowLeft: () => pan(state.x - step, state.y),
      ArrowRight: () => pan(state.x + step, state.y),
      ArrowUp: () => pan(state.x, state.y + step),
      ArrowDown: () => pan(state.x, state.y - step),
      '+': () => void camera.animatedZoom({ duration: 150 }),
      '=': () => void camera.animatedZoom({ duration: 150 }),
      '-': () => void camera.animatedUnzoom({ duration: 150 }),
      '0': () => void camera.animatedReset({ duration: 150 }),
    };
    const move = moves[event.key];
    if (move && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      move();
    }
  });
  const onKey = (event: KeyboardEvent): void => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    const target = event.target as HTMLElement | null;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
    const key = event.key.toLowerCase();
    if (key === 'z' && !event.shiftKey) {
      event.preventDefault();
      undo();
    } else if ((key === 'z' && event.shiftKey) || key === 'y') {
      event.preventDefault();
      redo();
    }
  };
  document.addEventListener('keydown', onKey);

  // ---- Canvas panel ----
  const panel = canvasPanel({
    document: () => toDocument({ ...live.state, view: { ...live.state.view, ...(renderer ? { camera: renderer.getCamera().getState() } : {}) } }),
    meta: () => live.canvas,
    opened: (state, meta) => {
      // Communities and brokers as the reader's own graph has them.
      const ids = Object.keys(state.model.nodes);
      if (ids.length) {
        void post<TiesReply>('/v1/network/ties', { nodes: ids }).then((reply) => {
          if (destroyed || live.state.model !== state.model) return;
          live.state = { ...live.state, model: mergeTies(live.state.model, { nodes: reply.nodes, ties: [] }) };
          live.history.reset(live.state);
          refresh();
        }, fail);
      }
      live.state = state;
      live.history.reset(state);
      live.canvas = meta;
      live.dirty = false;
      selected = null;
      selection.clear();
      path = null;
      counts.clear();
      countsAsked = '';
      collapseInput.value = String(state.view.collapseAbove);
      for (const box of kindBoxes) box.checked = state.view.kinds ? state.view.kinds.includes(box.value) : true;
      if (renderer && state.view.camera) renderer.getCamera().setState(state.view.camera);
      refresh();
    },
    saved: (meta) => {
      live.canvas = meta;
      live.dirty = false;
      refresh();
    },
  });

  // ---- Page ----
  main.replaceChildren(
    pageHeader(
      'Network',
      live.state.model.seed ? `Starting from ${live.state.model.seed}` : 'A saved canvas',
      h('button', { type: 'button', class: 'btn small', on: { click: () => runLayout() } }, 'Re-layout'),
      undoButton,
      redoButton,
      h('button', { type: 'button', class: 'btn small', 'data-action': 'export-png', on: { click: () => void exportPicture('png') } }, 'Export PNG'),
      h('button', { type: 'button', class: 'btn small', 'data-action': 'export-svg', on: { click: () => void exportPicture('svg') } }, 'Export SVG'),
      h('button', { type: 'button', class: 'btn small', 'data-action': 'export-graphml', on: { click: () => void exportGraphml() } }, 'Export GraphML'),
    ),
    withheldBox,
    status,
    h(
      'div',
      { class: 'net-controls panel', role: 'group', 'aria-label': 'Filters' },
      kindFieldset,
      h(
        'fieldset',
        { class: 'net-window' },
        h('legend', null, 'Time window'),
        h('label', { class: 'check' }, windowOn, 'Only ties active in the window (linked to the timeline brush)'),
        h('label', null, 'From ', fromRange),
        h('label', null, 'To ', toRange),
        windowText,
      ),
      h('fieldset', null, h('legend', null, 'Fold'), h('label', null, 'Fold leaves above ', collapseInput, ' per node into “and N more”')),
      h(
        'fieldset',
        { class: 'net-paths' },
        h('legend', null, 'Path'),
        pathA,
        pathB,
        ids,
        h('button', { type: 'button', class: 'btn small', 'data-action': 'shortest-path', on: { click: () => void findPath(false) } }, 'Shortest path'),
        h('button', { type: 'button', class: 'btn small', 'data-action': 'temporal-path', on: { click: () => void findPath(true) } }, 'Earliest time-respecting path'),
        h('button', { type: 'button', class: 'btn small', on: { click: () => { path = null; pathBox.replaceChildren(); refresh(); } } }, 'Clear path'),
        pathBox,
      ),
    ),
    h('div', { class: 'network-layout' }, h('div', { class: 'network-stage' }, graphBox, legend()), h('div', { class: 'network-side' }, details, panel.element)),
    listBox,
  );

  const fillIds = (): void => {
    ids.replaceChildren(...Object.keys(live.state.model.nodes).slice(0, 500).map((id) => h('option', { value: id })));
  };
  const idsTimer = window.setInterval(fillIds, 1500);
  fillIds();

  if (caseParam && canvasParam && !(live.canvas && live.canvas.caseId === caseParam && live.canvas.name === canvasParam)) {
    await panel.open(caseParam, canvasParam);
  } else if (live.state.model.seed && Object.keys(live.state.model.nodes).length === 0) {
    refresh();
    await expand(live.state.model.seed);
  } else {
    refresh();
  }
  selected ??= live.state.model.seed || null;
  refresh();

  return () => {
    destroyed = true;
    window.clearTimeout(countsTimer);
    window.clearInterval(idsTimer);
    stopBrush();
    document.removeEventListener('keydown', onKey);
    if (renderer) live.state = { ...live.state, view: { ...live.state.view, camera: renderer.getCamera().getState() } };
    live.history.replace(live.state);
    worker?.terminate();
    renderer?.kill();
  };
}

function legend(): HTMLElement {
  return h(
    'div',
    { class: 'legend net-legend' },
    h('span', null, h('i', { style: { background: PALETTE[0] ?? '#999', 'border-radius': '50%' } }), 'person (colour: community)'),
    h('span', null, h('i', { style: { background: SELECTOR_COLOUR } }), 'selector nobody owns (⇢ proposed owner)'),
    h('span', null, '◆ broker'),
    h('span', null, h('i', { style: { background: MORE_COLOUR, 'border-radius': '50%' } }), 'and N more'),
    h('span', null, h('i', { style: { background: PATH_COLOUR } }), 'path'),
    TIE_KINDS.map((k) => h('span', null, h('i', { style: { background: KIND_COLOURS[k] ?? '#999', height: '3px' } }), KIND_LABELS[k])),
  );
}

// Without a seed or a canvas: ask where to start.
function renderStart(main: HTMLElement): void {
  const input = h('input', { type: 'text', name: 'seed', required: true, placeholder: 'P000123 or msisdn:+33…', 'aria-label': 'Start from (person id or selector)' });
  main.replaceChildren(
    pageHeader('Network', 'Start from a subject (or “Open in network” on a subject page), or open a saved canvas of a case.'),
    h(
      'form',
      {
        class: 'panel',
        on: {
          submit: (event: SubmitEvent) => {
            event.preventDefault();
            const seed = input.value.trim();
            if (seed) {
              history.pushState(null, '', `/network?seed=${encodeURIComponent(seed)}`);
              dispatchEvent(new PopStateEvent('popstate'));
            }
          },
        },
      },
      h('label', { for: 'net-seed' }, 'Start from'),
      ' ',
      Object.assign(input, { id: 'net-seed' }),
      ' ',
      h('button', { type: 'submit', class: 'btn primary' }, 'Open'),
    ),
    canvasOnlyPanel(),
  );
}

// The saved canvases of a case, from the start page.
function canvasOnlyPanel(): HTMLElement {
  const panel = canvasPanel({
    document: () => toDocument(freshState('')),
    meta: () => null,
    opened: (state, meta) => {
      session = newSession(state, meta);
      history.pushState(null, '', `/network?case=${encodeURIComponent(meta.caseId)}&canvas=${encodeURIComponent(meta.name)}`);
      dispatchEvent(new PopStateEvent('popstate'));
    },
    saved: () => undefined,
  });
  panel.element.querySelector('form')?.remove();
  return panel.element;
}

export const networkView: View = {
  path: '/network',
  title: 'Network',
  render(main, _params, query) {
    return renderNetwork(main, query);
  },
};

