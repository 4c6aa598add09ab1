import { ApiError, login } from '../api';
import { h } from '../dom';
import { t } from '../i18n';

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
      await login(user.value, pass.value);
      pass.value = '';
      done();
    } catch (err) {
      msg.textContent = err instanceof ApiError && err.status === 429 ? t('login.throttled') : t('login.failed');
    }
  });
  root.append(form);
}
