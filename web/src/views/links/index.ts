// Link proposals: proposed owners of selectors, strongest first, with the
// evidence for the proposal beside what is known of the proposed owner;
// confirm or reject each with a reason (POST /v1/links/confirm|reject).
import { get, post, type Dossier } from '../../api';
import { badge, h, when } from '../../dom';
import type { View } from '../../router';
import { errorBox, loading, pageHeader, reasonForm } from '../../ui';

interface Proposal {
  selector: string;
  person_id: string;
  person_name: string;
  confidence: number;
  evidence: string;
  selector_record: { first_seen: string; last_seen: string; source: string } | null;
  other_owners: { person_id: string; state: string; confidence: number }[];
}

function ownerSummary(box: HTMLElement, personId: string): void {
  get<Dossier>(`/v1/persons/${encodeURIComponent(personId)}`)
    .then((d) => {
      const known = d.selectors.filter((s) => s.state === 'confirmed' || s.state === 'source');
      box.replaceChildren(
        h('h3', null, 'Proposed owner'),
        h('p', null, h('a', { href: `/subject/${encodeURIComponent(personId)}` }, d.person.name), ' ', h('span', { class: 'mono' }, personId), ' ', badge(d.person.status)),
        h('p', { class: 'hint' }, `Born ${d.person.birth_date || '—'} · ${d.travel.length} trips · ${d.reports.length} reports`),
        h('div', null, h('strong', null, 'Identifiers already theirs: '), known.length ? known.map((s) => h('span', { class: 'mono chip' }, s.selector)) : h('span', { class: 'empty' }, 'none')),
      );
    })
    .catch((error: unknown) => box.replaceChildren(errorBox(error)));
}

function item(p: Proposal, index: number): HTMLElement {
  const owner = h('div', null, loading('Loading the proposed owner'));
  ownerSummary(owner, p.person_id);
  const card = h(
    'article',
    { class: 'queue-item', 'data-selector': p.selector, 'data-person': p.person_id, 'aria-label': `Proposal ${index + 1}: ${p.selector} to ${p.person_name}` },
    h('h2', { class: 'item-head' }, h('span', { class: 'mono big' }, p.selector), ' → ', h('strong', null, p.person_name), ' ', h('span', { class: 'score' }, `confidence ${p.confidence.toFixed(2)}`)),
    h(
      'div',
      { class: 'side-by-side' },
      h(
        'div',
        null,
        h('h3', null, 'Evidence for the link'),
        h('p', { class: 'explanation' }, p.evidence || '—'),
        p.selector_record ? h('p', { class: 'hint' }, `Selector seen ${when(p.selector_record.first_seen)} → ${when(p.selector_record.last_seen)}${p.selector_record.source ? ` · source ${p.selector_record.source}` : ''}`) : null,
        p.other_owners.length ? h('p', null, h('strong', null, 'Other claimed owners: '), p.other_owners.map((o) => h('span', { class: 'chip' }, `${o.person_id} (${o.state}, ${o.confidence.toFixed(2)})`))) : h('p', { class: 'hint' }, 'No other owner claimed.'),
      ),
      owner,
    ),
    reasonForm(`Decide ${p.selector}`, [{ value: 'confirm', label: 'Confirm link', kind: 'good' }, { value: 'reject', label: 'Reject link', kind: 'bad' }], async (choice, reason) => {
      const reply = await post<{ state: string; decided_by: string }>(`/v1/links/${choice}`, { selector: p.selector, person_id: p.person_id, reason });
      card.classList.add('decided');
      return `${p.selector} ${reply.state} as ${p.person_name}'s by ${reply.decided_by}; recorded in the audit log.`;
    }),
  );
  return card;
}

export const linksView: View = {
  path: '/links',
  title: 'Link proposals',
  async render(main) {
    const list = h('div', null, loading('Loading proposals'));
    main.replaceChildren(pageHeader('Link proposals', 'Which person owns which identifier: Vigil proposes, you decide. Strongest evidence first.'), list);
    try {
      const reply = await get<{ proposals: Proposal[]; total: number }>('/v1/links/proposals', { limit: 50 });
      list.replaceChildren(
        h('p', { class: 'subtitle', role: 'status' }, `${reply.total} proposals awaiting a decision${reply.total > reply.proposals.length ? `; the ${reply.proposals.length} strongest shown` : ''}.`),
        ...(reply.proposals.length ? reply.proposals.map(item) : [h('p', { class: 'empty' }, 'No proposal awaits a decision.')]),
      );
    } catch (error) {
      list.replaceChildren(errorBox(error));
    }
    return undefined;
  },
};
