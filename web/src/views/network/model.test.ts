import { describe, expect, it } from 'vitest';
import {
  DAY,
  createHistory,
  emptyModel,
  fromDocument,
  mergeNeighbourhood,
  mergeTies,
  pathTies,
  removeNodes,
  tieActive,
  tieKey,
  timeExtent,
  toDocument,
  visibleGraph,
  type ApiTie,
  type CanvasState,
  type NeighbourhoodReply,
  type NetTie,
  type VisibleOptions,
} from './model';

const person = (id: string, extra: Record<string, unknown> = {}) => ({ id, kind: 'person', community: 1, broker: false, ...extra });
const tie = (source: string, target: string, days: [string, number][], kinds = ['call'], contacts = 0): ApiTie => ({
  source,
  target,
  kinds,
  contacts: contacts || days.reduce((s, d) => s + d[1], 0),
  first: `${days[0]?.[0] ?? '2024-01-01'}T08:00:00Z`,
  last: `${days[days.length - 1]?.[0] ?? '2024-01-01'}T20:00:00Z`,
  days,
});
const all: VisibleOptions = { window: null, kinds: null, collapseAbove: 0, unfolded: new Set() };
const day = (text: string): number => Date.parse(`${text}T00:00:00Z`);

function expandA(): NeighbourhoodReply {
  return {
    node: person('A', { broker: true }),
    nodes: [person('B'), person('C'), { id: 'imei:1', kind: 'selector', proposed_owner: 'B', confidence: 0.8, attribution_state: 'proposed' }],
    ties: [tie('A', 'B', [['2024-01-05', 2]]), tie('A', 'C', [['2024-06-01', 1]], ['message']), tie('A', 'imei:1', [['2024-03-01', 4]]), tie('B', 'C', [['2024-02-01', 1]], ['co_travel'])],
    more: 7,
  };
}

describe('merging expansions', () => {
  it('adds the neighbourhood, marks the centre expanded with the server count of more', () => {
    const m = mergeNeighbourhood(emptyModel('A'), expandA(), 25);
    expect(Object.keys(m.nodes).sort()).toEqual(['A', 'B', 'C', 'imei:1']);
    expect(m.nodes['A']).toMatchObject({ expanded: true, more: 7, limit: 25, broker: true });
    expect(m.nodes['B']).toMatchObject({ expanded: false, parent: 'A' });
    expect(m.nodes['imei:1']).toMatchObject({ kind: 'selector', proposedOwner: 'B', confidence: 0.8 });
    expect(Object.keys(m.ties)).toHaveLength(4);
    expect(m.ties[tieKey('C', 'B')]?.kinds).toEqual(['co_travel']);
  });

  it('a second expansion keeps what the first knew and does not duplicate ties', () => {
    const first = mergeNeighbourhood(emptyModel('A'), expandA(), 25);
    const second = mergeNeighbourhood(
      first,
      { node: person('B'), nodes: [person('A'), person('D')], ties: [tie('B', 'A', [['2024-01-05', 3]]), tie('B', 'D', [['2025-01-01', 1]])], more: 0 },
      25,
    );
    expect(second.nodes['A']?.expanded).toBe(true); // not reset by appearing as B's neighbour
    expect(second.nodes['A']?.more).toBe(7);
    expect(second.nodes['B']?.expanded).toBe(true);
    expect(second.nodes['B']?.parent).toBe('A'); // the first parent stays
    expect(second.nodes['D']?.parent).toBe('B');
    expect(Object.keys(second.ties)).toHaveLength(5);
    expect(second.ties[tieKey('A', 'B')]?.contacts).toBe(3); // replaced, once
    expect(first.nodes['D']).toBeUndefined(); // the old model is unchanged (undo)
  });

  it('ties among a view add missing nodes and keep known daily activity', () => {
    const m = mergeNeighbourhood(emptyModel('A'), expandA(), 25);
    const next = mergeTies(m, {
      nodes: [person('A', { community: 4 }), person('Z')],
      ties: [{ source: 'A', target: 'B', kinds: ['call'], contacts: 2, first: '2024-01-05T08:00:00Z', last: '2024-01-05T20:00:00Z' }, { source: 'Z', target: 'C', kinds: ['report'], contacts: 1, first: '2023-01-01T00:00:00Z', last: '2023-01-01T00:00:00Z' }],
    });
    expect(next.nodes['A']?.community).toBe(4);
    expect(next.nodes['A']?.expanded).toBe(true);
    expect(next.nodes['Z']).toBeDefined();
    expect(next.ties[tieKey('A', 'B')]?.days).toEqual([[day('2024-01-05'), 2]]);
    expect(next.ties[tieKey('Z', 'C')]?.kinds).toEqual(['report']);
  });

  it('ignores ties to nodes it does not hold', () => {
    const m = mergeTies(emptyModel('A'), { nodes: [person('A')], ties: [tie('A', 'Q', [['2024-01-01', 1]])] });
    expect(Object.keys(m.ties)).toHaveLength(0);
  });

  it('removes nodes with their ties but never the seed', () => {
    const m = removeNodes(mergeNeighbourhood(emptyModel('A'), expandA(), 25), ['B', 'A']);
    expect(Object.keys(m.nodes).sort()).toEqual(['A', 'C', 'imei:1']);
    expect(Object.values(m.ties).some((t) => t.source === 'B' || t.target === 'B')).toBe(false);
  });
});

describe('the time window', () => {
  const t = (days: [string, number][]) => mergeTies(emptyModel('A'), { nodes: [person('A'), person('B')], ties: [tie('A', 'B', days)] }).ties[tieKey('A', 'B')] as NetTie;

  it('keeps a tie with a contact on a day overlapping the window, half-open', () => {
    const x = t([['2024-01-05', 1], ['2024-03-01', 2]]);
    expect(tieActive(x, null)).toBe(true);
    expect(tieActive(x, { from: day('2024-01-01'), to: day('2024-01-05') })).toBe(false); // ends where the day starts
    expect(tieActive(x, { from: day('2024-01-01'), to: day('2024-01-06') })).toBe(true);
    expect(tieActive(x, { from: day('2024-01-06'), to: day('2024-03-01') })).toBe(false); // the gap between contacts
    expect(tieActive(x, { from: day('2024-03-01') + 3_600_000, to: day('2024-04-01') })).toBe(true);
  });

  it('without daily activity uses first and last contact', () => {
    const x = { ...t([['2024-01-05', 1]]), days: undefined };
    expect(tieActive(x, { from: day('2024-01-06'), to: day('2024-02-01') })).toBe(false);
    expect(tieActive(x, { from: day('2023-01-01'), to: day('2024-01-05') + 9 * 3_600_000 })).toBe(true);
  });

  it('visibleGraph drops ties outside the window and of kinds not chosen', () => {
    const m = mergeNeighbourhood(emptyModel('A'), expandA(), 25);
    const jan = visibleGraph(m, { ...all, window: { from: day('2024-01-01'), to: day('2024-02-15') } });
    expect(jan.ties.map((x) => tieKey(x.source, x.target)).sort()).toEqual([tieKey('A', 'B'), tieKey('B', 'C')].sort());
    expect(jan.filteredOut).toBe(2);
    expect(jan.nodes).toHaveLength(4); // nodes stay, ties go
    const messages = visibleGraph(m, { ...all, kinds: new Set(['message']) });
    expect(messages.ties.map((x) => x.target)).toEqual(['C']);
    const kept = visibleGraph(m, { ...all, kinds: new Set(['message']), keep: new Set([tieKey('A', 'B')]) });
    expect(kept.ties).toHaveLength(2);
  });

  it('the extent spans first to last contact', () => {
    const m = mergeNeighbourhood(emptyModel('A'), expandA(), 25);
    const e = timeExtent(m) as { from: number; to: number };
    expect(e.from).toBe(Date.parse('2024-01-05T08:00:00Z'));
    expect(e.to).toBe(Date.parse('2024-06-01T20:00:00Z') + DAY);
    expect(timeExtent(emptyModel('A'))).toBeNull();
  });
});

describe('collapsing high-degree nodes', () => {
  function star(n: number): ReturnType<typeof mergeNeighbourhood> {
    const nodes = Array.from({ length: n }, (_, i) => person(`L${String(i).padStart(2, '0')}`));
    const ties = nodes.map((x, i) => tie('H', x.id, [['2024-01-01', 1]], ['call'], i + 1));
    return mergeNeighbourhood(emptyModel('H'), { node: person('H'), nodes, ties, more: 5 }, 30);
  }

  it('folds the weakest leaves into "and N more" with the server count added', () => {
    const v = visibleGraph(star(20), { ...all, collapseAbove: 8 });
    expect(v.nodes).toHaveLength(9); // H and its 8 strongest leaves
    expect(v.nodes.map((x) => x.id)).toContain('L19'); // the strongest (20 contacts)
    expect(v.nodes.map((x) => x.id)).not.toContain('L00');
    expect(v.ties).toHaveLength(8);
    expect(v.more).toEqual([expect.objectContaining({ id: 'more:H', parent: 'H', count: 12 + 5 })]);
  });

  it('does not fold a leaf that is expanded or tied elsewhere, nor an unfolded node', () => {
    let m = star(20);
    m = mergeTies(m, { nodes: [person('L00'), person('L01')], ties: [tie('L00', 'L01', [['2024-01-01', 1]])] });
    const v = visibleGraph(m, { ...all, collapseAbove: 8 });
    expect(v.nodes.map((x) => x.id)).toEqual(expect.arrayContaining(['L00', 'L01']));
    expect(v.more[0]?.count).toBe(10 + 5);
    const open = visibleGraph(m, { ...all, collapseAbove: 8, unfolded: new Set(['H']) });
    expect(open.nodes).toHaveLength(21);
    expect(open.more[0]?.count).toBe(5); // still the server's
  });

  it('never folds when collapseAbove is 0, and shows only the server count', () => {
    const v = visibleGraph(star(20), all);
    expect(v.nodes).toHaveLength(21);
    expect(v.more).toEqual([{ id: 'more:H', parent: 'H', count: 5, folded: [] }]);
  });
});

describe('paths', () => {
  it('names the ties between consecutive steps', () => {
    expect([...pathTies(['A', 'B', 'C'])]).toEqual([tieKey('A', 'B'), tieKey('B', 'C')]);
    expect(pathTies(['A']).size).toBe(0);
  });
});

describe('canvas documents', () => {
  function state(): CanvasState {
    const model = mergeNeighbourhood(emptyModel('A'), expandA(), 25);
    return {
      model,
      positions: { A: { x: 1, y: 2 }, B: { x: 3, y: 4 }, C: { x: 5, y: 6 }, 'imei:1': { x: 7, y: 8 } },
      pinned: ['B'],
      groups: [{ id: 'g1', name: 'cell', members: ['A', 'B'] }],
      notes: [{ id: 'n1', text: 'met in prison', node: 'B' }, { id: 'n2', text: 'lead' }],
      view: { window: { from: 10, to: 20 }, kinds: ['call'], collapseAbove: 12, unfolded: ['A'], camera: { x: 0.4, y: 0.6, ratio: 1.5 } },
    };
  }

  it('round-trips nodes, positions, ties, groups, notes and the view', () => {
    const s = state();
    const back = fromDocument(JSON.parse(JSON.stringify(toDocument(s))));
    expect(back.model.seed).toBe('A');
    expect(back.positions).toEqual(s.positions);
    expect(back.pinned).toEqual(['B']);
    expect(back.groups).toEqual(s.groups);
    expect(back.notes).toEqual(s.notes);
    expect(back.view).toEqual(s.view);
    expect(Object.keys(back.model.ties).sort()).toEqual(Object.keys(s.model.ties).sort());
    expect(back.model.ties[tieKey('A', 'B')]).toEqual(s.model.ties[tieKey('A', 'B')]);
    expect(back.model.nodes['A']).toMatchObject({ expanded: true, limit: 25 });
  });

  it('writes node ids only where the server withholds them (nodes, edges, members, notes)', () => {
    const doc = toDocument(state());
    expect(JSON.stringify(doc.view)).not.toMatch(/"A"|"B"/); // start node and unfolded are node flags
    expect(doc.nodes.find((n) => n.id === 'A')).toMatchObject({ seed: true, unfolded: true });
    const text = JSON.stringify(doc);
    expect(text).not.toContain('proposed'); // a selector's proposed owner names a person
    // Nor the saver's counts and graph facts (persons a reader may not see).
    for (const n of doc.nodes) expect(Object.keys(n)).not.toEqual(expect.arrayContaining(['more']));
    expect(text).not.toMatch(/"more"|"community"|"broker"/);
    expect(JSON.parse(text).nodes.find((n: { id: string }) => n.id === 'imei:1')).not.toHaveProperty('proposedOwner');
  });

  it('reads a withheld document: ties and members naming absent nodes are dropped', () => {
    const doc = toDocument(state());
    doc.nodes = doc.nodes.filter((n) => n.id !== 'A'); // the server withheld A and what refers to it... all but this tie
    const back = fromDocument(doc);
    expect(back.model.seed).not.toBe('A');
    expect(Object.values(back.model.ties).some((x) => x.source === 'A' || x.target === 'A')).toBe(false);
    expect(back.groups[0]?.members).toEqual(['B']);
  });

  it('tolerates a malformed document', () => {
    const back = fromDocument({ nodes: [{ x: 1 }, { id: 'P1', x: 'no' }], edges: 'x', view: { window: 3 } });
    expect(Object.keys(back.model.nodes)).toEqual(['P1']);
    expect(back.positions['P1']).toEqual({ x: 0, y: 0 });
    expect(back.view.window).toBeNull();
  });
});

describe('undo and redo', () => {
  it('walks back and forth, and a new edit drops the redo branch', () => {
    const h = createHistory(0);
    h.push(1);
    h.push(2);
    expect(h.undo()).toBe(1);
    expect(h.undo()).toBe(0);
    expect(h.undo()).toBeNull();
    expect(h.current()).toBe(0);
    expect(h.redo()).toBe(1);
    h.push(5);
    expect(h.canRedo()).toBe(false);
    expect(h.undo()).toBe(1);
    expect(h.redo()).toBe(5);
  });

  it('keeps at most `limit` states and resets', () => {
    const h = createHistory(0, 3);
    for (let i = 1; i <= 10; i++) h.push(i);
    expect(h.undo()).toBe(9);
    expect(h.undo()).toBe(8);
    expect(h.undo()).toBe(7);
    expect(h.undo()).toBeNull();
    h.replace(77);
    expect(h.current()).toBe(77);
    expect(h.redo()).toBe(8);
    expect(h.undo()).toBe(77);
    h.reset(42);
    expect(h.current()).toBe(42);
    expect(h.canUndo() || h.canRedo()).toBe(false);
  });
});

describe('shared-handset ties', () => {
  it('keep their evidence (handset, dates of each end) and filter as the kind "handset"', () => {
    const reply: NeighbourhoodReply = {
      node: person('A'),
      nodes: [person('B')],
      ties: [
        {
          ...tie('A', 'B', [['2024-03-02', 1]], ['handset']),
          handsets: [{ device: 'imei:356938035643809', source_first: '2024-01-01T10:00:00Z', source_last: '2024-02-01T10:00:00Z', source_count: 12, target_first: '2024-03-02T09:00:00Z', target_last: '2024-03-04T09:00:00Z', target_count: 3 }],
        },
      ],
      more: 0,
    };
    const model = mergeNeighbourhood(emptyModel('A'), reply, 25);
    const kept = model.ties[tieKey('A', 'B')];
    expect(kept?.handsets).toEqual([
      { device: 'imei:356938035643809', sourceFirst: Date.parse('2024-01-01T10:00:00Z'), sourceLast: Date.parse('2024-02-01T10:00:00Z'), sourceCount: 12, targetFirst: Date.parse('2024-03-02T09:00:00Z'), targetLast: Date.parse('2024-03-04T09:00:00Z'), targetCount: 3 },
    ]);
    // A later ties reply without the evidence keeps it.
    const again = mergeTies(model, { nodes: [], ties: [tie('A', 'B', [['2024-03-02', 1]], ['handset'])] });
    expect(again.ties[tieKey('A', 'B')]?.handsets?.[0]?.device).toBe('imei:356938035643809');
    expect(visibleGraph(model, { ...all, kinds: new Set(['handset']) }).ties).toHaveLength(1);
    expect(visibleGraph(model, { ...all, kinds: new Set(['call']) }).ties).toHaveLength(0);
  });
});
