// The protective-deployment journey (imported by run.mjs): an analyst
// proposes a plan (POST /v1/protect/plans), sees it in the view with every
// site's coverage as the server computed it and the attacker's utility beside
// the uniform and value-proportional allocations, and is offered no approval;
// the analyst's approval through the API is refused (403) and leaves the plan
// pending; the proposer (a supervisor) is refused approval of their own plan;
// a second supervisor approves it in the view with a reason, the view shows
// the approver, the audit log holds the approval, and a day is drawn.

// Six sites in two areas (values set by a named authority), two guard teams.
function inputs(tag) {
  const sites = [];
  for (let i = 0; i < 6; i++) {
    sites.push({ id: `E2E-${tag}-S${i}`, kind: i % 2 ? 'station' : 'school', area: i < 3 ? 'north' : 'south', lat: 48.8 + i / 100, lon: 2.3 + i / 100, shifts: '*', value: 10 + 7 * i, foiled_cost: 2, value_set_by: 'e2e prefecture' });
  }
  return {
    sites,
    resources: [
      { id: `E2E-${tag}-north`, kind: 'guard', units: 1, shifts: '*', covers: 'area:north' },
      { id: `E2E-${tag}-south`, kind: 'guard', units: 2, shifts: '*', covers: 'area:south' },
    ],
    threats: [
      { area: 'north', level: 2, legal_basis: 'e2e assessment order', author: 'e2e analyst', assessed_on: '2026-12-01' },
      { area: 'south', level: 1, legal_basis: 'e2e assessment order', author: 'e2e analyst', assessed_on: '2026-12-01' },
    ],
  };
}

export function protectJourneys({ newPage, login, check, goto, expect, api }) {
  const journeys = {
    async protectApproval() {
      const proposed = await api('POST', '/v1/protect/plans', 'analyst', { inputs: inputs('A'), shifts: 3 });
      expect(proposed.status === 200, `proposal failed: ${JSON.stringify(proposed.json)}`);
      const plan = proposed.json;
      expect(plan.proposed_by === 'analyst' && !plan.approved, `not a pending plan of the analyst: ${JSON.stringify(plan)}`);
      const detail = (await api('GET', `/v1/protect/plans/${plan.id}`, 'analyst')).json;

      // The analyst sees the plan, its figures and every site's coverage,
      // and no approval button.
      const page = await newPage('protectApproval');
      await login(page, 'analyst', 'protective deployment: week 50 plan');
      await goto(page, `/protect?plan=${plan.id}`, `tr[data-site=E2E-A-S0]`);
      const shown = async (figure) => (await page.textContent(`dd[data-figure=${figure}]`))?.trim();
      expect((await shown('attacker')) === plan.attacker_utility.toFixed(4), `attacker's utility shown ${await shown('attacker')}, server ${plan.attacker_utility}`);
      expect((await shown('uniform')) === plan.uniform_attacker_utility.toFixed(4), 'uniform baseline not shown as the server computed it');
      expect((await shown('proportional')) === plan.proportional_attacker_utility.toFixed(4), 'value-proportional baseline not shown as the server computed it');
      expect(plan.attacker_utility <= plan.uniform_attacker_utility + 1e-9 && plan.attacker_utility <= plan.proportional_attacker_utility + 1e-9, 'the plan is worse than a baseline');
      expect((await page.locator('tr[data-site]').count()) === 6, 'not one row per site');
      for (const target of detail.target_coverage) {
        const cell = page.locator(`tr[data-site="${target.site}"] td:nth-child(${2 + target.shift})`);
        const text = (await cell.textContent())?.trim();
        expect(text === target.coverage.toFixed(3), `${target.site} shift ${target.shift}: shown ${text}, server ${target.coverage}`);
      }
      const bindingShown = await page.locator('tr[data-site] .badge.warn').count();
      const bindingSites = new Set(detail.target_coverage.filter((t) => t.binding).map((t) => t.site)).size;
      expect(bindingShown === bindingSites && bindingSites > 0, `binding sites shown ${bindingShown}, server ${bindingSites}`);
      expect((await page.textContent('[data-who=proposer]')).includes('analyst'), 'proposer not shown');
      expect((await page.locator('button[data-choice=approve]').count()) === 0, 'an analyst is offered approval');
      expect((await page.textContent('[data-approval=blocked]')).includes('supervisor'), 'no reason given why the analyst cannot approve');
      await check(page, '30-protect-analyst');
      // The analyst's approval through the API is refused and changes nothing.
      const refused = await api('POST', `/v1/protect/plans/${plan.id}/approve`, 'analyst', { reason: 'I would like it approved' });
      expect(refused.status === 403, `the analyst's approval answered ${refused.status}`);
      const still = (await api('GET', `/v1/protect/plans/${plan.id}`, 'supervisor')).json;
      expect(!still.approved, 'the refused approval approved the plan');
      await page.context().close();

      // A supervisor's own proposal: no button for them, and the server
      // refuses their approval (four eyes).
      const own = (await api('POST', '/v1/protect/plans', 'supervisor', { inputs: inputs('B'), shifts: 3 })).json;
      const self = await api('POST', `/v1/protect/plans/${own.id}/approve`, 'supervisor', { reason: 'my own' });
      expect(self.status === 403 && /four eyes/.test(self.json.error?.message ?? ''), `self-approval answered ${self.status} ${JSON.stringify(self.json)}`);

      // A second supervisor approves in the view.
      const second = await newPage('protectApproval');
      await login(second, 'supervisor2', 'protective deployment: approval of the week 50 plan');
      await goto(second, `/protect?plan=${plan.id}`, 'button[data-choice=approve]');
      await check(second, '31-protect-supervisor');
      await second.locator('input.reason').fill('binding sites checked against the prefecture list');
      await second.locator('button[data-choice=approve]').click();
      await second.locator('.decision .message.ok').waitFor();
      await second.waitForFunction(() => document.querySelector('[data-who=approver]')?.textContent?.includes('supervisor2'));
      await second.waitForSelector(`tr[data-plan="${plan.id}"] .badge.ok`);
      const after = (await api('GET', `/v1/protect/plans/${plan.id}`, 'analyst')).json;
      expect(after.approved && after.approved_by === 'supervisor2', `not approved by supervisor2: ${JSON.stringify(after)}`);
      // A day is drawn from the approved plan: at most the 3 units of each
      // of the 3 shifts, each at sites of the plan.
      await second.locator('button[data-action=draw-day]').click();
      await second.waitForSelector('.schedule table');
      const rows = await second.locator('.schedule tbody tr td:nth-child(3)').allTextContents();
      expect(rows.length >= 1 && rows.length <= 9, `a day of ${rows.length} assignments, expected 1..9`);
      expect(rows.every((sites) => /^E2E-A-S\d$/.test(sites.trim())), `assignments outside the plan: ${rows.join(', ')}`);
      const audit = await api('GET', '/v1/audit?user=supervisor2&newest=true&limit=200', 'auditor');
      expect(audit.json.records.some((r) => r.action === 'approve_protection_plan' && r.object === `protect_plan:${plan.id}` && r.outcome === 'allowed'), 'the approval is not in the audit log');
      const analystRefusal = await api('GET', '/v1/audit?user=analyst&newest=true&limit=200', 'auditor');
      expect(analystRefusal.json.records.some((r) => r.action === 'approve_protection_plan' && r.outcome === 'refused'), "the analyst's refused approval is not in the audit log");
      await second.context().close();
    },
  };
  return { order: ['protectApproval'], journeys };
}
