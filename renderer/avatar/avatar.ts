/**
 * A round avatar with a person's initials, in their colour from the theme. It
 * is decoration: the name is always written next to it, so screen readers skip
 * it. A template and styles rather than an element of its own, because lists
 * draw one per row and a shadow root each would cost them for nothing.
 */
import { css, html, svg, unsafeCSS } from 'lit';
import { AVATAR_COLOURS, avatarColourOf } from './avatar-colour.ts';
import { initialsOf } from './initials.ts';

/** Head and shoulders, for a number or an address with no letters to show. */
const PERSON = svg`<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="8" r="4.2" /><path d="M3.5 21c.6-4.6 4-7.4 8.5-7.4s7.9 2.8 8.5 7.4z" /></svg>`;

export function avatar(name: string) {
  const initials = initialsOf(name);
  return html`<span class="avatar" aria-hidden="true" data-colour=${avatarColourOf(name)}>${initials || PERSON}</span>`;
}

const colourRules = Array.from({ length: AVATAR_COLOURS }, (_, i) => `.avatar[data-colour='${i + 1}'] { background: var(--sp-avatar-${i + 1}); }`).join('\n');

/** Size with --avatar-size (the letters follow it). */
export const avatarStyles = css`
  .avatar {
    --_size: var(--avatar-size, 2rem);
    flex: none;
    display: inline-grid;
    place-items: center;
    width: var(--_size);
    height: var(--_size);
    border-radius: 50%;
    color: var(--sp-on-avatar);
    font-size: calc(var(--_size) * 0.4);
    font-weight: 600;
    line-height: 1;
    letter-spacing: 0.02em;
    user-select: none;
  }
  .avatar svg {
    width: 62%;
    height: 62%;
    fill: currentColor;
  }
  ${unsafeCSS(colourRules)}
`;
