import { api, setSession } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import type { LoginAnswer } from '../types';

export function loginView(root: HTMLElement, done: () => void): void {
  const user = h('input', { id: 'login-user', name: 'user', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const msg = h('div', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'login card', id: 'login-form' },
    h('h2', {}, t('login.title')),
    h('label', {}, t('login.user'), user),
    h('label', {}, t('login.password'), pass),
    h('button', { type: 'submit', id: 'login-submit' }, t('login.submit')),
    msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.textContent = '';
    try {
      const a = await api<LoginAnswer>('POST', '/api/login', { user: user.value, password: pass.value });
      setSession(a.token, a.user);
      done();
    } catch {
      msg.textContent = t('login.failed');
    }
  });
  root.append(form);
}
