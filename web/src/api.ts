// The API client: every call of the workbench goes through call(), which
// sends the session token (held in memory only: never in a URL, a cookie or
// browser storage) and the session's purpose, and turns a refused or failed
// request into an ApiError carrying the server's own message.
//
// An expired session (401 on a call made with a token) asks the handler set
// by onSessionExpired() to log in again (the login dialog, which keeps the
// purpose and every view's state), then retries the call once.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Session {
  token: string;
  expiresAt: string;
  user: string;
  role: string;
  purpose: string;
}

let session: Session | null = null;
let expiredHandler: (() => Promise<void>) | null = null;
let pendingRelogin: Promise<void> | null = null;

export function currentSession(): Session | null {
  return session;
}

// The purpose typed at login, kept across an expired session.
let purpose = '';
export function currentPurpose(): string {
  return purpose;
}

export function onSessionExpired(handler: () => Promise<void>): void {
  expiredHandler = handler;
}

type Query = Record<string, string | number | boolean | undefined | null>;

function url(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function errorOf(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message) message = body.error.message;
    if (body.error?.code) code = body.error.code;
  } catch {
    // Not JSON: keep the status line.
  }
  return new ApiError(response.status, code, message);
}

async function send(method: string, path: string, query?: Query, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (session) headers['Authorization'] = `Bearer ${session.token}`;
  if (purpose) headers['X-Vigil-Purpose'] = purpose;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    return await fetch(url(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
  } catch (error) {
    throw new ApiError(0, 'network', `the server cannot be reached (${String(error)})`);
  }
}

// Calls the API; resolves to the parsed JSON body of a 2xx reply.
export async function call<T>(
  method: 'GET' | 'POST',
  path: string,
  options: { query?: Query; body?: unknown } = {},
): Promise<T> {
  let response = await send(method, path, options.query, options.body);
  if (response.status === 401 && session && expiredHandler) {
    pendingRelogin ??= expiredHandler().finally(() => {
      pendingRelogin = null;
    });
    await pendingRelogin;
    response = await send(method, path, options.query, options.body);
  }
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}

export const get = <T>(path: string, query?: Query): Promise<T> => call<T>('GET', path, { query });
export const post = <T>(path: string, body: unknown = {}): Promise<T> =>
  call<T>('POST', path, { body });

// Logs in; keeps the token in memory and the purpose for every later call.
export async function login(user: string, password: string, why: string): Promise<Session> {
  const trimmed = why.trim();
  if (!trimmed) throw new ApiError(400, 'purpose_required', 'say why you are looking (purpose)');
  const response = await fetch('/v1/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ user, password }),
    credentials: 'omit',
    cache: 'no-store',
  }).catch((error: unknown) => {
    throw new ApiError(0, 'network', `the server cannot be reached (${String(error)})`);
  });
  if (!response.ok) throw await errorOf(response);
  const body = (await response.json()) as { token: string; expires_at: string; role: string; user?: string };
  purpose = trimmed;
  session = { token: body.token, expiresAt: body.expires_at, user: body.user ?? user, role: body.role, purpose };
  return session;
}

// Ends the session on the server and forgets the token and the purpose.
export async function logout(): Promise<void> {
  if (session) {
    await send('POST', '/v1/logout').catch(() => undefined);
  }
  session = null;
  purpose = '';
}

// Forgets the token only (tests and the expired-session path use it); the
// purpose stays.
export function dropToken(): void {
  session = null;
}

// ---- The API's shapes (the parts the workbench reads) ----

export interface PersonSummary {
  person_id: string;
  name: string;
  status: string;
  compartment: string;
  score?: number;
  matched_name?: string;
  explanation?: string;
}

export interface Person {
  person_id: string;
  name: string;
  aliases?: string[];
  birth_date?: string;
  nationality?: string;
  status: string;
  compartment: string;
  legal_basis?: string;
  review_by?: string;
  watch_level?: string;
  [key: string]: unknown;
}

export interface SelectorAttribution {
  selector: string;
  state: string;
  confidence: number;
  evidence: string;
  decided_by: string;
  first_seen: string;
  last_seen: string;
  source: string;
}

export interface Dossier {
  person: Person;
  watch?: WatchState;
  selectors: SelectorAttribution[];
  custody: { facility: string; start: string; end: string }[];
  reports: { report_id: string; time: string; source: string; category: string; text: string }[];
  travel: { record_id: string; time: string; name: string; document: string; origin: string; destination: string }[];
  watchlist: { entry_id: string; list: string; name: string; handling: string; reason: string }[];
}

export interface Alert {
  time: string;
  kind: string;
  person_id: string;
  score: number;
  evidence: string;
  raised_at: string;
  [key: string]: unknown;
}

export interface WatchState {
  level: string;
  stored: boolean;
  reason: string;
  set_by: string;
  set_at: string;
  last_review: string;
}

export interface CaseInfo {
  case_id: string;
  compartment: string;
  created_by: string;
  created_at: string;
  links: { person_id: string; category: string; linked_by: string; linked_at: string }[];
  links_withheld: number;
}

export interface TimelineReply {
  person_id: string;
  events: { time: string; event: string; selector: string; detail: string }[];
  total: number;
}

// Milliseconds of an API time ("2024-03-01T14:05:00Z" or a date).
export function ms(text: string): number {
  return Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
}
