/**
 * Keypad preferences: tone length, gap, comma pause, local key sound, the
 * A–D keys, and how keys are sent when RFC 4733 is not possible. Reads the
 * saved settings from the shared store and writes changes through main.
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { DTMF_LIMITS, type DtmfSettings, type DtmfTransport } from '../../common/settings-schema.ts';
import { appServicesContext, type AppServices } from '../state/app-context.ts';
import { ChangeController } from '../state/change-controller.ts';
import { controlStyles, preferenceFormStyles } from './shared-styles.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

function transportLabels(): Record<DtmfTransport, string> {
  return {
    auto: t('Automatic (RFC 4733, else the best fallback)'),
    rfc4733: t('RFC 4733 telephone events only'),
    signaling: t('Messages over signaling'),
    inband: t('Tones in the audio (in-band)'),
  };
}

type NumberField = 'toneMs' | 'gapMs' | 'pauseMs';
/** Each field's label, and its name in a sentence. */
function numberFields(): Array<{ key: NumberField; label: string; name: string }> {
  return [
    { key: 'toneMs', label: t('Tone length (ms)'), name: t('Tone length') },
    { key: 'gapMs', label: t('Gap between tones (ms)'), name: t('Gap between tones') },
    { key: 'pauseMs', label: t('Pause for a comma (ms)'), name: t('Pause for a comma') },
  ];
}

@customElement('keypad-settings')
export class KeypadSettings extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    preferenceFormStyles,
    css`
      input[type='number'] {
        max-width: 22rem;
      }
    `,
  ];

  @consume({ context: appServicesContext, subscribe: true }) services: AppServices | null = null;
  @state() private error = '';
  /** The number field whose value was refused, shown as invalid until it is corrected. */
  @state() private invalidField: NumberField | null = null;
  private readonly changes = new ChangeController(this);

  protected willUpdate(): void {
    if (this.services) this.changes.watch(this.services.store);
  }

  render() {
    const dtmf = this.services?.store.settings.dtmf;
    if (!dtmf) return html``;
    return html`<form @submit=${(e: Event) => e.preventDefault()}>
      ${numberFields().map(
        ({ key, label }) => html`<label
          >${label}
          <input
            type="number"
            name=${key}
            min=${DTMF_LIMITS[key].min}
            max=${DTMF_LIMITS[key].max}
            step="10"
            aria-invalid=${this.invalidField === key ? 'true' : 'false'}
            aria-describedby=${this.invalidField === key ? 'keypad-error' : ''}
            .value=${String(dtmf[key])}
            @change=${(e: Event) => this.changeNumber(key, e.target as HTMLInputElement)}
        /></label>`,
      )}
      <label class="check"
        ><input type="checkbox" name="feedback" .checked=${dtmf.feedback} @change=${(e: Event) => this.save({ feedback: (e.target as HTMLInputElement).checked })} />
        ${t('Play key tones to me')}</label
      >
      <label class="check"
        ><input
          type="checkbox"
          name="extendedKeys"
          .checked=${dtmf.extendedKeys}
          @change=${(e: Event) => this.save({ extendedKeys: (e.target as HTMLInputElement).checked })}
        />
        ${t('Show the A, B, C and D keys')}</label
      >
      <label
        >${t('Send keys as')}
        <select name="transport" @change=${(e: Event) => this.save({ transport: (e.target as HTMLSelectElement).value as DtmfTransport })}>
          ${Object.entries(transportLabels()).map(([value, label]) => html`<option value=${value} ?selected=${dtmf.transport === value}>${label}</option>`)}
        </select></label
      >
      ${this.error ? html`<p class="error" id="keypad-error" role="alert">${this.error}</p>` : ''}
    </form>`;
  }

  private changeNumber(key: NumberField, input: HTMLInputElement): void {
    const value = input.valueAsNumber;
    const { min, max } = DTMF_LIMITS[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      this.invalidField = key;
      this.error = t('{{field}} must be a whole number from {{min}} to {{max}} ms. The saved value stays {{saved}} ms.', {
        field: numberFields().find((f) => f.key === key)!.name,
        min,
        max,
        saved: this.services?.store.settings.dtmf[key],
      });
      return;
    }
    this.invalidField = null;
    void this.save({ [key]: value });
  }

  private async save(patch: Partial<DtmfSettings>): Promise<void> {
    try {
      await this.services?.store.api.updateSettings({ dtmf: patch });
      // Another field's refusal stays on screen until that field is corrected.
      if (!this.invalidField) this.error = '';
    } catch (error) {
      this.error = t('Could not save: {{reason}}', { reason: error instanceof Error ? error.message : String(error) });
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'keypad-settings': KeypadSettings;
  }
}
