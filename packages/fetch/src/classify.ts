import { PermanentError, TransientError, toError } from '@frameline/core';
import { parseRetryAfter } from './backoff.js';

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'the server refused the connection (nothing listening on that port)',
  ECONNRESET: 'the server closed the connection unexpectedly',
  EPIPE: 'the server closed the connection unexpectedly',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable from here',
  ENETUNREACH: 'the network is unreachable from here (no route to the internet?)',
  ENOTFOUND: 'the host name could not be resolved (no such host, or no network)',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  ERR_STREAM_PREMATURE_CLOSE: 'the connection closed before the whole body arrived',
  HPE_INVALID_CONSTANT: 'the server sent a malformed HTTP response',
  HPE_HEADER_OVERFLOW: 'the server sent oversized HTTP headers',
};

/** Turn a connection-level failure into a TransientError('network') that says what went wrong. */
export function networkError(url: string, thrown: unknown): TransientError {
  const err = toError(thrown);
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const tls = code.startsWith('ERR_TLS') || /CERT|SSL|certificate/i.test(code + err.message);
  const words =
    NETWORK_WORDS[code] ??
    (tls ? `the TLS/certificate check failed (${err.message})` : `the connection failed (${err.message})`);
  return new TransientError('network', `cannot fetch ${url}: ${words}`, { cause: err });
}

/** The error for a final response status that is neither success, 304 nor a followed redirect. */
export function statusError(url: string, status: number, retryAfter: string | undefined): Error {
  const code = `http_${status}`;
  switch (status) {
    case 404:
      return new PermanentError(code, `${url}: not found (HTTP 404); check the address or remove the source`);
    case 410:
      return new PermanentError(
        code,
        `${url}: gone (HTTP 410); the site removed it for good, remove the source`,
      );
    case 401:
      return new PermanentError(code, `${url}: the server requires a login (HTTP 401)`);
    case 403:
      return new PermanentError(
        code,
        `${url}: access forbidden (HTTP 403); the site refuses crawlers or this address`,
      );
    case 408:
      return new TransientError(code, `${url}: the server timed out waiting for the request (HTTP 408)`);
    case 429: {
      const ms = parseRetryAfter(retryAfter);
      const wait = ms === null ? '' : `; it asks us to wait ${Math.ceil(ms / 1000)} s`;
      return new TransientError(code, `${url}: too many requests (HTTP 429)${wait}`, { retryAfterMs: ms });
    }
  }
  if (status >= 500 && status <= 599) {
    const ms = parseRetryAfter(retryAfter);
    const wait = ms === null ? '' : `; it asks us to wait ${Math.ceil(ms / 1000)} s`;
    return new TransientError(code, `${url}: server error (HTTP ${status}), will retry later${wait}`, {
      retryAfterMs: ms,
    });
  }
  if (status >= 300 && status <= 399) {
    return new PermanentError(code, `${url}: the server answered HTTP ${status} without a usable Location`);
  }
  if (status >= 400 && status <= 499) {
    return new PermanentError(code, `${url}: the server rejected the request (HTTP ${status})`);
  }
  return new PermanentError(code, `${url}: unexpected HTTP status ${status}`);
}
