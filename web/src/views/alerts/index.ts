// The alerts queue: raised alerts with their evidence and triage state,
// filtered by kind, least score, state and subject; the selected alert's
// triage panel beside it (acknowledge, assign to an analyst, dismiss with a
// reason, escalate to a case, reopen), each decision sent with the user's
// reason and shown with the server's answer and in the alert's history.
// Keyboard: j / k move, a acknowledges, d dismisses (the reason first), s
// assigns, e escalates, r reopens, o or Enter opens the subject, / the
// filters, ? the keys.
import { get, post, type Alert } from '../../api';
import { badge, field, h, when } from '../../dom';
import { navigate, type View } from '../../router';
import { errorBox, loading, notice, pageHeader } from '../../ui';

// Renderers of extra controls in a row's actions cell (each gets the alert).
export const alertActions: ((alert: Alert) => Node | null)[] = [];

// Extra keys acting on the current alert, besides the triage keys.
export const alertKeys = new Map<string, { label: string; run: (alert: Alert, row: HTMLElement) => void }>();

export interface TriagedAlert extends Alert {
  key: string;
  state: string;
  assignee?: string;
  case_id?: string;
  reason?: string;
  decided_by?: string;
  decided_at?: string;
}

interface Decision {
  key: string;
  state: string;
  decided_by: string;
  decided_at: string;
  assignee?: string;
  case_id?: string;
  reason?: string;
}

// The triage actions: route, label, key, what they need.
export const TRIAGE = [
  { action: 'acknowledge', label: 'Acknowledge', key: 'a', needs: '' },
  { action: 'assign', label: 'Assign', key: 's', needs: 'assignee' },
  { action: 'dismiss', label: 'Dismiss', key: 'd', needs: 'reason' },
  { action: 'escalate', label: 'Escalate to case', key: 'e', needs: 'case' },
  { action: 'reopen', label: 'Reopen', key: 'r', needs: '' },
] as const;
export type TriageAction = (typeof TRIAGE)[number]['action'];

// What is missing before `action` may be sent; null when nothing is.
export function missingFor(action: TriageAction, values: { reason: string; assignee: string; caseId: string }): string | null {
  if (action === 'dismiss' && !values.reason.trim()) return 'A reason is required to dismiss an alert.';
  if (action === 'assign' && !values.assignee.trim()) return 'Name the analyst to assign the alert to.';
  if (action === 'escalate' && !values.caseId.trim()) return 'Choose the case to escalate to.';
  return null;
}

function stateBadge(state: string): HTMLElement {
  const kind = state === 'open' ? 'warn' : state === 'dismissed' ? '' : state === 'escalated' ? 'bad' : 'ok';
  return badge(state, kind);
}

function describe(d: Decision): string {
  const extra = d.assignee ? ` to ${d.assignee}` : d.case_id ? ` to case ${d.case_id}` : '';
  return `${d.state}${extra} by ${d.decided_by} at ${when(d.decided_at)}${d.reason ? `: “${d.reason}”` : ''}`;
}

export const alertsView: View = {
  path: '/alerts',
  title: 'Alerts',
  async render(main, _params, query) {
    const kind = h('select', null, h('option', { value: '' }, 'every kind'));
    const minScore = h('input', { type: 'number', min: '0', max: '1', step: '0.05', value: '0' });
    const state = h(
      'select',
      null,
      ['', 'open', 'acknowledged', 'assigned', 'dismissed', 'escalated'].map((s) => h('option', { value: s }, s || 'every state')),
    );
    const subject = h('input', { type: 'text', placeholder: 'person id', size: '12', value: query.get('subject') ?? '' });
    const since = h('input', { type: 'date' });
    const body = h('tbody');
    const count = h('p', { class: 'subtitle', role: 'status' });
    const help = h(
      'p',
      { class: 'shortcuts', id: 'alert-keys' },
      'Keys: ', h('span', { class: 'kbd' }, 'j'), ' / ', h('span', { class: 'kbd' }, 'k'), ' next / previous · ',
      TRIAGE.map((t) => [h('span', { class: 'kbd' }, t.key), ` ${t.label.toLowerCase()} · `]),
      h('span', { class: 'kbd' }, 'o'), ' open subject · ', h('span', { class: 'kbd' }, '/'), ' filters',
      [...alertKeys.entries()].map(([key, k]) => [' · ', h('span', { class: 'kbd' }, key), ` ${k.label}`]),
      '. Dismiss, assign and escalate ask for what they need first; ', h('span', { class: 'kbd' }, 'Enter'), ' in the reason sends it.',
    );
    const grid = h(
      'table',
      { class: 'grid alerts', 'aria-label': 'Alerts', 'aria-describedby': 'alert-keys' },
      h('thead', null, h('tr', null, ['Time', 'Kind', 'Score', 'State', 'Subject', 'Evidence', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
      body,
    );
    const status = h('div', { 'aria-live': 'polite' });

    // The triage panel of the selected alert.
    const reason = h('input', { type: 'text', class: 'reason', name: 'reason', placeholder: 'Reason (kept with the decision and in the audit log)' });
    const assignee = h('input', { type: 'text', name: 'assignee', placeholder: 'user name', size: '12' });
    const caseId = h('select', { name: 'case' }, h('option', { value: '' }, 'choose a case'));
    const result = h('div', { class: 'decision-status', 'aria-live': 'polite', 'data-testid': 'triage-result' });
    const history = h('ol', { class: 'history', 'aria-label': 'Decisions about this alert' });
    const heading = h('h2', null, 'No alert selected');
    const summary = h('p', { class: 'explanation' });
    const buttons = new Map<TriageAction, HTMLButtonElement>();
    let pending: TriageAction | null = null;
    const triageForm = h(
      'form',
      { class: 'triage-form', 'aria-label': 'Decide the selected alert', novalidate: true },
      field('Reason', reason, 'Required to dismiss; kept with every decision.'),
      h('div', { class: 'toolbar' }, field('Assign to', assignee), field('Case', caseId)),
      h(
        'div',
        { class: 'decision' },
        TRIAGE.map((t) => {
          const button = h(
            'button',
            { type: 'button', class: `btn ${t.action === 'dismiss' ? 'bad' : t.action === 'escalate' ? 'primary' : ''}`, 'data-action': t.action, 'aria-keyshortcuts': t.key },
            t.label, ' ', h('span', { class: 'kbd', 'aria-hidden': 'true' }, t.key),
          );
          button.addEventListener('click', () => void decide(t.action));
          buttons.set(t.action, button);
          return button;
        }),
      ),
      result,
    );
    triageForm.addEventListener('submit', (event) => {
      event.preventDefault();
      if (pending) void decide(pending);
      else result.replaceChildren(notice('Choose the decision: its button or its key.'));
    });
    const panel = h(
      'aside',
      { class: 'panel triage', 'aria-label': 'Triage of the selected alert' },
      heading,
      summary,
      triageForm,
      h('h3', null, 'History'),
      history,
    );

    let alerts: TriagedAlert[] = [];
    let shown: TriagedAlert[] = [];
    let current = 0;

    const rows = (): HTMLTableRowElement[] => [...body.querySelectorAll<HTMLTableRowElement>('tr[data-index]')];
    const selected = (): TriagedAlert | undefined => shown[current];

    const loadHistory = async (alert: TriagedAlert): Promise<void> => {
      history.replaceChildren(h('li', null, loading('Loading the history')));
      try {
        const reply = await get<{ decisions: Decision[] }>('/v1/alerts/history', { key: alert.key });
        if (selected()?.key !== alert.key) return;
        history.replaceChildren(
          ...(reply.decisions.length
            ? reply.decisions.map((d) => h('li', { 'data-state': d.state }, describe(d)))
            : [h('li', { class: 'empty' }, 'No decision yet: the alert is open.')]),
        );
      } catch (error) {
        history.replaceChildren(h('li', null, errorBox(error)));
      }
    };

    const showPanel = (): void => {
      const alert = selected();
      pending = null;
      result.replaceChildren();
      if (!alert) {
        heading.textContent = 'No alert selected';
        summary.textContent = '';
        history.replaceChildren();
        for (const b of buttons.values()) b.disabled = true;
        return;
      }
      for (const b of buttons.values()) b.disabled = false;
      heading.replaceChildren(`${alert.kind} · ${alert.person_id || 'no subject'} `, stateBadge(alert.state));
      summary.textContent = `${when(alert.time)} · score ${alert.score.toFixed(2)} · ${alert.evidence}`;
      void loadHistory(alert);
    };

    const select = (index: number, focus = true): void => {
      const all = rows();
      if (!all.length) {
        showPanel();
        return;
      }
      const before = current;
      current = Math.max(0, Math.min(all.length - 1, index));
      all.forEach((row, i) => {
        row.classList.toggle('selected', i === current);
        if (i === current) row.setAttribute('aria-current', 'true');
        else row.removeAttribute('aria-current');
        row.tabIndex = i === current ? 0 : -1;
      });
      const row = all[current];
      if (row && focus) {
        row.focus();
        row.scrollIntoView({ block: 'nearest' });
      }
      if (before !== current || !focus) showPanel();
    };

    const rowOf = (a: TriagedAlert, i: number): HTMLTableRowElement =>
      h(
        'tr',
        { 'data-index': String(i), 'data-key': a.key, 'data-person': a.person_id, 'data-kind': a.kind, 'data-state': a.state, tabindex: '-1', on: { click: () => select(i) } },
        h('td', { class: 'mono' }, when(a.time)),
        h('td', null, badge(a.kind, a.kind.includes('reactivation') ? 'bad' : 'warn')),
        h('td', { class: 'score' }, a.score.toFixed(2)),
        h('td', { class: 'state' }, stateBadge(a.state), a.assignee ? ` ${a.assignee}` : '', a.case_id ? ` ${a.case_id}` : ''),
        h('td', null, a.person_id ? h('a', { href: `/subject/${encodeURIComponent(a.person_id)}` }, a.person_id) : '—'),
        h('td', { class: 'explanation' }, a.evidence),
        h('td', null, alertActions.map((render) => render(a))),
      );

    const draw = (keepKey?: string): void => {
      const k = kind.value;
      const s = Number(minScore.value) || 0;
      const st = state.value;
      const who = subject.value.trim();
      shown = alerts.filter((a) => (!k || a.kind === k) && a.score >= s && (!st || a.state === st) && (!who || a.person_id === who)).slice(0, 500);
      count.textContent = `${shown.length} of ${alerts.length} alerts shown.`;
      body.replaceChildren(...shown.map(rowOf));
      if (!shown.length) body.replaceChildren(h('tr', null, h('td', { colspan: '7', class: 'empty' }, 'No alert matches the filters.')));
      const keep = keepKey ? shown.findIndex((a) => a.key === keepKey) : -1;
      current = -1;
      select(keep >= 0 ? keep : 0, false);
    };

    async function decide(action: TriageAction): Promise<void> {
      const alert = selected();
      if (!alert) return;
      const missing = missingFor(action, { reason: reason.value, assignee: assignee.value, caseId: caseId.value });
      if (missing) {
        pending = action;
        result.replaceChildren(errorBox(new Error(missing)));
        (action === 'assign' ? assignee : action === 'escalate' ? caseId : reason).focus();
        return;
      }
      const payload: Record<string, string> = { key: alert.key };
      if (reason.value.trim()) payload['reason'] = reason.value.trim();
      if (action === 'assign') payload['assignee'] = assignee.value.trim();
      if (action === 'escalate') payload['case'] = caseId.value;
      for (const b of buttons.values()) b.disabled = true;
      result.replaceChildren(loading(`Sending: ${action}`));
      try {
        const reply = await post<Decision>(`/v1/alerts/${action}`, payload);
        Object.assign(alert, { state: reply.state, decided_by: reply.decided_by, decided_at: reply.decided_at, assignee: reply.assignee, case_id: reply.case_id, reason: reply.reason });
        pending = null;
        reason.value = '';
        draw(alert.key);
        result.replaceChildren(notice(`Alert ${reply.state}${reply.assignee ? ` to ${reply.assignee}` : ''}${reply.case_id ? ` to case ${reply.case_id}` : ''} by ${reply.decided_by}; recorded in the audit log.`));
        rows()[current]?.focus();
      } catch (error) {
        result.replaceChildren(errorBox(error));
      } finally {
        for (const b of buttons.values()) b.disabled = !selected();
      }
    }

    const load = async (): Promise<void> => {
      status.replaceChildren(loading('Loading alerts'));
      try {
        const reply = await get<{ alerts: TriagedAlert[] }>('/v1/alerts', { since: since.value || undefined, limit: 5000 });
        alerts = reply.alerts.sort((a, b) => b.score - a.score || b.time.localeCompare(a.time));
        const kinds = [...new Set(alerts.map((a) => a.kind))].sort();
        kind.replaceChildren(h('option', { value: '' }, 'every kind'), ...kinds.map((k) => h('option', { value: k }, k)));
        status.replaceChildren();
        draw();
      } catch (error) {
        status.replaceChildren(errorBox(error));
      }
    };
    // The cases the user may escalate to (a failure is shown, not hidden).
    const loadCases = async (): Promise<void> => {
      try {
        const reply = await get<{ cases: { case_id: string; compartment: string }[] }>('/v1/cases');
        caseId.replaceChildren(h('option', { value: '' }, 'choose a case'), ...reply.cases.map((c) => h('option', { value: c.case_id }, `${c.case_id} (${c.compartment})`)));
      } catch (error) {
        caseId.replaceChildren(h('option', { value: '' }, 'cases unavailable'));
        result.replaceChildren(errorBox(error));
      }
    };

    for (const control of [kind, minScore, state, subject]) control.addEventListener('input', () => draw());
    since.addEventListener('change', () => void load());
    // Enter in the reason, assignee or case sends the pending decision.
    const sendPending = (event: KeyboardEvent): void => {
      if (event.key !== 'Enter' || !pending) return;
      event.preventDefault();
      void decide(pending);
    };
    reason.addEventListener('keydown', sendPending);
    assignee.addEventListener('keydown', sendPending);
    caseId.addEventListener('keydown', sendPending);

    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement;
      if (target.closest('input, select, textarea, dialog')) {
        if (event.key === 'Escape') target.blur();
        return;
      }
      const row = rows()[current];
      const alert = selected();
      const triage = TRIAGE.find((t) => t.key === event.key);
      if (event.key === 'j') select(current + 1);
      else if (event.key === 'k') select(current - 1);
      else if ((event.key === 'o' || (event.key === 'Enter' && target.tagName === 'TR')) && alert?.person_id) navigate(`/subject/${encodeURIComponent(alert.person_id)}`);
      else if (event.key === '/') kind.focus();
      else if (event.key === '?') help.focus();
      else if (triage && alert) {
        if (triage.needs === 'reason' && !reason.value.trim()) {
          pending = triage.action;
          result.replaceChildren(notice(`${triage.label}: type the reason, then Enter.`));
          reason.focus();
        } else if (triage.needs === 'assignee' && !assignee.value.trim()) {
          pending = triage.action;
          result.replaceChildren(notice(`${triage.label}: type the analyst's user name, then Enter.`));
          assignee.focus();
        } else if (triage.needs === 'case' && !caseId.value) {
          pending = triage.action;
          result.replaceChildren(notice(`${triage.label}: choose the case, then Enter.`));
          caseId.focus();
        } else {
          void decide(triage.action);
        }
      } else {
        const extra = alertKeys.get(event.key);
        if (!extra || !alert || !row) return;
        extra.run(alert, row);
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);

    main.replaceChildren(
      pageHeader('Alerts', 'Raised alerts, highest score first, each with its evidence. People decide: an alert is a question, not a finding.'),
      h('div', { class: 'toolbar', role: 'search', 'aria-label': 'Filter alerts' }, field('Kind', kind), field('Least score', minScore), field('State', state), field('Subject', subject), field('Since', since)),
      help,
      count,
      status,
      h('div', { class: 'triage-layout' }, h('div', { class: 'table-scroll' }, grid), panel),
    );
    help.tabIndex = -1;
    showPanel();
    await Promise.all([load(), loadCases()]);
    return () => document.removeEventListener('keydown', onKey);
  },
};
