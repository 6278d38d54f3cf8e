/** tel:, callto: and sip: links as the OS hands them over (RFC 3966, RFC 3261 and the old callto: form). */
import { expect, test } from '@playwright/test';
import { parseCallLink } from '../../../../main/core/links/call-link.ts';

const dial = (url: string) => {
  const result = parseCallLink(url);
  if (!result.ok) throw new Error(result.message);
  return result.link;
};

test.describe('tel: (RFC 3966)', () => {
  test('global numbers lose their visual separators', () => {
    expect(dial('tel:+1-201-555-0123')).toEqual({ kind: 'number', number: '+12015550123', dialString: '+12015550123' });
    expect(dial('tel:+49.30.(1234)%20567')).toMatchObject({ number: '+49301234567' });
  });
  test('local numbers with a phone-context, feature codes, and an extension dialed after the answer', () => {
    expect(dial('tel:7042;phone-context=example.com')).toMatchObject({ number: '7042', dialString: '7042' });
    expect(dial('tel:*86;phone-context=+1')).toMatchObject({ number: '*86' });
    expect(dial('tel:+1-201-555-0123;ext=1234')).toMatchObject({ dialString: '+12015550123,1234' });
    expect(dial('TEL:+44 20 7946 0958;isub=9;foo=bar')).toMatchObject({ number: '+442079460958' });
  });
  test('garbage is refused with words', () => {
    for (const [url, words] of [
      ['tel:call-me-maybe', 'is not a phone number'],
      ['tel:+1234567890123456789', 'is not a phone number'],
      ['tel:%E0%A4%A', 'not properly encoded'],
      ['tel:', 'is not a phone number'],
      ['tel:+12015550123;ext=12a', 'is not an extension'],
    ] as const) {
      const result = parseCallLink(url);
      expect(result.ok, url).toBe(false);
      expect(result.ok ? '' : result.message).toContain(words);
    }
  });
});

test.describe('sip: and sips: (RFC 3261)', () => {
  test('the address, without parameters or headers a link must not choose', () => {
    expect(dial('sip:alice@example.org')).toEqual({ kind: 'sip', address: 'sip:alice@example.org', dialString: 'sip:alice@example.org' });
    expect(dial('sip:alice@example.org:5080;transport=tcp?subject=hi&priority=urgent')).toMatchObject({ address: 'sip:alice@example.org:5080' });
    expect(dial('sips:%2B12015550123@carrier.example')).toMatchObject({ address: 'sips:+12015550123@carrier.example' });
    expect(dial('sip:1001@[2001:db8::1]')).toMatchObject({ address: 'sip:1001@[2001:db8::1]' });
  });
  test('not an address is refused', () => {
    for (const url of ['sip:example.org', 'sip:alice@', 'sip:al ice@example.org', 'sip:alice@exa mple.org']) {
      const result = parseCallLink(url);
      expect(result.ok, url).toBe(false);
      expect(result.ok ? '' : result.message).toContain('is not a SIP address');
    }
  });
});

test.describe('callto:', () => {
  test('a number, an address or a name', () => {
    expect(dial('callto:+1 (201) 555-0123')).toMatchObject({ kind: 'number', number: '+12015550123' });
    expect(dial('callto://alice@example.org')).toMatchObject({ kind: 'sip', address: 'sip:alice@example.org' });
    expect(dial('callto:Demo%20IVR')).toEqual({ kind: 'name', name: 'Demo IVR', dialString: 'Demo IVR' });
  });
  test('other schemes and nonsense are refused', () => {
    expect(parseCallLink('https://example.org')).toEqual({ ok: false, message: 'The softphone opens tel:, callto: and sip: links, not https: links.' });
    expect(parseCallLink('callto:<script>').ok).toBe(false);
    expect(parseCallLink(`tel:+1${'0'.repeat(3000)}`)).toEqual({ ok: false, message: 'This link is too long to be a phone number or an address.' });
  });
});
