/**
 * The status line under a settings form's buttons: nothing, work in progress
 * (the buttons then say they are busy), or the result of the last action.
 */
import { css, html } from 'lit';

/** What the status line says: nothing, work in progress, a result. */
export type FormStatus = { kind: 'idle' } | { kind: 'busy'; text: string } | { kind: 'done'; ok: boolean; text: string };

/** The row of buttons, a busy button, and the status line with its result colour. */
export const formStatusStyles = css`
  .actions {
    display: flex;
    gap: 8px;
    flex-wrap: wrap;
    align-items: center;
  }
  button[aria-disabled='true'] {
    opacity: 0.6;
    cursor: progress;
  }
  [role='status'] {
    margin: 0;
    min-height: 1.4em;
  }
  [role='status'][data-result='ok'] {
    color: var(--sp-ok);
  }
  [role='status'][data-result='failed'] {
    color: var(--sp-error);
  }
`;

/** The status line, read out politely when it changes. */
export function statusLine(status: FormStatus) {
  return html`<p role="status" aria-live="polite" data-result=${status.kind === 'done' ? (status.ok ? 'ok' : 'failed') : 'none'}>
    ${status.kind === 'idle' ? '' : status.text}
  </p>`;
}
