// Search: persons by name in any spelling or script (the server's name
// scorer, each hit with the explanation of its match), by person id, or by
// identifier (msisdn:+33..., imei:..., handle:...), which opens the
// identifier's owners.
import { get, type PersonSummary } from '../../api';
import { badge, h } from '../../dom';
import type { View } from '../../router';
import { errorBox, loading, pageHeader } from '../../ui';

let lastQuery = '';

const SELECTOR = /^(msisdn|imei|imsi|handle|email|passport|iban|ip|device|account)\s*:/i;

interface SearchReply {
  persons: PersonSummary[];
}

function hit(person: PersonSummary): HTMLElement {
  return h(
    'li',
    { class: 'hit' },
    h(
      'div',
      null,
      h('a', { href: `/subject/${encodeURIComponent(person.person_id)}`, class: 'hit-name' }, person.name),
      ' ',
      h('span', { class: 'mono' }, person.person_id),
    ),
    h(
      'div',
      null,
      person.score !== undefined ? h('span', { class: 'score', title: 'name score (0..1)' }, person.score.toFixed(2)) : null,
      ' ',
      badge(person.status, person.status === 'subject' ? 'warn' : ''),
      ' ',
      badge(person.compartment),
    ),
    h(
      'div',
      { class: 'explanation' },
      person.explanation
        ? [person.matched_name && person.matched_name !== person.name ? `matched “${person.matched_name}”: ` : '', person.explanation]
        : 'exact text in the id, name or an alias',
    ),
  );
}

async function runSearch(text: string, results: HTMLElement): Promise<void> {
  const q = text.trim();
  if (!q) {
    results.replaceChildren(h('p', { class: 'empty' }, 'Type a name (any spelling or script), a person id, or an identifier such as msisdn:+33611111111.'));
    return;
  }
  results.replaceChildren(loading('Searching'));
  try {
    const reply = await get<SearchReply>('/v1/persons', { q, limit: 50 });
    const kind = SELECTOR.test(q) ? 'identifier' : 'name';
    results.replaceChildren(
      h('p', { class: 'subtitle', role: 'status' }, `${reply.persons.length} ${reply.persons.length === 1 ? 'person' : 'persons'} found by ${kind}`),
      reply.persons.length
        ? h('ol', { class: 'hits', 'aria-label': 'Search results' }, reply.persons.map(hit))
        : h('p', { class: 'empty' }, 'No person you may see matches.'),
    );
  } catch (error) {
    results.replaceChildren(errorBox(error));
  }
}

export const searchView: View = {
  path: '/',
  title: 'Search',
  render(main) {
    const input = h('input', {
      type: 'search',
      name: 'q',
      'aria-label': 'Search persons',
      placeholder: 'Name in any spelling or script, person id, or msisdn:+33…, imei:…, handle:…',
      autocomplete: 'off',
      value: lastQuery,
    });
    const results = h('section', { 'aria-live': 'polite', class: 'results' });
    const form = h(
      'form',
      { class: 'searchbar', role: 'search' },
      input,
      h('button', { type: 'submit', class: 'btn primary' }, 'Search'),
    );
    // The text searched stays in memory, never in the URL or the history.
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      lastQuery = input.value.trim();
      void runSearch(lastQuery, results);
    });
    main.replaceChildren(
      pageHeader('Search', 'Persons you may see, by name in any spelling or script (Arabic, Cyrillic, Latin variants), by id, or by identifier.'),
      form,
      results,
    );
    input.focus();
    void runSearch(lastQuery, results);
    return undefined;
  },
};

