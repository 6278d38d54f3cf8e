/**
 * The in-call keypad: 4×3 keys (4×4 with A–D) with letters under the digits,
 * the key now sounding lit, the keys still waiting, how keys travel on this
 * call, and the contact's saved sequences. Keys also come from the keyboard
 * (digits, * and #, the numpad) and from pasting text anywhere in the window.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { DtmfSequence } from '../../common/dial-string.ts';
import { keyFromKeyboard, tonesFromText, visibleKeys } from '../call/dtmf/dtmf-keys.ts';
import type { KeypadService } from '../call/dtmf/keypad-service.ts';
import { ChangeController } from '../state/change-controller.ts';
import { controlStyles } from './shared-styles.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

/** Typing in a form field, or anything inside an open dialog (Settings, a contact), is not dialling. */
function isElsewhere(event: Event): boolean {
  const [target] = event.composedPath() as HTMLElement[];
  if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return true;
  return event.composedPath().some((node) => node instanceof HTMLDialogElement && node.open);
}

@customElement('dtmf-keypad')
export class DtmfKeypad extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    css`
      section {
        display: grid;
        gap: 8px;
        max-width: 20rem;
      }
      .sent {
        font-variant-numeric: tabular-nums;
        font-size: 1.4rem;
        letter-spacing: 0.12em;
        min-height: 1.8rem;
        overflow-wrap: anywhere;
        margin: 0;
      }
      .waiting {
        color: var(--sp-muted);
      }
      .keys {
        display: grid;
        grid-template-columns: repeat(3, 1fr);
        gap: 8px;
      }
      .keys.extended {
        grid-template-columns: repeat(4, 1fr);
      }
      .keys button {
        display: grid;
        justify-items: center;
        min-height: 3.2rem;
        padding: 4px;
        border-radius: 12px;
        transition: background 60ms;
      }
      @media (prefers-reduced-motion: reduce) {
        .keys button {
          transition: none;
        }
      }
      .digit {
        font-size: 1.4rem;
        line-height: 1.2;
      }
      .letters {
        font-size: 0.65rem;
        letter-spacing: 0.1em;
        color: var(--sp-muted);
        min-height: 0.8rem;
      }
      .keys button[data-lit] {
        --_bg: var(--sp-accept);
        --_bd: var(--sp-accept);
        --_fg: var(--sp-on-fill);
      }
      .keys button[data-lit] .letters {
        color: #e6fffa;
      }
      .route {
        font-size: 0.85rem;
        color: var(--sp-muted);
        margin: 0;
      }
      .problem {
        color: var(--sp-error);
        margin: 0;
      }
      .sequences {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
    `,
  ];

  @property({ attribute: false }) keypad!: KeypadService;
  @property({ type: Boolean }) extended = false;
  @property({ attribute: false }) sequences: DtmfSequence[] = [];
  @property() peer = '';
  private readonly changes = new ChangeController(this);

  connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKeyDown);
    window.addEventListener('paste', this.onPaste);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKeyDown);
    window.removeEventListener('paste', this.onPaste);
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('keypad')) this.changes.watch(this.keypad);
  }

  render() {
    const { keypad } = this;
    const decision = keypad.decide();
    return html`<section aria-label=${t('Keypad')}>
      <p class="sent"><output aria-label=${t('Keys sent')}>${keypad.sent}</output><output class="waiting" aria-label=${t('Keys waiting')}>${keypad.queued}</output></p>
      <div class="keys ${this.extended ? 'extended' : ''}" role="group" aria-label=${t('Keys')}>
        ${visibleKeys(this.extended).map(
          ({ key, letters }) => html`<button
            type="button"
            aria-label=${key}
            data-key=${key}
            ?data-lit=${keypad.sounding === key}
            @click=${() => keypad.press(key)}
          >
            <span class="digit" aria-hidden="true">${key}</span><span class="letters" aria-hidden="true">${letters}</span>
          </button>`,
        )}
      </div>
      ${this.sequences.length
        ? html`<div class="sequences" role="group" aria-label=${t('Saved key sequences')}>
            ${this.sequences.map(
              (sequence) => html`<button type="button" title=${sequence.tones} @click=${() => keypad.press(sequence.tones)}>${t('Send {{label}}', { label: sequence.label })}</button>`,
            )}
          </div>`
        : ''}
      ${decision ? html`<p class="route" role="status" aria-label=${t('How keys are sent')} data-route=${decision.route ?? 'none'}>${decision.summary}</p>` : ''}
      ${keypad.problem ? html`<p class="problem" role="alert">${keypad.problem}</p>` : ''}
      ${keypad.received ? html`<p class="route"><output aria-label=${t('Keys received')}>${t('{{name}} pressed {{keys}}', { name: this.peer || t('The other side'), keys: keypad.received })}</output></p>` : ''}
    </section>`;
  }

  private readonly onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.repeat || isElsewhere(event)) return;
    const key = keyFromKeyboard(event, this.extended);
    if (!key) return;
    event.preventDefault();
    this.keypad.press(key);
  };

  private readonly onPaste = (event: ClipboardEvent) => {
    if (isElsewhere(event)) return;
    const tones = tonesFromText(event.clipboardData?.getData('text') ?? '', this.extended);
    if (!tones) return;
    event.preventDefault();
    this.keypad.press(tones);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'dtmf-keypad': DtmfKeypad;
  }
}
