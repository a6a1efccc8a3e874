import { PermanentError } from '@frameline/core';
import { type FetchFixture, startFetchFixture } from '@frameline/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress } from './address.js';
import { type FetchOptions, fetchUrl } from './fetch-url.js';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '169.254.0.1',
    '100.64.0.1',
    '0.0.0.0',
    '0.1.2.3',
    '255.255.255.255',
    '224.0.0.1',
    '192.0.2.10',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:7f00:1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::',
    '[::1]',
    'not-an-ip',
    'fe80::1%eth0',
  ])('%s is private', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '151.101.1.69',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('%s is public', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
});

describe('fetchUrl: SSRF guard', () => {
  let server: FetchFixture;
  const opts = (allowHosts: string[]): FetchOptions => ({
    userAgent: 'frameline/0.1 (+test)',
    timeoutMs: 5_000,
    connectTimeoutMs: 2_000,
    maxBodyBytes: 1024 * 1024,
    allowHosts,
  });
  beforeAll(async () => {
    server = await startFetchFixture();
  });
  afterAll(async () => {
    await server.close();
  });

  async function refused(url: string, allowHosts: string[]): Promise<PermanentError> {
    const before = server.requests.length;
    try {
      await fetchUrl(url, null, opts(allowHosts));
    } catch (err) {
      expect(err).toBeInstanceOf(PermanentError);
      expect((err as PermanentError).code).toBe('blocked_address');
      expect(server.requests.length).toBe(before); // never reached the server
      return err as PermanentError;
    }
    throw new Error(`expected ${url} to be refused`);
  }

  it('refuses 127.0.0.1 unless allowed', async () => {
    const err = await refused(`${server.origin}/feed`, []);
    expect(err.message).toContain(`${server.origin}/feed`);
    expect(err.message).toContain('private or internal address (127.0.0.1)');
    const ok = await fetchUrl(`${server.origin}/feed`, null, opts(['127.0.0.1']));
    expect(ok.status).toBe(200);
  });

  it('checks the addresses a host name resolves to (localhost)', async () => {
    const url = `${server.origin.replace('127.0.0.1', 'localhost')}/feed`;
    const err = await refused(url, []);
    expect(err.message).toContain('localhost resolves to a private or internal address');
    // Allowing the host name exempts it whatever it resolves to.
    const ok = await fetchUrl(url, null, opts(['localhost']));
    expect(ok.status).toBe(200);
  });

  it('refuses numeric tricks that the URL parser turns into loopback', async () => {
    const port = new URL(server.origin).port;
    await refused(`http://2130706433:${port}/feed`, []);
    await refused(`http://0x7f.1:${port}/feed`, []);
    await refused(`http://[::ffff:127.0.0.1]:${port}/feed`, []);
  });

  it('refuses a redirect from an allowed host to the cloud metadata address', async () => {
    try {
      await fetchUrl(`${server.origin}/to-metadata`, null, opts(['127.0.0.1']));
    } catch (err) {
      expect((err as PermanentError).code).toBe('blocked_address');
      expect((err as Error).message).toContain('http://169.254.169.254/latest/meta-data/');
      return;
    }
    throw new Error('expected the redirect to be refused');
  });
});
