/** The contact a call's other side becomes: its address by the account the call went through, its name as shown. */
import { expect, test } from '@playwright/test';
import { callerAddress, callerDraft, isSavedCaller } from '../../../renderer/call/caller-contact.ts';
import { directoryContact } from '../../support/contact-fixtures.ts';

const SIP = [{ id: 'sip-office', address: 'sip:me@pbx.example.org' }];

test('app calls keep the name; SIP calls a number, a SIP address, or a dialed user at the account’s domain', () => {
  expect(callerAddress(SIP, 'app', 'Bob')).toEqual({ kind: 'app', value: 'Bob' });
  expect(callerAddress(SIP, 'sip-office', '+49 30 1234567')).toEqual({ kind: 'tel', value: '+49 30 1234567' });
  expect(callerAddress(SIP, 'sip-office', 'sip:1001')).toEqual({ kind: 'tel', value: '1001' });
  expect(callerAddress(SIP, 'sip-office', 'alice@pbx.example.org')).toEqual({ kind: 'sip', value: 'sip:alice@pbx.example.org' });
  expect(callerAddress(SIP, 'sip-office', 'sips:alice@pbx.example.org')).toEqual({ kind: 'sip', value: 'sip:alice@pbx.example.org' });
  expect(callerAddress(SIP, 'sip-office', 'reception')).toEqual({ kind: 'sip', value: 'sip:reception@pbx.example.org' });
});

test('a draft is named as the call showed the caller, or by the user part of an address without a name', () => {
  expect(callerDraft(SIP, { account: 'app', peer: 'Bob', address: 'Bob' })).toEqual({ name: 'Bob', addresses: [{ kind: 'app', value: 'Bob' }] });
  expect(callerDraft(SIP, { account: 'sip-office', peer: 'Front Desk', address: 'frontdesk@pbx.example.org' })).toEqual({
    name: 'Front Desk',
    addresses: [{ kind: 'sip', value: 'sip:frontdesk@pbx.example.org' }],
  });
  expect(callerDraft(SIP, { account: 'sip-office', peer: '1001@pbx.example.org', address: '1001@pbx.example.org' })).toEqual({
    name: '1001',
    addresses: [{ kind: 'sip', value: 'sip:1001@pbx.example.org' }],
  });
});

test('a caller is saved when a contact has their address of the call’s kind', () => {
  const contacts = [directoryContact('contact-1', 'Bob', [{ kind: 'app', value: 'Bob' }]), directoryContact('contact-2', 'Alice', [{ kind: 'sip', value: 'sip:alice@pbx.example.org' }])];
  expect(isSavedCaller(contacts, { account: 'app', address: 'bob' })).toBe(true);
  expect(isSavedCaller(contacts, { account: 'app', address: 'Carol' })).toBe(false);
  expect(isSavedCaller(contacts, { account: 'sip-office', address: 'alice@pbx.example.org' })).toBe(true);
  // An app name is not a SIP address.
  expect(isSavedCaller(contacts, { account: 'sip-office', address: 'Bob' })).toBe(false);
});
