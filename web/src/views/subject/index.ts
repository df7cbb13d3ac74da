// The subject page: profile, legal basis, review date and watch level;
// identifiers with their attribution state and evidence (confirmed or
// rejected in place, with a reason); custody, reports, travel, watch-list
// entries, alerts and cases; and the activity timeline beside it.
import { get, ms, post, type Alert, type CaseInfo, type Dossier, type SelectorAttribution, type TimelineReply } from '../../api';
import { badge, h, table, time, when } from '../../dom';
import type { View } from '../../router';
import { categoryOf, type TimelineEvent } from '../../timeline/model';
import { createTimeline } from '../../timeline/timeline';
import { errorBox, loading, pageHeader, reasonForm } from '../../ui';

function panel(title: string, count: number | null, ...body: (Node | null)[]): HTMLElement {
  return h('section', { class: 'panel', 'aria-label': title }, h('h2', null, title, count === null ? null : h('span', { class: 'count' }, String(count))), body);
}

function empty(text: string): HTMLElement {
  return h('p', { class: 'empty' }, text);
}

function stateKind(state: string): string {
  return state === 'confirmed' || state === 'source' ? 'confirmed' : state === 'proposed' ? 'proposed' : state === 'rejected' ? 'rejected' : '';
}

function identifiers(dossier: Dossier, reload: () => void): HTMLElement {
  const personId = dossier.person.person_id;
  const items = dossier.selectors.map((s: SelectorAttribution) => {
    const choices =
      s.state === 'proposed'
        ? [{ value: 'confirm', label: 'Confirm', kind: 'good' }, { value: 'reject', label: 'Reject', kind: 'bad' }]
        : s.state === 'confirmed' || s.state === 'source'
          ? [{ value: 'reject', label: 'Reject', kind: 'bad' }]
          : [{ value: 'confirm', label: 'Confirm', kind: 'good' }];
    const decide = reasonForm(`Decide ${s.selector}`, choices, async (choice, reason) => {
      const reply = await post<{ state: string }>(`/v1/links/${choice}`, { selector: s.selector, person_id: personId, reason });
      window.setTimeout(reload, 900);
      return `${s.selector} is now ${reply.state}.`;
    });
    return h(
      'li',
      { class: `identifier ${s.state}`, 'data-selector': s.selector },
      h(
        'div',
        { class: 'identifier-head' },
        h('span', { class: 'mono strong' }, s.selector),
        badge(s.state, stateKind(s.state)),
        h('span', { class: 'score', title: 'confidence' }, s.confidence.toFixed(2)),
        h('span', { class: 'hint' }, `seen ${when(s.first_seen)} → ${when(s.last_seen)}${s.source ? ` · ${s.source}` : ''}`),
      ),
      h('div', { class: 'explanation' }, s.evidence || '—', s.decided_by ? ` · decided by ${s.decided_by}` : ''),
      s.state === 'proposed'
        ? decide
        : h('details', { class: 'decide-later' }, h('summary', null, s.state === 'rejected' ? 'Confirm after all…' : 'Reject…'), decide),
    );
  });
  return panel('Identifiers', dossier.selectors.length, items.length ? h('ul', { class: 'identifiers' }, items) : empty('No identifier attributed.'));
}

function profile(d: Dossier): HTMLElement {
  const p = d.person;
  const watch = d.watch ?? { level: 'unknown', stored: false, reason: '', set_by: '', set_at: '', last_review: '' };
  const reviewDue = p.review_by && ms(p.review_by) < Date.now();
  return panel(
    'Profile and legal basis',
    null,
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Person id'), h('dd', { class: 'mono' }, p.person_id),
      h('dt', null, 'Aliases'), h('dd', null, p.aliases?.length ? p.aliases.join(' · ') : '—'),
      h('dt', null, 'Born'), h('dd', null, p.birth_date || '—'),
      h('dt', null, 'Status'), h('dd', null, badge(p.status, p.status === 'subject' ? 'warn' : '')),
      h('dt', null, 'Compartment'), h('dd', null, badge(p.compartment)),
      h('dt', null, 'Legal basis'), h('dd', null, p.legal_basis || h('span', { class: 'empty' }, 'none recorded')),
      h('dt', null, 'Review by'), h('dd', null, p.review_by || '—', reviewDue ? [' ', badge('overdue', 'bad')] : null),
      h('dt', null, 'Watch level'),
      h('dd', null, badge(watch.level, watch.level), watch.stored ? h('small', { class: 'hint' }, ` set by ${watch.set_by} ${when(watch.set_at)}: ${watch.reason}`) : h('small', { class: 'hint' }, ' (default for the status)')),
      h('dt', null, 'Last review'), h('dd', null, watch.last_review ? when(watch.last_review) : '—'),
    ),
  );
}

function alertRows(alerts: Alert[]): HTMLElement {
  return alerts.length
    ? table(['Time', 'Kind', 'Score', 'Evidence'], alerts.map((a) => ({ cells: [time(a.time), badge(a.kind, a.kind.includes('reactivation') ? 'bad' : 'warn'), h('span', { class: 'score' }, a.score.toFixed(2)), h('span', { class: 'explanation' }, a.evidence)] })))
    : empty('No alert.');
}

async function renderSubject(main: HTMLElement, id: string): Promise<() => void> {
  main.replaceChildren(loading('Loading the subject'));
  let dossier: Dossier;
  try {
    dossier = await get<Dossier>(`/v1/persons/${encodeURIComponent(id)}`);
  } catch (error) {
    main.replaceChildren(pageHeader('Subject', id), errorBox(error));
    return () => undefined;
  }
  const p = dossier.person;
  const reload = (): void => void renderSubject(main, id);
  const alertsBox = h('div', null, loading('Loading alerts'));
  const casesBox = h('div', null, loading('Loading cases'));
  const timelineBox = h('div', { class: 'timeline-col' }, loading('Loading the timeline'));
  const left = h(
    'div',
    { class: 'subject-col' },
    profile(dossier),
    identifiers(dossier, reload),
    panel('Custody', dossier.custody.length, dossier.custody.length ? table(['Facility', 'From', 'To'], dossier.custody.map((c) => ({ cells: [c.facility, c.start || '—', c.end || 'ongoing'] }))) : empty('No custody period.')),
    panel('Reports', dossier.reports.length, dossier.reports.length ? table(['Time', 'Category', 'Source', 'Text'], dossier.reports.map((r) => ({ cells: [time(r.time), badge(r.category), r.source, r.text] }))) : empty('No report.')),
    panel('Travel', dossier.travel.length, dossier.travel.length ? table(['Time', 'From', 'To', 'Name as written', 'Document'], dossier.travel.map((t) => ({ cells: [time(t.time), t.origin, t.destination, t.name, h('span', { class: 'mono' }, t.document)] }))) : empty('No travel record.')),
    panel('Watch-list entries', dossier.watchlist.length, dossier.watchlist.length ? table(['Entry', 'List', 'Name', 'Handling', 'Reason'], dossier.watchlist.map((w) => ({ cells: [h('span', { class: 'mono' }, w.entry_id), w.list, w.name, badge(w.handling), w.reason] }))) : empty('On no watch list.')),
    panel('Alerts', null, alertsBox),
    panel('Cases', null, casesBox),
  );
  main.replaceChildren(
    pageHeader(p.name, `${p.person_id} · ${p.status} · compartment ${p.compartment}`, h('a', { class: 'btn', href: `/network?seed=${encodeURIComponent(p.person_id)}` }, 'Open in network')),
    h('div', { class: 'subject-layout' }, left, timelineBox),
  );

  let destroyTimeline = (): void => undefined;
  const [alerts, cases, timeline] = await Promise.allSettled([
    get<{ alerts: Alert[] }>('/v1/alerts', { person_id: id, limit: 5000 }),
    get<{ cases: CaseInfo[] }>('/v1/cases'),
    get<TimelineReply>(`/v1/persons/${encodeURIComponent(id)}/timeline`, { limit: 100000 }),
  ]);
  alertsBox.replaceChildren(
    alerts.status === 'fulfilled' ? alertRows(alerts.value.alerts) : errorBox(alerts.reason),
    h('p', null, h('a', { href: `/alerts?subject=${encodeURIComponent(id)}`, 'data-testid': 'triage-subject-alerts' }, 'Triage these alerts')),
  );
  if (cases.status === 'fulfilled') {
    const mine = cases.value.cases.filter((c) => c.links.some((l) => l.person_id === id));
    casesBox.replaceChildren(
      mine.length
        ? table(['Case', 'Compartment', 'Category', 'Linked'], mine.map((c) => {
            const link = c.links.find((l) => l.person_id === id);
            return { cells: [h('span', { class: 'mono' }, c.case_id), c.compartment, link?.category ?? '', `${link?.linked_by ?? ''} ${when(link?.linked_at)}`] };
          }))
        : empty('In no case you may see.'),
    );
  } else {
    casesBox.replaceChildren(errorBox(cases.reason));
  }
  if (timeline.status === 'fulfilled') {
    const events: TimelineEvent[] = timeline.value.events.map((e) => ({
      time: ms(e.time),
      category: categoryOf(e.event),
      kind: e.event,
      label: [e.selector, e.detail].filter(Boolean).join(' · '),
    }));
    if (alerts.status === 'fulfilled') {
      for (const a of alerts.value.alerts) events.push({ time: ms(a.time), category: 'alert', kind: a.kind, label: a.evidence });
    }
    const custody = dossier.custody
      .filter((c) => c.start)
      .map((c) => ({ from: ms(c.start), to: c.end ? ms(c.end) : Date.now(), label: c.facility }));
    const handle = createTimeline({ personId: id, events, custody, truncated: Math.max(0, timeline.value.total - timeline.value.events.length) });
    destroyTimeline = handle.destroy;
    timelineBox.replaceChildren(h('h2', { class: 'visually-hidden' }, 'Activity timeline'), handle.element);
  } else {
    timelineBox.replaceChildren(errorBox(timeline.reason));
  }
  return () => destroyTimeline();
}

export const subjectView: View = {
  path: '/subject/:id',
  title: 'Subject',
  render(main, params) {
    return renderSubject(main, params['id'] ?? '');
  },
};
