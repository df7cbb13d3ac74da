// Every view of the workbench, one folder each, and the navigation.
import { addView } from '../router';
import { adminView } from './admin';
import { alertsView } from './alerts';
import { auditView } from './audit';
import { linksView } from './links';
import { matchesView } from './matches';
import { networkView } from './network';
import { protectView } from './protect';
import { rankingView } from './ranking';
import { reviewsView } from './reviews';
import { searchView } from './search';
import { subjectView } from './subject';
import { watchlistView } from './watchlist';

export const navigation: { title: string; items: { path: string; label: string }[] }[] = [
  { title: 'Find', items: [{ path: '/', label: 'Search' }, { path: '/network', label: 'Network' }] },
  {
    title: 'Queues',
    items: [
      { path: '/alerts', label: 'Alerts' },
      { path: '/links', label: 'Link proposals' },
      { path: '/matches', label: 'Watch-list matches' },
      { path: '/reviews', label: 'Reviews' },
      { path: '/watchlist', label: 'Watch-list proposals' },
      { path: '/ranking', label: 'Ranking' },
      { path: '/protect', label: 'Protective deployment' },
    ],
  },
  {
    title: 'Oversight',
    items: [
      { path: '/audit', label: 'Audit' },
      { path: '/admin', label: 'Users & compartments' },
    ],
  },
];

let registered = false;
export function registerViews(): void {
  if (registered) return;
  registered = true;
  for (const view of [searchView, subjectView, networkView, alertsView, linksView, matchesView, reviewsView, watchlistView, rankingView, protectView, auditView, adminView]) {
    addView(view);
  }
}
