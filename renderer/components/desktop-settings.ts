/**
 * How the app behaves on the desktop: do not disturb, closing to the tray,
 * starting at login and starting hidden. Saved through main as each choice
 * changes, like the keypad settings.
 */
import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { DesktopSettings, DoNotDisturb } from '../../common/settings-schema.ts';
import { appServicesContext, type AppServices } from '../state/app-context.ts';
import { ChangeController } from '../state/change-controller.ts';
import { remoteErrorText } from '../state/remote-error.ts';
import { controlStyles, preferenceFormStyles } from './shared-styles.ts';
import { t, type LanguageSetting } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

function doNotDisturbChoices(): Record<DoNotDisturb, string> {
  return {
    off: t('Off: calls ring'),
    busy: t('Refuse calls as busy (they are listed as missed)'),
    silent: t('Ring silently: calls show, without sound or notification'),
  };
}

/** Each language by its own name, so it can be found whatever the current one is. */
function languageChoices(): Record<LanguageSetting, string> {
  return { system: t('System language'), en: 'English', de: 'Deutsch' };
}

@customElement('desktop-settings')
export class DesktopSettingsPanel extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [controlStyles, preferenceFormStyles];

  @consume({ context: appServicesContext, subscribe: true }) services: AppServices | null = null;
  @state() private error = '';
  private readonly changes = new ChangeController(this);

  protected willUpdate(): void {
    if (this.services) this.changes.watch(this.services.store);
  }

  render() {
    const desktop = this.services?.store.settings.desktop;
    if (!desktop) return html``;
    const check = (key: 'closeToTray' | 'startAtLogin' | 'startMinimized', label: string) =>
      html`<label class="check"
        ><input type="checkbox" name=${key} .checked=${desktop[key]} @change=${(e: Event) => this.save({ [key]: (e.target as HTMLInputElement).checked })} />
        ${label}</label
      >`;
    return html`<form @submit=${(e: Event) => e.preventDefault()}>
      <label
        >${t('Language')}
        <select name="language" @change=${(e: Event) => this.save({ language: (e.target as HTMLSelectElement).value as LanguageSetting })}>
          ${Object.entries(languageChoices()).map(([value, label]) => html`<option value=${value} ?selected=${desktop.language === value}>${label}</option>`)}
        </select></label
      >
      <label
        >${t('Do not disturb')}
        <select name="doNotDisturb" @change=${(e: Event) => this.save({ doNotDisturb: (e.target as HTMLSelectElement).value as DoNotDisturb })}>
          ${Object.entries(doNotDisturbChoices()).map(([value, label]) => html`<option value=${value} ?selected=${desktop.doNotDisturb === value}>${label}</option>`)}
        </select></label
      >
      ${check('closeToTray', t('Closing the window keeps the softphone running in the tray'))}
      ${check('startAtLogin', t('Start when I log in'))} ${check('startMinimized', t('Start hidden in the tray'))}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
    </form>`;
  }

  private async save(patch: Partial<DesktopSettings>): Promise<void> {
    try {
      await this.services?.store.api.updateSettings({ desktop: patch });
      this.error = '';
    } catch (error) {
      this.error = t('Not saved: {{reason}}', { reason: remoteErrorText(error) });
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'desktop-settings': DesktopSettingsPanel;
  }
}
