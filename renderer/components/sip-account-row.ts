/**
 * One SIP account in Settings → SIP accounts: its address, display name and
 * registration state in words (read out politely when it changes), with Edit
 * and Remove. Remove asks in place, saying what removing does, before it
 * reports the removal to the list.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { SipAccountSettings, SipAccountState } from '../../common/sip-account-schema.ts';
import { controlStyles } from './shared-styles.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

export type SipAccountEditEvent = CustomEvent<{ id: string }>;
export type SipAccountRemoveEvent = CustomEvent<{ id: string }>;

/** A registration state in words, as the list shows it. */
export function sipStateText(state: SipAccountState): string {
  switch (state.status) {
    case 'registering':
      return t('Registering…');
    case 'registered':
      return t('Registered');
    case 'failed':
      return state.message ? t('Failed: {{reason}}', { reason: state.message }) : t('Failed');
    case 'off':
      return t('Off');
  }
}

@customElement('sip-account-row')
export class SipAccountRow extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    css`
      /* The buttons sit beside the account, or under it in a narrow window (addresses are not broken mid-word). */
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 12px;
        align-items: flex-start;
        padding: 10px 12px;
        border: 1px solid var(--sp-divider);
        border-radius: 8px;
      }
      .row[data-editing='true'] {
        border-color: var(--sp-focus, #2b6cb0);
        box-shadow: inset 3px 0 0 var(--sp-focus, #2b6cb0);
      }
      .row:focus-visible {
        outline: 3px solid var(--sp-focus, #2b6cb0);
        outline-offset: 2px;
      }
      .who {
        flex: 1 1 15rem;
        display: grid;
        gap: 2px;
        min-width: 0;
      }
      .address {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .name {
        color: var(--sp-muted);
        font-size: 0.9rem;
      }
      .state {
        display: flex;
        gap: 6px;
        align-items: baseline;
        margin: 2px 0 0;
        font-size: 0.9rem;
        overflow-wrap: anywhere;
      }
      .dot {
        flex: none;
        width: 0.6rem;
        height: 0.6rem;
        border-radius: 50%;
        background: #a0aec0;
        transform: translateY(0.05rem);
      }
      .state[data-status='registered'] .dot {
        background: #2f855a;
      }
      .state[data-status='registering'] .dot {
        background: #d69e2e;
      }
      .state[data-status='failed'] {
        color: var(--sp-error);
      }
      .state[data-status='failed'] .dot {
        background: #c53030;
      }
      .buttons {
        display: flex;
        gap: 8px;
      }
      .confirm {
        flex: 1 1 100%;
        display: grid;
        gap: 8px;
        padding: 10px 12px;
        border-radius: 8px;
        background: var(--sp-error-bg);
        border: 1px solid var(--sp-error);
      }
      .confirm p {
        margin: 0;
      }
    `,
  ];

  @property({ attribute: false }) account!: SipAccountSettings;
  @property({ attribute: false }) state: SipAccountState = { id: '', status: 'off', message: null };
  /** Main is removing it: the confirmation's button says so. */
  @property({ type: Boolean }) busy = false;
  /** Its form is open under it: the row is marked, and Edit says it is expanded. */
  @property({ type: Boolean }) editing = false;
  /** The Remove confirmation is showing. */
  @state() private confirming = false;
  @query('.row') private rowElement!: HTMLElement;

  /** Put the keyboard on the row itself: a screen reader reads the address and the state. */
  focusRow(): void {
    this.rowElement?.focus();
  }

  focusEdit(): void {
    this.renderRoot.querySelector<HTMLButtonElement>('button[data-action="edit"]')?.focus();
  }

  render() {
    const { account, state } = this;
    const id = `sip-row-${account.id}`;
    return html`<div class="row" role="group" data-editing=${this.editing ? 'true' : 'false'} tabindex="-1" aria-labelledby="${id}-address" aria-describedby="${id}-state">
      <div class="who">
        <span class="address" id="${id}-address">${account.address}</span>
        ${account.displayName ? html`<span class="name">${account.displayName}</span>` : nothing}
        <p class="state" id="${id}-state" role="status" aria-live="polite" data-status=${state.status}><span class="dot" aria-hidden="true"></span><span>${sipStateText(state)}</span></p>
      </div>
      <div class="buttons">
        <button type="button" data-action="edit" aria-label=${t('Edit {{name}}', { name: account.address })} aria-expanded=${this.editing ? 'true' : 'false'} @click=${this.edit}>
          ${t('Edit')}
        </button>
        <button type="button" data-action="remove" aria-label=${t('Remove {{name}}', { name: account.address })} aria-expanded=${this.confirming ? 'true' : 'false'} @click=${this.askToRemove}>
          ${t('Remove')}
        </button>
      </div>
      ${this.confirming
        ? html`<div class="confirm" role="group" aria-labelledby="${id}-question" @keydown=${this.escapeKeeps}>
            <p id="${id}-question">
              ${account.hasPassword
                ? t('Remove {{name}}? It stops registering, so no calls reach you on it, and its saved password is deleted from your system keychain.', { name: account.address })
                : t('Remove {{name}}? It stops registering, so no calls reach you on it.', { name: account.address })}
            </p>
            <div class="buttons">
              <button
                type="button"
                class="danger"
                data-action="confirm"
                aria-label=${t('Yes, remove {{name}}', { name: account.address })}
                aria-disabled=${this.busy ? 'true' : 'false'}
                @click=${this.confirmRemoval}
              >
                ${t('Yes, remove')}
              </button>
              <button type="button" data-action="keep" @click=${this.keep}>${t('Keep it')}</button>
            </div>
          </div>`
        : nothing}
    </div>`;
  }

  private readonly edit = () => {
    this.dispatchEvent(new CustomEvent('sip-account-edit', { detail: { id: this.account.id }, bubbles: true, composed: true }) satisfies SipAccountEditEvent);
  };

  private readonly askToRemove = async () => {
    this.confirming = !this.confirming;
    await this.updateComplete;
    // The safe answer has the keyboard; Escape or "Keep it" goes back to Remove.
    this.renderRoot.querySelector<HTMLButtonElement>(this.confirming ? 'button[data-action="keep"]' : 'button[data-action="remove"]')?.focus();
  };

  private readonly keep = async () => {
    this.confirming = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('button[data-action="remove"]')?.focus();
  };

  /** Escape answers "Keep it" here, instead of closing the whole dialog. */
  private readonly escapeKeeps = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    void this.keep();
  };

  private readonly confirmRemoval = () => {
    if (this.busy) return;
    this.dispatchEvent(new CustomEvent('sip-account-remove', { detail: { id: this.account.id }, bubbles: true, composed: true }) satisfies SipAccountRemoveEvent);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sip-account-row': SipAccountRow;
  }
  interface HTMLElementEventMap {
    'sip-account-edit': SipAccountEditEvent;
    'sip-account-remove': SipAccountRemoveEvent;
  }
}
