/**
 * Call anyone by name, with keys to send after the answer: "Demo IVR,,1,,2#"
 * calls Demo IVR and, once it answers, waits, presses 1, waits, presses 2 and #.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { parseDialString } from '../../common/dial-string.ts';
import { UserName } from '../../common/signaling-protocol.ts';
import { controlStyles } from './shared-styles.ts';
import type { CallContactEvent } from './contact-list.ts';

@customElement('dial-box')
export class DialBox extends LitElement {
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
        color: #718096;
        margin: 0;
        width: 100%;
      }
      .error {
        color: #c53030;
        margin: 0;
        width: 100%;
      }
    `,
  ];

  @property({ type: Boolean }) disabled = false;
  @state() private error = '';
  @query('input') private input!: HTMLInputElement;

  render() {
    return html`<form @submit=${(e: SubmitEvent) => this.call(e, (e.submitter as HTMLButtonElement | null)?.value === 'video')} novalidate>
      <label
        >Dial
        <input
          name="dial"
          autocomplete="off"
          placeholder="Name, then ,pause and keys: Demo IVR,,1#"
          aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby=${this.error ? 'dial-hint dial-error' : 'dial-hint'}
      /></label>
      <button type="submit" value="audio" class="primary" ?disabled=${this.disabled}>Call</button>
      <button type="submit" value="video" ?disabled=${this.disabled}>Video call</button>
      <p class="hint" id="dial-hint">A comma waits before the next keys, once the call is answered.</p>
      ${this.error ? html`<p class="error" id="dial-error" role="alert">${this.error}</p>` : ''}
    </form>`;
  }

  private call(event: Event, video: boolean): void {
    event.preventDefault();
    const { target, postDial } = parseDialString(this.input.value);
    const name = UserName.safeParse(target);
    if (!name.success) {
      this.error = target ? `"${target}" is not a name that can be called: ${name.error.issues[0]!.message}.` : 'Type a name to call.';
      return;
    }
    this.error = '';
    this.dispatchEvent(
      new CustomEvent('call-contact', { detail: { name: name.data, video, postDial }, bubbles: true, composed: true }) satisfies CallContactEvent,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'dial-box': DialBox;
  }
}
