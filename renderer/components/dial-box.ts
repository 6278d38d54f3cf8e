/**
 * Call anyone by name, with keys to send after the answer: "Demo IVR,,1,,2#"
 * calls Demo IVR and, once it answers, waits, presses 1, waits, presses 2 and #.
 * With SIP accounts, "Call with" picks the account: through one, a SIP
 * address, an extension or a phone number can be dialed ("*86,,1234#").
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { checkDialString } from '../../common/dial-string.ts';
import { APP_ACCOUNT, CallAddress } from '../../common/call-messages.ts';
import { foldForSearch } from '../contacts/contact-search.ts';
import type { DialRequest } from '../../common/ipc-contract.ts';
import { UserName } from '../../common/signaling-protocol.ts';
import { controlStyles } from './shared-styles.ts';
import type { CallContactEvent } from './contact-list.ts';
import { t } from '../../common/i18n/index.ts';
import { schemaMessage } from '../state/schema-message.ts';
import { LocaleController } from '../state/locale-controller.ts';

/** A contact or a recent call the dial box can suggest. */
export interface DialSuggestion {
  /** What goes into the field: an app user name, a SIP address or a number. */
  value: string;
  /** What the list shows beside it: the contact's name, or "recent". */
  label: string;
  /** Dialed through a SIP account (addresses, numbers), not the app's server (names). */
  sip: boolean;
}

const MAX_SUGGESTIONS = 8;

export interface DialAccount {
  id: string;
  /** What the "Call with" list shows: "App server" or a SIP address. */
  label: string;
  /** Signed in, or registered: calls can go through it now. */
  ready: boolean;
}

@customElement('dial-box')
export class DialBox extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        align-items: end;
      }
      label {
        display: grid;
        gap: 4px;
        flex: 1 1 100%;
      }
      .hint {
        font-size: 0.8rem;
        color: var(--sp-muted);
        margin: 0;
        width: 100%;
      }
      .account {
        flex: 1 1 100%;
      }
      .link {
        flex: 1 1 100%;
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        align-items: center;
        padding: 8px;
        border: 2px solid var(--sp-accent-border);
        border-radius: 8px;
      }
      .link p {
        margin: 0;
        flex: 1 1 100%;
      }
      .error {
        color: var(--sp-error);
        margin: 0;
        width: 100%;
      }
    `,
  ];

  /** In a call already: nothing can be dialed. */
  @property({ type: Boolean }) busy = false;
  /** The accounts calls can go through, the app's own first. */
  @property({ attribute: false }) accounts: DialAccount[] = [];
  /**
   * Whom the box suggests as you type: contacts and recent calls, newest
   * first. Asked for only once something is typed: with 10,000 contacts it is
   * a long list, not worth building for every render.
   */
  @property({ attribute: false }) suggestions: () => readonly DialSuggestion[] = () => [];
  @state() private typed = '';
  /** A link's call to confirm; the box fills in and asks. */
  @property({ attribute: false }) request: DialRequest | null = null;
  @state() private accountId: string = APP_ACCOUNT;
  @state() private error = '';
  @query('input') private input!: HTMLInputElement;

  /** Give the keyboard to the Dial field (after a call, for the next one). */
  focusInput(): void {
    this.input?.focus();
  }

  private get account(): DialAccount | undefined {
    return this.accounts.find((a) => a.id === this.accountId) ?? this.accounts[0];
  }

  protected updated(changed: Map<string, unknown>): void {
    if (!changed.has('request') || !this.request) return;
    const request = this.request;
    this.input.value = request.dialString;
    this.error = '';
    // Numbers and SIP addresses go through a SIP account when one is ready; names through the app.
    const sip = this.accounts.find((a) => a.id !== APP_ACCOUNT && a.ready);
    this.accountId = request.kind !== 'name' && sip ? sip.id : APP_ACCOUNT;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('.link-call')?.focus());
  }

  /** The first few suggestions for what is typed (case and accents aside), for the chosen kind of account. */
  private matchingSuggestions(sip: boolean): DialSuggestion[] {
    const typed = foldForSearch(this.typed.trim());
    if (!typed) return [];
    const seen = new Set<string>();
    const matches: DialSuggestion[] = [];
    for (const suggestion of this.suggestions()) {
      if (suggestion.sip !== sip || seen.has(suggestion.value)) continue;
      if (!foldForSearch(`${suggestion.value} ${suggestion.label}`).includes(typed)) continue;
      seen.add(suggestion.value);
      matches.push(suggestion);
      if (matches.length === MAX_SUGGESTIONS) break;
    }
    return matches;
  }

  render() {
    const account = this.account;
    const sip = account !== undefined && account.id !== APP_ACCOUNT;
    const disabled = this.busy || !account?.ready;
    return html`<form @submit=${(e: SubmitEvent) => this.call(e, (e.submitter as HTMLButtonElement | null)?.value === 'video')} novalidate>
      ${this.accounts.length > 1
        ? html`<label class="account"
            >${t('Call with')}
            <select @change=${(e: Event) => (this.accountId = (e.target as HTMLSelectElement).value)}>
              ${this.accounts.map(
                (a) => html`<option value=${a.id} ?selected=${a.id === account?.id}>${a.label}${a.ready ? '' : ` ${t('(not available)')}`}</option>`,
              )}
            </select></label
          >`
        : ''}
      <label
        >${t('Dial')}
        <input
          name="dial"
          autocomplete="off"
          list="dial-suggestions"
          @input=${(e: Event) => (this.typed = (e.target as HTMLInputElement).value)}
          placeholder=${sip ? t('SIP address, extension or number: *86,,1234#') : t('Name, then ,pause and keys: Demo IVR,,1#')}
          aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby=${this.error ? 'dial-hint dial-error' : 'dial-hint'}
      /></label>
      <datalist id="dial-suggestions">
        ${this.matchingSuggestions(sip).map((s) => html`<option value=${s.value}>${s.label}</option>`)}
      </datalist>
      <button type="submit" value="audio" class="primary" ?disabled=${disabled}>${t('Call')}</button>
      <button type="submit" value="video" ?disabled=${disabled}>${t('Video call')}</button>
      <p class="hint" id="dial-hint">${t('A comma waits before the next keys, once the call is answered.')}</p>
      ${this.request
        ? html`<div class="link" role="group" aria-labelledby="link-question">
            <p id="link-question">
              ${this.accounts.length > 1
                ? t('A link asks to call {{target}} with {{account}}.', { target: this.request.dialString, account: account?.label ?? '' })
                : t('A link asks to call {{target}}.', { target: this.request.dialString })}
            </p>
            <button type="button" class="primary link-call" ?disabled=${disabled} @click=${(e: Event) => this.confirmLink(e)}>${t('Call {{target}}', { target: this.request.dialString })}</button>
            <button type="button" @click=${() => this.settleLink()}>${t("Don't call")}</button>
          </div>`
        : ''}
      ${this.error ? html`<p class="error" id="dial-error" role="alert">${this.error}</p>` : ''}
    </form>`;
  }

  private confirmLink(event: Event): void {
    this.call(event, false);
    if (!this.error) this.settleLink();
  }

  private settleLink(): void {
    this.dispatchEvent(new CustomEvent('dial-request-settled', { bubbles: true, composed: true }));
  }

  private call(event: Event, video: boolean): void {
    event.preventDefault();
    const checked = checkDialString(this.input.value);
    if (!checked.ok) {
      this.error = schemaMessage(checked.message);
      this.input.focus();
      return;
    }
    const { target, postDial } = checked.dial;
    const account = this.account?.id ?? APP_ACCOUNT;
    const sip = account !== APP_ACCOUNT;
    const name = sip ? CallAddress.safeParse(target) : UserName.safeParse(target);
    if (!name.success) {
      const reason = schemaMessage(name.error.issues[0]!.message);
      this.error = sip
        ? target
          ? t('"{{target}}" is not a SIP address, an extension or a number that can be called: {{reason}}.', { target, reason })
          : t('Type a SIP address, an extension or a number to call.')
        : target
          ? t('"{{target}}" is not a name that can be called: {{reason}}.', { target, reason })
          : t('Type a name to call.');
      this.input.focus();
      return;
    }
    this.error = '';
    this.dispatchEvent(
      new CustomEvent('call-contact', { detail: { name: name.data, video, postDial, account }, bubbles: true, composed: true }) satisfies CallContactEvent,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'dial-box': DialBox;
  }
}
