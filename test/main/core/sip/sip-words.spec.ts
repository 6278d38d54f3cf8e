/** What a SIP response means for a call, in the user's language: the cause the call view shows, and words where a cause is not enough. */
import { expect, test } from '@playwright/test';
import { english, translatorFor } from '../../../../common/i18n/index.ts';
import { callEndOfResponse, declineStatus } from '../../../../main/core/sip/sip-words.ts';

test('busy, declined, offline, no answer and cancelled are causes; the rest say what happened', () => {
  expect(callEndOfResponse(486, 'Busy Here')).toEqual({ cause: 'busy' });
  expect(callEndOfResponse(603, 'Decline')).toEqual({ cause: 'declined' });
  expect(callEndOfResponse(480, 'Temporarily Unavailable')).toEqual({ cause: 'offline' });
  expect(callEndOfResponse(408, 'Request Timeout')).toEqual({ cause: 'no-answer' });
  expect(callEndOfResponse(487, 'Request Terminated')).toEqual({ cause: 'cancelled' });
  expect(callEndOfResponse(404, 'Not Found', english)).toEqual({ cause: 'offline', message: 'Nobody is reachable at that address (404 Not Found)' });
  expect(callEndOfResponse(488, 'Not Acceptable Here', english)).toEqual({ cause: 'failed', message: "The other side cannot take this call's media (488 Not Acceptable Here)" });
  expect(callEndOfResponse(500, 'Server Internal Error', english)).toEqual({ cause: 'failed', message: 'The call failed: 500 Server Internal Error' });
});

test('in German, with the status line kept as the server sent it', () => {
  const german = translatorFor('de');
  expect(callEndOfResponse(404, 'Not Found', german).message).toBe('Unter dieser Adresse ist niemand erreichbar (404 Not Found)');
  expect(callEndOfResponse(484, 'Address Incomplete', german).message).toBe('Die Nummer ist unvollständig (484 Address Incomplete)');
  expect(callEndOfResponse(488, 'Not Acceptable Here', german).message).toBe('Die Gegenseite kann die Medien dieses Anrufs nicht annehmen (488 Not Acceptable Here)');
  expect(callEndOfResponse(500, 'Server Internal Error', german).message).toBe('Der Anruf ist fehlgeschlagen: 500 Server Internal Error');
});

test('declining answers busy, declined, or unavailable', () => {
  expect([declineStatus('busy'), declineStatus('declined'), declineStatus('no-answer')]).toEqual([486, 603, 480]);
});
