/**
 * When to replace a live capture track. A track that does not satisfy the
 * settings is replaced, but a platform may ignore a constraint (automatic
 * gain that cannot be turned off, a setting getSettings() does not report as
 * asked), so the new track can miss the very same request again. Asking
 * again would only open the device over and over; so each request is tried
 * once. A changed choice or setting is a new request, and a lost device
 * (its track ended) is always replaced. Pure logic, no browser API.
 */
export interface TrackState {
  /** The live track is what the settings ask for now. */
  satisfied: boolean;
  /** The track ended: its device was unplugged or taken away. */
  lost: boolean;
  /** What would be asked for now (DeviceService.requestKey). */
  request: string;
}

export class SwitchGate<Kind extends string> {
  private attempted = new Map<Kind, string>();

  /**
   * Whether to open a new track for this kind. A satisfied track forgets the
   * last attempt, so a setting turned back and forth is asked for again.
   */
  shouldSwitch(kind: Kind, state: TrackState): boolean {
    if (state.lost) return true;
    if (state.satisfied) {
      this.attempted.delete(kind);
      return false;
    }
    return this.attempted.get(kind) !== state.request;
  }

  /** A track is being opened for this request. */
  attempt(kind: Kind, request: string): void {
    this.attempted.set(kind, request);
  }

  /** A new call: nothing has been tried for it. */
  reset(): void {
    this.attempted.clear();
  }
}
