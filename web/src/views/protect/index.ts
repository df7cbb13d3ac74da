// Protective deployment (/protect?plan=ID): the stored plans (proposed,
// approved), and one plan's sites with their coverage per shift, the
// attacker's best-response utility beside the uniform and value-proportional
// allocations, the binding sites and why, who proposed and who approved it;
// a supervisor who is not the proposer approves it here with a reason
// (POST /v1/protect/plans/{id}/approve), and an approved plan's day is drawn
// on demand (GET /v1/protect/plans/{id}/schedule). Map-free: a table.
import { currentSession, get, post } from '../../api';
import { badge, h, table, time } from '../../dom';
import type { View } from '../../router';
import { errorBox, loading, pageHeader, reasonForm } from '../../ui';
import { approvalBlocker, figure, siteRows, type PlanDetail, type PlanSummary } from './model';

interface Day {
  day: number;
  assignments: { resource: string; shift: number; sites: string[] }[];
}

function stateBadge(plan: PlanSummary): HTMLElement {
  return plan.approved ? badge('approved', 'ok') : badge('pending approval', 'warn');
}

function plansTable(plans: PlanSummary[], selected: string): HTMLElement {
  return table(
    ['Plan', 'State', 'Proposed by', 'Approved by', "Attacker's utility", 'Uniform', 'Value-proportional', 'Sites'],
    plans.map((p) => ({
      props: p.id === selected ? { 'data-plan': p.id, class: 'selected' } : { 'data-plan': p.id },
      cells: [
        h('a', { href: `/protect?plan=${encodeURIComponent(p.id)}`, class: 'mono' }, p.id),
        stateBadge(p),
        p.proposed_by,
        p.approved ? p.approved_by : '—',
        figure(p.attacker_utility),
        figure(p.uniform_attacker_utility),
        figure(p.proportional_attacker_utility),
        String(p.sites),
      ],
    })),
    'Stored plans',
  );
}

function headline(plan: PlanDetail): HTMLElement {
  return h(
    'dl',
    { class: 'facts', 'aria-label': 'The plan in figures' },
    h('dt', null, "Attacker's best-response utility"),
    h('dd', { 'data-figure': 'attacker' }, figure(plan.attacker_utility)),
    h('dt', null, 'Under a uniform allocation'),
    h('dd', { 'data-figure': 'uniform' }, figure(plan.uniform_attacker_utility)),
    h('dt', null, 'Under a value-proportional allocation'),
    h('dd', { 'data-figure': 'proportional' }, figure(plan.proportional_attacker_utility)),
    h('dt', null, 'Expected protection (defender utility if attacked)'),
    h('dd', null, figure(plan.defender_utility)),
    h('dt', null, 'Binding'),
    h('dd', null, `${plan.binding_targets} of ${plan.targets} site-shifts; the attacker's choice among them: ${plan.attacked.site}, shift ${plan.attacked.shift}`),
    h('dt', null, 'Proposed by'),
    h('dd', { 'data-who': 'proposer' }, plan.proposed_by, ' ', time(plan.proposed_at)),
    h('dt', null, 'Approved by'),
    h('dd', { 'data-who': 'approver' }, plan.approved ? [plan.approved_by, ' ', time(plan.approved_at), ` — ${plan.approval_reason}`] : 'not yet'),
    h('dt', null, 'Threat assessments'),
    h('dd', null, plan.threat_assessments.map((t) => `${t.area} ×${t.level} (${t.legal_basis}, by ${t.author}, ${t.assessed_on})`).join('; ') || '—'),
  );
}

function sitesTable(plan: PlanDetail): HTMLElement {
  const shifts = Math.max(1, plan.shifts);
  const rows = siteRows(plan.target_coverage, shifts);
  const shiftHeads = Array.from({ length: shifts }, (_, s) => `Coverage, shift ${s}`);
  return h(
    'div',
    { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Sites and coverage' },
    table(
      ['Site', ...shiftHeads, "Attacker's utility", 'Binding', 'Why'],
      rows.map((r) => ({
        props: { 'data-site': r.site },
        cells: [
          h('span', { class: 'mono' }, r.site),
          ...r.coverage.map((c) => (c === null ? h('span', { class: 'hint' }, 'closed') : h('span', { 'data-coverage': String(c) }, figure(c, 3)))),
          figure(r.attackerUtility),
          r.binding ? badge('binding', 'warn') : '',
          h('span', { class: 'hint' }, r.why),
        ],
      })),
      `${rows.length} sites`,
    ),
  );
}

function approval(plan: PlanDetail, approved: (reply: PlanSummary) => void): HTMLElement {
  const session = currentSession();
  const blocker = approvalBlocker(plan, session?.user ?? '', session?.role ?? '');
  if (blocker) return h('p', { class: 'hint', 'data-approval': 'blocked' }, blocker);
  return reasonForm(`Approve plan ${plan.id}`, [{ value: 'approve', label: 'Approve', kind: 'good' }], async (_choice, reason) => {
    const r = await post<PlanSummary>(`/v1/protect/plans/${encodeURIComponent(plan.id)}/approve`, { reason });
    approved(r);
    return `Plan ${r.id} approved by ${r.approved_by}. Recorded in the audit log.`;
  });
}

function schedule(plan: PlanSummary): HTMLElement {
  const out = h('div', { class: 'schedule', 'aria-live': 'polite' });
  if (!plan.approved) return h('p', { class: 'hint', 'data-schedule': 'blocked' }, 'Days are drawn only from an approved plan.');
  const draw = async (): Promise<void> => {
    out.replaceChildren(loading('Drawing a day'));
    try {
      const reply = await get<{ days: Day[] }>(`/v1/protect/plans/${encodeURIComponent(plan.id)}/schedule`, { days: 1 });
      const day = reply.days[0];
      out.replaceChildren(
        day
          ? table(
              ['Shift', 'Resource', 'Sites'],
              day.assignments.map((a) => ({ cells: [String(a.shift), a.resource, h('span', { class: 'mono' }, a.sites.join(' → '))] })),
              "A day's schedule (drawn at random from the plan; not predictable)",
            )
          : h('p', { class: 'empty' }, 'No day drawn.'),
      );
    } catch (error) {
      out.replaceChildren(errorBox(error));
    }
  };
  return h('div', null, h('button', { type: 'button', class: 'btn', 'data-action': 'draw-day', on: { click: () => void draw() } }, "Draw a day's schedule"), out);
}

export const protectView: View = {
  path: '/protect',
  title: 'Protective deployment',
  async render(main, _params, query) {
    const list = h('div', null, loading('Loading plans'));
    const detail = h('section', { class: 'plan-detail', 'aria-label': 'The selected plan' });
    main.replaceChildren(
      pageHeader('Protective deployment', 'Where guards and patrols go, shift by shift, at random, with the reasons. A plan takes effect when a supervisor who did not propose it approves it.'),
      list,
      detail,
    );
    let selected = query.get('plan') ?? '';
    const loadList = async (): Promise<void> => {
      const reply = await get<{ plans: PlanSummary[] }>('/v1/protect/plans');
      const plans = [...reply.plans].reverse(); // newest first
      if (!selected) selected = plans[0]?.id ?? '';
      list.replaceChildren(
        h('p', { class: 'subtitle', role: 'status' }, `${plans.length} plans, ${plans.filter((p) => !p.approved).length} pending approval.`),
        plans.length ? plansTable(plans, selected) : h('p', { class: 'empty' }, 'No plan is stored (vigil protect plan, or POST /v1/protect/plans).'),
      );
    };
    // After an approval: the list and the plan's state and approver, the
    // approval's own message left in place.
    const approved = (reply: PlanSummary): void => {
      detail.querySelector('.item-head .badge')?.replaceWith(stateBadge(reply));
      detail.querySelector('[data-who=approver]')?.replaceChildren(reply.approved_by, ' ', time(reply.approved_at), ` — ${reply.approval_reason}`);
      detail.querySelector('[data-schedule=blocked]')?.replaceWith(schedule(reply));
      loadList().catch((error: unknown) => list.replaceChildren(errorBox(error)));
    };
    const load = async (): Promise<void> => {
      try {
        await loadList();
        if (!selected) {
          detail.replaceChildren();
          return;
        }
        detail.replaceChildren(loading('Loading the plan'));
        const plan = await get<PlanDetail>(`/v1/protect/plans/${encodeURIComponent(selected)}`);
        detail.replaceChildren(
          h('h2', { class: 'item-head' }, h('span', { class: 'mono' }, plan.id), ' ', stateBadge(plan)),
          headline(plan),
          h('p', { class: 'hint' }, plan.explanation),
          plan.overlapping_routes ? h('p', { class: 'hint' }, 'Routes overlap: coverage is an upper bound and the protection figure a lower bound.') : '',
          approval(plan, approved),
          sitesTable(plan),
          schedule(plan),
        );
      } catch (error) {
        list.replaceChildren(errorBox(error));
      }
    };
    await load();
    return undefined;
  },
};
