// The protective-deployment view's arithmetic (pure, unit-tested): a plan's
// targets (a site in a shift) grouped into one row per site, and who may
// approve a plan.

export interface TargetCoverage {
  site: string;
  shift: number;
  coverage: number;
  attacker_utility: number;
  defender_utility: number;
  binding: boolean;
  why: string;
}

export interface PlanSummary {
  id: string;
  content_hash: string;
  proposed_by: string;
  proposed_at: string;
  approved: boolean;
  approved_by: string;
  approved_at: string;
  approval_reason: string;
  attacker_utility: number;
  uniform_attacker_utility: number | null;
  proportional_attacker_utility: number | null;
  defender_utility: number;
  attacked: { site: string; shift: number };
  sites: number;
  targets: number;
  binding_targets: number;
  routes: boolean;
  overlapping_routes: boolean;
  explanation: string;
}

export interface PlanDetail extends PlanSummary {
  shifts: number;
  threat_assessments: { area: string; level: number; legal_basis: string; author: string; assessed_on: string }[];
  target_coverage: TargetCoverage[];
}

// One site: its coverage in each shift it is open (null: closed then), the
// attacker's best utility over its shifts, and whether any of its shifts
// binds, with the explanation of its most exposed shift.
export interface SiteRow {
  site: string;
  coverage: (number | null)[];
  attackerUtility: number;
  binding: boolean;
  why: string;
}

// Groups targets by site, in the order the sites first appear. `shifts` is
// the day's number of shifts (shifts past it are ignored).
export function siteRows(targets: TargetCoverage[], shifts: number): SiteRow[] {
  const rows = new Map<string, SiteRow>();
  for (const t of targets) {
    let row = rows.get(t.site);
    if (!row) {
      row = { site: t.site, coverage: Array.from({ length: shifts }, () => null), attackerUtility: -Infinity, binding: false, why: '' };
      rows.set(t.site, row);
    }
    if (t.shift >= 0 && t.shift < shifts) row.coverage[t.shift] = t.coverage;
    // The binding shift explains the row; else the most exposed one.
    const better = (t.binding && !row.binding) || (t.binding === row.binding && t.attacker_utility > row.attackerUtility);
    if (better) row.why = t.why;
    row.binding ||= t.binding;
    row.attackerUtility = Math.max(row.attackerUtility, t.attacker_utility);
  }
  return [...rows.values()];
}

// Why the signed-in user may or may not approve: a supervisor who is not
// the proposer, of a plan not yet approved (the server checks the same).
export function approvalBlocker(plan: PlanSummary, user: string, role: string): string | null {
  if (plan.approved) return `Approved by ${plan.approved_by}.`;
  if (role !== 'supervisor') return 'Approval needs a supervisor who is not the proposer.';
  if (plan.proposed_by === user) return 'You proposed this plan: a second person must approve it (four eyes).';
  return null;
}

// A utility or coverage for display: 4 decimals, "—" when unknown.
export function figure(value: number | null | undefined, digits = 4): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}
