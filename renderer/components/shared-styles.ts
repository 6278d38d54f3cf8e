/** Buttons, fields and focus rings every component shares, so controls look and behave alike. */
import { css } from 'lit';

export const controlStyles = css`
  :host {
    display: block;
  }
  /* :where keeps these weak, so a component's own field rules win. */
  :where(input:not([type='checkbox'], [type='radio']), select) {
    font: inherit;
    padding: 6px 8px;
    border-radius: 8px;
    border: 1px solid var(--sp-border, #c9ced6);
    background: var(--sp-surface, #fff);
    max-width: 100%;
  }
  button {
    font: inherit;
    border: 1px solid var(--sp-border, #c9ced6);
    background: var(--sp-surface, #fff);
    color: inherit;
    border-radius: 8px;
    padding: 6px 12px;
    cursor: pointer;
    min-height: 32px;
  }
  button:hover:not(:disabled) {
    background: var(--sp-hover, #eef2f7);
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible {
    outline: 3px solid var(--sp-focus, #2b6cb0);
    outline-offset: 2px;
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button.primary {
    background: var(--sp-accept, #17703c);
    border-color: var(--sp-accept, #17703c);
    color: #fff;
  }
  button.danger {
    background: var(--sp-danger, #c53030);
    border-color: var(--sp-danger, #c53030);
    color: #fff;
  }
  /* Darker on hover, not the light hover of plain buttons (white text on it could not be read). */
  button.primary:hover:not(:disabled) {
    background: var(--sp-accept-hover, #125a30);
  }
  button.danger:hover:not(:disabled) {
    background: var(--sp-danger-hover, #9b2c2c);
  }
  button[aria-pressed='true'] {
    background: var(--sp-pressed, #2d3748);
    color: #fff;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

/** A settings form: fields in a column with bold labels, a warning line, and a password field with a button beside it. */
export const settingsFormStyles = css`
  form {
    display: grid;
    gap: 12px;
  }
  label {
    font-weight: 600;
  }
  .warning {
    margin: 0;
    font-size: 0.85rem;
    color: #975a16;
  }
  .password-row {
    display: flex;
    gap: 8px;
    align-items: center;
    flex-wrap: wrap;
  }
  .password-row input {
    flex: 1;
    min-width: 10rem;
  }
`;

/** A settings section that lists things (servers, SIP accounts): an intro line, the list, and what it says when empty. */
export const settingsListStyles = css`
  p {
    margin: 0;
  }
  .intro,
  .hint {
    color: #4a5568;
    font-size: 0.9rem;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 8px;
  }
  .empty {
    color: #4a5568;
    font-style: italic;
  }
`;

/** A list of people or calls: one row each, what it is on the left, its actions on the right. */
export const entryListStyles = css`
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  li {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 4px 8px;
    padding: 8px 4px;
    border-bottom: 1px solid #edf0f4;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    justify-content: end;
  }
`;
