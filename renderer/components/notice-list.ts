/** Messages from main the user should see: a renamed sign-in, a contacts file set aside. */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Notice } from '../../common/ipc-contract.ts';
import { controlStyles } from './shared-styles.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

@customElement('notice-list')
export class NoticeList extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 6px;
      }
      li {
        display: flex;
        gap: 8px;
        align-items: center;
        padding: 8px 12px;
        border-radius: 8px;
        background: var(--sp-info-bg);
      }
      li[data-level='warning'] {
        background: var(--sp-warn-bg);
      }
      li[data-level='error'] {
        background: var(--sp-error-bg);
      }
      span {
        flex: 1;
      }
    `,
  ];

  @property({ attribute: false }) notices: Notice[] = [];

  render() {
    return html`<ul role="log" aria-live="polite" aria-label=${t('Notices')}>
      ${this.notices.map(
        (n) => html`<li data-level=${n.level}>
          <span>${n.text}</span>
          <button aria-label=${t('Dismiss: {{text}}', { text: n.text })} @click=${() => this.dismiss(n.id)}>${t('Dismiss')}</button>
        </li>`,
      )}
    </ul>`;
  }

  private dismiss(id: string): void {
    this.dispatchEvent(new CustomEvent('dismiss-notice', { detail: { id }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'notice-list': NoticeList;
  }
  interface HTMLElementEventMap {
    'dismiss-notice': CustomEvent<{ id: string }>;
  }
}
