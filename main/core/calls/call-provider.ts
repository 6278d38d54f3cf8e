/**
 * What main holds per account to carry calls: the app's signaling server is
 * one provider, each SIP account another. A provider translates the call
 * vocabulary (common/call-messages.ts) to its wire and back; the switchboard
 * routes commands to the provider that owns the call.
 */
import type { AccountId, CallCommand, CallEvent } from '../../../common/call-messages.ts';

export interface CallProvider {
  readonly account: AccountId;
  /** Carry out a command for one of this provider's calls, or place a new one. Throws, in words, when it cannot. */
  handle(command: CallCommand): void | Promise<void>;
  /** The account goes away (removed, or the app quits): end its calls on the wire. */
  close?(): void | Promise<void>;
}

/** Where providers report what happens to their calls. */
export interface CallSink {
  emit(event: CallEvent): void;
  /** Whether one more incoming call may be offered to the user; refuse it as busy when not. */
  canAdmit(): boolean;
}
