import { describe, expect, it } from 'vitest';
import { summarise } from './index';

describe('who looked at a person', () => {
  it('groups the records by user with counts, first and last time, actions and purposes', () => {
    const rows = summarise([
      { user: 'ana', time: '2026-01-02T10:00:00Z', action: 'read_person', purpose: 'op lantern', outcome: 'allowed' },
      { user: 'bob', time: '2026-01-05T09:00:00Z', action: 'triage_alert', purpose: 'triage', outcome: 'allowed' },
      { user: 'ana', time: '2026-01-01T08:00:00Z', action: 'read_comms', purpose: 'op lantern', outcome: 'allowed' },
      { user: 'ana', time: '2026-01-03T08:00:00Z', action: 'read_person', purpose: 'tasking 117', outcome: 'refused' },
    ]);
    expect(rows.map((r) => r.user)).toEqual(['bob', 'ana']); // most recent first
    const ana = rows[1];
    if (!ana) throw new Error('no row for ana');
    expect(ana.count).toBe(3);
    expect(ana.refused).toBe(1);
    expect(ana.first).toBe('2026-01-01T08:00:00Z');
    expect(ana.last).toBe('2026-01-03T08:00:00Z');
    expect(ana.actions).toEqual(['read_comms', 'read_person']);
    expect(ana.purposes).toEqual(['op lantern', 'tasking 117']);
  });

  it('is empty for no record', () => {
    expect(summarise([])).toEqual([]);
  });
});
