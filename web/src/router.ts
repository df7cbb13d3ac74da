// The client router: paths (history API; `vigil serve` answers index.html
// for every path outside the API) map to views. A view renders into the
// main element and may return a cleanup function run when it is left.

export type Params = Record<string, string>;

export interface View {
  // Path pattern: "/subject/:id".
  path: string;
  // Shown in the navigation and the document title.
  title: string;
  // Renders into `main`; `query` holds the URL's search parameters. It may
  // return (or resolve to) a cleanup function, run when the view is left.
  render(main: HTMLElement, params: Params, query: URLSearchParams): unknown;
}

interface Compiled {
  view: View;
  pattern: RegExp;
  names: string[];
}

const routes: Compiled[] = [];
let cleanup: (() => void) | null = null;
// Counts renders: a render that resolves after a newer one started belongs
// to a page already left, so its cleanup runs at once instead of replacing
// the newer page's.
let renderSerial = 0;
let mainElement: HTMLElement | null = null;
let onNavigate: ((view: View | null) => void) | null = null;

export function addView(view: View): void {
  const names: string[] = [];
  const source = view.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  routes.push({ view, pattern: new RegExp(`^${source}/?$`), names });
}

export function match(pathname: string): { view: View; params: Params } | null {
  for (const route of routes) {
    const found = route.pattern.exec(pathname);
    if (!found) continue;
    const params: Params = {};
    route.names.forEach((name, i) => {
      params[name] = decodeURIComponent(found[i + 1] ?? '');
    });
    return { view: route.view, params };
  }
  return null;
}

// Renders the view of the current location.
export async function render(): Promise<void> {
  if (!mainElement) return;
  const serial = ++renderSerial;
  cleanup?.();
  cleanup = null;
  const found = match(location.pathname);
  onNavigate?.(found?.view ?? null);
  mainElement.replaceChildren();
  if (!found) {
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = `No page at ${location.pathname}.`;
    mainElement.append(p);
    return;
  }
  document.title = `${found.view.title} · Vigil`;
  const result = await found.view.render(mainElement, found.params, new URLSearchParams(location.search));
  if (typeof result !== 'function') return;
  if (serial === renderSerial) cleanup = result as () => void;
  else (result as () => void)();
}

// Goes to `path` (adds a history entry) and renders it.
export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  void render();
}

// Starts routing: links with data-link, back/forward.
export function start(main: HTMLElement, navigated: (view: View | null) => void): void {
  mainElement = main;
  onNavigate = navigated;
  window.addEventListener('popstate', () => void render());
  document.addEventListener('click', (event) => {
    const target = event.target as Element | null;
    const link = target?.closest('a');
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const href = link.getAttribute('href');
    if (!href || !href.startsWith('/') || href.startsWith('/v1/') || link.target) return;
    event.preventDefault();
    navigate(href);
  });
  void render();
}
