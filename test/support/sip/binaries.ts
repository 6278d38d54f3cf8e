/**
 * Where the chain's programs and plug-ins are, and a skip reason for tests
 * when any is missing (`.ci/run` installs them: kamailio,
 * kamailio-websocket-modules, rtpengine-daemon, baresip-core).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** `command -v`, plus the sbin folders a non-root PATH may lack (kamailio lives in /usr/sbin). */
export function findBinary(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

/** Debian puts Kamailio's modules under the multiarch triplet: /usr/lib/x86_64-linux-gnu/kamailio/modules. */
export function kamailioModuleDir(): string | null {
  const candidates = ['/usr/lib/kamailio/modules', '/usr/local/lib/kamailio/modules'];
  try {
    for (const entry of readdirSync('/usr/lib')) candidates.push(`/usr/lib/${entry}/kamailio/modules`);
  } catch {
    // No /usr/lib: nothing found below.
  }
  return candidates.find((dir) => existsSync(path.join(dir, 'websocket.so'))) ?? null;
}

export const BARESIP_MODULE_DIR = '/usr/lib/baresip/modules';
/** What the chain's baresip loads (see baresip.ts for why each). */
export const BARESIP_MODULES = ['g711', 'ctrl_tcp', 'menu', 'ausine', 'aubridge'];

/** Why the SIP chain cannot run here, or null when everything is installed. */
export function sipChainMissing(): string | null {
  const missing: string[] = [];
  if (!findBinary('kamailio')) missing.push('kamailio (apt-get install kamailio)');
  else if (!kamailioModuleDir()) missing.push("Kamailio's websocket module (apt-get install kamailio-websocket-modules)");
  if (!findBinary('rtpengine')) missing.push('rtpengine (apt-get install rtpengine-daemon)');
  if (!findBinary('baresip')) missing.push('baresip (apt-get install baresip-core)');
  else {
    const absent = BARESIP_MODULES.filter((name) => !existsSync(path.join(BARESIP_MODULE_DIR, `${name}.so`)));
    if (absent.length > 0) missing.push(`baresip modules ${absent.join(', ')} in ${BARESIP_MODULE_DIR}`);
  }
  return missing.length === 0 ? null : `SIP chain not installed: ${missing.join('; ')}`;
}
