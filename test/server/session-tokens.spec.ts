/** Session tokens: standard HS256 JWTs that only this server's secret makes, checked by jose. */
import { test, expect } from '@playwright/test';
import { decodeJwt } from 'jose';
import { SessionTokens } from '../../server/session-tokens.ts';

const claims = { name: 'Bob', session: 'session-1', since: 1_700_000_000_000 };

test('a token issued is verified with its claims, and reads as a standard JWT', async () => {
  const tokens = new SessionTokens(Buffer.alloc(32, 1));
  const token = tokens.issue(claims);
  expect(await tokens.verify(token)).toEqual(claims);
  expect(decodeJwt(token)).toMatchObject({ sub: 'Bob', sid: 'session-1', iss: 'softphone-signaling' });
});

test('a changed payload, another secret or an expired token is refused', async () => {
  const tokens = new SessionTokens(Buffer.alloc(32, 1));
  const [header, , signature] = tokens.issue(claims).split('.');
  const forged = Buffer.from(JSON.stringify({ sub: 'Alice', sid: 'session-1', since: 1, iss: 'softphone-signaling', exp: 9_999_999_999 })).toString('base64url');
  expect(await tokens.verify(`${header}.${forged}.${signature}`)).toBeNull();
  expect(await new SessionTokens(Buffer.alloc(32, 2)).verify(tokens.issue(claims))).toBeNull();
  expect(await new SessionTokens(Buffer.alloc(32, 1), -60).verify(new SessionTokens(Buffer.alloc(32, 1), -60).issue(claims))).toBeNull();
  expect(await tokens.verify('not a token')).toBeNull();
});
