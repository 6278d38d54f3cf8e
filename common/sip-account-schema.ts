/**
 * SIP accounts as settings keep them and as the Accounts form saves them, and
 * the registration state main reports for each. Passwords never appear here:
 * they go to the secret store, and settings only say whether one is kept.
 */
import { z } from 'zod';
import { AccountId } from './call-messages.ts';
import { ServerUrl } from './settings-schema.ts';
import { toTranslate } from './i18n/schema-words.ts';

export const MAX_SIP_ACCOUNTS = 8;

/** sip:user@host[:port] or sips:…; parameters and headers are not taken. */
const SIP_URI = /^sips?:([^@\s:;?]+)@(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(:\d{1,5})?$/i;

export const SipAddress = z
  .string()
  .trim()
  .max(256, toTranslate('A SIP address can be at most 256 characters'))
  .transform((value) => (/^sips?:/i.test(value) ? value : `sip:${value}`))
  .refine((value) => SIP_URI.test(value), toTranslate('A SIP address looks like sip:alice@pbx.example.org'));

/** The host (and port) of a SIP address: where a bare extension or number dialed through the account goes. */
export function sipDomainOf(address: string): string {
  return address.replace(/^sips?:[^@]*@/i, '');
}

/** The host of a SIP proxy to send everything through: sip:proxy.example.org[:port]. */
export const SipProxy = z
  .string()
  .trim()
  .max(256, toTranslate('A proxy address can be at most 256 characters'))
  .transform((value) => (/^sips?:/i.test(value) ? value : `sip:${value}`))
  .refine((value) => /^sips?:(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(:\d{1,5})?(;transport=(ws|wss|udp|tcp|tls))?$/i.test(value), toTranslate('A proxy looks like sip:proxy.example.org or sip:proxy.example.org:5060'));

/** How this account sends key presses. */
export const SipKeyMethod = z.enum([
  /** RFC 4733 telephone events beside the audio (what almost every PBX takes). */
  'rfc4733',
  /** SIP INFO with application/dtmf-relay, for systems that want keys as messages. */
  'sip-info',
]);
export type SipKeyMethod = z.infer<typeof SipKeyMethod>;

const AuthUser = z.string().trim().min(1).max(128, toTranslate('An authentication user can be at most 128 characters'));
const DisplayName = z.string().trim().min(1).max(64, toTranslate('A display name can be at most 64 characters'));

export const SipAccountSettings = z.object({
  id: AccountId,
  address: SipAddress,
  /** The user name for digest authentication, when it is not the address's user part. */
  authUser: AuthUser.nullable().default(null),
  /** SIP over WebSocket: wss://pbx.example.org:8089/ws. */
  websocketUrl: ServerUrl,
  outboundProxy: SipProxy.nullable().default(null),
  displayName: DisplayName.nullable().default(null),
  keys: SipKeyMethod.default('rfc4733'),
  /** Off: kept, but not registered. */
  enabled: z.boolean().default(true),
  hasPassword: z.boolean().default(false),
});
export type SipAccountSettings = z.infer<typeof SipAccountSettings>;

export const MAX_SIP_PASSWORD_LENGTH = 1024;

/** What the Accounts form saves: a new account has no id yet. */
export const SipAccountDetails = z
  .object({
    id: AccountId.refine((id) => id.startsWith('sip-'), 'Not a SIP account').optional(),
    address: SipAddress,
    authUser: AuthUser.nullable().optional(),
    websocketUrl: ServerUrl,
    outboundProxy: SipProxy.nullable().optional(),
    displayName: DisplayName.nullable().optional(),
    keys: SipKeyMethod.optional(),
    enabled: z.boolean().optional(),
    /** undefined = keep the saved password, null = forget it, string = save it (in the secret store). */
    password: z.string().min(1, toTranslate('A password cannot be empty')).max(MAX_SIP_PASSWORD_LENGTH).nullable().optional(),
  })
  .strict();
export type SipAccountDetails = z.input<typeof SipAccountDetails>;

export const SipRegistrationStatus = z.enum(['off', 'registering', 'registered', 'failed']);
export type SipRegistrationStatus = z.infer<typeof SipRegistrationStatus>;

export const SipAccountState = z.object({
  id: AccountId,
  status: SipRegistrationStatus,
  /** Why it failed, in words (wrong password, not found, unreachable, certificate). */
  message: z.string().max(512).nullable(),
});
export type SipAccountState = z.infer<typeof SipAccountState>;
