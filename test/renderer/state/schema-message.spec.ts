/** The shared schemas' messages reach the form in the user's language, the parts the user typed kept. */
import { expect, test } from '@playwright/test';
import { ContactDetails, fieldErrors } from '../../../common/contact-schema.ts';
import { checkDialString } from '../../../common/dial-string.ts';
import { setLanguage } from '../../../common/i18n/index.ts';
import { normalisePhoneNumber } from '../../../common/phone-number.ts';
import { SipAccountDetails } from '../../../common/sip-account-schema.ts';
import { schemaMessage } from '../../../renderer/state/schema-message.ts';

test.afterEach(() => setLanguage('en'));

const messageOf = (result: { ok: boolean; message?: string }): string => (result.ok ? '' : result.message!);

test('in English the schema keeps its words; in German they are translated', () => {
  const parsed = ContactDetails.safeParse({ name: '', addresses: [] });
  expect(parsed.success).toBe(false);
  const errors = fieldErrors(parsed.error!);
  expect(errors.get('name')).toBe('A contact needs a name');
  expect(schemaMessage(errors.get('name')!)).toBe('A contact needs a name');
  setLanguage('de');
  expect(schemaMessage(errors.get('name')!)).toBe('Ein Kontakt braucht einen Namen');
  expect(schemaMessage(errors.get('addresses')!)).toBe('Ein Kontakt braucht mindestens eine Adresse: einen App-Benutzer, eine SIP-Adresse oder eine Telefonnummer');
  const sip = SipAccountDetails.safeParse({ address: 'not an address', websocketUrl: 'wss://pbx.example.org' });
  expect(schemaMessage(sip.error!.issues.find((issue) => issue.path[0] === 'address')!.message)).toBe('Eine SIP-Adresse sieht aus wie sip:alice@pbx.example.org');
});

test('what the user typed stays in the German message', () => {
  const number = messageOf(normalisePhoneNumber('+999 123'));
  expect(number).toBe('+999 123 is not a valid international number: check the country code and the number of digits');
  setLanguage('de');
  expect(schemaMessage(number)).toBe('+999 123 ist keine gültige internationale Nummer: Prüfen Sie die Landesvorwahl und die Anzahl der Ziffern');
  expect(schemaMessage(messageOf(checkDialString('Demo IVR,,1x')))).toBe(
    'Nach „Demo IVR“ dürfen die nach dem Annehmen zu sendenden Tasten 0-9, *, #, A-D und Kommas für Pausen sein: „x“ ist keine Taste.',
  );
});

test('a message no schema marked is shown as it came', () => {
  setLanguage('de');
  expect(schemaMessage('Something main said')).toBe('Something main said');
});
