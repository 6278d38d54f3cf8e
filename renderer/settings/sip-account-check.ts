/**
 * The SIP account form's fields as the user typed them, checked with the
 * schema main checks them with (SipAccountDetails), and what is wrong said in
 * words next to the field it is about. Pure; main checks everything again.
 */
import type { z } from 'zod';
import { SipAccountDetails, type SipAccountSettings, type SipKeyMethod } from '../../common/sip-account-schema.ts';
import { t } from '../../common/i18n/index.ts';
import { schemaMessage } from '../state/schema-message.ts';

/** The fields that can be wrong, named as in SipAccountDetails. */
export type SipField = 'address' | 'authUser' | 'password' | 'websocketUrl' | 'outboundProxy' | 'displayName';

/** The form's fields, as typed. */
export interface SipAccountDraft {
  /** Absent for a new account. */
  id?: string;
  address: string;
  authUser: string;
  /** What the user typed; empty keeps a saved password. */
  password: string;
  /** Main keeps a password for this account. */
  hasPassword: boolean;
  /** The user asked to forget the saved password. */
  forgetPassword: boolean;
  websocketUrl: string;
  outboundProxy: string;
  displayName: string;
  keys: SipKeyMethod;
  enabled: boolean;
}

export type SipFieldErrors = Partial<Record<SipField, string>>;

export type SipAccountCheck =
  | { ok: true; details: z.output<typeof SipAccountDetails> }
  /** `other`: what is wrong that no field shows (it should not happen). */
  | { ok: false; errors: SipFieldErrors; other: string | null };

export const SIP_ADDRESS_EXAMPLE = 'sip:alice@pbx.example.org';
export const SIP_WEBSOCKET_EXAMPLE = 'wss://pbx.example.org:8089/ws';

/** A new account's fields, or a saved one's (its password stays in main). */
export function draftOf(account?: SipAccountSettings): SipAccountDraft {
  return {
    ...(account ? { id: account.id } : {}),
    address: account?.address ?? '',
    authUser: account?.authUser ?? '',
    password: '',
    hasPassword: account?.hasPassword ?? false,
    forgetPassword: false,
    websocketUrl: account?.websocketUrl ?? '',
    outboundProxy: account?.outboundProxy ?? '',
    displayName: account?.displayName ?? '',
    keys: account?.keys ?? 'rfc4733',
    enabled: account?.enabled ?? true,
  };
}

/** How each field is named at the start of a sentence. */
function noun(field: SipField): string {
  switch (field) {
    case 'address':
      return t('A SIP address');
    case 'authUser':
      return t('An authentication user');
    case 'password':
      return t('A password');
    case 'websocketUrl':
      return t('A WebSocket URL');
    case 'outboundProxy':
      return t('A proxy address');
    case 'displayName':
      return t('A display name');
  }
}

/** What a required field that was left empty says. */
function emptyMessage(field: SipField): string | undefined {
  if (field === 'address') return t('Enter your SIP address, for example {{example}}.', { example: SIP_ADDRESS_EXAMPLE });
  if (field === 'websocketUrl') return t('Enter the WebSocket URL of your SIP server, for example {{example}}.', { example: SIP_WEBSOCKET_EXAMPLE });
  return undefined;
}

const FIELDS = new Set<string>(['address', 'authUser', 'password', 'websocketUrl', 'outboundProxy', 'displayName'] satisfies SipField[]);

/** The request for saveSipAccount, or what is wrong field by field. */
export function checkSipAccount(draft: SipAccountDraft): SipAccountCheck {
  const optional = (text: string) => (text.trim() === '' ? null : text);
  const password = draft.password !== '' ? draft.password : draft.forgetPassword && draft.hasPassword ? null : undefined;
  const result = SipAccountDetails.safeParse({
    ...(draft.id ? { id: draft.id } : {}),
    address: draft.address,
    authUser: optional(draft.authUser),
    websocketUrl: draft.websocketUrl,
    outboundProxy: optional(draft.outboundProxy),
    displayName: optional(draft.displayName),
    keys: draft.keys,
    enabled: draft.enabled,
    ...(password === undefined ? {} : { password }),
  });
  if (result.success) return { ok: true, details: result.data };
  const errors: SipFieldErrors = {};
  let other: string | null = null;
  for (const issue of result.error.issues) {
    const field = issue.path[0];
    if (typeof field !== 'string' || !FIELDS.has(field)) {
      other ??= t('This account cannot be saved as it is.');
      continue;
    }
    const key = field as SipField;
    errors[key] ??= messageOf(key, issue, draft[key]);
  }
  return { ok: false, errors, other };
}

/** A sentence for one issue: the schema's own words where it has some, never a validator's "Too small: expected…". */
function messageOf(field: SipField, issue: z.core.$ZodIssue, typed: string): string {
  const empty = emptyMessage(field);
  if (typed.trim() === '' && empty) return empty;
  switch (issue.code) {
    case 'too_small':
      return empty ?? t('{{field}} cannot be empty.', { field: noun(field) });
    case 'too_big':
      return t('{{field}} can be at most {{max}} characters.', { field: noun(field), max: issue.maximum });
    case 'custom':
      return sentence(schemaMessage(issue.message));
    default:
      return t('{{field}} cannot be used as it is.', { field: noun(field) });
  }
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
