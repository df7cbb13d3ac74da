// Watch-list matches from screening: travel records and reports whose
// names matched a listed entry, each with the scorer's explanation beside
// the listed entry's facts; confirm (the record's person is the listed one)
// or dismiss, with a reason (POST /v1/screening/matches/decide). Each
// decision shows the server's answer and joins the match's history.
import { get, post } from '../../api';
import { badge, field, h, replace, when } from '../../dom';
import type { View } from '../../router';
import { errorBox, loading, pageHeader, reasonForm } from '../../ui';

interface MatchDecision {
  decision: string;
  reason: string;
  decided_by: string;
  decided_at: string;
}

export interface Match {
  key: string;
  source_kind: string;
  source_id: string;
  entry_id: string;
  score: number;
  explanation: string;
  seen_at: string;
  screened_at: string;
  retroactive: boolean;
  state: string;
  decisions?: MatchDecision[];
}

interface Entry {
  entry_id: string;
  list: string;
  name: string;
  aliases?: string[];
  birth_date?: string;
  reason?: string;
  handling?: string;
}

function historyOf(decisions: MatchDecision[]): HTMLElement {
  return h(
    'ol',
    { class: 'history', 'aria-label': 'Decisions about this match' },
    decisions.length
      ? decisions.map((d) => h('li', { 'data-state': d.decision }, `${d.decision} by ${d.decided_by} at ${when(d.decided_at)}: “${d.reason}”`))
      : h('li', { class: 'empty' }, 'No decision yet.'),
  );
}

// The listed entry's facts (or why they are not shown).
function entryFacts(entryId: string, entries: Map<string, Entry> | Error): HTMLElement {
  const box = h('div', null, h('h3', null, 'Listed entry'));
  if (entries instanceof Error) {
    box.append(errorBox(entries));
    return box;
  }
  const entry = entries.get(entryId);
  if (!entry) {
    box.append(h('p', { class: 'empty' }, `Entry ${entryId} is not shown to you.`));
    return box;
  }
  replace(
    box,
    h('h3', null, 'Listed entry'),
    h('p', null, h('strong', null, entry.name), ' ', h('span', { class: 'mono' }, entry.entry_id), ' ', badge(entry.list)),
    entry.aliases?.length ? h('p', { class: 'hint' }, `Also known as ${entry.aliases.join(', ')}`) : null,
    h('p', { class: 'hint' }, `Born ${entry.birth_date || '—'}${entry.handling ? ` · handling ${entry.handling}` : ''}`),
    entry.reason ? h('p', null, h('strong', null, 'Listed because: '), entry.reason) : null,
  );
  return box;
}

function card(m: Match, index: number, entries: Map<string, Entry> | Error): HTMLElement {
  const entry = entryFacts(m.entry_id, entries);
  const state = h('span', { class: 'match-state' }, badge(m.state, m.state === 'open' ? 'warn' : m.state === 'confirmed' ? 'bad' : ''));
  let decisions = m.decisions ?? [];
  const history = h('div', null, historyOf(decisions));
  const item = h(
    'article',
    { class: `queue-item${m.state === 'open' ? '' : ' decided'}`, 'data-key': m.key, 'data-state': m.state, 'aria-label': `Match ${index + 1}: ${m.source_kind} ${m.source_id} against ${m.entry_id}` },
    h('h2', { class: 'item-head' }, badge(m.source_kind), ' ', h('span', { class: 'mono big' }, m.source_id), ' ↔ ', h('span', { class: 'mono' }, m.entry_id), ' ', h('span', { class: 'score' }, `score ${m.score.toFixed(2)}`), ' ', state, m.retroactive ? [' ', badge('retroactive', 'warn')] : null),
    h(
      'div',
      { class: 'side-by-side' },
      h(
        'div',
        null,
        h('h3', null, m.source_kind === 'travel' ? 'Travel record' : 'Report'),
        h('p', { class: 'explanation' }, m.explanation || '—'),
        h('p', { class: 'hint' }, `Seen ${when(m.seen_at)} · screened ${when(m.screened_at)}${m.retroactive ? ' (found when the entry was listed, after the record)' : ''}`),
      ),
      entry,
    ),
    reasonForm(
      `Decide match ${m.source_id} against ${m.entry_id}`,
      [
        { value: 'confirm', label: 'Confirm match', kind: 'good' },
        { value: 'dismiss', label: 'Dismiss match', kind: 'bad' },
      ],
      async (decision, reason) => {
        const reply = await post<MatchDecision & { state: string }>('/v1/screening/matches/decide', { key: m.key, decision, reason });
        decisions = [...decisions, reply];
        history.replaceChildren(historyOf(decisions));
        state.replaceChildren(badge(reply.state, reply.state === 'confirmed' ? 'bad' : ''));
        item.dataset['state'] = reply.state;
        item.classList.add('decided');
        return `Match ${reply.state} by ${reply.decided_by}; recorded in the audit log.`;
      },
    ),
    h('h3', null, 'History'),
    history,
  );
  return item;
}

export const matchesView: View = {
  path: '/matches',
  title: 'Watch-list matches',
  async render(main) {
    const stateFilter = h('select', null, ['open', '', 'confirmed', 'dismissed'].map((s) => h('option', { value: s }, s || 'every state')));
    const list = h('div', null, loading('Loading matches'));
    let matches: Match[] = [];
    let entries: Map<string, Entry> | Error = new Map();
    const draw = (): void => {
      const wanted = stateFilter.value;
      const shown = matches.filter((m) => !wanted || m.state === wanted);
      list.replaceChildren(
        h('p', { class: 'subtitle', role: 'status' }, `${shown.length} of ${matches.length} matches shown${shown.length > 50 ? '; the 50 best first' : ''}.`),
        ...(shown.length ? shown.slice(0, 50).map((m, i) => card(m, i, entries)) : [h('p', { class: 'empty' }, 'No match in this state.')]),
      );
    };
    stateFilter.addEventListener('input', draw);
    main.replaceChildren(
      pageHeader('Watch-list matches', 'Travel records and reports whose names matched a listed entry, best first, with what matched how. Confirm or dismiss each, with the reason.'),
      h('div', { class: 'toolbar', role: 'search', 'aria-label': 'Filter matches' }, field('State', stateFilter)),
      list,
    );
    try {
      // The matches, and the listed entries once (a failure is shown in each card).
      const [reply, listed] = await Promise.all([
        get<{ matches: Match[] }>('/v1/screening/matches', { limit: 5000 }),
        get<{ entries: Entry[] }>('/v1/watchlist', { limit: 100000 }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
      ]);
      entries = listed instanceof Error ? listed : new Map(listed.entries.map((e) => [e.entry_id, e]));
      matches = reply.matches.sort((a, b) => b.score - a.score);
      draw();
    } catch (error) {
      list.replaceChildren(errorBox(error));
    }
    return undefined;
  },
};
