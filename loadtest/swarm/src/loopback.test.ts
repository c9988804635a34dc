import { describe, expect, it } from 'vitest';
import { RemoteTargetRefusedError, SwarmErrorCode } from './errors.js';
import { assertLoopbackTargets, isLoopbackAddress, type Resolver } from './loopback.js';

// A fake resolver: the test never touches DNS or the network.
const table: Record<string, string[]> = {
  localhost: ['127.0.0.1', '::1'],
  'example.com': ['93.184.215.14'],
  'sneaky.test': ['127.0.0.1', '10.0.0.7'],
};
const resolver: Resolver = (host) => {
  const found = table[host];
  return found ? Promise.resolve(found) : Promise.reject(new Error('ENOTFOUND'));
};

describe('loopback guard', () => {
  it('classifies addresses', () => {
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('127.8.9.10')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('10.1.2.3')).toBe(false);
    expect(isLoopbackAddress('128.0.0.1')).toBe(false);
    expect(isLoopbackAddress('::2')).toBe(false);
  });

  it('accepts loopback targets', async () => {
    await expect(
      assertLoopbackTargets(
        ['ws://127.0.0.1:9000/ocpp', 'ws://[::1]:9000/ocpp', 'ws://localhost/ocpp'],
        false,
        resolver,
      ),
    ).resolves.toBeUndefined();
  });

  it.each([
    'ws://10.1.2.3/ocpp',
    'ws://example.com/ocpp',
    'ws://sneaky.test/ocpp',
    'ws://nowhere.invalid/ocpp',
  ])('refuses %s without allowRemote', async (url) => {
    const err = await assertLoopbackTargets([url], false, resolver).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteTargetRefusedError);
    expect((err as RemoteTargetRefusedError).code).toBe(SwarmErrorCode.RemoteTargetRefused);
  });

  it('lets remote targets through only when allowed explicitly', async () => {
    await expect(assertLoopbackTargets(['ws://10.1.2.3/ocpp'], true, resolver)).resolves.toBeUndefined();
  });
});
