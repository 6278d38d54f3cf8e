/**
 * Settings → Account: which signaling server to use, the name to sign in
 * with, and the password (kept by main in the system keychain, never shown
 * again). "Test connection" tries the details without saving; "Save" saves
 * them and main signs in again with them.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { appServicesContext, type AppServices } from '../state/app-context.ts';
import { StoreFormController } from '../state/store-form-controller.ts';
import type { ConnectionTestResult } from '../state/account-api.ts';
import { remoteErrorText } from '../state/remote-error.ts';
import { builtInServerLabel, checkName, checkServerAddress, isUnencrypted } from '../settings/address-validation.ts';
import { controlStyles, settingsFormStyles } from './shared-styles.ts';
import { formStatusStyles, statusLine, type FormStatus } from './form-status.ts';
import { describedBy, fieldMessage, fieldMessageStyles } from './field-message.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

type Field = 'server' | 'name' | 'password';

/** Main saved new account details: fired after a successful Save or Forget password. */
export type AccountSavedEvent = CustomEvent<{ serverUrl: string | null; name: string }>;

@customElement('account-settings')
export class AccountSettings extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    formStatusStyles,
    fieldMessageStyles,
    settingsFormStyles,
    css`
      form {
        max-width: 34rem;
      }
    `,
  ];

  @consume({ context: appServicesContext, subscribe: true }) services: AppServices | null = null;
  @state() private server = '';
  @state() private name = '';
  @state() private password = '';
  /** Fields whose check fails, with the message shown next to them. */
  @state() private errors: Partial<Record<Field, string>> = {};
  @state() private status: FormStatus = { kind: 'idle' };
  /** The form starts from what is saved; later changes elsewhere do not overwrite what the user is typing. */
  private readonly form = new StoreFormController(this, (store) => {
    this.server = store.settings.account.serverUrl ?? '';
    this.name = store.settings.displayName ?? '';
  });
  @query('#account-server') private serverInput!: HTMLInputElement;
  @query('#account-name') private nameInput!: HTMLInputElement;
  @query('#account-password') private passwordInput!: HTMLInputElement;

  protected willUpdate(): void {
    this.form.watch(this.services?.store);
  }

  /** Put the keyboard in the first field (Settings opened for the account). */
  focusFirstField(): void {
    this.serverInput?.focus();
  }

  render() {
    const store = this.services?.store;
    if (!store) return nothing;
    const account = store.settings.account;
    const busy = this.status.kind === 'busy';
    const serverCheck = checkServerAddress(this.server);
    const unencryptedPassword = this.password !== '' && serverCheck.ok && isUnencrypted(serverCheck.value);
    return html`<form novalidate @submit=${this.save}>
      <div class="field">
        <label for="account-server">${t('Server address')}</label>
        <input
          id="account-server"
          name="serverUrl"
          type="text"
          inputmode="url"
          autocomplete="url"
          spellcheck="false"
          placeholder=${builtInServerLabel()}
          .value=${this.server}
          aria-invalid=${this.errors.server ? 'true' : 'false'}
          aria-describedby=${describedBy('account-server', this.errors.server, true)}
          @input=${(e: Event) => this.edit('server', (e.target as HTMLInputElement).value)}
          @change=${() => this.checkField('server')}
        />
        ${fieldMessage(
          'account-server',
          this.errors.server,
          this.server.trim() === '' ? t('Leave empty to use the server built into this app on this computer.') : t('A wss:// address is encrypted; ws:// is not.'),
        )}
      </div>
      <div class="field">
        <label for="account-name">${t('Name')}</label>
        <input
          id="account-name"
          name="name"
          autocomplete="username"
          maxlength="32"
          .value=${this.name}
          aria-invalid=${this.errors.name ? 'true' : 'false'}
          aria-describedby=${describedBy('account-name', this.errors.name, true)}
          @input=${(e: Event) => this.edit('name', (e.target as HTMLInputElement).value)}
          @change=${() => this.checkField('name')}
        />
        ${fieldMessage('account-name', this.errors.name, t('How others find you in their contact list.'))}
      </div>
      <div class="field">
        <label for="account-password">${t('Password')}</label>
        <div class="password-row">
          <input
            id="account-password"
            name="password"
            type="password"
            autocomplete="current-password"
            placeholder=${account.hasPassword ? t('Saved (type to replace)') : ''}
            .value=${this.password}
            aria-describedby="account-password-hint${unencryptedPassword ? ' account-password-warning' : ''}"
            @input=${(e: Event) => this.edit('password', (e.target as HTMLInputElement).value)}
          />
          ${account.hasPassword ? html`<button type="button" @click=${this.forgetPassword} ?disabled=${busy}>${t('Forget password')}</button>` : nothing}
        </div>
        <p class="hint" id="account-password-hint">
          ${account.hasPassword
            ? t('Saved in your system keychain. Leave empty to keep it.')
            : t('Only for a server with accounts. It is kept in your system keychain.')}
        </p>
        ${unencryptedPassword
          ? html`<p class="warning" id="account-password-warning">${t('This address is not encrypted (ws://): the server only accepts a password over wss://.')}</p>`
          : nothing}
      </div>
      <div class="actions">
        <button type="button" aria-disabled=${busy ? 'true' : 'false'} @click=${this.testConnection}>${t('Test connection')}</button>
        <button type="submit" class="primary" aria-disabled=${busy ? 'true' : 'false'}>${t('Save')}</button>
      </div>
      ${statusLine(this.status)}
    </form>`;
  }

  private edit(field: Field, value: string): void {
    if (field === 'server') this.server = value;
    else if (field === 'name') this.name = value;
    else this.password = value;
    // A message goes away as soon as the field is right; it does not appear while typing.
    if (this.errors[field] && this.messageFor(field) === null) this.errors = { ...this.errors, [field]: undefined };
  }

  private checkField(field: Field): void {
    this.errors = { ...this.errors, [field]: this.messageFor(field) ?? undefined };
  }

  private messageFor(field: Field): string | null {
    if (field === 'server') {
      const checked = checkServerAddress(this.server);
      return checked.ok ? null : checked.message;
    }
    if (field === 'name') {
      const checked = checkName(this.name);
      return checked.ok ? null : checked.message;
    }
    return null;
  }

  /** The details as typed, or null (with the messages shown and the first wrong field focused). */
  private checkedDetails(): { serverUrl: string | null; name: string } | null {
    const server = checkServerAddress(this.server);
    const name = checkName(this.name);
    this.errors = { server: server.ok ? undefined : server.message, name: name.ok ? undefined : name.message };
    if (!server.ok) this.focusAfterRender(() => this.serverInput);
    else if (!name.ok) this.focusAfterRender(() => this.nameInput);
    if (!server.ok || !name.ok) {
      this.status = { kind: 'done', ok: false, text: t('Check the fields marked above.') };
      return null;
    }
    return { serverUrl: server.value, name: name.value };
  }

  private readonly testConnection = async () => {
    if (this.status.kind === 'busy') return;
    const details = this.checkedDetails();
    const api = this.services?.store.api;
    if (!details || !api) return;
    const where = details.serverUrl ?? t('the built-in server');
    this.status = { kind: 'busy', text: t('Testing the connection to {{server}}…', { server: where }) };
    let result: ConnectionTestResult;
    try {
      result = await api.testConnection({ ...details, ...(this.password ? { password: this.password } : {}) });
    } catch (error) {
      result = { ok: false, message: t('The test could not run: {{reason}}', { reason: remoteErrorText(error) }) };
    }
    this.status = { kind: 'done', ok: result.ok, text: result.message };
  };

  private readonly save = async (event: Event) => {
    event.preventDefault();
    if (this.status.kind === 'busy') return;
    const details = this.checkedDetails();
    const api = this.services?.store.api;
    if (!details || !api) return;
    this.status = { kind: 'busy', text: t('Saving…') };
    try {
      // An empty password field keeps the saved password.
      await api.saveAccount({ ...details, ...(this.password ? { password: this.password } : {}) });
      this.password = '';
      this.status = { kind: 'done', ok: true, text: t('Saved. Signing in to {{server}} as {{name}}…', { server: details.serverUrl ?? t('the built-in server'), name: details.name }) };
      this.dispatchEvent(new CustomEvent('account-saved', { detail: details, bubbles: true, composed: true }) satisfies AccountSavedEvent);
    } catch (error) {
      this.status = { kind: 'done', ok: false, text: t('Could not save: {{reason}}', { reason: remoteErrorText(error) }) };
    }
  };

  private readonly forgetPassword = async () => {
    const store = this.services?.store;
    if (!store) return;
    const { api } = store;
    // Forget only the password: the saved server and name stay as they are.
    const saved = { serverUrl: store.settings.account.serverUrl, name: store.settings.displayName ?? this.name.trim() };
    this.status = { kind: 'busy', text: t('Forgetting the password…') };
    try {
      await api.saveAccount({ ...saved, password: null });
      this.password = '';
      this.status = { kind: 'done', ok: true, text: t('The password was removed from your system keychain.') };
    } catch (error) {
      this.status = { kind: 'done', ok: false, text: t('Could not forget the password: {{reason}}', { reason: remoteErrorText(error) }) };
    }
    // The button is gone once main says no password is saved: the keyboard goes on in the password field.
    this.focusAfterRender(() => this.passwordInput);
  };

  private focusAfterRender(target: () => HTMLElement | undefined): void {
    void this.updateComplete.then(() => target()?.focus());
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'account-settings': AccountSettings;
  }
  interface HTMLElementEventMap {
    'account-saved': AccountSavedEvent;
  }
}
