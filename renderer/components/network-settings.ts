/**
 * Settings → Network: the user's own STUN and TURN servers (used together
 * with those the signaling server provides) and whether calls may only go
 * through a relay. Edits stay in the form until "Save"; main keeps the
 * credentials in the system keychain and never sends them back.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { consume } from '@lit/context';
import { appServicesContext, type AppServices } from '../state/app-context.ts';
import { StoreFormController } from '../state/store-form-controller.ts';
import type { NetworkView, SaveNetworkRequest } from '../state/account-api.ts';
import { remoteErrorText } from '../state/remote-error.ts';
import { checkIceServerUrl } from '../settings/address-validation.ts';
import { isTurnUrl } from '../../common/settings-schema.ts';
import { controlStyles, settingsListStyles } from './shared-styles.ts';
import { formStatusStyles, statusLine, type FormStatus } from './form-status.ts';
import type { IceServerChangeEvent, IceServerDraft, IceServerErrors, IceServerRemoveEvent, IceServerRow } from './ice-server-row.ts';
import './ice-server-row.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

/** The contract's limit. */
export const MAX_ICE_SERVERS = 8;

/** The form's rows from what main saved. */
function draftsOf(network: NetworkView, nextKey: () => number): IceServerDraft[] {
  return network.iceServers.map((server) => ({
    key: nextKey(),
    urls: server.urls,
    username: server.username ?? '',
    credential: '',
    hasCredential: server.hasCredential,
    forgetCredential: false,
  }));
}

/** What is wrong with one row, field by field; empty when it can be saved. */
export function checkDraft(draft: IceServerDraft): IceServerErrors {
  const errors: IceServerErrors = {};
  const url = checkIceServerUrl(draft.urls);
  if (!url.ok) errors.urls = url.message;
  if (isTurnUrl(draft.urls.trim())) {
    if (draft.username.trim() === '') errors.username = 'A TURN server needs a username.';
    const hasSaved = draft.hasCredential && !draft.forgetCredential;
    if (draft.credential === '' && !hasSaved) errors.credential = 'A TURN server needs a credential (its password).';
  }
  return errors;
}

/** A row as saveNetwork takes it: a STUN server carries no username or credential; an untouched credential is left out (kept). */
export function requestOf(draft: IceServerDraft): SaveNetworkRequest['iceServers'][number] {
  const urls = draft.urls.trim();
  if (!isTurnUrl(urls.trim())) return { urls, ...(draft.hasCredential ? { credential: null } : {}) };
  const credential = draft.credential !== '' ? draft.credential : draft.forgetCredential ? null : undefined;
  return { urls, username: draft.username.trim(), ...(credential === undefined ? {} : { credential }) };
}

@customElement('network-settings')
export class NetworkSettings extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    formStatusStyles,
    settingsListStyles,
    css`
      form {
        display: grid;
        gap: 12px;
      }
      .check {
        display: flex;
        gap: 8px;
        align-items: center;
        font-weight: 600;
      }
      .check + .hint {
        margin-left: 26px;
      }
      .warning {
        color: var(--sp-warn);
        font-size: 0.9rem;
      }
    `,
  ];

  @consume({ context: appServicesContext, subscribe: true }) services: AppServices | null = null;
  @state() private servers: IceServerDraft[] = [];
  @state() private relayOnly = false;
  /** Shown after a Save attempt, by row key. */
  @state() private errors = new Map<number, IceServerErrors>();
  @state() private status: FormStatus = { kind: 'idle' };
  private keyCounter = 0;
  private readonly form = new StoreFormController(this, (store) => this.reset(store.settings.network));

  protected willUpdate(): void {
    this.form.watch(this.services?.store);
  }

  render() {
    const store = this.services?.store;
    if (!store) return nothing;
    const busy = this.status.kind === 'busy';
    const full = this.servers.length >= MAX_ICE_SERVERS;
    return html`<form novalidate @submit=${this.save} @ice-server-change=${this.changeServer} @ice-server-remove=${this.removeServer}>
      <p class="intro">${t('Your own STUN and TURN servers, used together with any your signaling server provides. They help calls connect across firewalls and networks.')}</p>
      ${this.servers.length === 0
        ? html`<p class="empty">${t('No servers of your own.')}</p>`
        : html`<ul aria-label=${t('Your STUN and TURN servers')}>
            ${repeat(
              this.servers,
              (server) => server.key,
              (server, index) => html`<li>
                <ice-server-row .server=${server} position=${index + 1} .errors=${this.errors.get(server.key) ?? {}}></ice-server-row>
              </li>`,
            )}
          </ul>`}
      <div class="actions">
        <button type="button" id="network-add" ?disabled=${full} aria-describedby=${full ? 'network-full' : nothing} @click=${this.addServer}>${t('Add server')}</button>
        ${full ? html`<span class="hint" id="network-full">${t('At most {{count}} servers.', { count: MAX_ICE_SERVERS })}</span>` : nothing}
      </div>
      <div>
        <label class="check">
          <input
            type="checkbox"
            name="relayOnly"
            .checked=${this.relayOnly}
            aria-describedby="network-relay-hint"
            @change=${(e: Event) => (this.relayOnly = (e.target as HTMLInputElement).checked)}
          />
          ${t('Only connect calls through a relay (TURN)')}</label
        >
        <p class="hint" id="network-relay-hint">${t('The people you call then do not learn your network address. Calls fail when no TURN server can be reached.')}</p>
      </div>
      ${this.relayOnly && !this.knowsTurnServer() ? html`<p class="warning" role="note">${t('No TURN server is known: neither yours above nor one from the signaling server. With this on, calls cannot connect.')}</p>` : nothing}
      <div class="actions">
        <button type="submit" class="primary" aria-disabled=${busy ? 'true' : 'false'}>${t('Save')}</button>
        <button type="button" @click=${this.revert}>${t('Undo changes')}</button>
      </div>
      ${statusLine(this.status)}
    </form>`;
  }

  private reset(network: NetworkView): void {
    this.servers = draftsOf(network, () => ++this.keyCounter);
    this.relayOnly = network.relayOnly;
    this.errors = new Map();
  }

  /** A TURN server in the form, or one main already uses (from the signaling server). */
  private knowsTurnServer(): boolean {
    if (this.servers.some((s) => isTurnUrl(s.urls.trim()))) return true;
    const rtc = this.services?.store.connection.rtc;
    return (rtc?.iceServers ?? []).some((server) => [server.urls].flat().some((url) => isTurnUrl(url.trim())));
  }

  private readonly addServer = async () => {
    if (this.servers.length >= MAX_ICE_SERVERS) return;
    const key = ++this.keyCounter;
    this.servers = [...this.servers, { key, urls: '', username: '', credential: '', hasCredential: false, forgetCredential: false }];
    await this.updateComplete;
    this.row(key)?.focusUrl();
  };

  private readonly removeServer = async (event: IceServerRemoveEvent) => {
    const index = this.servers.findIndex((s) => s.key === event.detail.key);
    if (index < 0) return;
    this.servers = this.servers.filter((s) => s.key !== event.detail.key);
    // The keyboard goes on at the row that took its place, or the one before, or Add server.
    const next = this.servers[index] ?? this.servers[index - 1];
    await this.updateComplete;
    if (next) this.row(next.key)?.focusUrl();
    else this.renderRoot.querySelector<HTMLButtonElement>('#network-add')?.focus();
  };

  private readonly changeServer = (event: IceServerChangeEvent) => {
    const { key, patch } = event.detail;
    this.servers = this.servers.map((s) => (s.key === key ? { ...s, ...patch } : s));
    // A row's messages are checked again as it is corrected; none appear while typing.
    if (this.errors.has(key)) {
      const errors = new Map(this.errors);
      const row = this.servers.find((s) => s.key === key)!;
      const now = checkDraft(row);
      errors.set(key, Object.fromEntries(Object.entries(errors.get(key)!).filter(([field]) => field in now)));
      this.errors = errors;
    }
  };

  private readonly revert = () => {
    const store = this.services?.store;
    if (!store) return;
    this.reset(store.settings.network);
    this.status = { kind: 'done', ok: true, text: t('Back to the saved settings.') };
  };

  private readonly save = async (event: Event) => {
    event.preventDefault();
    if (this.status.kind === 'busy') return;
    const errors = new Map(this.servers.map((s) => [s.key, checkDraft(s)] as const).filter(([, e]) => Object.keys(e).length > 0));
    this.errors = errors;
    if (errors.size > 0) {
      this.status = { kind: 'done', ok: false, text: t('Check the servers marked above.', { count: errors.size }) };
      await this.updateComplete;
      const first = this.servers.find((s) => errors.has(s.key))!;
      const row = this.row(first.key);
      const field = Object.keys(errors.get(first.key)!)[0];
      await row?.updateComplete;
      row?.renderRoot.querySelector<HTMLInputElement>(`input[name="${field}"]`)?.focus();
      return;
    }
    const api = this.services?.store.api;
    if (!api) return;
    this.status = { kind: 'busy', text: t('Saving…') };
    try {
      const saved = await api.saveNetwork({ iceServers: this.servers.map(requestOf), relayOnly: this.relayOnly });
      this.reset(saved.network);
      this.status = { kind: 'done', ok: true, text: t('Saved. The next call uses these settings.') };
    } catch (error) {
      this.status = { kind: 'done', ok: false, text: t('Could not save: {{reason}}', { reason: remoteErrorText(error) }) };
    }
  };

  private row(key: number): IceServerRow | null {
    return [...this.renderRoot.querySelectorAll<IceServerRow>('ice-server-row')].find((r) => r.server.key === key) ?? null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'network-settings': NetworkSettings;
  }
}
