/**
 * Edits what a saved contact keeps besides its name: the keys sent after the
 * answer (",,1,,2#") and named key sequences such as a conference PIN.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { DtmfSequence, PostDial } from '../../common/dial-string.ts';
import type { DirectoryEntry } from '../../common/ipc-contract.ts';
import { appServicesContext, type AppServices } from '../state/app-context.ts';
import { controlStyles } from './shared-styles.ts';

@customElement('contact-editor')
export class ContactEditor extends LitElement {
  static styles = [
    controlStyles,
    css`
      dialog {
        border: 1px solid var(--sp-border);
        border-radius: 12px;
        padding: 16px 20px;
        min-width: min(28rem, 90vw);
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
      .sequence {
        display: grid;
        grid-template-columns: 1fr 1fr auto;
        gap: 6px;
        align-items: end;
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

  /** The contact being edited; null closes the editor. */
  @property({ attribute: false }) contact: DirectoryEntry | null = null;
  @consume({ context: appServicesContext, subscribe: true }) services: AppServices | null = null;
  @state() private sequences: DtmfSequence[] = [];
  @state() private error = '';
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('input[name="postDial"]') private postDialInput!: HTMLInputElement;

  protected willUpdate(changed: PropertyValues<this>): void {
    // Main sends a fresh directory on every presence change; only another contact restarts the edit.
    if (changed.has('contact') && this.contact && changed.get('contact')?.name !== this.contact.name) {
      this.sequences = this.contact.sequences.map((s) => ({ ...s }));
      this.error = '';
    }
  }

  protected updated(changed: PropertyValues<this>): void {
    if (!changed.has('contact')) return;
    if (this.contact && !this.dialog.open) this.dialog.showModal();
    if (!this.contact && this.dialog.open) this.dialog.close();
  }

  render() {
    const contact = this.contact;
    return html`<dialog aria-labelledby="editor-title" @close=${this.closed}>
      ${contact
        ? html`<h2 id="editor-title">Edit ${contact.name}</h2>
            <form @submit=${this.save} novalidate>
              <label
                >Keys to send after the answer
                <input name="postDial" .value=${contact.postDial} placeholder=",,1,,2#" autocomplete="off" aria-describedby=${this.error ? 'editor-error' : ''} />
              </label>
              <fieldset>
                <legend>Saved key sequences</legend>
                ${this.sequences.map(
                  (sequence, index) => html`<div class="sequence">
                    <label>Sequence ${index + 1} name <input .value=${sequence.label} @input=${(e: Event) => this.edit(index, { label: (e.target as HTMLInputElement).value })} /></label>
                    <label>Sequence ${index + 1} keys <input .value=${sequence.tones} @input=${(e: Event) => this.edit(index, { tones: (e.target as HTMLInputElement).value })} /></label>
                    <button type="button" aria-label="Remove sequence ${index + 1}" @click=${() => (this.sequences = this.sequences.filter((_, i) => i !== index))}>
                      Remove
                    </button>
                  </div>`,
                )}
                <button type="button" @click=${() => (this.sequences = [...this.sequences, { label: '', tones: '' }])}>Add sequence</button>
              </fieldset>
              ${this.error ? html`<p class="error" id="editor-error" role="alert">${this.error}</p>` : ''}
              <div class="buttons">
                <button type="button" @click=${() => this.dialog.close()}>Cancel</button>
                <button type="submit" class="primary">Save</button>
              </div>
            </form>`
        : ''}
    </dialog>`;
  }

  private edit(index: number, patch: Partial<DtmfSequence>): void {
    this.sequences = this.sequences.map((s, i) => (i === index ? { ...s, ...patch } : s));
  }

  private readonly save = async (event: Event) => {
    event.preventDefault();
    const contact = this.contact;
    if (!contact) return;
    const postDial = PostDial.safeParse(this.postDialInput.value.trim().toUpperCase());
    if (!postDial.success) {
      this.error = `Keys to send after the answer: ${postDial.error.issues[0]!.message}.`;
      return;
    }
    const sequences: DtmfSequence[] = [];
    for (const [index, raw] of this.sequences.entries()) {
      const parsed = DtmfSequence.safeParse({ label: raw.label, tones: raw.tones.trim().toUpperCase() });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        this.error = `Sequence ${index + 1} (${issue.path.join('') === 'label' ? 'name' : 'keys'}): ${issue.message}.`;
        return;
      }
      sequences.push(parsed.data);
    }
    try {
      await this.services?.store.api.updateContact(contact.name, { postDial: postDial.data, sequences });
      this.dialog.close();
    } catch (error) {
      this.error = `Could not save: ${error instanceof Error ? error.message : String(error)}`;
    }
  };

  private readonly closed = () => {
    this.dispatchEvent(new CustomEvent('close-editor', { bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'contact-editor': ContactEditor;
  }
}
