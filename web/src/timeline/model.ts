// The timeline's arithmetic, free of the DOM (unit-tested in model.test.ts):
// event categories, binning of dense periods into a histogram, quiet
// periods, zoom limits and axis ticks.

export const DAY = 86_400_000;
export const MIN_SPAN = DAY; // the closest zoom: one day
export const MAX_SPAN = 3653 * DAY; // the widest: ten years

export type Category = 'comm' | 'travel' | 'custody' | 'report' | 'alert';
export const CATEGORIES: Category[] = ['comm', 'travel', 'custody', 'report', 'alert'];

export interface TimelineEvent {
  time: number; // ms since the epoch
  category: Category;
  kind: string; // "call", "sms", "travel", "custody_start", "reactivation", ...
  label: string;
}

// The category of a server timeline kind.
export function categoryOf(kind: string): Category {
  if (kind === 'travel') return 'travel';
  if (kind.startsWith('custody')) return 'custody';
  if (kind === 'report') return 'report';
  return 'comm';
}

// Index of the first element of sorted `times` that is >= t. O(log n).
export function lowerBound(times: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Events of each category as sorted time arrays, for binning.
export type Series = Record<Category, Float64Array>;

export function seriesOf(events: TimelineEvent[]): Series {
  const lists: Record<Category, number[]> = { comm: [], travel: [], custody: [], report: [], alert: [] };
  for (const e of events) lists[e.category].push(e.time);
  const out = {} as Series;
  for (const c of CATEGORIES) out[c] = Float64Array.from(lists[c]).sort();
  return out;
}

// Number of events of `series` in [from, to). O(log n).
export function countIn(times: Float64Array, from: number, to: number): number {
  return lowerBound(times, to) - lowerBound(times, from);
}

export interface Bin {
  from: number;
  to: number;
  counts: Record<Category, number>;
  total: number;
}

// `binCount` equal bins over [from, to), each with its count per category.
// Cost: O(binCount x categories x log n): independent of how many events
// the window holds, so a 100,000-event timeline zooms in constant time.
export function binEvents(series: Series, from: number, to: number, binCount: number): Bin[] {
  if (!(to > from) || binCount < 1) return [];
  const width = (to - from) / binCount;
  const bins: Bin[] = [];
  const cursors = {} as Record<Category, number>;
  for (const c of CATEGORIES) cursors[c] = lowerBound(series[c], from);
  for (let i = 0; i < binCount; i++) {
    const start = from + i * width;
    const end = i === binCount - 1 ? to : from + (i + 1) * width;
    const counts = { comm: 0, travel: 0, custody: 0, report: 0, alert: 0 };
    let total = 0;
    for (const c of CATEGORIES) {
      const next = lowerBound(series[c], end);
      counts[c] = next - cursors[c];
      cursors[c] = next;
      total += counts[c];
    }
    bins.push({ from: start, to: end, counts, total });
  }
  return bins;
}

// Whether the window is dense enough to draw as a histogram rather than
// as single events: more events than `limit` in it.
export function shouldBin(series: Series, from: number, to: number, limit: number): boolean {
  let total = 0;
  for (const c of CATEGORIES) total += countIn(series[c], from, to);
  return total > limit;
}

export interface Quiet {
  from: number;
  to: number;
  days: number;
}

// Gaps of at least `minDays` between consecutive activity times (sorted),
// the periods in which a subject went quiet. O(n).
export function quietPeriods(times: Float64Array, minDays: number): Quiet[] {
  const out: Quiet[] = [];
  for (let i = 1; i < times.length; i++) {
    const gap = (times[i] as number) - (times[i - 1] as number);
    if (gap >= minDays * DAY) out.push({ from: times[i - 1] as number, to: times[i] as number, days: Math.floor(gap / DAY) });
  }
  return out;
}

// The window after zooming by `factor` (<1 zooms in) around `anchor`,
// its span kept within [MIN_SPAN, MAX_SPAN].
export function zoom(from: number, to: number, factor: number, anchor: number): { from: number; to: number } {
  const span = to - from;
  const next = Math.min(MAX_SPAN, Math.max(MIN_SPAN, span * factor));
  const ratio = span > 0 ? (anchor - from) / span : 0.5;
  const start = anchor - ratio * next;
  return { from: start, to: start + next };
}

const STEPS: { ms: number; unit: 'hour' | 'day' | 'month' | 'year'; n: number }[] = [
  { ms: 3_600_000, unit: 'hour', n: 1 },
  { ms: 3 * 3_600_000, unit: 'hour', n: 3 },
  { ms: 6 * 3_600_000, unit: 'hour', n: 6 },
  { ms: 12 * 3_600_000, unit: 'hour', n: 12 },
  { ms: DAY, unit: 'day', n: 1 },
  { ms: 2 * DAY, unit: 'day', n: 2 },
  { ms: 7 * DAY, unit: 'day', n: 7 },
  { ms: 14 * DAY, unit: 'day', n: 14 },
  { ms: 30 * DAY, unit: 'month', n: 1 },
  { ms: 91 * DAY, unit: 'month', n: 3 },
  { ms: 182 * DAY, unit: 'month', n: 6 },
  { ms: 365 * DAY, unit: 'year', n: 1 },
  { ms: 2 * 365 * DAY, unit: 'year', n: 2 },
];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

// Axis ticks at round times (UTC) for [from, to), about `target` of them,
// each with its label. O(ticks).
export function ticks(from: number, to: number, target = 6): { time: number; label: string }[] {
  const span = to - from;
  const step = STEPS.find((s) => span / s.ms <= target) ?? (STEPS[STEPS.length - 1] as (typeof STEPS)[number]);
  const out: { time: number; label: string }[] = [];
  const d = new Date(from);
  let t: Date;
  if (step.unit === 'hour') {
    t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), Math.ceil(d.getUTCHours() / step.n) * step.n));
  } else if (step.unit === 'day') {
    t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
  } else if (step.unit === 'month') {
    t = new Date(Date.UTC(d.getUTCFullYear(), Math.ceil((d.getUTCMonth() + 1) / step.n) * step.n, 1));
  } else {
    t = new Date(Date.UTC(Math.ceil((d.getUTCFullYear() + 1) / step.n) * step.n, 0, 1));
  }
  for (let guard = 0; t.getTime() < to && guard < 200; guard++) {
    if (t.getTime() >= from) {
      const label =
        step.unit === 'hour'
          ? `${pad(t.getUTCDate())}/${pad(t.getUTCMonth() + 1)} ${pad(t.getUTCHours())}:00`
          : step.unit === 'day'
            ? `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`
            : step.unit === 'month'
              ? `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}`
              : String(t.getUTCFullYear());
      out.push({ time: t.getTime(), label });
    }
    if (step.unit === 'hour') t = new Date(t.getTime() + step.n * 3_600_000);
    else if (step.unit === 'day') t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + step.n));
    else if (step.unit === 'month') t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + step.n, 1));
    else t = new Date(Date.UTC(t.getUTCFullYear() + step.n, 0, 1));
  }
  return out;
}
