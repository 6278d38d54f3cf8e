/**
 * Adds a SIP account or edits one: address, authentication user, password
 * (kept by main in the system keychain, never shown again), WebSocket URL,
 * outbound proxy, display name, how keys are sent, and whether it registers.
 * Fields are checked with the schema main uses and wrong ones are said next
 * to them; Save hands the account to main, which registers it anew.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { SipAccountSettings, SipKeyMethod } from '../../common/sip-account-schema.ts';
import { appServicesContext, type AppServices } from '../state/app-context.ts';
import { remoteErrorText } from '../state/remote-error.ts';
import { isUnencrypted } from '../settings/address-validation.ts';
import {
  SIP_ADDRESS_EXAMPLE,
  SIP_WEBSOCKET_EXAMPLE,
  checkSipAccount,
  draftOf,
  type SipAccountDraft,
  type SipField,
  type SipFieldErrors,
} from '../settings/sip-account-check.ts';
import { controlStyles, settingsFormStyles } from './shared-styles.ts';
import { formStatusStyles, statusLine, type FormStatus } from './form-status.ts';
import { describedBy, fieldMessage, fieldMessageStyles } from './field-message.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

/** Main saved the account: `id` is its id (new for an added one). */
export type SipAccountSavedEvent = CustomEvent<{ id: string; address: string }>;
/** The user left the form without saving (Cancel or Escape). */
export type SipAccountCancelEvent = CustomEvent<Record<string, never>>;

/** The text fields in the order they are shown, which is the order the keyboard goes to a wrong one. */
const FIELD_ORDER: SipField[] = ['address', 'authUser', 'password', 'websocketUrl', 'outboundProxy', 'displayName'];

function keyMethods(): Array<{ value: SipKeyMethod; label: string; hint: string }> {
  return [
    { value: 'rfc4733', label: t('RFC 4733 telephone events'), hint: t('Keys travel beside the audio. Almost every PBX and provider takes them.') },
    { value: 'sip-info', label: 'SIP INFO', hint: t('Each key is a SIP message (application/dtmf-relay), for systems that ask for that.') },
  ];
}

@customElement('sip-account-form')
export class SipAccountForm extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    formStatusStyles,
    fieldMessageStyles,
    settingsFormStyles,
    css`
      form {
        padding: 12px 12px 14px;
        border: 1px solid var(--sp-border);
        border-radius: 8px;
        background: var(--sp-surface-2);
      }
      /* As wide as the list's rows, with fields of a readable width. */
      .field,
      fieldset,
      .check {
        max-width: 34rem;
      }
      h4 {
        margin: 0;
        font-size: 1rem;
        overflow-wrap: anywhere;
      }
      .optional {
        font-weight: normal;
        color: var(--sp-muted);
      }
      fieldset {
        box-sizing: border-box;
        margin: 0;
        padding: 8px 12px 10px;
        border: 1px solid var(--sp-divider);
        border-radius: 8px;
        display: grid;
        gap: 8px;
      }
      legend {
        font-weight: 600;
        padding: 0 4px;
      }
      /* A radio button or checkbox, its label beside it and its hint under the label. */
      .choice,
      .check {
        display: grid;
        grid-template-columns: auto minmax(0, 1fr);
        column-gap: 8px;
        align-items: baseline;
      }
      .choice .hint,
      .check .hint {
        grid-column: 2;
      }
    `,
  ];

  @consume({ context: appServicesContext, subscribe: true }) services: AppServices | null = null;
  /** The account to edit; null adds one. */
  @property({ attribute: false }) account: SipAccountSettings | null = null;
  @state() private draft: SipAccountDraft = draftOf();
  /** Fields whose check failed, with what is wrong. */
  @state() private errors: SipFieldErrors = {};
  @state() private status: FormStatus = { kind: 'idle' };
  @query('#sip-address') private addressInput!: HTMLInputElement;

  protected willUpdate(changed: PropertyValues<this>): void {
    // Start from what is saved; the same account again (main's settings changed elsewhere) keeps what is typed.
    if (changed.has('account') && (changed.get('account') as SipAccountSettings | null | undefined)?.id !== this.account?.id) {
      this.draft = draftOf(this.account ?? undefined);
      this.errors = {};
      this.status = { kind: 'idle' };
    }
  }

  focusFirstField(): void {
    this.addressInput?.focus();
  }

  render() {
    const draft = this.draft;
    const editing = this.account !== null;
    const busy = this.status.kind === 'busy';
    const passwordSaved = draft.hasPassword && !draft.forgetPassword;
    const unencrypted = isUnencrypted(draft.websocketUrl.trim() || null);
    return html`<form novalidate aria-labelledby="sip-form-title" @submit=${this.save} @keydown=${this.escapeCancels}>
      <h4 id="sip-form-title">${editing ? t('Edit {{name}}', { name: this.account!.address }) : t('Add SIP account')}</h4>
      ${this.textField('address', t('SIP address'), {
        placeholder: SIP_ADDRESS_EXAMPLE,
        hint: t('Your address at your SIP provider or PBX; "sip:" may be left out.'),
        autocomplete: 'username',
        inputmode: 'email',
      })}
      ${this.textField('authUser', t('Authentication user'), { optional: true, hint: t("Only if it is different from the address's user.") })}
      <div class="field">
        <label for="sip-password">${t('Password')}</label>
        <div class="password-row">
          <input
            id="sip-password"
            name="password"
            type="password"
            autocomplete="current-password"
            placeholder=${passwordSaved ? t('Saved (type to replace)') : ''}
            .value=${draft.password}
            aria-invalid=${this.errors.password ? 'true' : 'false'}
            aria-describedby=${describedBy('sip-password', this.errors.password, true)}
            @input=${(e: Event) => this.edit({ password: (e.target as HTMLInputElement).value })}
          />
          ${passwordSaved
            ? html`<button type="button" @click=${() => this.setForget(true)}>${t('Forget the saved password')}</button>`
            : draft.hasPassword
              ? html`<button type="button" @click=${() => this.setForget(false)}>${t('Keep the saved password')}</button>`
              : nothing}
        </div>
        ${fieldMessage(
          'sip-password',
          this.errors.password,
          passwordSaved
            ? t('Saved in your system keychain. Leave empty to keep it.')
            : draft.hasPassword && draft.password === ''
              ? t('The saved password is removed from your system keychain when you save.')
              : t('Kept in your system keychain, never in a file in clear.'),
        )}
      </div>
      ${this.textField('websocketUrl', t('WebSocket URL'), {
        placeholder: SIP_WEBSOCKET_EXAMPLE,
        hint: t('Where your SIP server takes SIP over WebSocket. wss:// is encrypted; ws:// is not.'),
        inputmode: 'url',
        extraDescription: unencrypted ? 'sip-websocketUrl-warning' : undefined,
      })}
      ${unencrypted
        ? html`<p class="warning" id="sip-websocketUrl-warning">
            ${t('This address is not encrypted (ws://): others on the network can see whom you call. Use wss:// unless the server is on this computer.')}
          </p>`
        : nothing}
      ${this.textField('outboundProxy', t('Outbound proxy'), { optional: true, placeholder: 'sip:proxy.example.org', hint: t('Only if your provider asks for one.') })}
      ${this.textField('displayName', t('Display name'), { optional: true, hint: t('Shown to the people you call, where their phone shows names.'), autocomplete: 'name' })}
      <fieldset>
        <legend>${t('Send keys as')}</legend>
        ${keyMethods().map(
          (method) => html`<div class="choice">
            <input
              type="radio"
              id="sip-keys-${method.value}"
              name="keys"
              value=${method.value}
              .checked=${draft.keys === method.value}
              aria-describedby="sip-keys-${method.value}-hint"
              @change=${() => this.edit({ keys: method.value })}
            />
            <label for="sip-keys-${method.value}">${method.label}</label>
            <p class="hint" id="sip-keys-${method.value}-hint">${method.hint}</p>
          </div>`,
        )}
      </fieldset>
      <div class="check">
        <input
          type="checkbox"
          id="sip-enabled"
          name="enabled"
          .checked=${draft.enabled}
          aria-describedby="sip-enabled-hint"
          @change=${(e: Event) => this.edit({ enabled: (e.target as HTMLInputElement).checked })}
        />
        <label for="sip-enabled">${t('Enabled')}</label>
        <p class="hint" id="sip-enabled-hint">${t('Register this account with its server, so you can call and be called on it.')}</p>
      </div>
      <div class="actions">
        <button type="submit" class="primary" aria-disabled=${busy ? 'true' : 'false'}>${t('Save')}</button>
        <button type="button" @click=${this.cancel}>${t('Cancel')}</button>
        ${statusLine(this.status)}
      </div>
    </form>`;
  }

  private textField(
    field: Exclude<SipField, 'password'>,
    label: string,
    options: { hint: string; optional?: boolean; placeholder?: string; autocomplete?: string; inputmode?: string; extraDescription?: string },
  ) {
    const id = `sip-${field}`;
    const error = this.errors[field];
    const described = [describedBy(id, error, true), options.extraDescription].filter((part) => typeof part === 'string').join(' ');
    return html`<div class="field">
      <label for=${id}>${label}${options.optional ? html` <span class="optional">${t('(optional)')}</span>` : nothing}</label>
      <input
        id=${id}
        name=${field}
        type="text"
        spellcheck="false"
        autocapitalize="off"
        autocomplete=${options.autocomplete ?? 'off'}
        inputmode=${options.inputmode ?? nothing}
        placeholder=${options.placeholder ?? nothing}
        .value=${this.draft[field]}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${described}
        @input=${(e: Event) => this.edit({ [field]: (e.target as HTMLInputElement).value })}
        @change=${() => this.checkField(field)}
      />
      ${fieldMessage(id, error, options.hint)}
    </div>`;
  }

  private edit(patch: Partial<SipAccountDraft>): void {
    this.draft = { ...this.draft, ...patch };
    // A message goes away as soon as its field is right; none appears while typing.
    const check = checkSipAccount(this.draft);
    const now = check.ok ? {} : check.errors;
    const kept = Object.fromEntries(Object.entries(this.errors).filter(([field]) => now[field as SipField] !== undefined));
    if (Object.keys(kept).length !== Object.keys(this.errors).length) this.errors = kept;
  }

  private checkField(field: SipField): void {
    const check = checkSipAccount(this.draft);
    this.errors = { ...this.errors, [field]: check.ok ? undefined : check.errors[field] };
  }

  private async setForget(forget: boolean): Promise<void> {
    this.edit({ forgetPassword: forget, password: '' });
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#sip-password')?.focus();
  }

  private readonly escapeCancels = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    // Escape leaves the form, not the whole Settings dialog.
    event.preventDefault();
    event.stopPropagation();
    this.cancel();
  };

  private readonly cancel = () => {
    this.dispatchEvent(new CustomEvent('sip-account-cancel', { detail: {}, bubbles: true, composed: true }) satisfies SipAccountCancelEvent);
  };

  private readonly save = async (event: Event) => {
    event.preventDefault();
    if (this.status.kind === 'busy') return;
    const store = this.services?.store;
    if (!store) return;
    const check = checkSipAccount(this.draft);
    if (!check.ok) {
      this.errors = check.errors;
      this.status = { kind: 'done', ok: false, text: check.other ?? t('Check the fields marked above.') };
      const first = FIELD_ORDER.find((field) => check.errors[field]);
      await this.updateComplete;
      if (first) this.renderRoot.querySelector<HTMLInputElement>(`#sip-${first}`)?.focus();
      return;
    }
    this.errors = {};
    const before = new Set(store.settings.sipAccounts.map((account) => account.id));
    this.status = { kind: 'busy', text: t('Saving…') };
    try {
      const saved = await store.api.saveSipAccount(check.details);
      const account = saved.sipAccounts.find((a) => (check.details.id ? a.id === check.details.id : !before.has(a.id)));
      this.status = { kind: 'done', ok: true, text: t('Saved.') };
      if (account) {
        this.dispatchEvent(new CustomEvent('sip-account-saved', { detail: { id: account.id, address: account.address }, bubbles: true, composed: true }) satisfies SipAccountSavedEvent);
      }
    } catch (error) {
      this.status = { kind: 'done', ok: false, text: t('Could not save: {{reason}}', { reason: remoteErrorText(error) }) };
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sip-account-form': SipAccountForm;
  }
  interface HTMLElementEventMap {
    'sip-account-saved': SipAccountSavedEvent;
    'sip-account-cancel': SipAccountCancelEvent;
  }
}
