/**
 * The settings, in a modal dialog: account, SIP accounts, devices, keypad,
 * network and desktop. From inside a call it opens on the devices alone; from a sign-in
 * failure, with the keyboard in the account's first field. Its content exists only while it
 * is open, so the camera preview and the microphone meter stop when it
 * closes, and the account and network forms start from what is saved.
 */
import { LitElement, css, html } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { controlStyles } from './shared-styles.ts';
import type { AccountSettings } from './account-settings.ts';
import type { SipAccountsSettings } from './sip-accounts-settings.ts';
import './account-settings.ts';
import './desktop-settings.ts';
import './devices-panel.ts';
import './keypad-settings.ts';
import './network-settings.ts';
import './sip-accounts-settings.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

/** Which part to show: everything, only the devices (from a call), or everything starting at the account or at the SIP accounts. */
export type SettingsSection = 'all' | 'devices' | 'account' | 'sip';

@customElement('settings-dialog')
export class SettingsDialog extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    css`
      dialog {
        width: min(760px, calc(100vw - 32px));
        max-height: calc(100vh - 32px);
        border: none;
        border-radius: 12px;
        padding: 0;
        box-shadow: 0 12px 40px rgba(0, 0, 0, 0.25);
        font-family: inherit;
        color: inherit;
        /* What scrolls into view (a focused field, a section) is not hidden under the sticky header. */
        scroll-padding-top: 64px;
        background: var(--sp-surface);
      }
      dialog::backdrop {
        background: var(--sp-backdrop);
      }
      header {
        display: flex;
        align-items: center;
        gap: 12px;
        padding: 12px 16px;
        border-bottom: 1px solid var(--sp-divider);
        position: sticky;
        top: 0;
        background: var(--sp-surface);
      }
      h2 {
        flex: 1;
        margin: 0;
        font-size: 1.15rem;
      }
      section {
        padding: 12px 16px 16px;
      }
      section + section {
        border-top: 1px solid var(--sp-divider);
      }
      h3 {
        margin: 0 0 10px;
        font-size: 1rem;
      }
    `,
  ];

  /** null while closed. */
  @state() private section: SettingsSection | null = null;
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('account-settings') private account?: AccountSettings;
  @query('sip-accounts-settings') private sipAccounts?: SipAccountsSettings;

  get isOpen(): boolean {
    return this.section !== null;
  }

  async show(section: SettingsSection = 'all'): Promise<void> {
    if (!this.dialog.open && this.section !== null) {
      // Closed a moment ago, its close event not delivered yet: the forms
      // from then still hold what was typed. They go, and open from what is saved.
      this.section = null;
      await this.updateComplete;
    }
    this.section = section;
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    if (section === 'account') {
      await this.account?.updateComplete;
      this.account?.focusFirstField();
    } else if (section === 'sip') {
      await this.sipAccounts?.updateComplete;
      this.sipAccounts?.focusStart();
    }
  }

  close(): void {
    this.dialog?.close();
  }

  /**
   * The close event comes a task after the dialog closed; when Settings was
   * opened again in between, that late event must not empty the open dialog.
   */
  private readonly onClose = () => {
    if (!this.dialog.open) this.section = null;
  };

  render() {
    const section = this.section;
    const title = section === 'devices' ? t('Devices') : t('Settings');
    return html`<dialog aria-labelledby="settings-title" @close=${this.onClose}>
      <header>
        <h2 id="settings-title">${title}</h2>
        <button @click=${() => this.close()}>${t('Close')}</button>
      </header>
      ${section === 'devices'
        ? this.devicesSection()
        : section
          ? html`<section aria-labelledby="account-heading">
                <h3 id="account-heading">${t('Account')}</h3>
                <account-settings></account-settings>
              </section>
              <section aria-labelledby="sip-heading">
                <h3 id="sip-heading">${t('SIP accounts')}</h3>
                <sip-accounts-settings></sip-accounts-settings>
              </section>
              ${this.devicesSection()}
              <section aria-labelledby="keypad-heading">
                <h3 id="keypad-heading">${t('Keypad settings')}</h3>
                <keypad-settings></keypad-settings>
              </section>
              <section aria-labelledby="network-heading">
                <h3 id="network-heading">${t('Network')}</h3>
                <network-settings></network-settings>
              </section>
              <section aria-labelledby="desktop-heading">
                <h3 id="desktop-heading">${t('Desktop')}</h3>
                <desktop-settings></desktop-settings>
              </section>`
          : ''}
    </dialog>`;
  }

  private devicesSection() {
    return html`<section aria-labelledby="devices-heading">
      <h3 id="devices-heading">${t('Devices')}</h3>
      <devices-panel></devices-panel>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'settings-dialog': SettingsDialog;
  }
}
