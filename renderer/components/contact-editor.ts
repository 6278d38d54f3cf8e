/**
 * Makes a new contact or edits a saved one: its name, its addresses (app
 * users, SIP addresses, phone numbers, each with an optional label), whether
 * it is a favourite, notes, the keys sent after the answer (",,1,,2#") and
 * named key sequences such as a conference PIN. Everything is checked with the
 * schemas main checks with, and a problem is said in words next to its field.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { ContactDetails, fieldErrors, MAX_ADDRESSES, MAX_SEQUENCES, type AddressKind } from '../../common/contact-schema.ts';
import { schemaMessage } from '../state/schema-message.ts';
import type { DirectoryContact } from '../../common/directory.ts';
import { appServicesContext, type AppServices } from '../state/app-context.ts';
import { kindName } from '../state/contact-addresses.ts';
import type { ContactDraft } from '../call/caller-contact.ts';
import { controlStyles } from './shared-styles.ts';
import { t } from '../../common/i18n/index.ts';
import { LocaleController } from '../state/locale-controller.ts';

interface AddressRow {
  kind: AddressKind;
  value: string;
  label: string;
}
interface SequenceRow {
  label: string;
  tones: string;
}

/** Emitted once a contact was saved: the list moves focus to it. */
export type ContactSavedEvent = CustomEvent<{ id: string }>;

function placeholderOf(kind: AddressKind): string {
  return kind === 'app' ? t('Their name on the app server') : kind === 'sip' ? 'sip:bob@pbx.example.org' : t('+49 30 1234567, 1001 or *86');
}

/** Field names of the form, in the order they are shown, for "focus the first problem". */
function fieldOrder(addresses: number, sequences: number): string[] {
  const order = ['name', 'addresses'];
  for (let i = 0; i < addresses; i++) order.push(`addresses.${i}.kind`, `addresses.${i}.value`, `addresses.${i}.label`);
  order.push('favourite', 'notes', 'postDial', 'sequences');
  for (let i = 0; i < sequences; i++) order.push(`sequences.${i}.label`, `sequences.${i}.tones`);
  return order;
}

/** What each field is called in a message: "Address 2", "Sequence 1 keys". */
function fieldName(path: string): string {
  const [group, index, part] = path.split('.');
  const n = Number(index) + 1;
  switch (group) {
    case 'name':
      return t('Name');
    case 'addresses':
      return index === undefined
        ? t('Addresses')
        : part === 'label'
          ? t('Address {{n}} label', { n })
          : part === 'kind'
            ? t('Address {{n}} type', { n })
            : t('Address {{n}}', { n });
    case 'notes':
      return t('Notes');
    case 'postDial':
      return t('Keys to send after the answer');
    case 'sequences':
      return index === undefined ? t('Saved key sequences') : part === 'label' ? t('Sequence {{n}} name', { n }) : t('Sequence {{n}} keys', { n });
    default:
      return path || t('Contact');
  }
}

@customElement('contact-editor')
export class ContactEditor extends LitElement {
  protected readonly locale = new LocaleController(this);
  static styles = [
    controlStyles,
    css`
      dialog {
        border: 1px solid var(--sp-border);
        border-radius: 12px;
        padding: 16px 20px;
        min-width: min(32rem, 90vw);
        max-height: 90vh;
      }
      h2 {
        margin: 0 0 12px;
        font-size: 1.1rem;
      }
      form,
      fieldset {
        display: grid;
        gap: 10px;
      }
      fieldset {
        border: 1px solid var(--sp-divider);
        border-radius: 8px;
      }
      label {
        display: grid;
        gap: 4px;
      }
      label.check {
        display: flex;
        align-items: center;
        gap: 8px;
      }
      textarea {
        font: inherit;
        padding: 6px 8px;
        border-radius: 8px;
        border: 1px solid var(--sp-border);
        min-height: 4rem;
      }
      .address {
        display: grid;
        grid-template-columns: auto 1fr 8rem auto;
        gap: 6px;
        align-items: end;
      }
      .sequence {
        display: grid;
        grid-template-columns: 1fr 1fr auto;
        gap: 6px;
        align-items: end;
      }
      .field-error {
        grid-column: 1 / -1;
        color: var(--sp-error);
        margin: 0;
        font-size: 0.9rem;
      }
      .buttons {
        display: flex;
        gap: 8px;
        justify-content: end;
      }
      .error {
        color: var(--sp-error);
        margin: 0;
      }
    `,
  ];

  /** The contact being edited, 'new' for a new one, null: closed. */
  @property({ attribute: false }) contact: DirectoryContact | 'new' | null = null;
  /** What a new contact starts from (the caller of a call); empty fields when null. */
  @property({ attribute: false }) draft: ContactDraft | null = null;
  @consume({ context: appServicesContext, subscribe: true }) services: AppServices | null = null;
  @state() private name = '';
  @state() private addresses: AddressRow[] = [];
  @state() private favourite = false;
  @state() private notes = '';
  @state() private postDial = '';
  @state() private sequences: SequenceRow[] = [];
  /** Problems by field path ("addresses.1.value"), in words. */
  @state() private errors = new Map<string, string>();
  @state() private summary = '';
  @state() private saving = false;
  @query('dialog') private dialog!: HTMLDialogElement;

  protected willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('contact')) return;
    // Main sends a fresh directory on every presence change; only another contact restarts the edit.
    const before = changed.get('contact');
    const beforeKey = before && before !== 'new' ? before.id : before;
    const nowKey = this.contact && this.contact !== 'new' ? this.contact.id : this.contact;
    if (beforeKey === nowKey || !this.contact) return;
    const c = this.contact === 'new' ? null : this.contact;
    const start = this.contact === 'new' ? this.draft : null;
    this.name = c?.name ?? start?.name ?? '';
    const addresses = c?.addresses ?? start?.addresses ?? [{ kind: 'app' as const, value: '' }];
    this.addresses = addresses.map((a) => ({ kind: a.kind, value: a.value, label: a.label ?? '' }));
    this.favourite = c?.favourite ?? false;
    this.notes = c?.notes ?? '';
    this.postDial = c?.postDial ?? '';
    this.sequences = c ? c.sequences.map((s) => ({ ...s })) : [];
    this.errors = new Map();
    this.summary = '';
  }

  protected updated(changed: PropertyValues<this>): void {
    if (!changed.has('contact')) return;
    if (this.contact && !this.dialog.open) this.dialog.showModal();
    if (!this.contact && this.dialog.open) this.dialog.close();
  }

  /** id, aria-invalid and aria-describedby of one field. */
  private field(path: string) {
    const id = `f-${path.replaceAll('.', '-')}`;
    const error = this.errors.get(path);
    return { id, invalid: error ? 'true' : 'false', describedBy: error ? `${id}-error` : nothing, error };
  }

  private errorFor(path: string) {
    const { id, error } = this.field(path);
    return error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing;
  }

  render() {
    const contact = this.contact;
    const title = contact === 'new' ? t('New contact') : contact ? t('Edit {{name}}', { name: contact.name }) : '';
    const name = this.field('name');
    const notes = this.field('notes');
    const postDial = this.field('postDial');
    return html`<dialog aria-labelledby="editor-title" @close=${this.closed}>
      ${contact
        ? html`<h2 id="editor-title">${title}</h2>
            <form @submit=${this.save} novalidate>
              <label
                >${t('Name')}
                <input id=${name.id} name="name" .value=${this.name} maxlength="80" autocomplete="off" aria-invalid=${name.invalid} aria-describedby=${name.describedBy} @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)} />
              </label>
              ${this.errorFor('name')}
              <fieldset id="f-addresses" aria-describedby=${this.field('addresses').describedBy}>
                <legend>${t('Addresses')}</legend>
                ${this.addresses.map((row, index) => this.addressRow(row, index))}
                ${this.errorFor('addresses')}
                <button type="button" ?disabled=${this.addresses.length >= MAX_ADDRESSES} @click=${this.addAddress}>${t('Add address')}</button>
              </fieldset>
              <label class="check"><input type="checkbox" .checked=${this.favourite} @change=${(e: Event) => (this.favourite = (e.target as HTMLInputElement).checked)} /> ${t('Favourite')}</label>
              <label
                >${t('Notes')}
                <textarea id=${notes.id} .value=${this.notes} aria-invalid=${notes.invalid} aria-describedby=${notes.describedBy} @input=${(e: Event) => (this.notes = (e.target as HTMLTextAreaElement).value)}></textarea>
              </label>
              ${this.errorFor('notes')}
              <label
                >${t('Keys to send after the answer')}
                <input id=${postDial.id} name="postDial" .value=${this.postDial} placeholder=",,1,,2#" autocomplete="off" aria-invalid=${postDial.invalid} aria-describedby=${postDial.describedBy} @input=${(e: Event) => (this.postDial = (e.target as HTMLInputElement).value)} />
              </label>
              ${this.errorFor('postDial')}
              <fieldset>
                <legend>${t('Saved key sequences')}</legend>
                ${this.sequences.map((sequence, index) => this.sequenceRow(sequence, index))}
                ${this.errorFor('sequences')}
                <button type="button" ?disabled=${this.sequences.length >= MAX_SEQUENCES} @click=${() => (this.sequences = [...this.sequences, { label: '', tones: '' }])}>${t('Add sequence')}</button>
              </fieldset>
              ${this.summary ? html`<p class="error" id="editor-error" role="alert">${this.summary}</p>` : ''}
              <div class="buttons">
                <button type="button" @click=${() => this.dialog.close()}>${t('Cancel')}</button>
                <button type="submit" class="primary" ?disabled=${this.saving}>${t('Save')}</button>
              </div>
            </form>`
        : ''}
    </dialog>`;
  }

  private addressRow(row: AddressRow, index: number) {
    const n = index + 1;
    const kind = this.field(`addresses.${index}.kind`);
    const value = this.field(`addresses.${index}.value`);
    const label = this.field(`addresses.${index}.label`);
    const edit = (patch: Partial<AddressRow>) => (this.addresses = this.addresses.map((a, i) => (i === index ? { ...a, ...patch } : a)));
    return html`<div class="address">
      <label
        >${t('Address {{n}} type', { n })}
        <select id=${kind.id} aria-invalid=${kind.invalid} aria-describedby=${kind.describedBy} @change=${(e: Event) => edit({ kind: (e.target as HTMLSelectElement).value as AddressKind })}>
          ${(['app', 'sip', 'tel'] as const).map((k) => html`<option value=${k} ?selected=${row.kind === k}>${kindName(k)}</option>`)}
        </select>
      </label>
      <label
        >${t('Address {{n}}', { n })}
        <input id=${value.id} .value=${row.value} placeholder=${placeholderOf(row.kind)} autocomplete="off" aria-invalid=${value.invalid} aria-describedby=${value.describedBy} @input=${(e: Event) => edit({ value: (e.target as HTMLInputElement).value })} />
      </label>
      <label
        >${t('Address {{n}} label', { n })}
        <input id=${label.id} .value=${row.label} placeholder=${t('Work, Mobile…')} autocomplete="off" aria-invalid=${label.invalid} aria-describedby=${label.describedBy} @input=${(e: Event) => edit({ label: (e.target as HTMLInputElement).value })} />
      </label>
      <button type="button" aria-label=${t('Remove address {{n}}', { n })} ?disabled=${this.addresses.length <= 1} @click=${() => (this.addresses = this.addresses.filter((_, i) => i !== index))}>${t('Remove')}</button>
      ${this.errorFor(`addresses.${index}.kind`)} ${this.errorFor(`addresses.${index}.value`)} ${this.errorFor(`addresses.${index}.label`)}
    </div>`;
  }

  private sequenceRow(sequence: SequenceRow, index: number) {
    const n = index + 1;
    const label = this.field(`sequences.${index}.label`);
    const tones = this.field(`sequences.${index}.tones`);
    const edit = (patch: Partial<SequenceRow>) => (this.sequences = this.sequences.map((s, i) => (i === index ? { ...s, ...patch } : s)));
    return html`<div class="sequence">
      <label>${t('Sequence {{n}} name', { n })} <input id=${label.id} .value=${sequence.label} aria-invalid=${label.invalid} aria-describedby=${label.describedBy} @input=${(e: Event) => edit({ label: (e.target as HTMLInputElement).value })} /></label>
      <label>${t('Sequence {{n}} keys', { n })} <input id=${tones.id} .value=${sequence.tones} aria-invalid=${tones.invalid} aria-describedby=${tones.describedBy} @input=${(e: Event) => edit({ tones: (e.target as HTMLInputElement).value })} /></label>
      <button type="button" aria-label=${t('Remove sequence {{n}}', { n })} @click=${() => (this.sequences = this.sequences.filter((_, i) => i !== index))}>${t('Remove')}</button>
      ${this.errorFor(`sequences.${index}.label`)} ${this.errorFor(`sequences.${index}.tones`)}
    </div>`;
  }

  private readonly addAddress = async () => {
    const last = this.addresses.at(-1);
    this.addresses = [...this.addresses, { kind: last?.kind === 'app' ? 'sip' : (last?.kind ?? 'app'), value: '', label: '' }];
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>(`#f-addresses-${this.addresses.length - 1}-value`)?.focus();
  };

  private readonly save = async (event: Event) => {
    event.preventDefault();
    const contact = this.contact;
    if (!contact || this.saving) return;
    const parsed = ContactDetails.safeParse({
      name: this.name,
      addresses: this.addresses.map((a) => ({ kind: a.kind, value: a.value, label: a.label })),
      favourite: this.favourite,
      notes: this.notes,
      postDial: this.postDial.trim().toUpperCase(),
      sequences: this.sequences.map((s) => ({ label: s.label, tones: s.tones.trim().toUpperCase() })),
    });
    if (!parsed.success) {
      this.errors = new Map([...fieldErrors(parsed.error)].map(([field, message]) => [field, schemaMessage(message)]));
      const order = fieldOrder(this.addresses.length, this.sequences.length);
      const first = [...this.errors.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b))[0]!;
      const more = this.errors.size > 1 ? ` ${t('(and {{count}} more)', { count: this.errors.size - 1 })}` : '';
      this.summary = `${fieldName(first)}: ${this.errors.get(first)}.${more}`;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#f-${first.replaceAll('.', '-')}`)?.focus();
      return;
    }
    this.errors = new Map();
    this.summary = '';
    const api = this.services?.store.api;
    if (!api) return;
    this.saving = true;
    try {
      const saved = contact === 'new' ? await api.addContact(parsed.data) : await api.updateContact(contact.id, parsed.data);
      this.dispatchEvent(new CustomEvent('contact-saved', { detail: { id: saved.id }, bubbles: true, composed: true }) satisfies ContactSavedEvent);
      this.dialog.close();
    } catch (error) {
      this.summary = t('Could not save: {{reason}}', { reason: error instanceof Error ? error.message : String(error) });
    } finally {
      this.saving = false;
    }
  };

  /** The close event comes a task late: an editor opened again in between stays open. */
  private readonly closed = () => {
    if (this.dialog.open) return;
    this.dispatchEvent(new CustomEvent('close-editor', { bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'contact-editor': ContactEditor;
  }
  interface HTMLElementEventMap {
    'contact-saved': ContactSavedEvent;
  }
}
