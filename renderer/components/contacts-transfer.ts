/**
 * Import contacts from a vCard or CSV file, and export them all as vCard 4.0,
 * vCard 3.0 or CSV. The file is read here and its text handed to main, which
 * parses, merges and saves; the report says what was taken, merged and
 * skipped, and why.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ContactImportResult, SoftphoneApi } from '../../common/ipc-contract.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';
import { remoteErrorText } from '../state/remote-error.ts';
import { controlStyles } from './shared-styles.ts';

type ExportFormat = 'vcard4' | 'vcard3' | 'csv';
/** Format names, the same in every language. */
const EXPORT_LABELS: Record<ExportFormat, string> = { vcard4: 'vCard 4.0', vcard3: 'vCard 3.0', csv: 'CSV' };
/** What a file picker offers; anything else is refused before reading it. */
const ACCEPT = '.vcf,.vcard,.csv,text/vcard,text/x-vcard,text/csv';

@customElement('contacts-transfer')
export class ContactsTransfer extends LitElement {
  static styles = [
    controlStyles,
    css`
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        align-items: center;
      }
      .report {
        margin: 6px 0 0;
        font-size: 0.9rem;
      }
      .report ul {
        margin: 4px 0 0;
        padding-left: 1.2rem;
      }
      .error {
        color: var(--sp-error);
      }
      input[type='file'] {
        display: none;
      }
    `,
  ];

  protected readonly locale = new LocaleController(this);
  @property({ attribute: false }) api: Pick<SoftphoneApi, 'importContacts' | 'exportContacts'> | null = null;
  @state() private report: ContactImportResult | null = null;
  @state() private error = '';
  @state() private busy = false;
  @query('input[type=file]') private fileInput!: HTMLInputElement;
  @query('select') private formatSelect!: HTMLSelectElement;

  render() {
    return html`<div class="row">
        <button ?disabled=${this.busy} @click=${() => this.fileInput.click()}>${t('Import contacts…')}</button>
        <input type="file" accept=${ACCEPT} aria-label=${t('Contacts file to import')} @change=${this.importFile} />
        <label
          >${t('Export as')}
          <select aria-label=${t('Export format')}>
            ${Object.entries(EXPORT_LABELS).map(([value, label]) => html`<option value=${value}>${label}</option>`)}
          </select></label
        >
        <button ?disabled=${this.busy} @click=${this.exportAll}>${t('Export contacts')}</button>
      </div>
      <div role="status" class="report">${this.renderReport()}</div>`;
  }

  private renderReport() {
    if (this.error) return html`<span class="error">${this.error}</span>`;
    const report = this.report;
    if (!report) return '';
    const { added, merged, skippedCount } = report;
    return html`${t('Imported: {{added}} added, {{merged}} merged into existing contacts, {{skipped}} skipped.', { added, merged, skipped: skippedCount })}
      ${report.skipped.length
        ? html`<ul aria-label=${t('Skipped')}>
            ${report.skipped.map((s) => html`<li>${s.name}: ${s.reason}</li>`)}
          </ul>`
        : ''}`;
  }

  private readonly importFile = async () => {
    const file = this.fileInput.files?.[0];
    this.fileInput.value = '';
    if (!file || !this.api) return;
    const format = /\.csv$/i.test(file.name) || file.type === 'text/csv' ? 'csv' : /\.(vcf|vcard)$/i.test(file.name) || /vcard/.test(file.type) ? 'vcard' : null;
    this.report = null;
    if (!format) {
      this.error = t('{{file}} is not a vCard (.vcf) or CSV (.csv) file.', { file: file.name });
      return;
    }
    await this.run(async (api) => {
      this.report = await api.importContacts({ format, text: await file.text() });
    });
  };

  private readonly exportAll = async () => {
    await this.run(async (api) => {
      const { text, fileName } = await api.exportContacts({ format: this.formatSelect.value as ExportFormat });
      const url = URL.createObjectURL(new Blob([text], { type: fileName.endsWith('.csv') ? 'text/csv' : 'text/vcard' }));
      const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    });
  };

  private async run(action: (api: NonNullable<ContactsTransfer['api']>) => Promise<void>): Promise<void> {
    if (!this.api) return;
    this.busy = true;
    this.error = '';
    try {
      await action(this.api);
    } catch (error) {
      this.error = remoteErrorText(error);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'contacts-transfer': ContactsTransfer;
  }
}
