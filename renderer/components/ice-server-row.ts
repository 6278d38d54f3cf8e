/**
 * One of the user's own STUN/TURN servers in Settings → Network: its address
 * and, for TURN, a username and a credential. A saved credential is never
 * shown or sent back: the field stays empty, says one is saved, and typing
 * replaces it. Reports edits and removal to the list with events.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { isTurnUrl } from '../../common/settings-schema.ts';
import { controlStyles } from './shared-styles.ts';
import { describedBy, fieldMessage, fieldMessageStyles } from './field-message.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

/** A server as the form holds it. */
export interface IceServerDraft {
  /** Stable while the list is edited, for focus and rendering. */
  readonly key: number;
  urls: string;
  username: string;
  /** What the user typed; empty keeps a saved credential. */
  credential: string;
  /** Main has a credential saved for this server. */
  hasCredential: boolean;
  /** The user asked to forget the saved credential. */
  forgetCredential: boolean;
}

export type IceServerChangeEvent = CustomEvent<{ key: number; patch: Partial<Omit<IceServerDraft, 'key'>> }>;
export type IceServerRemoveEvent = CustomEvent<{ key: number }>;

export interface IceServerErrors {
  urls?: string;
  username?: string;
  credential?: string;
}

@customElement('ice-server-row')
export class IceServerRow extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    fieldMessageStyles,
    css`
      fieldset {
        border: 1px solid var(--sp-divider);
        border-radius: 8px;
        margin: 0;
        padding: 8px 12px 12px;
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: 8px 12px;
        align-items: start;
      }
      legend {
        font-weight: 600;
        padding: 0 4px;
      }
      .wide {
        grid-column: 1 / -1;
      }
      .url-row {
        display: flex;
        gap: 8px;
      }
      .url-row input {
        flex: 1;
        min-width: 0;
      }
      .credential-row {
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
      }
      .credential-row input {
        flex: 1;
        min-width: 8rem;
      }
    `,
  ];

  @property({ attribute: false }) server!: IceServerDraft;
  /** 1-based, for names like "URL of server 2". */
  @property({ type: Number }) position = 1;
  @property({ attribute: false }) errors: IceServerErrors = {};
  @query('input[name="urls"]') private urlInput!: HTMLInputElement;

  focusUrl(): void {
    this.urlInput?.focus();
  }

  render() {
    const server = this.server;
    const n = this.position;
    const id = `server-${server.key}`;
    const turn = isTurnUrl(server.urls.trim());
    const credentialSaved = server.hasCredential && !server.forgetCredential;
    return html`<fieldset>
      <legend>${t('Server {{n}}', { n })}</legend>
      <div class="field wide">
        <label for="${id}-urls">URL</label>
        <div class="url-row">
          <input
            id="${id}-urls"
            name="urls"
            aria-label=${t('URL of server {{n}}', { n })}
            spellcheck="false"
            autocomplete="off"
            placeholder="turn:turn.example.com:3478"
            .value=${server.urls}
            aria-invalid=${this.errors.urls ? 'true' : 'false'}
            aria-describedby=${describedBy(`${id}-urls`, this.errors.urls, false)}
            @input=${(e: Event) => this.change({ urls: (e.target as HTMLInputElement).value })}
          />
          <button type="button" aria-label=${t('Remove server {{n}}', { n })} @click=${this.requestRemoval}>${t('Remove')}</button>
        </div>
        ${fieldMessage(`${id}-urls`, this.errors.urls)}
      </div>
      ${turn
        ? html`<div class="field">
              <label for="${id}-username">${t('Username')}</label>
              <input
                id="${id}-username"
                name="username"
                aria-label=${t('Username for server {{n}}', { n })}
                autocomplete="off"
                spellcheck="false"
                .value=${server.username}
                aria-invalid=${this.errors.username ? 'true' : 'false'}
                aria-describedby=${describedBy(`${id}-username`, this.errors.username, false)}
                @input=${(e: Event) => this.change({ username: (e.target as HTMLInputElement).value })}
              />
              ${fieldMessage(`${id}-username`, this.errors.username)}
            </div>
            <div class="field">
              <label for="${id}-credential">${t('Credential')}</label>
              <div class="credential-row">
                <input
                  id="${id}-credential"
                  name="credential"
                  type="password"
                  aria-label=${t('Credential for server {{n}}', { n })}
                  autocomplete="new-password"
                  placeholder=${credentialSaved ? t('Saved (type to replace)') : ''}
                  .value=${server.credential}
                  aria-invalid=${this.errors.credential ? 'true' : 'false'}
                  aria-describedby=${describedBy(`${id}-credential`, this.errors.credential, true)}
                  @input=${(e: Event) => this.change({ credential: (e.target as HTMLInputElement).value })}
                />
                ${credentialSaved
                  ? html`<button type="button" aria-label=${t('Forget the credential of server {{n}}', { n })} @click=${this.forget}>${t('Forget')}</button>`
                  : nothing}
              </div>
              ${fieldMessage(
                `${id}-credential`,
                this.errors.credential,
                credentialSaved
                  ? t('Saved in your system keychain; not shown. Leave empty to keep it.')
                  : server.hasCredential
                    ? t('The saved credential is removed when you save.')
                    : t('Kept in your system keychain.'),
              )}
            </div>`
        : nothing}
    </fieldset>`;
  }

  private change(patch: IceServerChangeEvent['detail']['patch']): void {
    this.dispatchEvent(new CustomEvent('ice-server-change', { detail: { key: this.server.key, patch }, bubbles: true, composed: true }) satisfies IceServerChangeEvent);
  }

  private readonly forget = () => {
    this.change({ forgetCredential: true, credential: '' });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('input[name="credential"]')?.focus());
  };

  private readonly requestRemoval = () => {
    this.dispatchEvent(new CustomEvent('ice-server-remove', { detail: { key: this.server.key }, bubbles: true, composed: true }) satisfies IceServerRemoveEvent);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'ice-server-row': IceServerRow;
  }
  interface HTMLElementEventMap {
    'ice-server-change': IceServerChangeEvent;
    'ice-server-remove': IceServerRemoveEvent;
  }
}
