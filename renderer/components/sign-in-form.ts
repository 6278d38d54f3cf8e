/** Asks for the display name others will see. The name is kept by main between runs. */
import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { controlStyles } from './shared-styles.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

export type SignInEvent = CustomEvent<{ name: string }>;

@customElement('sign-in-form')
export class SignInForm extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    css`
      form {
        display: flex;
        gap: 8px;
        align-items: end;
        flex-wrap: wrap;
      }
      label {
        display: grid;
        gap: 4px;
      }
      input {
        min-width: 16rem;
      }
      .error {
        color: var(--sp-error);
        width: 100%;
      }
    `,
  ];

  @property() name = '';
  @state() private error = '';
  @query('input') private input!: HTMLInputElement;

  focus(): void {
    this.input?.focus();
  }

  render() {
    return html`<form @submit=${this.submit} novalidate>
      <label>${t('Display name')} <input name="displayName" autocomplete="nickname" maxlength="32" .value=${this.name} required /></label>
      <button class="primary" type="submit">${t('Sign in')}</button>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
    </form>`;
  }

  private submit(event: Event): void {
    event.preventDefault();
    const name = this.input.value.trim();
    if (!name) {
      this.error = t('Enter the name others will see.');
      return;
    }
    this.error = '';
    this.dispatchEvent(new CustomEvent('sign-in', { detail: { name }, bubbles: true, composed: true }) satisfies SignInEvent);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sign-in-form': SignInForm;
  }
  interface HTMLElementEventMap {
    'sign-in': SignInEvent;
  }
}
