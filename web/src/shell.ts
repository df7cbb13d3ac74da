// The application shell: header (who, role, purpose), navigation, and the
// main area where the router renders the current view.
import { currentSession, logout } from './api';
import { h } from './dom';
import { start, type View } from './router';
import { errorBox } from './ui';
import { registerViews, navigation } from './views';

export function startShell(root: HTMLElement): void {
  const session = currentSession();
  if (!session) return;
  registerViews();
  const main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  const links = new Map<string, HTMLAnchorElement>();
  const nav = h(
    'nav',
    { class: 'sidebar', 'aria-label': 'Workbench' },
    navigation.map((group) =>
      h(
        'div',
        { class: 'nav-group' },
        h('h2', { class: 'nav-title' }, group.title),
        h(
          'ul',
          null,
          group.items.map((item) => {
            const link = h('a', { href: item.path, class: 'nav-link' }, item.label);
            links.set(item.path, link);
            return h('li', null, link);
          }),
        ),
      ),
    ),
  );
  const purpose = h('span', { class: 'purpose', title: 'The purpose recorded with every request' }, session.purpose);
  const header = h(
    'header',
    { class: 'topbar' },
    h('a', { class: 'skip', href: '#main', on: { click: (e) => { e.preventDefault(); main.focus(); } } }, 'Skip to content'),
    h('a', { href: '/', class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'V'), 'Vigil'),
    h('div', { class: 'purpose-box' }, h('span', { class: 'label' }, 'Purpose'), purpose),
    h(
      'div',
      { class: 'who' },
      h('span', { class: 'user', 'data-testid': 'user' }, session.user),
      h('span', { class: 'badge role' }, session.role),
      h(
        'button',
        {
          type: 'button',
          class: 'btn small',
          on: {
            click: async () => {
              await logout();
              location.assign('/');
            },
          },
        },
        'Log out',
      ),
    ),
  );
  // Anything that fails outside a view's own handlers still reaches the
  // user, with the server's message when there is one.
  const alerts = h('div', { class: 'global-errors', role: 'alert', 'aria-live': 'assertive' });
  const showUnexpected = (error: unknown): void => {
    const box = errorBox(error);
    box.append(' ', h('button', { type: 'button', class: 'btn small', on: { click: () => box.remove() } }, 'Dismiss'));
    alerts.append(box);
  };
  window.addEventListener('unhandledrejection', (event) => showUnexpected(event.reason));
  window.addEventListener('error', (event) => showUnexpected(event.error ?? event.message));
  root.replaceChildren(header, alerts, h('div', { class: 'layout' }, nav, main));
  start(main, (view: View | null) => {
    for (const [path, link] of links) {
      const active = view !== null && (location.pathname === path || (path !== '/' && location.pathname.startsWith(path)));
      if (active) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  });
}
