/** Saved contacts for tests: a whole, valid contact with what the test cares about changed. */
import type { Contact, ContactAddress } from '../../common/contact-schema.ts';
import type { DirectoryContact } from '../../common/directory.ts';

export const CONTACT_TIME = '2026-11-22T10:00:00.000Z';

export function savedContact(id: string, name: string, overrides: Partial<Contact> = {}): Contact {
  return {
    id,
    name,
    addresses: [{ kind: 'app', value: name }],
    favourite: false,
    notes: '',
    postDial: '',
    sequences: [],
    createdAt: CONTACT_TIME,
    updatedAt: CONTACT_TIME,
    ...overrides,
  };
}

/** A contact as the renderer's directory shows it: app names with their presence, other addresses with none. */
export function directoryContact(id: string, name: string, addresses: ContactAddress[], online = false): DirectoryContact {
  return { ...savedContact(id, name, { addresses }), addresses: addresses.map((a) => ({ ...a, online: a.kind === 'app' ? online : null })), online };
}
