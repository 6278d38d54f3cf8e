/** Saved contacts and everyone online, with presence and the actions for each. */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { DirectoryEntry } from '../../common/ipc-contract.ts';
import { controlStyles } from './shared-styles.ts';

/** `postDial`: keys to send once answered; absent means the contact's own. */
/** `account`: which account carries the call; the app's own when absent. */
export type CallContactEvent = CustomEvent<{ name: string; video: boolean; postDial?: string; account?: string }>;
export type ContactEvent = CustomEvent<{ name: string }>;

@customElement('contact-list')
export class ContactList extends LitElement {
  static styles = [
    controlStyles,
    css`
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
      li {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 4px 8px;
        padding: 8px 4px;
        border-bottom: 1px solid var(--sp-divider);
      }
      .name {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .actions {
        grid-column: 1 / -1;
        display: flex;
        gap: 6px;
        flex-wrap: wrap;
      }
      .presence {
        font-size: 0.8rem;
        color: var(--sp-muted);
        min-width: 4rem;
      }
      .presence[data-online] {
        color: var(--sp-ok);
      }
      .empty {
        color: var(--sp-muted);
        font-size: 0.9rem;
      }
    `,
  ];

  @property({ attribute: false }) entries: DirectoryEntry[] = [];
  /** Calls are impossible while one is under way or while offline. */
  @property({ type: Boolean }) callsDisabled = false;

  render() {
    const saved = this.entries.filter((e) => e.saved);
    const others = this.entries.filter((e) => !e.saved && e.online);
    return html`
      <h2 id="contacts-heading">Contacts</h2>
      ${saved.length
        ? html`<ul aria-labelledby="contacts-heading">${saved.map((e) => this.row(e))}</ul>`
        : html`<p class="empty">No saved contacts yet. Add someone who is online.</p>`}
      <h2 id="online-heading">Online now</h2>
      ${others.length
        ? html`<ul aria-labelledby="online-heading">${others.map((e) => this.row(e))}</ul>`
        : html`<p class="empty">Nobody else is online.</p>`}
    `;
  }

  private row(entry: DirectoryEntry) {
    const { name } = entry;
    return html`<li data-contact=${name}>
      <span class="name">${name}</span>
      <span class="presence" ?data-online=${entry.online}>${entry.online ? 'online' : 'offline'}</span>
      <span class="actions">
      <button aria-label="Call ${name}" title="Audio call" ?disabled=${this.callsDisabled} @click=${() => this.emitCall(name, false)}>
        Call
      </button>
      <button aria-label="Video call ${name}" title="Video call" ?disabled=${this.callsDisabled} @click=${() => this.emitCall(name, true)}>
        Video
      </button>
      ${entry.saved
        ? html`<button aria-label="Edit ${name}" title="Keys after the answer, saved key sequences" @click=${() => this.emit('edit-contact', name)}>
              Edit
            </button>
            <button aria-label="Remove ${name} from contacts" title="Remove from contacts" @click=${() => this.emit('remove-contact', name)}>
            Remove
          </button>`
        : html`<button aria-label="Add ${name} to contacts" title="Add to contacts" @click=${() => this.emit('add-contact', name)}>Add</button>`}
      </span>
    </li>`;
  }

  private emitCall(name: string, video: boolean): void {
    this.dispatchEvent(new CustomEvent('call-contact', { detail: { name, video }, bubbles: true, composed: true }) satisfies CallContactEvent);
  }

  private emit(type: 'add-contact' | 'remove-contact' | 'edit-contact', name: string): void {
    this.dispatchEvent(new CustomEvent(type, { detail: { name }, bubbles: true, composed: true }) satisfies ContactEvent);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'contact-list': ContactList;
  }
  interface HTMLElementEventMap {
    'call-contact': CallContactEvent;
    'add-contact': ContactEvent;
    'remove-contact': ContactEvent;
    'edit-contact': ContactEvent;
  }
}
