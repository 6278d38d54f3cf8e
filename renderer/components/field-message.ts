/**
 * The message under a form field: what is wrong with it when its check
 * failed, otherwise its hint (when it has one). The field names the message
 * with aria-describedby, so a screen reader reads it with the field.
 */
import { css, html, nothing } from 'lit';

/** Fields in a column with their messages; a field whose check failed has a red border. */
export const fieldMessageStyles = css`
  .field {
    display: grid;
    gap: 4px;
  }
  .hint,
  .error {
    margin: 0;
    font-size: 0.85rem;
  }
  .hint {
    color: var(--sp-muted);
  }
  .error {
    color: var(--sp-error);
  }
  input[aria-invalid='true'] {
    border-color: var(--sp-error);
  }
`;

/** The field's message, `${id}-error` or `${id}-hint`; nothing when there is no error and no hint. */
export function fieldMessage(id: string, error: string | undefined, hint?: unknown) {
  if (error) return html`<p class="error" id="${id}-error">${error}</p>`;
  return hint === undefined ? nothing : html`<p class="hint" id="${id}-hint">${hint}</p>`;
}

/** The field's aria-describedby: the id of the message fieldMessage shows. */
export function describedBy(id: string, error: string | undefined, hasHint: boolean) {
  return error ? `${id}-error` : hasHint ? `${id}-hint` : nothing;
}
