import { describe, expect, it } from 'vitest';
import { DAY, MAX_SPAN, MIN_SPAN, binEvents, categoryOf, countIn, lowerBound, quietPeriods, seriesOf, shouldBin, ticks, zoom, type TimelineEvent } from './model';

const T0 = Date.UTC(2023, 0, 1);

function events(times: number[], category: TimelineEvent['category'] = 'comm'): TimelineEvent[] {
  return times.map((time) => ({ time, category, kind: category, label: '' }));
}

describe('lowerBound', () => {
  it('finds the first index at or after t', () => {
    const times = Float64Array.from([1, 3, 3, 7]);
    expect(lowerBound(times, 0)).toBe(0);
    expect(lowerBound(times, 3)).toBe(1);
    expect(lowerBound(times, 4)).toBe(3);
    expect(lowerBound(times, 8)).toBe(4);
  });
});

describe('binEvents', () => {
  it('counts each category per bin, half-open, and loses no event in range', () => {
    // Days 0, 0.5, 1, 2.9 (comms) and day 2 (travel), binned by day over [0, 3).
    const series = seriesOf([
      ...events([T0, T0 + DAY / 2, T0 + DAY, T0 + 2.9 * DAY]),
      ...events([T0 + 2 * DAY], 'travel'),
      ...events([T0 + 3 * DAY], 'report'), // at `to`: outside
    ]);
    const bins = binEvents(series, T0, T0 + 3 * DAY, 3);
    expect(bins.map((b) => b.counts.comm)).toEqual([2, 1, 1]);
    expect(bins.map((b) => b.counts.travel)).toEqual([0, 0, 1]);
    expect(bins.map((b) => b.total)).toEqual([2, 1, 2]);
    expect(bins.reduce((sum, b) => sum + b.counts.report, 0)).toBe(0);
    expect(bins[0]?.from).toBe(T0);
    expect(bins[2]?.to).toBe(T0 + 3 * DAY);
  });

  it('agrees with a direct count on 100,000 random events', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const times = Array.from({ length: 100_000 }, () => T0 + random() * 3650 * DAY);
    const series = seriesOf(events(times));
    const from = T0 + 100 * DAY;
    const to = T0 + 1100 * DAY;
    const bins = binEvents(series, from, to, 200);
    const direct = new Array<number>(200).fill(0);
    const width = (to - from) / 200;
    for (const t of times) {
      if (t < from || t >= to) continue;
      const i = Math.min(199, Math.floor((t - from) / width));
      direct[i] = (direct[i] ?? 0) + 1;
    }
    // Bin edges are computed the same way, except float rounding at an
    // edge: totals must agree exactly, each bin within one.
    expect(bins.reduce((s, b) => s + b.total, 0)).toBe(direct.reduce((s, n) => s + n, 0));
    bins.forEach((b, i) => expect(Math.abs(b.total - (direct[i] ?? 0))).toBeLessThanOrEqual(1));
  });

  it('returns nothing for an empty window', () => {
    expect(binEvents(seriesOf([]), T0, T0, 10)).toEqual([]);
  });
});

describe('shouldBin', () => {
  it('bins only when the window holds more events than the limit', () => {
    const series = seriesOf(events([T0, T0 + 1, T0 + 2]));
    expect(shouldBin(series, T0, T0 + 10, 3)).toBe(false);
    expect(shouldBin(series, T0, T0 + 10, 2)).toBe(true);
    expect(countIn(series.comm, T0 + 1, T0 + 10)).toBe(2);
  });
});

describe('quietPeriods', () => {
  it('reports gaps of at least the given number of days', () => {
    const times = Float64Array.from([T0, T0 + 10 * DAY, T0 + 100 * DAY, T0 + 101 * DAY]);
    expect(quietPeriods(times, 60)).toEqual([{ from: T0 + 10 * DAY, to: T0 + 100 * DAY, days: 90 }]);
    expect(quietPeriods(times, 91)).toEqual([]);
  });
});

describe('zoom', () => {
  it('keeps the anchor in place and the span within a day and ten years', () => {
    const z = zoom(T0, T0 + 100 * DAY, 0.5, T0 + 50 * DAY);
    expect(z.to - z.from).toBe(50 * DAY);
    expect((z.from + z.to) / 2).toBe(T0 + 50 * DAY);
    const tight = zoom(T0, T0 + 2 * DAY, 0.01, T0);
    expect(tight.to - tight.from).toBe(MIN_SPAN);
    expect(tight.from).toBe(T0);
    const wide = zoom(T0, T0 + 3000 * DAY, 10, T0);
    expect(wide.to - wide.from).toBe(MAX_SPAN);
  });
});

describe('categoryOf and ticks', () => {
  it('maps server kinds to categories', () => {
    expect(categoryOf('call')).toBe('comm');
    expect(categoryOf('custody_end')).toBe('custody');
    expect(categoryOf('travel')).toBe('travel');
    expect(categoryOf('report')).toBe('report');
  });
  it('places ticks at round UTC times inside the window', () => {
    const yearly = ticks(Date.UTC(2020, 5, 1), Date.UTC(2026, 5, 1), 7);
    expect(yearly.map((t) => t.label)).toEqual(['2021', '2022', '2023', '2024', '2025', '2026']);
    const daily = ticks(Date.UTC(2023, 0, 1, 12), Date.UTC(2023, 0, 5));
    expect(daily.map((t) => t.label)).toEqual(['2023-01-02', '2023-01-03', '2023-01-04']);
    for (const t of ticks(T0, T0 + DAY)) {
      expect(t.time).toBeGreaterThanOrEqual(T0);
      expect(t.time).toBeLessThan(T0 + DAY);
    }
  });
});
