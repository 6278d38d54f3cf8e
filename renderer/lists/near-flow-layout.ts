/**
 * lit-virtualizer's flow layout, drawing rows up to 300 px beyond what is in
 * view instead of its default 1,000, for the contact list and the history.
 * Both sit low in the window under the dial box, so with 1,000 px some three
 * rows are in view and eight more are drawn out of sight, and a search
 * keystroke redraws all eleven. 300 px still covers a few wheel notches of
 * scrolling ahead of the eye: after a jump of 20,000 px the rows in view are
 * drawn one frame later.
 */
import { FlowLayout } from '@lit-labs/virtualizer/layouts/flow.js';

/** What lit-virtualizer's `layout` property takes (its own type is not exported). */
type LayoutSpecifier = { type: typeof FlowLayout };

const DRAWN_AHEAD_PX = 300;

class NearFlowLayout extends FlowLayout {
  constructor(...args: ConstructorParameters<typeof FlowLayout>) {
    super(...args);
    this._overhang = DRAWN_AHEAD_PX;
  }
}

/** For `<lit-virtualizer .layout=${nearFlow}>`. */
export const nearFlow: LayoutSpecifier = { type: NearFlowLayout };
