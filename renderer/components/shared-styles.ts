/**
 * Buttons, fields and focus rings every component shares, so controls look
 * and behave alike. Colours come from the theme in page.css (light and dark).
 *
 * A button's look is two independent choices: its kind (plain, primary,
 * danger, pressed toggle) sets a palette, and its state (hover, active,
 * disabled) picks a colour from that palette. They set different custom
 * properties, so no state rule can pair one kind's text with another kind's
 * background (white text on the light hover of a plain button was 1.12:1).
 */
import { css } from 'lit';

export const controlStyles = css`
  :host {
    display: block;
  }
  :host([hidden]) {
    display: none;
  }
  /* :where keeps these weak, so a component's own field rules win. */
  :where(input:not([type='checkbox'], [type='radio']), select, textarea) {
    font: inherit;
    padding: 6px 8px;
    border-radius: 8px;
    border: 1px solid var(--sp-border, #b8c0cc);
    background: var(--sp-surface, #fff);
    color: var(--sp-text, #1a202c);
    max-width: 100%;
  }
  :where(input, select, textarea):disabled {
    background: var(--sp-disabled-bg, #edf0f4);
    color: var(--sp-disabled-text, #5a6472);
  }
  ::placeholder {
    color: var(--sp-muted, #4f5b6b);
    opacity: 1;
  }
  button {
    --_base: var(--sp-surface, #fff);
    --_hover: var(--sp-hover, #e6ebf2);
    --_active: var(--sp-active, #d5dce6);
    --_ink: var(--sp-text, #1a202c);
    --_edge: var(--sp-border, #b8c0cc);
    --_bg: var(--_base);
    --_fg: var(--_ink);
    --_bd: var(--_edge);
    font: inherit;
    border: 1px solid var(--_bd);
    background: var(--_bg);
    color: var(--_fg);
    border-radius: 8px;
    padding: 6px 12px;
    cursor: pointer;
    min-height: 32px;
  }
  /* Kinds: a palette each. */
  button.primary {
    --_base: var(--sp-accept, #17703c);
    --_hover: var(--sp-accept-hover, #125a30);
    --_active: var(--sp-accept-active, #0d4524);
    --_ink: var(--sp-on-fill, #fff);
    --_edge: var(--_bg);
    font-weight: 600;
  }
  button.danger {
    --_base: var(--sp-danger, #c53030);
    --_hover: var(--sp-danger-hover, #9b2c2c);
    --_active: var(--sp-danger-active, #7f2323);
    --_ink: var(--sp-on-fill, #fff);
    --_edge: var(--_bg);
    font-weight: 600;
  }
  button[aria-pressed='true'] {
    --_base: var(--sp-pressed, #2d3748);
    --_hover: var(--sp-pressed-hover, #1a202c);
    --_active: var(--sp-pressed-hover, #1a202c);
    --_ink: var(--sp-on-pressed, #fff);
    --_edge: var(--_bg);
  }
  /* States: pick from the palette. */
  button:hover {
    --_bg: var(--_hover);
  }
  button:active {
    --_bg: var(--_active);
  }
  /* Disabled looks the same for every kind: quiet, yet still readable (no opacity). */
  button:disabled {
    --_bg: var(--sp-disabled-bg, #edf0f4);
    --_fg: var(--sp-disabled-text, #5a6472);
    --_bd: var(--sp-disabled-border, #d2d8e0);
    cursor: not-allowed;
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible,
  [tabindex='-1']:focus-visible {
    outline: 3px solid var(--sp-focus, #2b6cb0);
    outline-offset: 2px;
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
    color: var(--sp-warn);
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
    color: var(--sp-muted);
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
    color: var(--sp-muted);
    font-style: italic;
  }
`;

/**
 * A row of a list of people or calls: an avatar, what the row is, a detail at
 * its end; actions and hints on lines below. Rows take the list's width, also
 * in a virtualised list, which positions them itself.
 */
export const listRowStyles = css`
  .row {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) auto;
    align-items: center;
    gap: 4px 10px;
    padding: 8px 4px;
    border-bottom: 1px solid var(--sp-divider);
    width: 100%;
    box-sizing: border-box;
  }
  .row:focus-visible {
    outline: 3px solid var(--sp-focus);
    outline-offset: -3px;
  }
  /*
   * A virtualised list's rows (contacts, history) are where the virtualiser puts them anyway,
   * from the start: a new row is then laid out once, as it will be shown, and not again when it
   * is moved out of the flow. The rows it draws ahead, out of view, skip style and layout until
   * they scroll near (about a third of a search keystroke's work); until then a row counts as a
   * typical one's height.
   */
  lit-virtualizer > .row {
    position: absolute;
    content-visibility: auto;
    contain-intrinsic-block-size: auto 110px;
  }
`;

/** A settings section of choices saved as they change (keypad, desktop): fields stacked, checkboxes beside their words. */
export const preferenceFormStyles = css`
  form {
    display: grid;
    gap: 10px;
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
  /* As wide as its longest choice, so "Automatic (RFC 4733, else the best fallback)" is not cut off. */
  select {
    justify-self: start;
  }
  .error {
    color: var(--sp-error);
    margin: 0;
  }
`;
