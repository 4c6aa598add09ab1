// Hotline queue (预警劝阻): open warnings, most urgent first, with outcome buttons.
import { api, query, session } from '../api';
import { regionText } from '../divisions';
import { errorBox, h, table } from '../dom';
import { lang, t, tf } from '../i18n';
import { parseYuan } from '../intake';
import { reasonLabel } from '../phrases';
import { chinaTime } from '../time';
import type { Answer } from '../types';

const OUTCOMES = ['reached', 'dissuaded', 'already_paid', 'not_reached'] as const;

export function hotlineView(root: HTMLElement, region: string): void {
  const out = h('div', { id: 'hotline-out' });
  const regionInput = h('input', { id: 'hotline-region', value: region || session().user?.region || '' });
  const form = h('form', { class: 'card row', id: 'hotline-form' }, h('label', {}, t('hotline.region'), regionInput),
    h('button', { type: 'submit' }, t('common.load')));
  root.append(h('h2', {}, t('hotline.title')), form, out);
  const load = async () => {
    out.replaceChildren();
    try {
      const a = await api<Answer<'/api/warnings'>>('GET', `/api/warnings${query({ region: regionInput.value.trim(), limit: 100 })}`);
      if (!a.warnings.length) {
        out.append(h('div', { class: 'muted' }, t('common.none')));
        return;
      }
      out.append(table([t('hotline.person'), t('common.region'), t('hotline.score'), t('hotline.reasons'), t('hotline.last_event'), t('hotline.saved'), ''],
        a.warnings.map((w) => {
          const saved = h('input', { size: 8, value: '0.00', class: 'saved' });
          const cell = h('div', { class: 'outcomes' });
          for (const o of OUTCOMES) {
            cell.append(h('button', { class: `outcome ${o}`, 'data-outcome': o, onclick: async () => {
              try {
                // The money saved, checked as text (at most two decimals) before anything is sent.
                const yuan = parseYuan(saved.value.trim() || '0');
                saved.toggleAttribute('aria-invalid', yuan === null);
                if (yuan === null) {
                  cell.querySelector('.error')?.remove();
                  cell.append(h('div', { class: 'error', 'data-field': 'saved' }, t('hotline.bad_saved')));
                  return;
                }
                await api('POST', `/api/warnings/${encodeURIComponent(w.id)}/outcome`, { outcome: o, saved: yuan });
                cell.replaceChildren(h('span', { class: 'ok' }, tf('hotline.recorded_as', { outcome: t(`outcome.${o}`) })));
              } catch (e) {
                cell.append(errorBox(e));
              }
            } }, t(`outcome.${o}`)));
          }
          return [w.person, regionText(w.region), w.score, (w.warning?.reasons ?? []).map((r) => reasonLabel(r, lang())).join(lang() === 'en' ? '; ' : '；'), chinaTime(w.last_event_at),
            saved, cell];
        }), { id: 'hotline-queue' }));
    } catch (e) {
      out.append(errorBox(e));
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); void load(); });
  void load();
}
