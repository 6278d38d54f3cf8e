/** How contact addresses are shown and named, and which contact a call's peer is. */
import { addressKey, type ContactAddress } from '../../common/contact-schema.ts';
import type { DirectoryContact } from '../../common/directory.ts';
import { formatPhoneNumber, normalisePhoneNumber } from '../../common/phone-number.ts';
import { t } from '../../common/i18n/index.ts';

export type AddressLike = Pick<ContactAddress, 'kind' | 'value'>;

/** "Bob (app)", "sip:bob@pbx.example.org", "+49 30 1234567". */
export function addressText(address: AddressLike): string {
  switch (address.kind) {
    case 'app':
      return t('{{name}} (app)', { name: address.value });
    case 'sip':
      return address.value;
    case 'tel':
      return formatPhoneNumber(address.value);
  }
}

export function kindName(kind: ContactAddress['kind']): string {
  return kind === 'app' ? t('App user') : kind === 'sip' ? t('SIP address') : t('Phone number');
}

/** The keys of what a call's peer may be: an app name, a SIP address, or a number dialed through SIP. */
function peerKeys(peer: string): string[] {
  const keys = [addressKey({ kind: 'app', value: peer }), addressKey({ kind: 'sip', value: peer })];
  const number = normalisePhoneNumber(peer.replace(/^sips?:/i, '').replace(/@.*$/, ''));
  if (number.ok) keys.push(addressKey({ kind: 'tel', value: number.value }));
  return keys;
}

/** The contact one of whose addresses is `peer` (the first such one), or undefined. */
export function contactForPeer(contacts: readonly DirectoryContact[], peer: string, kinds?: ReadonlyArray<ContactAddress['kind']>): DirectoryContact | undefined {
  const keys = new Set(peerKeys(peer));
  return contacts.find((contact) => contact.addresses.some((address) => (!kinds || kinds.includes(address.kind)) && keys.has(addressKey(address))));
}
