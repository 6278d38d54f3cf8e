/**
 * Microphone, camera, speaker and ringer choices, with a live camera preview,
 * a microphone level meter and the capture processing switches. Reads and
 * changes everything through the device service; the previews open the
 * devices as the settings resolve them and stop when the panel goes away.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { appServicesContext, type AppServices } from '../state/app-context.ts';
import { ChangeController } from '../state/change-controller.ts';
import { deviceLabel, isDefaultEntry, roleNoun, type DeviceRole } from '../devices/device-matching.ts';
import type { DeviceService, ProcessingSettings } from '../devices/device-service.ts';
import { controlStyles } from './shared-styles.ts';
import './level-meter.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

function roleFields(): ReadonlyArray<{ role: DeviceRole; label: string }> {
  return [
    { role: 'microphone', label: t('Microphone') },
    { role: 'camera', label: t('Camera') },
    { role: 'speaker', label: t('Speaker') },
    { role: 'ringer', label: t('Ringtone and keypad sound') },
  ];
}

function processingFields(): ReadonlyArray<{ key: keyof ProcessingSettings; label: string }> {
  return [
    { key: 'echoCancellation', label: t('Echo cancellation') },
    { key: 'noiseSuppression', label: t('Noise suppression') },
    { key: 'autoGainControl', label: t('Automatic gain control') },
  ];
}

interface Preview {
  /** The constraints it was opened with, to know when to reopen. */
  key: string;
  stream: MediaStream | null;
  error: string;
}

const NO_PREVIEW: Preview = { key: '', stream: null, error: '' };

@customElement('devices-panel')
export class DevicesPanel extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    css`
      form {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(200px, 280px);
        gap: 12px 20px;
        align-items: start;
      }
      .fields {
        display: grid;
        gap: 12px;
        grid-template-columns: minmax(0, 1fr);
      }
      .field {
        display: grid;
        gap: 4px;
        grid-template-columns: minmax(0, 1fr);
      }
      label {
        font-weight: 600;
      }
      .note {
        margin: 0;
        font-size: 0.85rem;
        color: var(--sp-warn);
      }
      .note:empty {
        display: none;
      }
      fieldset {
        border: 1px solid var(--sp-divider);
        border-radius: 8px;
        display: grid;
        gap: 6px;
      }
      legend {
        font-weight: 600;
      }
      fieldset label {
        font-weight: normal;
        display: flex;
        gap: 8px;
        align-items: center;
      }
      .preview {
        display: grid;
        gap: 8px;
      }
      video {
        width: 100%;
        aspect-ratio: 4 / 3;
        background: var(--sp-stage);
        border-radius: 8px;
        transform: scaleX(-1);
      }
      .preview p {
        margin: 0;
        font-size: 0.85rem;
        color: var(--sp-muted);
      }
      @media (max-width: 640px) {
        form {
          /* minmax(0, …): a long device name in a list must not widen the column past the window. */
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];

  @consume({ context: appServicesContext, subscribe: true }) services: AppServices | null = null;
  @state() private camera: Preview = NO_PREVIEW;
  @state() private microphone: Preview = NO_PREVIEW;
  private readonly changes = new ChangeController(this);
  /** Bumped for each open and on close, so a late result for an old choice is dropped. */
  private generation = { camera: 0, microphone: 0 };

  connectedCallback(): void {
    super.connectedCallback();
    // Labels may have appeared since the last look (permission granted meanwhile).
    void this.services?.devices.refresh();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.generation.camera++;
    this.generation.microphone++;
    stopStream(this.camera.stream);
    stopStream(this.microphone.stream);
    this.camera = NO_PREVIEW;
    this.microphone = NO_PREVIEW;
  }

  protected willUpdate(): void {
    if (this.services) this.changes.watch(this.services.devices);
  }

  protected updated(_changed: PropertyValues<this>): void {
    const devices = this.services?.devices;
    if (!devices || !this.isConnected) return;
    const cameraKey = devices.list('camera').length ? JSON.stringify(devices.videoConstraints()) : 'none';
    if (cameraKey !== this.camera.key) void this.openPreview('camera', cameraKey, () => devices.openCamera());
    const microphoneKey = devices.list('microphone').length ? JSON.stringify(devices.audioConstraints()) : 'none';
    if (microphoneKey !== this.microphone.key) void this.openPreview('microphone', microphoneKey, () => devices.openMicrophone());
  }

  render() {
    const devices = this.services?.devices;
    if (!devices) return html``;
    const processing = devices.processing;
    return html`<form @submit=${(e: Event) => e.preventDefault()}>
      <div class="fields">
        ${roleFields().map(({ role, label }) => this.renderChoice(devices, role, label))}
        <fieldset>
          <legend>${t('Microphone processing')}</legend>
          ${processingFields().map(
            ({ key, label }) => html`<label>
              <input
                type="checkbox"
                .checked=${processing[key]}
                @change=${(e: Event) => this.setProcessing(devices, key, (e.target as HTMLInputElement).checked)}
              />
              ${label}
            </label>`,
          )}
        </fieldset>
      </div>
      <div class="preview">
        ${this.camera.key === 'none'
          ? html`<p>${t('No camera was found. Audio calls work without one.')}</p>`
          : html`<video aria-label=${t('Camera preview')} autoplay playsinline muted .srcObject=${this.camera.stream}></video>
              ${this.camera.error ? html`<p role="alert">${this.camera.error}</p>` : ''}`}
        <level-meter label=${t('Microphone level')} .stream=${this.microphone.stream}></level-meter>
        ${this.microphone.key === 'none'
          ? html`<p role="alert">${t('No microphone was found. Connect one to make calls.')}</p>`
          : this.microphone.error
            ? html`<p role="alert">${this.microphone.error}</p>`
            : html`<p>${t('Speak: the bar moves with your voice.')}</p>`}
      </div>
    </form>`;
  }

  private renderChoice(devices: DeviceService, role: DeviceRole, label: string) {
    const match = devices.match(role);
    const chosenId = match.matchedBy === 'default' ? '' : match.device?.deviceId;
    const list = devices.list(role);
    const defaultEntry = list.find(isDefaultEntry);
    const note = devices.statusText(role) ?? '';
    return html`<div class="field">
      <label for=${role}>${label}</label>
      <select id=${role} aria-describedby="${role}-note" @change=${(e: Event) => this.choose(devices, role, (e.target as HTMLSelectElement).value)}>
        <option value="" .selected=${chosenId === ''}>${defaultEntry?.label ? t('System default ({{name}})', { name: defaultEntry.label }) : t('System default')}</option>
        ${list.map((device, index) =>
          isDefaultEntry(device)
            ? ''
            : html`<option value=${device.deviceId} .selected=${device.deviceId === chosenId}>${deviceLabel(device, index, role)}</option>`,
        )}
      </select>
      <p class="note" id="${role}-note" role="status">${note}</p>
    </div>`;
  }

  private async choose(devices: DeviceService, role: DeviceRole, deviceId: string): Promise<void> {
    const device = devices.list(role).find((d) => d.deviceId === deviceId) ?? null;
    try {
      await devices.choose(role, device);
    } catch (error) {
      devices.notify('error', t('Could not save the {{device}} choice: {{reason}}', { device: roleNoun(role), reason: error instanceof Error ? error.message : String(error) }));
    }
  }

  private async setProcessing(devices: DeviceService, key: keyof ProcessingSettings, value: boolean): Promise<void> {
    try {
      await devices.setProcessing({ [key]: value });
    } catch (error) {
      devices.notify('error', t('Could not save the processing setting: {{reason}}', { reason: error instanceof Error ? error.message : String(error) }));
    }
  }

  private async openPreview(which: 'camera' | 'microphone', key: string, open: () => Promise<MediaStreamTrack>): Promise<void> {
    stopStream(this[which].stream);
    const generation = ++this.generation[which];
    this[which] = { key, stream: null, error: '' };
    if (key === 'none') return;
    let next: Preview;
    try {
      next = { key, stream: new MediaStream([await open()]), error: '' };
    } catch (error) {
      next = { key, stream: null, error: error instanceof Error ? error.message : String(error) };
    }
    // The panel closed or the choice changed again while the device opened.
    if (generation !== this.generation[which] || !this.isConnected) return stopStream(next.stream);
    this[which] = next;
    // Opening a device is what grants permission; the labels come with it.
    void this.services?.devices.refresh();
  }
}

function stopStream(stream: MediaStream | null): void {
  stream?.getTracks().forEach((t) => t.stop());
}

declare global {
  interface HTMLElementTagNameMap {
    'devices-panel': DevicesPanel;
  }
}
