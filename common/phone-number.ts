/**
 * Phone numbers in contacts: normalised with libphonenumber-js (international
 * numbers become E.164, "+4930123456", and are shown grouped, "+49 30 123456"),
 * while extensions, feature codes and numbers without a country ("1001",
 * "*86", "#31#", "030 123456") are kept as the digits and keys to dial through
 * a PBX. Runs in main and in the renderer.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { toTranslate } from './i18n/schema-words.ts';

export const MAX_PHONE_INPUT_LENGTH = 64;
/** Longest extension or number without a country, once separators are gone. */
export const MAX_DIAL_DIGITS = 32;

/** Separators people type and no PBX wants: spaces, dashes, dots, brackets, slashes. */
const SEPARATORS = /[\s\-.()/]/g;
const ALLOWED = /^[+0-9*#\s\-.()/]+$/;

export type PhoneNumberCheck = { ok: true; value: string } | { ok: false; message: string };

export interface PhoneNumberOptions {
  /**
   * Reads a number without "+" of 7 digits or more as a number of this
   * country, when it is a valid one there; shorter ones stay extensions.
   */
  defaultCountry?: CountryCode;
}

/** `value` is what is stored and dialed; `message` says in words why the input is not a number. */
export function normalisePhoneNumber(input: string, options: PhoneNumberOptions = {}): PhoneNumberCheck {
  const text = input.trim();
  if (text === '') return { ok: false, message: toTranslate('Enter a phone number or an extension') };
  if (text.length > MAX_PHONE_INPUT_LENGTH) return { ok: false, message: toTranslate('A phone number can be at most {{max}} characters', { max: MAX_PHONE_INPUT_LENGTH }) };
  if (!ALLOWED.test(text)) return { ok: false, message: toTranslate('A phone number can have only digits, spaces and + ( ) - . / * #') };
  const compact = text.replace(SEPARATORS, '');
  if (compact === '') return { ok: false, message: toTranslate('Enter a phone number or an extension') };

  if (compact.startsWith('+')) {
    if (!/^\+\d+$/.test(compact)) return { ok: false, message: toTranslate('An international number has only digits after the +') };
    const parsed = parsePhoneNumberFromString(compact);
    if (!parsed?.isValid()) return { ok: false, message: toTranslate('{{number}} is not a valid international number: check the country code and the number of digits', { number: text }) };
    return { ok: true, value: parsed.number };
  }
  if (compact.includes('+')) return { ok: false, message: toTranslate('A + can only come first, before the country code') };

  // "0049 30 123456": the international prefix most countries use, when what follows is a real number.
  if (/^00\d{6,}$/.test(compact)) {
    const parsed = parsePhoneNumberFromString(`+${compact.slice(2)}`);
    if (parsed?.isValid()) return { ok: true, value: parsed.number };
  }
  if (options.defaultCountry && /^\d{7,}$/.test(compact)) {
    const parsed = parsePhoneNumberFromString(compact, options.defaultCountry);
    if (parsed?.isValid()) return { ok: true, value: parsed.number };
  }
  // An extension, a feature code, or a number dialed as it is through the PBX.
  if (compact.length > MAX_DIAL_DIGITS) return { ok: false, message: toTranslate('A number without a country code can have at most {{max}} digits and keys', { max: MAX_DIAL_DIGITS }) };
  return { ok: true, value: compact };
}

/** How a stored number is shown: "+49 30 123456" for international numbers, as stored otherwise. */
export function formatPhoneNumber(value: string): string {
  if (!value.startsWith('+')) return value;
  return parsePhoneNumberFromString(value)?.formatInternational() ?? value;
}
