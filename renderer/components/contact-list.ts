/** Saved contacts and everyone else online, with presence and the actions for each. */
import type { LitVirtualizer } from '@lit-labs/virtualizer';
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { DirectoryAddress, DirectoryContact, OnlineUser } from '../../common/directory.ts';
import { addressText } from '../state/contact-addresses.ts';
// Registers <lit-virtualizer>.
import '@lit-labs/virtualizer';
import { ifDefined } from 'lit/directives/if-defined.js';
import { controlStyles, listRowStyles } from './shared-styles.ts';
import { avatar, avatarStyles } from '../avatar/avatar.ts';
import { focusListRow } from '../lists/focus-list-row.ts';
import { nearFlow } from '../lists/near-flow-layout.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

/** `postDial`: keys to send once answered; absent means the contact's own. */
/** `account`: which account carries the call; the app's own when absent. */
export type CallContactEvent = CustomEvent<{ name: string; video: boolean; postDial?: string; account?: string }>;
/** Call one address of a saved contact; the app picks the account that can reach it. */
export type CallAddressEvent = CustomEvent<{ contactId: string; address: Pick<DirectoryAddress, 'kind' | 'value'>; video: boolean }>;
export type ContactEvent = CustomEvent<{ id: string }>;
export type OnlineUserEvent = CustomEvent<{ name: string }>;

/**
 * Longer lists draw only the rows in view; shorter ones (a screenful or two)
 * draw every row, simpler for focus and find-in-page. Low on purpose: a search
 * that leaves 150 of 10,000 contacts must not draw 150 rows per keystroke.
 */
const VIRTUALISE_FROM = 40;

@customElement('contact-list')
export class ContactList extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    listRowStyles,
    avatarStyles,
    css`
      .heading {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 8px;
      }
      h2 {
        font-size: 0.85rem;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--sp-muted);
        margin: 16px 0 6px;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      /* A name breaks between words; inside a word only when the word alone is wider than the row. */
      .name {
        font-weight: 600;
        overflow-wrap: break-word;
      }
      /* The row's whole width (avatar, name and presence above): the panel is narrow beside a call. */
      .actions {
        grid-column: 1 / -1;
        display: flex;
        gap: 6px;
        flex-wrap: wrap;
        align-items: start;
      }
      .presence,
      .hint {
        font-size: 0.8rem;
        color: var(--sp-muted);
        min-width: 4rem;
        overflow-wrap: anywhere;
      }
      /* A long SIP address takes two lines rather than squeezing the name into one word a line. */
      .presence {
        max-width: 8rem;
        text-align: end;
      }
      .presence[data-online] {
        color: var(--sp-ok);
      }
      .hint {
        margin: 0 0 8px;
      }
      details {
        display: inline-block;
      }
      summary {
        cursor: pointer;
        padding: 6px 4px;
      }
      .ways {
        display: grid;
        gap: 4px;
        margin-top: 4px;
      }
      .empty {
        color: var(--sp-muted);
        font-size: 0.9rem;
      }
    `,
  ];

  /** Saved contacts, in the order main gives them (favourites, online, by name). */
  @property({ attribute: false }) contacts: DirectoryContact[] = [];
  /** Everyone online who is not a contact. */
  @property({ attribute: false }) others: OnlineUser[] = [];
  /** In a call already: nothing can be called. */
  @property({ type: Boolean }) busy = false;
  /** Signed in to the app's server: app users can be called. */
  @property({ type: Boolean }) appReady = false;
  /** A SIP account is registered: SIP addresses and numbers can be called. */
  @property({ type: Boolean }) sipReady = false;
  /** Contacts whose "More…" is open. */
  private readonly waysShown = new Set<string>();
  /** A contact whose row takes focus as soon as it is shown (after Add or Undo). */
  private focusWhenShown: string | null = null;

  /** Moves focus to the contact's row, now or once the list shows it. */
  focusContact(id: string): void {
    this.focusWhenShown = id;
    this.requestUpdate();
  }

  protected updated(_changed: PropertyValues<this>): void {
    const id = this.focusWhenShown;
    if (id === null) return;
    // Not in the list yet (just added, and main has not sent the list with it): look again when it comes.
    const index = this.contacts.findIndex((c) => c.id === id);
    if (index < 0) return;
    this.focusWhenShown = null;
    const find = () => this.renderRoot.querySelector<HTMLElement>(`[data-contact-id="${CSS.escape(id)}"]`);
    const list = this.renderRoot.querySelector<LitVirtualizer>('lit-virtualizer');
    if (list) void focusListRow(list, index, find);
    else find()?.focus();
  }

  render() {
    return html`
      <div class="heading">
        <h2 id="contacts-heading">${t('Contacts')}</h2>
        <button @click=${() => this.dispatchEvent(new CustomEvent('new-contact', { bubbles: true, composed: true }))}>${t('New contact')}</button>
      </div>
      ${this.waitsForSip()
        ? html`<p class="hint" id="sip-hint">${t('SIP addresses and numbers can be called once a SIP account is registered (Settings → Accounts).')}</p>`
        : ''}
      ${this.contacts.length
        ? this.contacts.length <= VIRTUALISE_FROM
          ? html`<div role="list" aria-labelledby="contacts-heading">${this.contacts.map((c) => this.contactRow(c))}</div>`
          : // Only the rows in view are drawn, so 10,000 contacts open and scroll as fast as ten.
            html`<lit-virtualizer
            role="list"
            aria-labelledby="contacts-heading"
            .items=${this.contacts}
            .layout=${nearFlow}
            .keyFunction=${(contact: DirectoryContact) => contact.id}
            .renderItem=${(contact: DirectoryContact) => this.contactRow(contact)}
          ></lit-virtualizer>`
        : html`<p class="empty">${t('No saved contacts yet. Add someone who is online, or make a new contact.')}</p>`}
      <h2 id="online-heading">${t('Online now')}</h2>
      ${this.others.length
        ? html`<ul aria-labelledby="online-heading">${this.others.map((u) => this.onlineRow(u))}</ul>`
        : html`<p class="empty">${t('Nobody else is online.')}</p>`}
    `;
  }

  /**
   * Some contact has a SIP address or number and no SIP account can call it
   * yet: said once above the list (the rows' disabled buttons point to it),
   * not under every such row.
   */
  private waitsForSip(): boolean {
    return !this.sipReady && this.contacts.some((contact) => contact.addresses.some((a) => a.kind !== 'app'));
  }

  private canCall(address: Pick<DirectoryAddress, 'kind'>): boolean {
    return !this.busy && (address.kind === 'app' ? this.appReady : this.sipReady);
  }

  private contactRow(contact: DirectoryContact) {
    const { name } = contact;
    const first = contact.addresses[0]!;
    const hasApp = contact.addresses.some((a) => a.kind === 'app');
    const waitsForSip = this.waitingForSip(first);
    return html`<div role="listitem" class="row" data-contact=${name} data-contact-id=${contact.id} tabindex="-1">
      ${avatar(name)}
      <span class="name">${contact.favourite ? html`<span role="img" aria-label=${t('Favourite')}>★</span> ` : ''}${name}</span>
      ${hasApp
        ? html`<span class="presence" ?data-online=${contact.online}>${contact.online ? t('online') : t('offline')}</span>`
        : html`<span class="presence">${addressText(first)}</span>`}
      <span class="actions">
        <button
          aria-label=${t('Call {{name}}', { name })}
          aria-describedby=${ifDefined(waitsForSip)}
          title=${t('Audio call to {{address}}', { address: addressText(first) })}
          ?disabled=${!this.canCall(first)}
          @click=${() => this.emitCall(contact, first, false)}
        >
          ${t('Call')}
        </button>
        <button
          aria-label=${t('Video call {{name}}', { name })}
          aria-describedby=${ifDefined(waitsForSip)}
          title=${t('Video call to {{address}}', { address: addressText(first) })}
          ?disabled=${!this.canCall(first)}
          @click=${() => this.emitCall(contact, first, true)}
        >
          ${t('Video')}
        </button>
        ${contact.addresses.length > 1
          ? html`<details
              ?open=${this.waysShown.has(contact.id)}
              @toggle=${(e: Event) => this.showWays(contact.id, (e.currentTarget as HTMLDetailsElement).open)}
            >
              <summary aria-label=${t('Other ways to call {{name}}', { name })}>${t('More…')}</summary>
              ${this.waysShown.has(contact.id) ? this.waysToCall(contact) : ''}
            </details>`
          : ''}
        <button aria-label=${t('Edit {{name}}', { name })} title=${t('Name, addresses, notes, keys after the answer, key sequences')} @click=${() => this.emit('edit-contact', contact.id)}>
          ${t('Edit')}
        </button>
        <button aria-label=${t('Remove {{name}} from contacts', { name })} title=${t('Remove from contacts')} @click=${() => this.emit('remove-contact', contact.id)}>${t('Remove')}</button>
      </span>
    </div>`;
  }

  /** Every address with its own buttons: drawn only while "More…" is open, as most rows never open it. */
  private waysToCall(contact: DirectoryContact) {
    const { name } = contact;
    return html`<div class="ways">
      ${contact.addresses.map((address) => {
        const where = `${addressText(address)}${address.label ? ` (${address.label})` : ''}`;
        const why = this.waitingForSip(address);
        return html`<span>
          <button aria-describedby=${ifDefined(why)} ?disabled=${!this.canCall(address)} @click=${() => this.emitCall(contact, address, false)}>
            ${t('Call {{name}} at {{address}}', { name, address: where })}
          </button>
          <button
            aria-label=${t('Video call {{name}} at {{address}}', { name, address: where })}
            aria-describedby=${ifDefined(why)}
            ?disabled=${!this.canCall(address)}
            @click=${() => this.emitCall(contact, address, true)}
          >
            ${t('Video')}
          </button>
        </span>`;
      })}
    </div>`;
  }

  /** The hint's id when this address waits for a SIP account (see waitsForSip). */
  private waitingForSip(address: Pick<DirectoryAddress, 'kind'>): string | undefined {
    return address.kind !== 'app' && !this.sipReady ? 'sip-hint' : undefined;
  }

  private showWays(id: string, open: boolean): void {
    if (open === this.waysShown.has(id)) return;
    if (open) this.waysShown.add(id);
    else this.waysShown.delete(id);
    this.requestUpdate();
  }

  private onlineRow({ name }: OnlineUser) {
    const disabled = this.busy || !this.appReady;
    const address = { kind: 'app' as const, value: name };
    return html`<li class="row" data-contact=${name}>
      ${avatar(name)}
      <span class="name">${name}</span>
      <span class="presence" data-online>${t('online')}</span>
      <span class="actions">
        <button aria-label=${t('Call {{name}}', { name })} title=${t('Audio call')} ?disabled=${disabled} @click=${() => this.emitCallUser(address.value, false)}>${t('Call')}</button>
        <button aria-label=${t('Video call {{name}}', { name })} title=${t('Video call')} ?disabled=${disabled} @click=${() => this.emitCallUser(address.value, true)}>${t('Video')}</button>
        <button
          aria-label=${t('Add {{name}} to contacts', { name })}
          title=${t('Add to contacts')}
          @click=${() => this.dispatchEvent(new CustomEvent('add-online-user', { detail: { name }, bubbles: true, composed: true }) satisfies OnlineUserEvent)}
        >
          ${t('Add')}
        </button>
      </span>
    </li>`;
  }

  private emitCall(contact: DirectoryContact, address: DirectoryAddress, video: boolean): void {
    const detail = { contactId: contact.id, address: { kind: address.kind, value: address.value }, video };
    this.dispatchEvent(new CustomEvent('call-address', { detail, bubbles: true, composed: true }) satisfies CallAddressEvent);
  }

  private emitCallUser(name: string, video: boolean): void {
    this.dispatchEvent(new CustomEvent('call-contact', { detail: { name, video }, bubbles: true, composed: true }) satisfies CallContactEvent);
  }

  private emit(type: 'remove-contact' | 'edit-contact', id: string): void {
    this.dispatchEvent(new CustomEvent(type, { detail: { id }, bubbles: true, composed: true }) satisfies ContactEvent);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'contact-list': ContactList;
  }
  interface HTMLElementEventMap {
    'call-contact': CallContactEvent;
    'call-address': CallAddressEvent;
    'add-online-user': OnlineUserEvent;
    'remove-contact': ContactEvent;
    'edit-contact': ContactEvent;
    'new-contact': CustomEvent;
  }
}
