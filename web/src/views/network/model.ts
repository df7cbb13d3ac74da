// The network explorer's graph model: pure functions over plain data, no
// DOM and no drawing (unit-tested in model.test.ts). The view keeps one
// NetModel; every edit returns a new one (the old one stays valid, which is
// what undo/redo keeps).
//
//   mergeNeighbourhood  adds one node's neighbourhood (an expansion)
//   mergeTies           adds the ties among the nodes of a view
//   removeNodes         takes nodes (and their ties) out of the view
//   tieActive           whether a tie has contacts in a time window
//   visibleGraph        the window and kind filters, then "and N more"
//   toDocument / fromDocument   the saved canvas (server document shape)
//   createHistory       undo/redo of canvas states
//
// Costs: merges are O(n + t) for n nodes and t ties in the model (a copy);
// visibleGraph is O(n + t·d) with d the days of activity per tie;
// timeExtent is O(t) once per ties object, then O(1).

export const DAY = 86_400_000;

// The kinds of tie the server names ("comm": a communication of unknown kind;
// "handset": one handset used by both ends' SIMs, when the server is started
// with --shared-handset).
export const TIE_KINDS = ['call', 'message', 'comm', 'co_travel', 'custody', 'report', 'handset'] as const;
export type TieKind = (typeof TIE_KINDS)[number];
export const KIND_LABELS: Record<TieKind, string> = {
  call: 'Call',
  message: 'Message',
  comm: 'Other communication',
  co_travel: 'Co-travel',
  custody: 'Custody',
  report: 'Report',
  handset: 'Shared handset',
};

// The evidence of a shared-handset tie: the handset, and when each end's
// SIMs sent from it (ms) and how often.
export interface HandsetEvidence {
  device: string;
  sourceFirst: number;
  sourceLast: number;
  sourceCount: number;
  targetFirst: number;
  targetLast: number;
  targetCount: number;
}

export interface NetNode {
  id: string;
  kind: 'person' | 'selector';
  community: number;
  broker: boolean;
  // Selectors nobody owns: the best proposed owner the user may see.
  proposedOwner?: string | null;
  confidence?: number;
  attributionState?: string;
  // Expanded: its neighbourhood was fetched; more: neighbours the server
  // counted but did not send (beyond the limit asked).
  expanded: boolean;
  more: number;
  limit: number;
  // The node whose expansion brought it (placement of new nodes).
  parent?: string;
}

export interface NetTie {
  source: string;
  target: string;
  kinds: string[];
  contacts: number;
  first: number; // ms
  last: number; // ms
  // Contacts per UTC day: [day start in ms, count], day order.
  days?: [number, number][];
  handsets?: HandsetEvidence[];
}

export interface NetModel {
  seed: string;
  nodes: Record<string, NetNode>;
  ties: Record<string, NetTie>;
}

// The API's shapes (GET /v1/network/neighbourhood, POST /v1/network/ties).
export interface ApiNode {
  id: string;
  kind: string;
  community?: number;
  broker?: boolean;
  degree?: number;
  proposed_owner?: string | null;
  confidence?: number;
  attribution_state?: string;
}
export interface ApiTie {
  source: string;
  target: string;
  kinds: string[];
  contacts: number;
  contacts_total?: number;
  first: string;
  last: string;
  days?: [string, number][];
  handsets?: { device: string; source_first: string; source_last: string; source_count: number; target_first: string; target_last: string; target_count: number }[];
}
export interface NeighbourhoodReply {
  node: ApiNode | null;
  nodes: ApiNode[];
  ties: ApiTie[];
  more: number;
}
export interface TiesReply {
  nodes: ApiNode[];
  ties: ApiTie[];
}
// The same neighbourhood in columns (GET /v1/network/neighbourhood with
// columns=true): parallel arrays; ties name nodes by index (0: the centre,
// then nodes in order), kinds by index into kind_sets, times in seconds,
// days as flat [day, count, ...] lists in days since the epoch.
export interface NeighbourhoodColumns {
  node: ApiNode | null;
  columns: true;
  nodes: {
    id?: string[];
    kind?: string[];
    degree?: (number | null)[];
    community?: (number | null)[];
    broker?: (boolean | null)[];
    proposed_owner?: (string | null)[];
    confidence?: (number | null)[];
    attribution_state?: (string | null)[];
  };
  ties: {
    source?: number[];
    target?: number[];
    kinds?: number[];
    kind_sets?: string[][];
    contacts?: number[];
    first?: number[];
    last?: number[];
    days?: number[][];
    handsets?: Record<string, NonNullable<ApiTie['handsets']>>;
  };
  more: number;
}

export function emptyModel(seed: string): NetModel {
  return { seed, nodes: {}, ties: {} };
}

// The key of the tie between a and b (either order).
export function tieKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

function timeOf(text: string): number {
  if (!text) return NaN;
  return Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
}

function handsetsOf(list: NonNullable<ApiTie['handsets']>): HandsetEvidence[] {
  return list.map((u) => ({
    device: u.device,
    sourceFirst: timeOf(u.source_first),
    sourceLast: timeOf(u.source_last),
    sourceCount: u.source_count,
    targetFirst: timeOf(u.target_first),
    targetLast: timeOf(u.target_last),
    targetCount: u.target_count,
  }));
}

export function tieOf(api: ApiTie): NetTie {
  const tie: NetTie = {
    source: api.source,
    target: api.target,
    kinds: [...api.kinds],
    contacts: api.contacts,
    first: timeOf(api.first),
    last: timeOf(api.last),
  };
  if (api.days) tie.days = api.days.map(([day, count]) => [timeOf(day), count]);
  // Given from the reply's source; the tie keeps the reply's ends.
  if (api.handsets) tie.handsets = handsetsOf(api.handsets);
  return tie;
}

// The node of an API reply over what the model knew of it (expansion state
// and proposed owner are kept when the reply does not carry them).
function nodeOf(api: ApiNode, known: NetNode | undefined, parent?: string): NetNode {
  const node: NetNode = {
    id: api.id,
    kind: api.kind === 'selector' ? 'selector' : 'person',
    community: api.community ?? known?.community ?? 0,
    broker: api.broker ?? known?.broker ?? false,
    expanded: known?.expanded ?? false,
    more: known?.more ?? 0,
    limit: known?.limit ?? 0,
  };
  const owner = 'proposed_owner' in api ? api.proposed_owner : known?.proposedOwner;
  if (owner !== undefined) node.proposedOwner = owner;
  const confidence = api.confidence ?? known?.confidence;
  if (confidence !== undefined) node.confidence = confidence;
  const state = api.attribution_state ?? known?.attributionState;
  if (state !== undefined) node.attributionState = state;
  const from = known?.parent ?? parent;
  if (from !== undefined && from !== api.id) node.parent = from;
  return node;
}

// The nodes and ties of a columns reply, as the object reply gives them
// (ties already in the model's form). O(n + t + days).
export function decodeColumns(reply: NeighbourhoodColumns): { nodes: ApiNode[]; ties: NetTie[] } {
  const c = reply.nodes;
  const ids = c.id ?? [];
  const nodes: ApiNode[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const node: ApiNode = { id: ids[i] as string, kind: c.kind?.[i] ?? 'person' };
    const degree = c.degree?.[i];
    if (degree != null) node.degree = degree;
    const community = c.community?.[i];
    if (community != null) node.community = community;
    const broker = c.broker?.[i];
    if (broker != null) node.broker = broker;
    if (node.kind === 'selector') {
      node.proposed_owner = c.proposed_owner?.[i] ?? null;
      const confidence = c.confidence?.[i];
      if (confidence != null) node.confidence = confidence;
      const state = c.attribution_state?.[i];
      if (state != null) node.attribution_state = state;
    }
    nodes[i] = node;
  }
  const names = [reply.node?.id ?? '', ...ids];
  const t = reply.ties;
  const count = t.source?.length ?? 0;
  const sets = t.kind_sets ?? [];
  const ties: NetTie[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const tie: NetTie = {
      source: names[t.source?.[i] ?? 0] as string,
      target: names[t.target?.[i] ?? 0] as string,
      kinds: [...(sets[t.kinds?.[i] ?? -1] ?? [])],
      contacts: t.contacts?.[i] ?? 0,
      first: (t.first?.[i] ?? NaN) * 1000,
      last: (t.last?.[i] ?? NaN) * 1000,
    };
    const flat = t.days?.[i];
    if (flat) {
      const days: [number, number][] = new Array(flat.length >> 1);
      for (let k = 0; k + 1 < flat.length; k += 2) days[k >> 1] = [(flat[k] as number) * DAY, flat[k + 1] as number];
      tie.days = days;
    }
    const evidence = t.handsets?.[String(i)];
    if (evidence) tie.handsets = handsetsOf(evidence);
    ties[i] = tie;
  }
  return { nodes, ties };
}

// Adds the neighbourhood of reply.node: the centre is marked expanded with
// the server's "more" count and the limit asked; its neighbours and the
// ties among them join the model (ties already known are replaced). Takes
// either reply shape.
export function mergeNeighbourhood(model: NetModel, reply: NeighbourhoodReply | NeighbourhoodColumns, limit: number): NetModel {
  if (!reply.node) return model;
  const decoded = 'columns' in reply ? decodeColumns(reply) : { nodes: reply.nodes, ties: reply.ties.map(tieOf) };
  const nodes = { ...model.nodes };
  const ties = { ...model.ties };
  const centre = nodeOf(reply.node, nodes[reply.node.id]);
  centre.expanded = true;
  centre.more = reply.more;
  centre.limit = limit;
  nodes[centre.id] = centre;
  for (const api of decoded.nodes) nodes[api.id] = nodeOf(api, nodes[api.id], centre.id);
  for (const tie of decoded.ties) {
    if (!nodes[tie.source] || !nodes[tie.target]) continue;
    ties[tieKey(tie.source, tie.target)] = tie;
  }
  return { ...model, nodes, ties };
}

// The ids of a neighbourhood reply's nodes (either shape), centre first.
export function neighbourhoodIds(reply: NeighbourhoodReply | NeighbourhoodColumns): string[] {
  if (!reply.node) return [];
  const ids = 'columns' in reply ? (reply.nodes.id ?? []) : reply.nodes.map((n) => n.id);
  return [reply.node.id, ...ids];
}

// Adds the ties among the nodes of a view (POST /v1/network/ties) and the
// facts of its nodes; nodes the reply names that the model lacks are added
// (a path's steps).
export function mergeTies(model: NetModel, reply: TiesReply): NetModel {
  if (reply.nodes.length === 0 && reply.ties.length === 0) return model;
  const nodes = { ...model.nodes };
  const ties = { ...model.ties };
  for (const api of reply.nodes) nodes[api.id] = nodeOf(api, nodes[api.id]);
  for (const api of reply.ties) {
    if (!nodes[api.source] || !nodes[api.target]) continue;
    const key = tieKey(api.source, api.target);
    const next = tieOf(api);
    // A tie without its daily activity keeps the days known before.
    const before = ties[key];
    if (!next.days && before?.days) next.days = before.days;
    if (!next.handsets && before?.handsets && before.source === next.source) next.handsets = before.handsets;
    ties[key] = next;
  }
  return { ...model, nodes, ties };
}

// The model without `ids` and the ties that touch them. The seed stays.
export function removeNodes(model: NetModel, ids: Iterable<string>): NetModel {
  const gone = new Set(ids);
  gone.delete(model.seed);
  if (gone.size === 0) return model;
  const nodes: Record<string, NetNode> = {};
  for (const [id, node] of Object.entries(model.nodes)) if (!gone.has(id)) nodes[id] = node;
  const ties: Record<string, NetTie> = {};
  for (const [key, tie] of Object.entries(model.ties)) {
    if (!gone.has(tie.source) && !gone.has(tie.target)) ties[key] = tie;
  }
  return { ...model, nodes, ties };
}

// A half-open time window in ms, [from, to).
export interface Window {
  from: number;
  to: number;
}

// Whether a tie has a contact in `window` (null: always). With daily
// activity, a day counts when it overlaps the window; without, the span
// from first to last contact must overlap it.
export function tieActive(tie: NetTie, window: Window | null): boolean {
  if (!window) return true;
  if (tie.days) {
    for (const [day, count] of tie.days) {
      if (count > 0 && day < window.to && day + DAY > window.from) return true;
    }
    return false;
  }
  return tie.first < window.to && tie.last >= window.from;
}

// Whether a tie has one of `kinds` (null: every kind).
export function tieHasKind(tie: NetTie, kinds: ReadonlySet<string> | null): boolean {
  if (!kinds) return true;
  return tie.kinds.some((k) => kinds.has(k));
}

// The earliest first contact and the latest last contact of the model's ties.
// Computed once per ties object (models share it until their ties change).
const extents = new WeakMap<Record<string, NetTie>, Window | null>();
export function timeExtent(model: NetModel): Window | null {
  const known = extents.get(model.ties);
  if (known !== undefined) return known;
  const extent = scanExtent(model);
  extents.set(model.ties, extent);
  return extent;
}

function scanExtent(model: NetModel): Window | null {
  let from = Infinity;
  let to = -Infinity;
  for (const tie of Object.values(model.ties)) {
    if (Number.isFinite(tie.first)) from = Math.min(from, tie.first);
    if (Number.isFinite(tie.last)) to = Math.max(to, tie.last);
  }
  return Number.isFinite(from) && Number.isFinite(to) ? { from, to: to + DAY } : null;
}

// An "and N more" node: the neighbours of `parent` folded away (in the
// model) plus those the server counted but did not send.
export interface MoreNode {
  id: string;
  parent: string;
  count: number;
  folded: string[];
}

export interface VisibleOptions {
  window: Window | null;
  kinds: ReadonlySet<string> | null;
  // A node with more than this many leaf neighbours (neighbours tied to it
  // only, not expanded) keeps the strongest `collapseAbove` and folds the
  // rest into "and N more" (0: never fold).
  collapseAbove: number;
  // Nodes whose leaves are never folded (the user opened their "more").
  unfolded: ReadonlySet<string>;
  // Ties always kept (a highlighted path), whatever the filters.
  keep?: ReadonlySet<string>;
}

export interface VisibleGraph {
  nodes: NetNode[];
  ties: NetTie[];
  more: MoreNode[];
  // Ties of the model left out by the window or the kinds.
  filteredOut: number;
}

export const moreId = (parent: string): string => `more:${parent}`;

// What the view draws: ties in the window and of the kinds chosen, every
// node of the model except the leaves folded into "and N more" nodes.
export function visibleGraph(model: NetModel, options: VisibleOptions): VisibleGraph {
  const ties: NetTie[] = [];
  let filteredOut = 0;
  for (const [key, tie] of Object.entries(model.ties)) {
    if (options.keep?.has(key) || (tieActive(tie, options.window) && tieHasKind(tie, options.kinds))) ties.push(tie);
    else filteredOut++;
  }
  // Neighbours per node through the kept ties.
  const around = new Map<string, { other: string; tie: NetTie }[]>();
  const add = (a: string, b: string, tie: NetTie): void => {
    let list = around.get(a);
    if (!list) around.set(a, (list = []));
    list.push({ other: b, tie });
  };
  for (const tie of ties) {
    add(tie.source, tie.target, tie);
    add(tie.target, tie.source, tie);
  }
  const folded = new Set<string>();
  const more: MoreNode[] = [];
  const ids = Object.keys(model.nodes).sort();
  for (const id of ids) {
    const node = model.nodes[id];
    if (!node) continue;
    let fold: string[] = [];
    if (options.collapseAbove > 0 && !options.unfolded.has(id)) {
      const leaves = (around.get(id) ?? []).filter(({ other }) => {
        const n = model.nodes[other];
        return n !== undefined && !n.expanded && other !== model.seed && (around.get(other)?.length ?? 0) === 1;
      });
      if (leaves.length > options.collapseAbove) {
        leaves.sort((x, y) => y.tie.contacts - x.tie.contacts || (x.other < y.other ? -1 : 1));
        fold = leaves.slice(options.collapseAbove).map((l) => l.other);
      }
    }
    for (const f of fold) folded.add(f);
    const count = fold.length + (node.expanded ? node.more : 0);
    if (count > 0) more.push({ id: moreId(id), parent: id, count, folded: fold });
  }
  return {
    nodes: ids.filter((id) => !folded.has(id)).map((id) => model.nodes[id] as NetNode),
    ties: ties.filter((t) => !folded.has(t.source) && !folded.has(t.target)),
    more,
    filteredOut,
  };
}

// The keys of the ties along a path of node ids.
export function pathTies(steps: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 1; i < steps.length; i++) out.add(tieKey(steps[i - 1] as string, steps[i] as string));
  return out;
}

// ---- Saved canvases --------------------------------------------------------

export interface Point {
  x: number;
  y: number;
}
export interface Group {
  id: string;
  name: string;
  members: string[];
}
export interface Note {
  id: string;
  text: string;
  node?: string;
}
// What a canvas keeps besides nodes and ties: the filters and the camera.
export interface CanvasView {
  window: Window | null;
  kinds: string[] | null;
  collapseAbove: number;
  unfolded: string[];
  camera?: { x: number; y: number; ratio: number };
}

export interface CanvasState {
  model: NetModel;
  positions: Record<string, Point>;
  pinned: string[];
  groups: Group[];
  notes: Note[];
  view: CanvasView;
}

// The server's canvas document ({nodes, edges, groups, notes, view}). The
// server withholds a hidden node with everything that names it by field
// (edges' ends, group members, notes' node), not ids written elsewhere, so
// every node id is written only there: the start node and the unfolded
// ones are flags on their node, and a selector's proposed owner (a person)
// is not written at all. Nor is what the saver's graph says of a node
// (community, broker, neighbours not shown): it counts persons another
// reader may not see, who gets these facts from their own graph.
export interface CanvasDocument {
  nodes: { id: string; kind: string; x: number; y: number; expanded: boolean; limit: number; pinned?: boolean; seed?: boolean; unfolded?: boolean }[];
  edges: { source: string; target: string; kinds: string[]; contacts: number; first: number; last: number; days?: [number, number][] }[];
  groups: Group[];
  notes: Note[];
  view: Omit<CanvasView, 'unfolded'>;
}

export function toDocument(state: CanvasState): CanvasDocument {
  const pinned = new Set(state.pinned);
  const unfolded = new Set(state.view.unfolded);
  const { window, kinds, collapseAbove, camera } = state.view;
  return {
    nodes: Object.values(state.model.nodes).map((n) => ({
      id: n.id,
      kind: n.kind,
      x: state.positions[n.id]?.x ?? 0,
      y: state.positions[n.id]?.y ?? 0,
      expanded: n.expanded,
      limit: n.limit,
      ...(pinned.has(n.id) ? { pinned: true } : {}),
      ...(n.id === state.model.seed ? { seed: true } : {}),
      ...(unfolded.has(n.id) ? { unfolded: true } : {}),
    })),
    edges: Object.values(state.model.ties).map((t) => ({
      source: t.source,
      target: t.target,
      kinds: t.kinds,
      contacts: t.contacts,
      first: t.first,
      last: t.last,
      ...(t.days ? { days: t.days } : {}),
    })),
    groups: state.groups.map((g) => ({ ...g, members: [...g.members] })),
    notes: state.notes.map((n) => ({ ...n })),
    view: { window, kinds, collapseAbove, ...(camera ? { camera } : {}) },
  };
}

const num = (value: unknown, fallback = 0): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

// The canvas state of a document as the server returned it (what was
// withheld is simply absent). Ties and groups that name a node not on the
// canvas are dropped; unknown fields are ignored.
export function fromDocument(document: unknown): CanvasState {
  const doc = (document ?? {}) as Partial<Record<keyof CanvasDocument, unknown>>;
  const rawView = (doc.view ?? {}) as Record<string, unknown>;
  const model = emptyModel('');
  const positions: Record<string, Point> = {};
  const pinned: string[] = [];
  const unfolded: string[] = [];
  for (const raw of Array.isArray(doc.nodes) ? (doc.nodes as Record<string, unknown>[]) : []) {
    const id = str(raw['id']);
    if (!id) continue;
    model.nodes[id] = {
      id,
      kind: raw['kind'] === 'selector' ? 'selector' : 'person',
      community: 0,
      broker: false,
      expanded: raw['expanded'] === true,
      more: 0,
      limit: num(raw['limit']),
    };
    positions[id] = { x: num(raw['x']), y: num(raw['y']) };
    if (raw['pinned'] === true) pinned.push(id);
    if (raw['unfolded'] === true) unfolded.push(id);
    if (raw['seed'] === true) model.seed = id;
  }
  // Without its start node (withheld), the canvas starts from its first.
  if (!model.seed) model.seed = Object.keys(model.nodes)[0] ?? '';
  for (const raw of Array.isArray(doc.edges) ? (doc.edges as Record<string, unknown>[]) : []) {
    const source = str(raw['source']);
    const target = str(raw['target']);
    if (!model.nodes[source] || !model.nodes[target]) continue;
    const tie: NetTie = {
      source,
      target,
      kinds: Array.isArray(raw['kinds']) ? (raw['kinds'] as unknown[]).map(str).filter(Boolean) : [],
      contacts: num(raw['contacts']),
      first: num(raw['first'], NaN),
      last: num(raw['last'], NaN),
    };
    if (Array.isArray(raw['days'])) tie.days = (raw['days'] as unknown[][]).map((d) => [num(d[0]), num(d[1])]);
    model.ties[tieKey(source, target)] = tie;
  }
  const groups: Group[] = [];
  for (const raw of Array.isArray(doc.groups) ? (doc.groups as Record<string, unknown>[]) : []) {
    const members = Array.isArray(raw['members']) ? (raw['members'] as unknown[]).map(str).filter((m) => model.nodes[m]) : [];
    groups.push({ id: str(raw['id']), name: str(raw['name']) || str(raw['id']), members });
  }
  const notes: Note[] = [];
  for (const raw of Array.isArray(doc.notes) ? (doc.notes as Record<string, unknown>[]) : []) {
    const node = str(raw['node']);
    notes.push({ id: str(raw['id']), text: str(raw['text']), ...(node ? { node } : {}) });
  }
  const win = rawView['window'] as Record<string, unknown> | null | undefined;
  const camera = rawView['camera'] as Record<string, unknown> | undefined;
  const view: CanvasView = {
    window: win && typeof win === 'object' ? { from: num(win['from']), to: num(win['to']) } : null,
    kinds: Array.isArray(rawView['kinds']) ? (rawView['kinds'] as unknown[]).map(str) : null,
    collapseAbove: num(rawView['collapseAbove'], 12),
    unfolded,
  };
  if (camera && typeof camera === 'object') view.camera = { x: num(camera['x'], 0.5), y: num(camera['y'], 0.5), ratio: num(camera['ratio'], 1) };
  return { model, positions, pinned, groups, notes, view };
}

// ---- Undo and redo ---------------------------------------------------------

export interface History<T> {
  // Records `state` as the state after an edit (drops what redo held).
  push(state: T): void;
  // The state before the current one, or null; it becomes current.
  undo(): T | null;
  // The state undone last, or null; it becomes current.
  redo(): T | null;
  current(): T;
  canUndo(): boolean;
  canRedo(): boolean;
  // Replaces the current state without a new undo step (a layout that
  // finishes after the edit that asked for it).
  replace(state: T): void;
  // Starts over from `state` (a canvas opened).
  reset(state: T): void;
}

// A bounded history: at most `limit` states are kept (the oldest go).
export function createHistory<T>(initial: T, limit = 100): History<T> {
  let past: T[] = [];
  let present = initial;
  let future: T[] = [];
  return {
    push(state) {
      past.push(present);
      if (past.length > limit) past = past.slice(past.length - limit);
      present = state;
      future = [];
    },
    undo() {
      const previous = past.pop();
      if (previous === undefined) return null;
      future.push(present);
      present = previous;
      return present;
    },
    redo() {
      const next = future.pop();
      if (next === undefined) return null;
      past.push(present);
      present = next;
      return present;
    },
    current: () => present,
    canUndo: () => past.length > 0,
    canRedo: () => future.length > 0,
    replace(state) {
      present = state;
    },
    reset(state) {
      past = [];
      future = [];
      present = state;
    },
  };
}
