/**
 * The app in German: on every main screen (idle with contacts, history, an
 * incoming call, a call with the keypad, a call that ended, the settings),
 * no visible text, label, placeholder or tooltip is left in English.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { de } from '../../common/i18n/de.ts';
import { expect, test } from '../support/browser-fixtures.ts';
import { freePort } from '../support/free-port.ts';
import type { Softphone } from '../support/softphone-harness.ts';

/** English source strings whose German differs (placeholders aside): none may show in the German UI. */
const ENGLISH = new Set(Object.entries(de).filter(([key, value]) => key !== value && !key.includes('{{')).map(([key]) => key.replace(/_(one|other)$/, '')));
/** Common English UI words; names, addresses and product names are no such words. */
const ENGLISH_WORDS = /\b(Call|Calls|Settings|Contacts|History|Hang up|Accept|Decline|Dial|Close|Save|Cancel|Remove|Edit|Mute|Keypad|Devices|Network|Account|Show|Test|Add|Delete|the|and|with|your|is|are|to|of|or|not|no|from|call)\b/;

/** Every visible text and every aria-label, placeholder and title on the page, shadow roots included. */
async function shownTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    const visible = (element: Element | null): boolean => {
      if (!element) return false;
      if (element instanceof HTMLOptionElement) return visible(element.closest('select'));
      return element.checkVisibility({ checkVisibilityCSS: true, checkOpacity: false });
    };
    const walk = (root: Document | ShadowRoot | Element): void => {
      for (const node of root.childNodes) {
        if (node.nodeType === Node.TEXT_NODE) {
          const text = node.textContent?.replace(/\s+/g, ' ').trim();
          const parent = node.parentElement ?? (node.parentNode instanceof ShadowRoot ? null : null);
          if (text && parent && !['STYLE', 'SCRIPT', 'TITLE'].includes(parent.tagName) && visible(parent)) texts.push(text);
        } else if (node instanceof Element) {
          if (visible(node)) {
            for (const name of ['aria-label', 'placeholder', 'title']) {
              const value = node.getAttribute(name)?.trim();
              if (value) texts.push(value);
            }
          }
          if (node.shadowRoot) walk(node.shadowRoot);
          walk(node);
        }
      }
    };
    walk(document);
    return texts;
  });
}

async function expectGerman(page: Page, screen: string): Promise<void> {
  const texts = await shownTexts(page);
  expect(texts.length, `${screen}: texts found`).toBeGreaterThan(3);
  const english = texts.filter((text) => ENGLISH.has(text) || ENGLISH_WORDS.test(text));
  expect(english, `English left on the screen "${screen}"`).toEqual([]);
}

async function inGerman(softphone: Softphone): Promise<void> {
  await softphone.core.handlers.updateSettings({ desktop: { language: 'de' } });
  await expect(softphone.page.getByRole('button', { name: 'Einstellungen' })).toBeVisible();
}

test('every main screen of the German app is in German', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  await inGerman(alice);
  await inGerman(bob);
  await expect(alice.page.getByRole('status').filter({ hasText: 'Online als Alice' })).toBeVisible();
  await expect(alice.page.locator('html')).toHaveAttribute('lang', 'de');

  // Idle, with Bob online and saved as a contact.
  await alice.page.getByRole('button', { name: 'Bob zu den Kontakten hinzufügen' }).click();
  await expect(alice.page.getByRole('button', { name: 'Bob bearbeiten' })).toBeVisible();
  await expectGerman(alice.page, 'idle with contacts');

  // Bob's ringing call, then the call with the keypad.
  await alice.page.getByRole('button', { name: 'Bob anrufen', exact: true }).first().click();
  await expect(bob.page.getByRole('alertdialog', { name: 'Eingehender Anruf von Alice' })).toBeVisible();
  await expectGerman(bob.page, 'incoming call');
  await expectGerman(alice.page, 'calling');
  await bob.page.getByRole('button', { name: 'Annehmen' }).click();
  await expect(alice.page.getByRole('status').filter({ hasText: 'Im Gespräch mit Bob' })).toBeVisible();
  const keypadButton = alice.page.getByRole('button', { name: 'Tastenfeld' });
  if ((await keypadButton.getAttribute('aria-pressed')) !== 'true') await keypadButton.click();
  await alice.page.getByRole('button', { name: '5', exact: true }).click();
  await expect(alice.page.getByLabel('Gesendete Tasten')).toHaveText('5');
  await expectGerman(alice.page, 'in call with keypad');
  await expectGerman(bob.page, 'in call (answered)');

  // The end of the call, then the history.
  await alice.page.getByRole('button', { name: 'Auflegen' }).click();
  await expect(bob.page.getByRole('status').filter({ hasText: 'Alice hat aufgelegt' })).toBeVisible();
  await expectGerman(alice.page, 'call ended');
  await expectGerman(bob.page, 'call ended by the other side');
  await alice.page.getByRole('tab', { name: 'Verlauf' }).click();
  await expect(alice.page.getByRole('button', { name: 'Bob zurückrufen' })).toBeVisible();
  await expectGerman(alice.page, 'history');
  await alice.page.getByRole('button', { name: 'Verlauf löschen' }).click();
  await expectGerman(alice.page, 'history, asking before clearing');

  // Settings, every section.
  await alice.page.getByRole('button', { name: 'Einstellungen' }).click();
  await expect(alice.page.getByRole('dialog', { name: 'Einstellungen' })).toBeVisible();
  await expectGerman(alice.page, 'settings');
  await alice.page.getByRole('button', { name: 'SIP-Konto hinzufügen' }).click();
  await expect(alice.page.getByLabel('SIP-Adresse')).toBeVisible();
  await expectGerman(alice.page, 'settings, adding a SIP account');
  await alice.page.getByRole('button', { name: 'Abbrechen' }).click();
  await alice.page.getByRole('button', { name: 'Schließen' }).first().click();
  await expect(alice.page.getByRole('dialog', { name: 'Einstellungen' })).toBeHidden();

  // The contact editor, with a mistake to show its messages.
  await alice.page.getByRole('tab', { name: 'Kontakte' }).click();
  await alice.page.getByRole('button', { name: 'Neuer Kontakt' }).click();
  const editor = alice.page.getByRole('dialog', { name: 'Neuer Kontakt' });
  await expect(editor).toBeVisible();
  await editor.getByRole('button', { name: 'Speichern' }).click();
  await expect(editor.getByRole('alert')).toBeVisible();
  await expectGerman(alice.page, 'contact editor');
});

test("'system' follows the browser's language, and the setting overrides it", async ({ openSoftphone }) => {
  const alice = await openSoftphone({ locale: 'de-DE' });
  await expect(alice.page.getByRole('button', { name: 'Einstellungen' })).toBeVisible();
  await alice.core.handlers.updateSettings({ desktop: { language: 'en' } });
  await expect(alice.page.getByRole('button', { name: 'Settings' })).toBeVisible();
  // The user's own choice, in Settings: the dialog changes language while open.
  await alice.page.getByRole('button', { name: 'Settings' }).click();
  await alice.page.getByRole('combobox', { name: 'Language' }).selectOption('de');
  await expect(alice.page.getByRole('dialog', { name: 'Einstellungen' })).toBeVisible();
  await expect(alice.page.getByRole('combobox', { name: 'Sprache' })).toHaveValue('de');
  expect((await alice.core.handlers.getSnapshot()).settings.desktop.language).toBe('de');
});

test('a connection that fails is explained in German, with what to do', async ({ openSoftphone }) => {
  // Nothing listens on the server's port: the app keeps trying, and says why in German.
  const refused = await openSoftphone({ locale: 'de-DE', serverUrl: `ws://127.0.0.1:${await freePort()}` });
  await expect(refused.page.getByRole('status').filter({ hasText: /^Offline: Der Signalisierungsserver unter ws:\/\/127\.0\.0\.1:\d+ ist nicht erreichbar \(Verbindung abgelehnt\)\. Verbinde/ })).toBeVisible();
  await expectGerman(refused.page, 'offline, reconnecting');

  // Another program holds the built-in server's port: what to change, in German.
  const other = createServer((_request, response) => response.writeHead(404).end('not here'));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    const { page } = await openSoftphone({ locale: 'de-DE', serverUrl: null, embeddedPort: (other.address() as AddressInfo).port });
    const line = page.getByRole('banner');
    await expect(line.getByRole('status')).toContainText(/hat geantwortet, ist aber kein Signalisierungsserver|anderes Programm/);
    await expect(line).toContainText('Wählen Sie unter Einstellungen → Konto eine andere Serveradresse.');
    await expectGerman(page, 'connection failed');
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
});

test('field errors of the contact editor and the SIP account form are in German, with what was typed', async ({ openSoftphone }) => {
  const { page } = await openSoftphone({ locale: 'de-DE' });
  await page.getByLabel('Anzeigename').fill('Alice');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Online als Alice' })).toBeVisible();

  // A number that is no number: the message keeps it and says the rest in German.
  await page.getByRole('tab', { name: 'Kontakte' }).click();
  await page.getByRole('button', { name: 'Neuer Kontakt' }).click();
  const editor = page.getByRole('dialog', { name: 'Neuer Kontakt' });
  await editor.getByLabel('Name', { exact: true }).fill('Zed');
  await editor.getByLabel('Art von Adresse 1').selectOption('tel');
  await editor.getByLabel('Adresse 1', { exact: true }).fill('+999 123');
  await editor.getByRole('button', { name: 'Speichern' }).click();
  await expect(editor.getByText('+999 123 ist keine gültige internationale Nummer', { exact: false }).first()).toBeVisible();
  await expectGerman(page, 'contact editor, a wrong number');
  await editor.getByRole('button', { name: 'Abbrechen' }).click();

  // The SIP account form: an address that is none.
  await page.getByRole('button', { name: 'Einstellungen' }).click();
  const sip = page.getByRole('dialog', { name: 'Einstellungen' }).getByRole('region', { name: 'SIP-Konten' });
  await sip.getByRole('button', { name: 'SIP-Konto hinzufügen' }).click();
  const form = sip.getByRole('form', { name: 'SIP-Konto hinzufügen' });
  await form.getByLabel('SIP-Adresse').fill('nicht eine Adresse');
  await form.getByLabel('WebSocket-URL').fill('ws://127.0.0.1:5066/ws');
  await form.getByRole('button', { name: 'Speichern', exact: true }).click();
  await expect(form.getByText('Eine SIP-Adresse sieht aus wie sip:alice@pbx.example.org.')).toBeVisible();
  await expectGerman(page, 'SIP account form with a mistake');

  // Saved with a server nobody answers: its state says why, in German.
  const websocketUrl = `ws://127.0.0.1:${await freePort()}/ws`;
  await form.getByLabel('SIP-Adresse').fill('alice@pbx.example.org');
  await form.getByLabel('WebSocket-URL').fill(websocketUrl);
  await form.getByRole('button', { name: 'Speichern', exact: true }).click();
  await expect(sip.getByRole('group', { name: 'sip:alice@pbx.example.org' }).getByRole('status')).toHaveText(
    `Fehlgeschlagen: Der SIP-Server unter ${websocketUrl} ist nicht erreichbar (Verbindung abgelehnt)`,
  );
  await expectGerman(page, 'SIP account that failed to register');
});
