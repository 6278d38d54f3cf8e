/**
 * The ringing phone: who is calling, Accept and Decline. It is a modal dialog
 * in the top layer, so it shows above anything else that is open (Settings, a
 * contact being edited), on any window size, and it takes the keyboard.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { controlStyles } from './shared-styles.ts';
import { avatar, avatarStyles } from '../avatar/avatar.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

@customElement('incoming-call-panel')
export class IncomingCallPanel extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    avatarStyles,
    css`
      dialog {
        border: 2px solid var(--sp-accent-border);
        border-radius: 12px;
        padding: 20px;
        background: var(--sp-accent-bg);
        color: var(--sp-text);
        width: min(26rem, calc(100vw - 32px));
        box-sizing: border-box;
        box-shadow: 0 12px 40px rgba(0, 0, 0, 0.3);
      }
      dialog::backdrop {
        background: var(--sp-backdrop);
      }
      .content {
        display: grid;
        gap: 12px;
      }
      .caller {
        display: flex;
        align-items: center;
        gap: 14px;
        --avatar-size: 3.5rem;
      }
      .caller > div {
        display: grid;
        gap: 4px;
        min-width: 0;
      }
      h2 {
        margin: 0;
        font-size: 1.25rem;
        overflow-wrap: anywhere;
      }
      p {
        margin: 0;
      }
      .address {
        font-family: ui-monospace, monospace;
        overflow-wrap: anywhere;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 12px;
      }
      .actions button {
        flex: 1 1 7rem;
        min-height: 44px;
      }
      .add-contact {
        justify-self: start;
      }
    `,
  ];

  @property() caller = '';
  /** The caller's address or number (SIP), shown under the name when it says more. */
  @property() address = '';
  /** Which account it came in on, when there are several. */
  @property() account = '';
  @property({ type: Boolean }) video = false;
  /** The caller is not a saved contact: Add to contacts is offered. */
  @property({ type: Boolean }) canAddContact = false;
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('button.primary') private acceptButton!: HTMLButtonElement;

  /** What had the keyboard inside another open dialog (Settings) when the call came in. */
  private focusInDialog: HTMLElement | null = null;

  protected firstUpdated(): void {
    this.focusInDialog = focusedInsideOpenDialog();
    this.open();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.dialog?.open) this.dialog.close();
    // Answered or declined while Settings was open: the keyboard goes back there, not to the page behind it.
    const back = this.focusInDialog;
    this.focusInDialog = null;
    if (back?.isConnected) back.focus();
  }

  render() {
    return html`<dialog role="alertdialog" aria-labelledby="title" aria-describedby="kind" @cancel=${this.onCancel} @close=${this.onClose}>
      <div class="content">
        <div class="caller">
          ${avatar(this.caller)}
          <div>
            <h2 id="title">${t('Incoming call from {{caller}}', { caller: this.caller })}</h2>
            ${this.address && this.address !== this.caller ? html`<p class="address">${this.address}</p>` : ''}
            <p id="kind">${this.account ? this.video ? t('Video call on {{account}}', { account: this.account }) : t('Audio call on {{account}}', { account: this.account }) : this.video ? t('Video call') : t('Audio call')}</p>
          </div>
        </div>
        <div class="actions">
          <button class="primary" @click=${() => this.emit('accept-call')}>${t('Accept')}</button>
          <button class="danger" @click=${() => this.emit('decline-call')}>${t('Decline')}</button>
        </div>
        ${this.canAddContact ? html`<button class="add-contact" aria-haspopup="dialog" @click=${() => this.emit('add-caller-to-contacts')}>${t('Add to contacts')}</button>` : ''}
      </div>
    </dialog>`;
  }

  /** Above every dialog opened before it, with the keyboard on Accept so Enter answers and Tab reaches Decline. */
  private open(): void {
    if (!this.dialog.open) this.dialog.showModal();
    this.acceptButton.focus();
  }

  /** The keyboard back on Accept (after the contact editor, opened from here, closed). */
  focusAccept(): void {
    this.acceptButton?.focus();
  }

  /** Escape does not make a ringing call vanish: it rings until Accept, Decline or the caller gives up. */
  private readonly onCancel = (event: Event) => event.preventDefault();

  /** Closed without an answer (the browser may close a dialog on a second Escape): it is still ringing. */
  private readonly onClose = () => {
    if (this.isConnected) queueMicrotask(() => this.isConnected && this.open());
  };

  private emit(type: 'accept-call' | 'decline-call' | 'add-caller-to-contacts'): void {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true }));
  }
}

/** The focused element, looking into shadow roots, when it lies inside an open <dialog>; else null. */
function focusedInsideOpenDialog(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  for (let node: Node | null = active; node; node = node instanceof ShadowRoot ? node.host : node.parentNode) {
    if (node instanceof HTMLDialogElement && node.open) return active as HTMLElement;
  }
  return null;
}

declare global {
  interface HTMLElementTagNameMap {
    'incoming-call-panel': IncomingCallPanel;
  }
}
