/**
 * Focus for a row of a virtualised list (@lit-labs/virtualizer), which draws
 * only the rows in view, a frame after it is asked to: a row out of view has
 * no element to focus until the list is scrolled to it and has drawn it.
 */
import type { LitVirtualizer } from '@lit-labs/virtualizer';

/** How many frames a row may take to be drawn before focusing it is given up. */
const MAX_FRAMES = 30;

/** Brings row `index` into view and focuses it once drawn; false if it never was. */
export async function focusListRow(list: LitVirtualizer, index: number, find: () => HTMLElement | null): Promise<boolean> {
  let row = find();
  if (!row) list.element(index)?.scrollIntoView({ block: 'nearest' });
  for (let frame = 0; !row && frame < MAX_FRAMES; frame++) {
    await new Promise(requestAnimationFrame);
    row = find();
  }
  row?.focus();
  return row !== null;
}
