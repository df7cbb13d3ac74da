// Reviews (supervisors): subjects whose review is due; for each, what
// changed since the last review first (GET /v1/persons/{id}/changes), then
// the decision: extend, move to dormant watch, or end, with a reason
// (POST /v1/reviews/{id}).
import { get, post } from '../../api';
import { badge, field, h, table, when } from '../../dom';
import type { View } from '../../router';
import { errorBox, loading, pageHeader, reasonForm } from '../../ui';

interface Due {
  person_id: string;
  review_by: string;
  state: string;
  legal_basis: string;
  compartment: string;
}
interface Changes {
  since: string;
  changes: { time: string; change: string; detail: string }[];
}

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

// How many changes of each kind, the alerts first.
function summary(c: Changes): HTMLElement {
  const counts = new Map<string, number>();
  for (const x of c.changes) counts.set(x.change, (counts.get(x.change) ?? 0) + 1);
  const kinds = [...counts.keys()].sort((a, b) => (a === 'alert' ? -1 : b === 'alert' ? 1 : a.localeCompare(b)));
  return h('p', { class: 'change-summary' }, kinds.map((k) => badge(`${k} ${counts.get(k) ?? 0}`, k === 'alert' ? 'bad' : '')));
}

function reviewItem(d: Due): HTMLElement {
  const changes = h('div', null, loading('Loading what changed'));
  get<Changes>(`/v1/persons/${encodeURIComponent(d.person_id)}/changes`)
    .then((c: Changes) =>
      changes.replaceChildren(
        h('h3', null, `What changed since ${c.since === 'last review' ? 'the last review' : when(c.since)}: ${c.changes.length}`),
        ...(c.changes.length ? [summary(c)] : []),
        c.changes.length
          ? h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': `Changes around ${d.person_id}` }, table(['Time', 'Change', 'Detail'], c.changes.slice(0, 100).map((x) => ({ cells: [h('span', { class: 'mono nowrap' }, when(x.time)), badge(x.change), x.detail] }))))
          : h('p', { class: 'empty' }, 'Nothing changed.'),
      ),
    )
    .catch((error: unknown) => changes.replaceChildren(errorBox(error)));
  const until = h('input', { type: 'date', value: inDays(180) });
  const card = h(
    'article',
    { class: 'queue-item', 'data-person': d.person_id, 'aria-label': `Review of ${d.person_id}` },
    h('h2', { class: 'item-head' }, h('a', { href: `/subject/${encodeURIComponent(d.person_id)}` }, d.person_id), ' ', badge(d.state, d.state), ' ', h('span', { class: 'hint' }, `review due ${d.review_by} · ${d.compartment} · basis: ${d.legal_basis || 'none recorded'}`)),
    changes,
    h('div', { class: 'toolbar' }, field('Next review (extend, dormant)', until)),
    reasonForm(
      `Review decision for ${d.person_id}`,
      [
        { value: 'extend', label: 'Extend', kind: 'good' },
        { value: 'dormant', label: 'Dormant watch' },
        { value: 'end', label: 'End', kind: 'bad' },
      ],
      async (decision, reason) => {
        const body: Record<string, string> = { decision, reason };
        if (decision !== 'end') body['until'] = until.value;
        await post(`/v1/reviews/${encodeURIComponent(d.person_id)}`, body);
        card.classList.add('decided');
        return `Review of ${d.person_id}: ${decision}${decision !== 'end' ? ` until ${until.value}` : ''}. Recorded in the audit log.`;
      },
    ),
  );
  return card;
}

export const reviewsView: View = {
  path: '/reviews',
  title: 'Reviews',
  async render(main) {
    const dueBy = h('input', { type: 'date', value: inDays(0) });
    const list = h('div', null, loading('Loading reviews'));
    const load = async (): Promise<void> => {
      list.replaceChildren(loading('Loading reviews'));
      try {
        const reply = await get<{ due: Due[] }>('/v1/reviews', { due_by: dueBy.value });
        list.replaceChildren(
          h('p', { class: 'subtitle', role: 'status' }, `${reply.due.length} subjects due for review by ${dueBy.value}${reply.due.length > 20 ? '; the first 20 shown' : ''}.`),
          ...(reply.due.length ? reply.due.slice(0, 20).map(reviewItem) : [h('p', { class: 'empty' }, 'No review is due.')]),
        );
      } catch (error) {
        list.replaceChildren(errorBox(error));
      }
    };
    main.replaceChildren(
      pageHeader('Reviews', 'Supervisors: decide whether each subject stays under watch. What changed since the last review comes first.'),
      h('div', { class: 'toolbar' }, field('Due by', dueBy), h('button', { type: 'button', class: 'btn', on: { click: () => void load() } }, 'Show')),
      list,
    );
    await load();
    return undefined;
  },
};
