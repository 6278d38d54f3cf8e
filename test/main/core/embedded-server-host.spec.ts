import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { EmbeddedServerHost } from '../../../main/core/embedded-server-host.ts';
import { SignalingClient } from '../../../common/signaling-client.ts';
import { freePort } from '../../support/free-port.ts';

const quiet = pino({ level: 'silent' });
const key = randomBytes(32);
const hostOn = (port: number, options: { demoIvr?: boolean } = {}) =>
  new EmbeddedServerHost({ port, log: quiet, key, keyFile: '/nonexistent/embedded-server.key', ...options });

async function userList(url: string, until: (users: string[]) => boolean): Promise<string[]> {
  const client = new SignalingClient({ url, name: 'Observer', log: quiet });
  try {
    return await new Promise<string[]>((resolve) => {
      client.on('userlist', (users) => until(users) && resolve(users));
      client.start();
    });
  } finally {
    await client.stop();
  }
}

test('the hosting instance runs the demo IVR, which shows in the user list and leaves on stop', async () => {
  const host = hostOn(await freePort());
  await host.ensure();
  expect(host.hosting).toBe(true);
  const ivr = await host.demoIvr();
  expect(ivr?.name).toBe('Demo IVR');
  expect(await userList(host.url, (users) => users.includes('Demo IVR'))).toContain('Demo IVR');
  await host.stop();
  expect(host.hosting).toBe(false);
});

test('a second instance on the same port joins and starts no IVR of its own', async () => {
  const port = await freePort();
  const first = hostOn(port);
  const second = hostOn(port);
  try {
    await first.ensure();
    await second.ensure();
    expect(second.hosting).toBe(false);
    expect(await second.demoIvr()).toBeNull();
    const users = await userList(first.url, (list) => list.includes('Demo IVR'));
    expect(users.filter((user) => user.startsWith('Demo IVR'))).toEqual(['Demo IVR']);
  } finally {
    await second.stop();
    await first.stop();
  }
});

test('the demo IVR can be turned off', async () => {
  const host = hostOn(await freePort(), { demoIvr: false });
  try {
    await host.ensure();
    expect(await host.demoIvr()).toBeNull();
    expect(await userList(host.url, (users) => users.includes('Observer'))).toEqual(['Observer']);
  } finally {
    await host.stop();
  }
});
