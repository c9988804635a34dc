/**
 * The guard that keeps a load generator from hammering someone else's server by accident: a
 * target must resolve to loopback (127.0.0.0/8 or ::1) unless remote targets are allowed
 * explicitly.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { RemoteTargetRefusedError } from './errors.js';

export type Resolver = (hostname: string) => Promise<readonly string[]>;

const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

export function isLoopbackAddress(address: string): boolean {
  const v = isIP(address);
  if (v === 4) return address.startsWith('127.');
  if (v === 6) {
    const a = address.toLowerCase();
    if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
    return mapped?.[1] !== undefined && mapped[1].startsWith('127.');
  }
  return false;
}

/**
 * Resolves when every URL targets loopback (or `allowRemote` is set); rejects with
 * RemoteTargetRefusedError otherwise. Names are resolved first so `localhost` passes and a name
 * pointing elsewhere does not; resolution failures refuse too.
 */
export async function assertLoopbackTargets(
  urls: readonly string[],
  allowRemote: boolean,
  resolve: Resolver = systemResolver,
): Promise<void> {
  if (allowRemote) return;
  for (const url of new Set(urls)) {
    let hostname: string;
    try {
      hostname = new URL(url).hostname.replace(/^\[|\]$/g, '');
    } catch {
      throw new RemoteTargetRefusedError(url, 'it is not a valid URL');
    }
    if (isIP(hostname) !== 0) {
      if (!isLoopbackAddress(hostname))
        throw new RemoteTargetRefusedError(url, `${hostname} is not a loopback address`);
      continue;
    }
    let addresses: readonly string[];
    try {
      addresses = await resolve(hostname);
    } catch {
      throw new RemoteTargetRefusedError(url, `${hostname} does not resolve`);
    }
    const outside = addresses.filter((a) => !isLoopbackAddress(a));
    if (addresses.length === 0 || outside.length > 0) {
      throw new RemoteTargetRefusedError(
        url,
        `${hostname} resolves to ${outside.join(', ') || 'nothing'}, not loopback`,
      );
    }
  }
}
