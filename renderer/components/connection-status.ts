/**
 * Always-visible line saying whether we can make calls, and if not, why and
 * what happens next. When the app gave up (a refused sign-in, a server that
 * is not ours), it offers the account settings, where the fix is.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ConnectionState } from '../../common/ipc-contract.ts';
import { adviceFor, describeConnection } from '../state/connection-text.ts';
import { controlStyles } from './shared-styles.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

/** The user asked for the account settings from the connection line. */
export type OpenAccountSettingsEvent = CustomEvent<void>;

@customElement('connection-status')
export class ConnectionStatusElement extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px 8px;
        font-size: 0.9rem;
        min-width: 0;
      }
      .dot {
        width: 10px;
        height: 10px;
        border-radius: 50%;
        background: #a0aec0;
        flex: none;
      }
      .dot[data-status='connected'] {
        background: #38a169;
      }
      .dot[data-status='reconnecting'],
      .dot[data-status='connecting'] {
        background: #d69e2e;
      }
      .dot[data-status='failed'] {
        background: #e53e3e;
      }
      .text {
        display: grid;
        gap: 2px;
        flex: 1 1 14rem;
        min-width: 0;
        /* Long addresses in an error must wrap rather than run under the buttons. */
        overflow-wrap: anywhere;
      }
      [data-status='failed'] {
        color: var(--sp-error);
        font-weight: 600;
      }
      .advice {
        color: var(--sp-muted);
      }
      .host {
        color: var(--sp-muted);
        white-space: nowrap;
      }
      button {
        flex: none;
        padding: 4px 10px;
        min-height: 28px;
      }
    `,
  ];

  @property({ attribute: false }) state: ConnectionState | null = null;

  render() {
    if (!this.state) return nothing;
    const advice = adviceFor(this.state);
    return html`<span class="dot" data-status=${this.state.status} aria-hidden="true"></span>
      <span class="text">
        <span role="status" aria-live="polite" data-status=${this.state.status}>${describeConnection(this.state)}</span>
        ${advice ? html`<span class="advice">${advice}</span>` : nothing}
      </span>
      ${advice ? html`<button @click=${this.openAccount}>${t('Account settings')}</button>` : nothing}
      ${this.state.hostingServer ? html`<span class="host">${t('(hosting the server)')}</span>` : nothing}`;
  }

  private readonly openAccount = () => {
    this.dispatchEvent(new CustomEvent('open-account-settings', { bubbles: true, composed: true }) satisfies OpenAccountSettingsEvent);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'connection-status': ConnectionStatusElement;
  }
  interface HTMLElementEventMap {
    'open-account-settings': OpenAccountSettingsEvent;
  }
}
