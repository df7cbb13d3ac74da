import { describe, expect, it } from 'vitest';
import { approvalBlocker, figure, siteRows, type PlanSummary, type TargetCoverage } from './model';

const target = (site: string, shift: number, coverage: number, attacker: number, binding: boolean): TargetCoverage => ({
  site,
  shift,
  coverage,
  attacker_utility: attacker,
  defender_utility: -attacker,
  binding,
  why: `${site}/${shift}`,
});

describe('protect view model', () => {
  it('groups targets into one row per site, shifts in columns, the binding shift explaining it', () => {
    const rows = siteRows(
      [target('S1', 0, 0.5, 2, false), target('S1', 2, 0.25, 3, true), target('S2', 1, 1, 0, false), target('S2', 0, 0.9, 1, false)],
      3,
    );
    expect(rows.map((r) => r.site)).toEqual(['S1', 'S2']);
    expect(rows[0]?.coverage).toEqual([0.5, null, 0.25]);
    expect(rows[0]?.binding).toBe(true);
    expect(rows[0]?.why).toBe('S1/2');
    expect(rows[0]?.attackerUtility).toBe(3);
    expect(rows[1]?.coverage).toEqual([0.9, 1, null]);
    expect(rows[1]?.binding).toBe(false);
    expect(rows[1]?.why).toBe('S2/0'); // the most exposed shift
  });

  it('lets only a supervisor who is not the proposer approve a pending plan', () => {
    const plan = { proposed_by: 'ana', approved: false, approved_by: '' } as PlanSummary;
    expect(approvalBlocker(plan, 'sam', 'supervisor')).toBeNull();
    expect(approvalBlocker(plan, 'ana', 'supervisor')).toMatch(/four eyes/);
    expect(approvalBlocker(plan, 'bob', 'analyst')).toMatch(/needs a supervisor/);
    expect(approvalBlocker({ ...plan, approved: true, approved_by: 'sam' }, 'tom', 'supervisor')).toMatch(/Approved by sam/);
  });

  it('formats unknown figures as a dash', () => {
    expect(figure(null)).toBe('—');
    expect(figure(Number.NaN)).toBe('—');
    expect(figure(2.857142857)).toBe('2.8571');
  });
});
