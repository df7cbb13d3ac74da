// Login: user, password and the purpose of the session ("why are you
// looking"), required and asked once. The same form reappears in a modal
// dialog when the session expires, with the purpose kept, so nothing typed
// or open in the page is lost.
import { ApiError, currentPurpose, login, type Session } from '../../api';
import { field, h } from '../../dom';
import { errorBox } from '../../ui';

interface Options {
  // A returning user (expired session): the name is kept.
  user?: string;
  expired?: boolean;
  onDone(session: Session): void;
}

export function loginForm(options: Options): HTMLFormElement {
  const user = h('input', { type: 'text', name: 'user', autocomplete: 'username', required: true, value: options.user ?? '' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const purpose = h('textarea', { name: 'purpose', rows: '2', required: true, placeholder: 'e.g. operation LANTERN, tasking 2024/117: checking contacts of the subject' });
  purpose.value = currentPurpose();
  const status = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'btn primary' }, options.expired ? 'Log in again' : 'Log in');
  const form = h(
    'form',
    { class: 'login-form', novalidate: true, 'aria-label': 'Log in' },
    options.expired
      ? h('p', { class: 'message warn', role: 'alert' }, 'Your session has expired. Log in again to continue; your work on this page is kept.')
      : null,
    field('User', user),
    field('Password', password),
    field('Why are you looking?', purpose, 'Required. Recorded with every request of this session in the audit log.'),
    submit,
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.replaceChildren();
    if (!user.value.trim() || !password.value) {
      status.replaceChildren(errorBox(new Error('User and password are required.')));
      return;
    }
    if (!purpose.value.trim()) {
      status.replaceChildren(errorBox(new Error('Say why you are looking: the purpose is required.')));
      purpose.focus();
      return;
    }
    submit.disabled = true;
    try {
      const session = await login(user.value.trim(), password.value, purpose.value);
      password.value = '';
      options.onDone(session);
    } catch (error) {
      status.replaceChildren(errorBox(error instanceof ApiError ? error : new Error(String(error))));
      submit.disabled = false;
    }
  });
  return form;
}

// The first login, as a page.
export function loginPage(onDone: (session: Session) => void): HTMLElement {
  const form = loginForm({ onDone });
  const page = h(
    'div',
    { class: 'login-page' },
    h(
      'main',
      { class: 'login-card' },
      h('div', { class: 'brand-large' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'V'), 'Vigil'),
      h('h1', null, 'Analyst’s workbench'),
      h('p', { class: 'subtitle' }, 'Every request is authorised against your role and compartments and written to the audit log with your purpose.'),
      form,
    ),
  );
  queueMicrotask(() => form.querySelector<HTMLInputElement>('input[name=user]')?.focus());
  return page;
}

// The expired-session dialog: resolves once logged in again.
export function reloginDialog(user: string): Promise<void> {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'relogin', 'aria-label': 'Session expired' });
    const form = loginForm({
      user,
      expired: true,
      onDone: () => {
        dialog.close();
        dialog.remove();
        resolve();
      },
    });
    dialog.append(h('h2', null, 'Session expired'), form);
    // Escape would leave the page without a session: keep the dialog open.
    dialog.addEventListener('cancel', (event) => event.preventDefault());
    document.body.append(dialog);
    dialog.showModal();
    form.querySelector<HTMLInputElement>('input[name=password]')?.focus();
  });
}
