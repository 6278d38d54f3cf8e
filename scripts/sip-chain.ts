/**
 * The SIP test chain, by hand: Kamailio (registrar and proxy, SIP over
 * WebSocket), rtpengine and a baresip that answers every call and plays a
 * tone, on 127.0.0.1, until Ctrl+C. Prints what to enter in Settings → SIP
 * accounts.
 *
 *   npm run sip-chain
 */
import { sipChainMissing, startSipChain } from '../test/support/sip/sip-chain.ts';

const missing = sipChainMissing();
if (missing) {
  console.error(missing);
  process.exit(1);
}
const chain = await startSipChain({
  users: [
    { user: 'alice', password: 'alice-secret' },
    { user: 'bob', password: 'bob-secret', baresip: { answerMode: 'auto' } },
  ],
});
console.log(`SIP test chain running (logs in ${chain.dir}).

In the softphone, Settings → SIP accounts → Add:
  SIP address    sip:alice@${chain.domain}
  Password       alice-secret
  WebSocket URL  ${chain.wsUrl}

Then choose it under "Call with" and dial "bob": baresip answers, plays a
440 Hz tone and logs the keys it receives. Ctrl+C stops everything.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await chain.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
