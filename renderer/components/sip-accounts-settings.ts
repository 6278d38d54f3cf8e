/**
 * Settings → SIP accounts: the user's accounts at a SIP provider or PBX, each
 * with its registration state as main reports it, live; Edit opens the form
 * under its account, "Add SIP account" under the list. The keyboard always has somewhere to
 * be: the form's first field when it opens, the saved account's row after
 * Save, the button that opened the form after Cancel or Escape, and the next
 * row (or Add) after a removal.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { consume } from '@lit/context';
import { MAX_SIP_ACCOUNTS, type SipAccountSettings } from '../../common/sip-account-schema.ts';
import { appServicesContext, type AppServices } from '../state/app-context.ts';
import { ChangeController } from '../state/change-controller.ts';
import { remoteErrorText } from '../state/remote-error.ts';
import { controlStyles, settingsListStyles } from './shared-styles.ts';
import { formStatusStyles, statusLine, type FormStatus } from './form-status.ts';
import type { SipAccountForm, SipAccountSavedEvent } from './sip-account-form.ts';
import type { SipAccountEditEvent, SipAccountRemoveEvent, SipAccountRow } from './sip-account-row.ts';
import './sip-account-form.ts';
import './sip-account-row.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

/** The form: closed, adding (id null), or editing the account with that id. */
type Editing = { id: string | null } | null;

@customElement('sip-accounts-settings')
export class SipAccountsSettings extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    formStatusStyles,
    settingsListStyles,
    css`
      :host {
        display: grid;
        gap: 12px;
      }
      li {
        display: grid;
        gap: 8px;
      }
    `,
  ];

  @consume({ context: appServicesContext, subscribe: true }) services: AppServices | null = null;
  @state() private editing: Editing = null;
  /** The account being removed (its confirmation's button is busy). */
  @state() private removing: string | null = null;
  /** What happened to the last save or removal. */
  @state() private status: FormStatus = { kind: 'idle' };
  /** Saved, but not in the store yet: the form closes once it is there. */
  private savedId: string | null = null;
  /** The row to put the keyboard on once it is rendered. */
  private focusRowId: string | null = null;
  private readonly changes = new ChangeController(this);
  @query('sip-account-form') private openForm?: SipAccountForm;

  protected willUpdate(): void {
    const store = this.services?.store;
    if (!store) return;
    this.changes.watch(store);
    if (this.savedId && store.settings.sipAccounts.some((account) => account.id === this.savedId)) {
      this.focusRowId = this.savedId;
      this.savedId = null;
      this.editing = null;
    }
  }

  protected updated(): void {
    if (this.focusRowId) {
      const row = this.row(this.focusRowId);
      if (row) {
        this.focusRowId = null;
        void row.updateComplete.then(() => row.focusRow());
      }
    }
  }

  /** Put the keyboard at the start of the section (Settings opened on SIP accounts). */
  focusStart(): void {
    const first = this.services?.store.settings.sipAccounts[0];
    if (first) this.row(first.id)?.focusRow();
    else this.focusAddOrForm();
  }

  render() {
    const store = this.services?.store;
    if (!store) return nothing;
    const accounts = store.settings.sipAccounts;
    const full = accounts.length >= MAX_SIP_ACCOUNTS;
    const editing = this.editing;
    const edited = editing?.id ? (accounts.find((account) => account.id === editing.id) ?? null) : null;
    return html`<p class="intro">${t('Accounts at a SIP provider or an office phone system (PBX) that takes SIP over WebSocket.')}</p>
      ${accounts.length === 0
        ? html`<p class="empty">${t('No SIP accounts yet.')}</p>`
        : html`<ul aria-label=${t('Your SIP accounts')} @sip-account-edit=${this.edit} @sip-account-remove=${this.removeAccount}>
            ${repeat(
              accounts,
              (account) => account.id,
              (account) => html`<li>
                <sip-account-row
                  .account=${account}
                  .state=${store.sipAccountState(account.id)}
                  ?busy=${this.removing === account.id}
                  ?editing=${edited === account}
                ></sip-account-row>
                ${edited === account ? this.form(edited) : nothing}
              </li>`,
            )}
          </ul>`}
      ${editing?.id === null
        ? this.form(null)
        : html`<div class="actions">
            <button type="button" id="sip-add" ?disabled=${full} aria-describedby=${full ? 'sip-full' : nothing} @click=${this.add}>${t('Add SIP account')}</button>
            ${full ? html`<span class="hint" id="sip-full">${t('At most {{count}} SIP accounts.', { count: MAX_SIP_ACCOUNTS })}</span>` : nothing}
          </div>`}
      ${statusLine(this.status)}`;
  }

  /** The form, under the row it edits or under the list for a new account. */
  private form(account: SipAccountSettings | null) {
    return html`<sip-account-form .account=${account} @sip-account-saved=${this.saved} @sip-account-cancel=${this.cancel}></sip-account-form>`;
  }

  private readonly add = () => this.showForm({ id: null });

  private readonly edit = (event: SipAccountEditEvent) => this.showForm({ id: event.detail.id });

  private async showForm(editing: NonNullable<Editing>): Promise<void> {
    this.editing = editing;
    this.savedId = null;
    this.status = { kind: 'idle' };
    await this.updateComplete;
    await this.openForm?.updateComplete;
    this.openForm?.focusFirstField();
  }

  private readonly saved = (event: SipAccountSavedEvent) => {
    // The list shows it once main's settings say so; until then the form stays, saying "Saved."
    this.savedId = event.detail.id;
    this.status = { kind: 'done', ok: true, text: t('Saved {{name}}.', { name: event.detail.address }) };
  };

  private readonly cancel = async () => {
    const opener = this.editing?.id ?? null;
    this.editing = null;
    this.savedId = null;
    await this.updateComplete;
    // Back to the button that opened the form: the row's Edit, or Add.
    const row = opener ? this.row(opener) : null;
    if (row) row.focusEdit();
    else this.focusAddOrForm();
  };

  private readonly removeAccount = async (event: SipAccountRemoveEvent) => {
    const store = this.services?.store;
    if (!store || this.removing) return;
    const { id } = event.detail;
    const accounts = store.settings.sipAccounts;
    const index = accounts.findIndex((account) => account.id === id);
    const address = accounts[index]?.address ?? t('The account');
    this.removing = id;
    this.status = { kind: 'busy', text: t('Removing {{name}}…', { name: address }) };
    try {
      const saved = await store.api.removeSipAccount(id);
      if (this.editing?.id === id) this.editing = null;
      this.status = { kind: 'done', ok: true, text: t('Removed {{name}}.', { name: address }) };
      // The keyboard goes on at the account that took its place, or the one before, or Add.
      const next = saved.sipAccounts[index] ?? saved.sipAccounts[index - 1];
      if (next) this.focusRowId = next.id;
      else {
        await this.updateComplete;
        // The list may still show the account until main's settings arrive; Add (or the open form) is there either way.
        this.focusAddOrForm();
      }
    } catch (error) {
      this.status = { kind: 'done', ok: false, text: t('Could not remove {{name}}: {{reason}}', { name: address, reason: remoteErrorText(error) }) };
    } finally {
      this.removing = null;
    }
  };

  private row(id: string): SipAccountRow | null {
    return [...this.renderRoot.querySelectorAll<SipAccountRow>('sip-account-row')].find((row) => row.account.id === id) ?? null;
  }

  private focusAddOrForm(): void {
    const add = this.renderRoot.querySelector<HTMLButtonElement>('#sip-add');
    if (add) add.focus();
    else this.openForm?.focusFirstField();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sip-accounts-settings': SipAccountsSettings;
  }
}
