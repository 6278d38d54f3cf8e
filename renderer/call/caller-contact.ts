/**
 * The contact the other side of a call would become: the address it called
 * from or was called at (an app name, a number, or a SIP address), and the
 * name it was shown with. The history's Add and Add to contacts during a call
 * both start from here, so a caller is saved the same way from either.
 */
import { APP_ACCOUNT } from '../../common/call-messages.ts';
import type { ContactAddressInput } from '../../common/contact-schema.ts';
import type { DirectoryContact } from '../../common/directory.ts';
import { sipDomainOf } from '../../common/sip-account-schema.ts';
import { contactForPeer } from '../state/contact-addresses.ts';

/** A SIP account as far as this needs it: its id and its own address (whose domain a bare dialed user belongs to). */
export type SipAccountLike = { readonly id: string; readonly address: string };

/** A new contact's name and first address, for the editor to start from. */
export interface ContactDraft {
  name: string;
  addresses: [ContactAddressInput];
}

/** The address a call was with, as a contact keeps it: an app name, or a number or SIP address (a dialed user goes to its account's domain). */
export function callerAddress(sipAccounts: readonly SipAccountLike[], account: string, address: string): ContactAddressInput {
  if (account === APP_ACCOUNT) return { kind: 'app', value: address };
  const bare = address.replace(/^sips?:/i, '');
  if (/^\+?[0-9*#]+$/.test(bare.replace(/[\s\-.()]/g, ''))) return { kind: 'tel', value: bare };
  if (bare.includes('@')) return { kind: 'sip', value: `sip:${bare}` };
  const own = sipAccounts.find((a) => a.id === account);
  const domain = own ? sipDomainOf(own.address) : undefined;
  return { kind: 'sip', value: `sip:${bare}@${domain ?? 'invalid'}` };
}

/**
 * A contact for the other side of a call: named as the call showed them, or,
 * with no name but an address, by its user part ("1001", "+4930123"), which
 * the user will more likely keep than "1001@pbx.example.org".
 */
export function callerDraft(sipAccounts: readonly SipAccountLike[], call: { account: string; peer: string; address: string }): ContactDraft {
  const address = callerAddress(sipAccounts, call.account, call.address);
  const named = call.peer.trim() !== '' && call.peer !== call.address;
  const name = named || call.account === APP_ACCOUNT ? call.peer : call.address.replace(/^sips?:/i, '').replace(/@.*$/, '');
  return { name, addresses: [address] };
}

/** Whether the other side of a call is one of the saved contacts already (by an address of the kind the call went through). */
export function isSavedCaller(contacts: readonly DirectoryContact[], call: { account: string; address: string }): boolean {
  return contactForPeer(contacts, call.address, call.account === APP_ACCOUNT ? ['app'] : ['sip', 'tel']) !== undefined;
}
