/** Saved contacts for tests: a whole, valid contact with what the test cares about changed. */
import type { Contact } from '../../common/contact-schema.ts';

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
