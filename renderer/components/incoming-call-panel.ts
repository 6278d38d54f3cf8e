/** The ringing phone: who is calling, Accept and Decline. */
import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { controlStyles } from './shared-styles.ts';

@customElement('incoming-call-panel')
export class IncomingCallPanel extends LitElement {
  static styles = [
    controlStyles,
    css`
      section {
        border: 2px solid #2b6cb0;
        border-radius: 12px;
        padding: 16px;
        background: #ebf4ff;
        display: grid;
        gap: 12px;
      }
      h2 {
        margin: 0;
        font-size: 1.2rem;
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
        gap: 12px;
      }
      .actions button {
        min-width: 7rem;
        min-height: 40px;
      }
    `,
  ];

  @property() caller = '';
  /** The caller's address or number (SIP), shown under the name when it says more. */
  @property() address = '';
  /** Which account it came in on, when there are several. */
  @property() account = '';
  @property({ type: Boolean }) video = false;
  @query('button.primary') private acceptButton!: HTMLButtonElement;

  protected firstUpdated(): void {
    // Put the keyboard on Accept so Enter answers and Tab reaches Decline.
    this.acceptButton.focus();
  }

  render() {
    return html`<section role="alertdialog" aria-labelledby="title" aria-describedby="kind">
      <h2 id="title">Incoming call from ${this.caller}</h2>
      ${this.address && this.address !== this.caller ? html`<p class="address">${this.address}</p>` : ''}
      <p id="kind">${this.video ? 'Video call' : 'Audio call'}${this.account ? ` on ${this.account}` : ''}</p>
      <div class="actions">
        <button class="primary" @click=${() => this.emit('accept-call')}>Accept</button>
        <button class="danger" @click=${() => this.emit('decline-call')}>Decline</button>
      </div>
    </section>`;
  }

  private emit(type: 'accept-call' | 'decline-call'): void {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'incoming-call-panel': IncomingCallPanel;
  }
}
