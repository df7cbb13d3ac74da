// The activity timeline: every communication, trip, custody period, report
// and alert of a subject on one zoomable axis (a day to ten years). Dense
// windows are drawn as a stacked histogram, sparse ones as single events
// in lanes; custody periods as bars, quiet periods shaded, reactivation
// alerts marked. Dragging on the plot brushes a window, which is published
// in the shared state (state.ts: brushedWindow) for the network view, and a
// window chosen there (its time slider) is shown here as the brush.
//
// Keyboard: + / - zoom, arrows pan, Home fits, B brushes the visible window,
// Escape clears the brush; the buttons above do the same.
import { h, svg, when } from '../dom';
import { brushedWindow, type TimeWindow } from '../state';
import { CATEGORIES, DAY, MAX_SPAN, MIN_SPAN, binEvents, lowerBound, quietPeriods, seriesOf, shouldBin, ticks, zoom, type Category, type Quiet, type Series, type TimelineEvent } from './model';

export const COLOURS: Record<Category, string> = {
  comm: '#2f6fc2',
  travel: '#2a8c5a',
  custody: '#7a4fb5',
  report: '#b86e00',
  alert: '#c0282d',
};
const LABELS: Record<Category, string> = { comm: 'Communications', travel: 'Travel', custody: 'Custody', report: 'Reports', alert: 'Alerts' };

// Single events are drawn up to this many in the window; above, bins.
const SINGLE_LIMIT = 400;
const QUIET_DAYS = 60;
const HEIGHT = 230;
const AXIS_Y = 190;
const PLOT_TOP = 18;
const LEFT = 8;
const RIGHT = 8;

export interface TimelineInput {
  personId: string;
  events: TimelineEvent[]; // any order
  custody: { from: number; to: number; label: string }[];
  // The events the server did not send (its limit), for the caption.
  truncated: number;
}

export interface TimelineHandle {
  element: HTMLElement;
  // The current view window.
  view(): TimeWindow;
  setView(window: TimeWindow): void;
  destroy(): void;
}

export function createTimeline(input: TimelineInput): TimelineHandle {
  const events = [...input.events].sort((a, b) => a.time - b.time);
  const eventTimes = Float64Array.from(events, (e) => e.time);
  const series: Series = seriesOf(events);
  const activity = Float64Array.from(events.filter((e) => e.category === 'comm' || e.category === 'travel').map((e) => e.time));
  const quiet: Quiet[] = quietPeriods(activity, QUIET_DAYS);
  const reactivations = events.filter((e) => e.category === 'alert' && e.kind.includes('reactivation'));

  const first = events[0]?.time ?? Date.now() - 365 * DAY;
  const last = events[events.length - 1]?.time ?? Date.now();
  const pad = Math.max(DAY, (last - first) * 0.03);
  let view: TimeWindow = clampSpan({ from: first - pad, to: last + pad });
  const initial = { ...view };
  let brush: TimeWindow | null = null;
  let width = 720;

  const plot = svg('svg', { height: HEIGHT, 'aria-hidden': 'true', class: 'timeline-svg' });
  const range = h('div', { class: 'range', 'aria-live': 'polite' });
  const list = h('div', { class: 'timeline-events', tabindex: '0', role: 'region', 'aria-label': 'Events in the window' });
  const status = h('span', { class: 'hint' });

  function clampSpan(w: TimeWindow): TimeWindow {
    const span = Math.min(MAX_SPAN, Math.max(MIN_SPAN, w.to - w.from));
    const mid = (w.from + w.to) / 2;
    return { from: mid - span / 2, to: mid + span / 2 };
  }
  const x = (t: number): number => LEFT + ((t - view.from) / (view.to - view.from)) * (width - LEFT - RIGHT);
  const timeAt = (px: number): number => view.from + ((px - LEFT) / (width - LEFT - RIGHT)) * (view.to - view.from);

  function draw(): void {
    const started = performance.now();
    plot.setAttribute('width', String(width));
    plot.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`);
    const parts: SVGElement[] = [];
    parts.push(svg('rect', { x: 0, y: 0, width, height: HEIGHT, fill: '#fbfcfd' }));
    // Quiet periods, behind everything.
    for (const q of quiet) {
      if (q.to < view.from || q.from > view.to) continue;
      const x0 = Math.max(LEFT, x(q.from));
      const x1 = Math.min(width - RIGHT, x(q.to));
      parts.push(svg('rect', { x: x0, y: PLOT_TOP, width: Math.max(1, x1 - x0), height: AXIS_Y - PLOT_TOP, fill: '#eef0f3', class: 'quiet' }));
      if (x1 - x0 > 60) parts.push(svg('text', { x: (x0 + x1) / 2, y: PLOT_TOP + 12, 'text-anchor': 'middle', 'font-size': 10, fill: '#5b6774' }, `quiet ${q.days} d`));
    }
    const binned = shouldBin(series, view.from, view.to, SINGLE_LIMIT);
    if (binned) {
      const binCount = Math.max(10, Math.floor((width - LEFT - RIGHT) / 5));
      const bins = binEvents(series, view.from, view.to, binCount);
      const max = Math.max(1, ...bins.map((b) => b.total));
      const scale = (AXIS_Y - PLOT_TOP - 22) / max;
      for (const b of bins) {
        let y = AXIS_Y;
        const x0 = x(b.from);
        const w = Math.max(1, x(b.to) - x0 - 1);
        for (const c of CATEGORIES) {
          const n = b.counts[c];
          if (!n) continue;
          const hgt = n * scale;
          y -= hgt;
          parts.push(svg('rect', { x: x0, y, width: w, height: Math.max(0.5, hgt), fill: COLOURS[c] }, svg('title', {}, `${when(new Date(b.from).toISOString())} – ${when(new Date(b.to).toISOString())}: ${n} ${LABELS[c].toLowerCase()}`)));
        }
      }
      parts.push(svg('text', { x: width - RIGHT, y: PLOT_TOP + 10, 'text-anchor': 'end', 'font-size': 10, fill: '#4a5866' }, `histogram · max ${max} per bin`));
    } else {
      // Lanes of single events.
      const laneHeight = (AXIS_Y - PLOT_TOP - 10) / CATEGORIES.length;
      CATEGORIES.forEach((c, i) => {
        const y = PLOT_TOP + 6 + i * laneHeight;
        parts.push(svg('text', { x: LEFT + 2, y: y + 10, 'font-size': 10, fill: '#5b6774' }, LABELS[c]));
        parts.push(svg('line', { x1: LEFT, x2: width - RIGHT, y1: y + laneHeight - 2, y2: y + laneHeight - 2, stroke: '#e3e8ee' }));
      });
      const end = lowerBound(eventTimes, view.to);
      for (let k = lowerBound(eventTimes, view.from); k < end; k++) {
        const e = events[k] as TimelineEvent;
        const i = CATEGORIES.indexOf(e.category);
        const y = PLOT_TOP + 6 + i * laneHeight;
        parts.push(svg('rect', { x: x(e.time) - 1.5, y: y + 12, width: 3, height: laneHeight - 16, fill: COLOURS[e.category], rx: 1 }, svg('title', {}, `${when(new Date(e.time).toISOString())} ${e.kind}: ${e.label}`)));
      }
    }
    // Custody periods as bars along the bottom.
    for (const c of input.custody) {
      if (c.to < view.from || c.from > view.to) continue;
      const x0 = Math.max(LEFT, x(c.from));
      const x1 = Math.min(width - RIGHT, x(c.to));
      parts.push(svg('rect', { x: x0, y: AXIS_Y - 6, width: Math.max(2, x1 - x0), height: 5, fill: COLOURS.custody, opacity: 0.85 }, svg('title', {}, `custody: ${c.label}`)));
    }
    // Reactivation alerts: a marker line with a flag.
    for (const r of reactivations) {
      if (r.time < view.from || r.time >= view.to) continue;
      const px = x(r.time);
      parts.push(svg('line', { x1: px, x2: px, y1: PLOT_TOP, y2: AXIS_Y, stroke: COLOURS.alert, 'stroke-width': 1.5, 'stroke-dasharray': '4 2' }));
      parts.push(svg('path', { d: `M${px},${PLOT_TOP - 2} l6,-8 h-12 z`, fill: COLOURS.alert }, svg('title', {}, `reactivation alert ${when(new Date(r.time).toISOString())}: ${r.label}`)));
    }
    // Axis.
    parts.push(svg('line', { x1: LEFT, x2: width - RIGHT, y1: AXIS_Y, y2: AXIS_Y, stroke: '#8795a5' }));
    for (const t of ticks(view.from, view.to, Math.max(3, Math.floor(width / 110)))) {
      const px = x(t.time);
      parts.push(svg('line', { x1: px, x2: px, y1: AXIS_Y, y2: AXIS_Y + 5, stroke: '#8795a5' }));
      parts.push(svg('text', { x: px, y: AXIS_Y + 17, 'text-anchor': 'middle', 'font-size': 11, fill: '#3d4a57' }, t.label));
    }
    // Brush.
    if (brush) {
      const x0 = Math.max(0, x(brush.from));
      const x1 = Math.min(width, x(brush.to));
      if (x1 > x0) parts.push(svg('rect', { x: x0, y: PLOT_TOP - 4, width: x1 - x0, height: AXIS_Y - PLOT_TOP + 4, fill: 'rgba(242,169,0,0.18)', stroke: '#c98c00', 'stroke-width': 1, class: 'brush' }));
    }
    plot.replaceChildren(...parts);
    const span = (view.to - view.from) / DAY;
    range.replaceChildren(
      h('span', null, when(new Date(view.from).toISOString())),
      h('span', null, `${span >= 2 ? Math.round(span) + ' days' : Math.round(span * 24) + ' hours'} · ${binned ? 'binned' : 'single events'}`),
      h('span', null, when(new Date(view.to).toISOString())),
    );
    status.textContent = `drawn in ${(performance.now() - started).toFixed(1)} ms`;
    plot.dataset['binned'] = String(binned);
    plot.dataset['drawMs'] = (performance.now() - started).toFixed(2);
    listEvents();
  }

  function listEvents(): void {
    const w = brush ?? view;
    // Events are sorted by time: the window's are one slice (two binary
    // searches, not a scan of every event on each draw).
    const lo = lowerBound(eventTimes, w.from);
    const count = lowerBound(eventTimes, w.to) - lo;
    const shown = events.slice(lo, lo + Math.min(count, 200));
    list.replaceChildren(
      h('h3', null, `${brush ? 'Brushed window' : 'Visible window'}: ${count} events`, count > shown.length ? ` (first ${shown.length} listed)` : ''),
      shown.length
        ? h(
            'table',
            { class: 'grid compact' },
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Time (UTC)'), h('th', { scope: 'col' }, 'Kind'), h('th', { scope: 'col' }, 'Detail'))),
            h('tbody', null, shown.map((e) => h('tr', null, h('td', { class: 'mono nowrap' }, when(new Date(e.time).toISOString())), h('td', null, h('span', { class: 'swatch', style: { background: COLOURS[e.category] } }), ' ', e.kind), h('td', null, e.label)))),
          )
        : h('p', { class: 'empty' }, 'No event in this window.'),
    );
  }

  function setBrush(next: TimeWindow | null): void {
    brush = next;
    brushedWindow.set(next ? { personId: input.personId, window: next } : null);
    draw();
  }

  function setView(next: TimeWindow): void {
    view = clampSpan(next);
    draw();
  }

  function zoomBy(factor: number, anchor = (view.from + view.to) / 2): void {
    setView(zoom(view.from, view.to, factor, anchor));
  }
  function pan(fraction: number): void {
    const shift = (view.to - view.from) * fraction;
    setView({ from: view.from + shift, to: view.to + shift });
  }

  // Mouse: wheel zooms around the pointer; drag brushes; shift-drag pans.
  plot.addEventListener('wheel', (event) => {
    event.preventDefault();
    const rect = plot.getBoundingClientRect();
    zoomBy(event.deltaY > 0 ? 1.25 : 0.8, timeAt(event.clientX - rect.left));
  }, { passive: false });
  let dragStart: { px: number; view: TimeWindow; pan: boolean } | null = null;
  plot.addEventListener('pointerdown', (event) => {
    const rect = plot.getBoundingClientRect();
    dragStart = { px: event.clientX - rect.left, view: { ...view }, pan: event.shiftKey };
    plot.setPointerCapture(event.pointerId);
  });
  plot.addEventListener('pointermove', (event) => {
    if (!dragStart) return;
    const rect = plot.getBoundingClientRect();
    const px = event.clientX - rect.left;
    if (dragStart.pan) {
      const shift = ((dragStart.px - px) / (width - LEFT - RIGHT)) * (dragStart.view.to - dragStart.view.from);
      setView({ from: dragStart.view.from + shift, to: dragStart.view.to + shift });
    } else if (Math.abs(px - dragStart.px) > 3) {
      const a = timeAt(dragStart.px);
      const b = timeAt(px);
      brush = { from: Math.min(a, b), to: Math.max(a, b) };
      draw();
    }
  });
  plot.addEventListener('pointerup', (event) => {
    if (!dragStart) return;
    const rect = plot.getBoundingClientRect();
    const moved = Math.abs(event.clientX - rect.left - dragStart.px) > 3;
    const wasPan = dragStart.pan;
    dragStart = null;
    if (!wasPan) setBrush(moved ? brush : null);
  });

  // The accessible name starts with the visible label (WCAG 2.5.3).
  const button = (label: string, title: string, action: () => void): HTMLButtonElement =>
    h('button', { type: 'button', class: 'btn small', title, 'aria-label': /^[A-Za-z]/.test(label) ? `${label}: ${title}` : title, on: { click: action } }, label);
  const presets: [string, number][] = [['Day', DAY], ['Month', 30 * DAY], ['Year', 365 * DAY], ['10 years', 3650 * DAY]];
  const controls = h(
    'div',
    { class: 'timeline-controls' },
    button('+', 'Zoom in (+)', () => zoomBy(0.5)),
    button('−', 'Zoom out (−)', () => zoomBy(2)),
    button('←', 'Pan earlier (←)', () => pan(-0.25)),
    button('→', 'Pan later (→)', () => pan(0.25)),
    button('Fit', 'Fit all events (Home)', () => setView(initial)),
    presets.map(([label, span]) => button(label, `Show ${label.toLowerCase()} around the centre`, () => {
      const mid = (view.from + view.to) / 2;
      setView({ from: mid - span / 2, to: mid + span / 2 });
    })),
    button('Brush view', 'Select the visible window (B)', () => setBrush({ ...view })),
    button('Clear brush', 'Clear the selected window (Escape)', () => setBrush(null)),
    status,
  );
  const frame = h(
    'div',
    {
      class: 'timeline-plot',
      tabindex: '0',
      role: 'group',
      'aria-label': 'Activity timeline. Plus and minus zoom, arrows pan, Home fits, B brushes the visible window, Escape clears the brush.',
      on: {
        keydown: (event: KeyboardEvent) => {
          const keys: Record<string, () => void> = {
            '+': () => zoomBy(0.5), '=': () => zoomBy(0.5), '-': () => zoomBy(2),
            ArrowLeft: () => pan(-0.25), ArrowRight: () => pan(0.25), Home: () => setView(initial),
            b: () => setBrush({ ...view }), Escape: () => setBrush(null),
          };
          const action = keys[event.key];
          if (action) {
            event.preventDefault();
            action();
          }
        },
      },
    },
    plot,
  );
  const legend = h(
    'div',
    { class: 'legend' },
    CATEGORIES.map((c) => h('span', null, h('i', { style: { background: COLOURS[c] } }), `${LABELS[c]} (${series[c].length})`)),
    h('span', null, h('i', { style: { background: '#eef0f3', border: '1px solid #c9d0d8' } }), `quiet ≥ ${QUIET_DAYS} days (${quiet.length})`),
    h('span', null, h('i', { style: { background: COLOURS.alert } }), `reactivation (${reactivations.length})`),
    input.truncated > 0 ? h('span', { class: 'warn-text' }, `${input.truncated} older events not loaded`) : null,
  );
  const element = h('section', { class: 'timeline', 'aria-label': 'Activity timeline' }, controls, frame, range, legend, list);

  const observer = new ResizeObserver(() => {
    const next = Math.max(320, Math.floor(frame.clientWidth));
    if (next !== width) {
      width = next;
      draw();
    }
  });
  observer.observe(frame);
  // The network view's time slider (or an earlier brush) on the same
  // subject shows here as the brush.
  const adopt = (shared: ReturnType<typeof brushedWindow.get>): void => {
    if (!shared || shared.personId !== input.personId) return;
    if (brush && brush.from === shared.window.from && brush.to === shared.window.to) return;
    brush = { ...shared.window };
    draw();
  };
  const stopShared = brushedWindow.subscribe(adopt);
  const shared = brushedWindow.get();
  if (shared && shared.personId === input.personId) brush = { ...shared.window };
  draw();
  return {
    element,
    view: () => ({ ...view }),
    setView,
    destroy: () => {
      observer.disconnect();
      stopShared();
    },
  };
}
