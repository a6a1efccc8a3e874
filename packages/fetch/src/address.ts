import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { PermanentError, TransientError } from '@frameline/core';
import ipaddr from 'ipaddr.js';

/**
 * True when `ip` must not be fetched from: loopback, RFC 1918, link-local (including the cloud metadata
 * address 169.254.169.254), carrier-grade NAT, unspecified, multicast, broadcast, reserved/documentation
 * ranges, IPv6 unique-local and link-local, and IPv4 addresses wrapped in IPv6 (mapped, NAT64, 6to4) whose
 * IPv4 part is one of those. Anything that does not parse as an IP address counts as private (fail closed).
 */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (!ipaddr.isValid(bare)) return true;
  const addr = ipaddr.parse(bare);
  if (addr.kind() === 'ipv4') return addr.range() !== 'unicast';
  const v6 = addr as ipaddr.IPv6;
  const range = v6.range();
  switch (range) {
    case 'unicast':
      return false;
    case 'ipv4Mapped':
      return isPrivateAddress(v6.toIPv4Address().toString());
    // NAT64 (64:ff9b::/96) and 6to4 carry an IPv4 address that the gateway will reach for us.
    case 'rfc6052':
      return isPrivateAddress(embeddedIPv4(v6.toByteArray().slice(12)));
    case '6to4':
      return isPrivateAddress(embeddedIPv4(v6.toByteArray().slice(2, 6)));
    default:
      return true;
  }
}

function embeddedIPv4(bytes: number[]): string {
  return bytes.join('.');
}

/** One resolved address, as `dns.lookup` reports it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Hostname of a URL without IPv6 brackets, lower-cased. */
export function bareHostname(url: URL): string {
  const h = url.hostname.toLowerCase();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/**
 * Resolve a URL's host to every address and refuse the request if any of them is private, unless the host
 * itself or that address is in `allowHosts`. The caller must connect to exactly these addresses (see
 * `pinnedLookup`), so a DNS answer that changes between this check and the connect cannot slip through.
 */
export async function resolveChecked(
  url: URL,
  allowHosts: readonly string[],
  signal?: AbortSignal,
): Promise<ResolvedAddress[]> {
  const host = bareHostname(url);
  const allowed = new Set(allowHosts.map((h) => h.toLowerCase()));
  let addresses: ResolvedAddress[];
  const literal = isIP(host);
  if (literal !== 0) {
    addresses = [{ address: host, family: literal === 4 ? 4 : 6 }];
  } else {
    try {
      const found = await abortable(lookup(host, { all: true, verbatim: true }), signal);
      addresses = found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
    } catch (err) {
      if (signal?.aborted) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOTFOUND'
          ? 'the host name could not be resolved (no such host, or no network)'
          : `DNS lookup failed (${code})`;
      throw new TransientError('network', `cannot fetch ${url.href}: ${why}`, { cause: err });
    }
    if (addresses.length === 0) {
      throw new TransientError('network', `cannot fetch ${url.href}: DNS returned no address for ${host}`);
    }
  }
  if (allowed.has(host)) return addresses;
  const refused = addresses.filter((a) => isPrivateAddress(a.address) && !allowed.has(a.address));
  if (refused.length > 0) {
    const list = refused.map((a) => a.address).join(', ');
    throw new PermanentError(
      'blocked_address',
      `refused to fetch ${url.href}: ${host} resolves to a private or internal address (${list}); ` +
        "add it to FRAMELINE_ALLOW_HOSTS (every source) or to the source's allow_hosts if this is intended",
    );
  }
  return addresses;
}

/** dns.lookup cannot be cancelled; stop waiting for it when the fetch is aborted (the total timeout). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | ResolvedAddress[],
  family?: number,
) => void;

/**
 * A `lookup` function for `http.request`/`net.connect` that answers with addresses already checked by
 * `resolveChecked` instead of asking DNS again (the DNS-rebinding gap between check and connect).
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]) {
  return (_hostname: string, options: { all?: boolean; family?: number | string }, cb: LookupCallback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const usable = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
    const list = usable.length > 0 ? usable : addresses;
    if (options.all) {
      cb(
        null,
        list.map((a) => ({ ...a })),
      );
      return;
    }
    const first = list[0];
    if (!first) {
      const err: NodeJS.ErrnoException = new Error('no checked address to connect to');
      err.code = 'ENOTFOUND';
      cb(err, '');
      return;
    }
    cb(null, first.address, first.family);
  };
}
