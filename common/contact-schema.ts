/**
 * Contacts: what a contact is, what the user may send to change one, and the
 * shape main sends the renderer (ContactView).
 *
 * A contact has a display name (any script, renaming allowed) and 1–16
 * addresses, each an app user name (as the signaling server knows users), a
 * SIP address, or a phone number (normalised by common/phone-number.ts).
 * Every string and list has a limit, and every message is in words, because
 * the contact editor shows them next to its fields. Main checks everything
 * again on the way in (main/core/ipc-router.ts) and on load.
 */
import { z } from 'zod';
import { DtmfSequence, PostDial } from './dial-string.ts';
import { normalisePhoneNumber } from './phone-number.ts';
import { SipAddress } from './sip-account-schema.ts';
import { nameKey, UserName } from './signaling-protocol.ts';
import { toTranslate } from './i18n/schema-words.ts';

export const MAX_CONTACT_NAME_LENGTH = 64;
export const MAX_ADDRESSES = 16;
export const MAX_ADDRESS_LABEL_LENGTH = 32;
export const MAX_NOTES_LENGTH = 2000;
export const MAX_SEQUENCES = 20;
/** More than anyone keeps; a file with more is not a contacts file. */
export const MAX_CONTACTS = 50_000;

/** Made by main (a random UUID); the renderer never chooses one. */
export const ContactId = z
  .string({ error: 'A contact id must be text' })
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'This is not a contact id');
export type ContactId = z.infer<typeof ContactId>;

/** Control characters, line breaks and the bidi overrides that can make a name read as another. */
const UNSHOWABLE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/u;

export const ContactName = z
  .string({ error: 'A name must be text' })
  .normalize('NFC')
  .trim()
  .min(1, toTranslate('A contact needs a name'))
  .max(MAX_CONTACT_NAME_LENGTH, toTranslate('A name can be at most {{max}} characters', { max: MAX_CONTACT_NAME_LENGTH }))
  .refine((name) => !UNSHOWABLE.test(name), toTranslate('A name cannot contain control characters or line breaks'));

export const AddressKind = z.enum(['app', 'sip', 'tel'], { error: 'Choose app user, SIP address or phone number' });
export type AddressKind = z.infer<typeof AddressKind>;

/** A phone number, an extension or a feature code; normalised, or refused in words. */
export const PhoneNumber = z.string({ error: 'A phone number must be text' }).transform((input, context) => normalisedOrIssue(input, context));

function normalisedOrIssue(input: string, context: z.RefinementCtx): string {
  const checked = normalisePhoneNumber(input);
  if (checked.ok) return checked.value;
  context.addIssue({ code: 'custom', message: checked.message });
  return z.NEVER;
}

/** "Work", "Mobile", "Reception": empty means none. */
const AddressLabel = z
  .string({ error: 'A label must be text' })
  .trim()
  .max(MAX_ADDRESS_LABEL_LENGTH, toTranslate('A label can be at most {{max}} characters', { max: MAX_ADDRESS_LABEL_LENGTH }))
  .refine((label) => !UNSHOWABLE.test(label), toTranslate('A label cannot contain control characters or line breaks'))
  .transform((label) => (label ? label : undefined))
  .optional();

/** What normalisePhoneNumber stores: E.164, or the digits and keys of an extension or feature code. */
const STORED_NUMBER = /^(?:\+[1-9]\d{1,14}|[0-9*#]{1,32})$/;

/**
 * A number read back from the contacts file: kept as it is when it has the
 * form a saved number has, normalised like a typed one otherwise (a file
 * edited by hand). Saved numbers are not checked against the phone-number
 * metadata again: an update of that metadata must not drop a number from
 * someone's contacts, and it saves 10,000 parses at every start.
 */
const StoredPhoneNumber = z
  .string({ error: 'A phone number must be text' })
  .transform((input, context) => (STORED_NUMBER.test(input) ? input : normalisedOrIssue(input, context)));

const contactAddress = (phoneNumber: z.ZodType<string, string>) =>
  z.discriminatedUnion(
    'kind',
    [
      z.object({ kind: z.literal('app'), value: UserName, label: AddressLabel }),
      z.object({ kind: z.literal('sip'), value: SipAddress, label: AddressLabel }),
      z.object({ kind: z.literal('tel'), value: phoneNumber, label: AddressLabel }),
    ],
    { error: 'Choose app user, SIP address or phone number' },
  );

export const ContactAddress = contactAddress(PhoneNumber);
export type ContactAddress = z.output<typeof ContactAddress>;
export type ContactAddressInput = z.input<typeof ContactAddress>;

/** Two addresses are the same when they reach the same place: names by their key, SIP addresses without case. */
export function addressKey(address: Pick<ContactAddress, 'kind' | 'value'>): string {
  switch (address.kind) {
    case 'app':
      return `app ${nameKey(address.value)}`;
    case 'sip':
      return `sip ${address.value.toLowerCase().replace(/^sips?:/, '')}`;
    case 'tel':
      return `tel ${address.value}`;
  }
}

const addressList = (address: typeof ContactAddress) =>
  z
    .array(address, { error: 'Addresses must be a list' })
    .min(1, toTranslate('A contact needs at least one address: an app user, a SIP address or a phone number'))
    .max(MAX_ADDRESSES, toTranslate('A contact can have at most {{max}} addresses', { max: MAX_ADDRESSES }))
    .superRefine((addresses, context) => {
      const seen = new Set<string>();
      addresses.forEach((address, index) => {
        const key = addressKey(address);
        if (seen.has(key)) context.addIssue({ code: 'custom', path: [index, 'value'], message: toTranslate('This address is already in the list') });
        seen.add(key);
      });
    });

export const ContactAddresses = addressList(ContactAddress);
/** Addresses read back from the contacts file (see StoredPhoneNumber). */
const StoredContactAddresses = addressList(contactAddress(StoredPhoneNumber));

export const ContactNotes = z
  .string({ error: 'Notes must be text' })
  .max(MAX_NOTES_LENGTH, toTranslate('Notes can be at most {{max}} characters', { max: MAX_NOTES_LENGTH }))
  .refine((notes) => !notes.includes('\u0000'), toTranslate('Notes cannot contain a NUL character'));

export const ContactSequences = z
  .array(DtmfSequence, { error: 'Key sequences must be a list' })
  .max(MAX_SEQUENCES, toTranslate('A contact can keep at most {{max}} key sequences', { max: MAX_SEQUENCES }));

/** Post-dial keys without PostDial's default, so a patch that leaves them out keeps them. */
const PostDialKeys = PostDial.unwrap();
const Favourite = z.boolean({ error: 'Favourite is yes or no' });
const Timestamp = z.iso.datetime({ error: 'A time must be an ISO 8601 date and time' });

const contactFields = {
  id: ContactId,
  name: ContactName,
  addresses: ContactAddresses,
  favourite: Favourite,
  notes: ContactNotes,
  /** Keys sent once a call is answered, e.g. ",,1,,2#". */
  postDial: PostDial,
  /** Named key sequences one click sends in a call, e.g. a conference PIN. */
  sequences: ContactSequences,
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

/** A saved contact, as stored (unknown fields from a newer app are dropped, not refused). */
export const Contact = z.object({ ...contactFields, addresses: StoredContactAddresses });
export type Contact = z.output<typeof Contact>;

/** A contact handed back by the renderer (undo of a removal): exactly the fields a contact has. */
export const ContactRestore = z.object(contactFields).strict();

/** What addContact takes: a name and addresses; everything else may be left out. */
export const ContactDetails = z
  .object({
    name: ContactName,
    addresses: ContactAddresses,
    favourite: Favourite.optional(),
    notes: ContactNotes.optional(),
    postDial: PostDialKeys.optional(),
    sequences: ContactSequences.optional(),
  })
  .strict();
export type ContactDetails = z.input<typeof ContactDetails>;

/** What updateContact takes: the fields to change; what is left out stays as it is. */
export const ContactPatch = z
  .object({
    name: ContactName.optional(),
    addresses: ContactAddresses.optional(),
    favourite: Favourite.optional(),
    notes: ContactNotes.optional(),
    postDial: PostDialKeys.optional(),
    sequences: ContactSequences.optional(),
  })
  .strict();
export type ContactPatch = z.input<typeof ContactPatch>;

/**
 * A saved contact as main sends it to the renderer: its shape and every
 * limit, without the content rules (normalising numbers, checking names),
 * which ran when it was saved or loaded. Checking 10,000 contacts' shape takes
 * a few milliseconds; re-running the content rules took over 100.
 */
export const ContactView = z.object({
  id: ContactId,
  name: z.string().max(MAX_CONTACT_NAME_LENGTH),
  addresses: z
    .array(z.object({ kind: AddressKind, value: z.string().max(256), label: z.string().max(MAX_ADDRESS_LABEL_LENGTH).optional() }))
    .max(MAX_ADDRESSES),
  favourite: z.boolean(),
  notes: z.string().max(MAX_NOTES_LENGTH),
  postDial: z.string().max(256),
  sequences: z.array(z.object({ label: z.string().max(40), tones: z.string().max(256) })).max(MAX_SEQUENCES),
  createdAt: z.string().max(40),
  updatedAt: z.string().max(40),
});

/** Every saved contact, by name (common/directory.ts sorts them). */
export const ContactList = z.array(ContactView).max(MAX_CONTACTS);

/** Who is online on the app's server (names as the server gave them). */
export const Presence = z.object({ online: z.array(z.string().max(64)).max(1_000_000) });
export type Presence = z.infer<typeof Presence>;

/**
 * The problems of a failed parse by field path, the first for each field, for
 * a form: `'addresses.1.value' → 'A SIP address looks like …'`.
 */
export function fieldErrors(error: z.ZodError): Map<string, string> {
  const errors = new Map<string, string>();
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.');
    if (!errors.has(key)) errors.set(key, issue.message);
  }
  return errors;
}
