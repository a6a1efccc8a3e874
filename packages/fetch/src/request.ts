import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { pinnedLookup, type ResolvedAddress } from './address.js';

/** Thrown when connecting and receiving the response headers took longer than the connect timeout. */
export class HeaderTimeout extends Error {
  override readonly name = 'HeaderTimeout';
}

/** Agents for one fetchUrl call: redirect hops to the same host reuse the connection, nothing outlives it. */
export interface Agents {
  http: http.Agent;
  https: https.Agent;
}

export function createAgents(): Agents {
  return {
    http: new http.Agent({ keepAlive: true, maxSockets: 2 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 2 }),
  };
}

export function destroyAgents(agents: Agents): void {
  agents.http.destroy();
  agents.https.destroy();
}

export interface HopInit {
  headers: Record<string, string>;
  /** Addresses already checked by the SSRF guard; the connection goes to one of these and nowhere else. */
  addresses: readonly ResolvedAddress[];
  /** Aborts the whole fetch (total timeout or the caller's signal); also tears down the body stream later. */
  signal: AbortSignal;
  connectTimeoutMs: number;
  agents: Agents;
}

/** Send one GET and resolve with the response once its headers arrived; the body is left unread. */
export function sendRequest(url: URL, init: HopInit): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headerTimer = new AbortController();
    const timer = setTimeout(() => headerTimer.abort(), init.connectTimeoutMs);
    const secure = url.protocol === 'https:';
    const req = (secure ? https : http).request(url, {
      method: 'GET',
      headers: init.headers,
      agent: secure ? init.agents.https : init.agents.http,
      lookup: pinnedLookup(init.addresses) as unknown as http.RequestOptions['lookup'],
      signal: AbortSignal.any([init.signal, headerTimer.signal]),
    });
    req.once('response', (res) => {
      clearTimeout(timer);
      resolve(res);
    });
    req.once('error', (err) => {
      clearTimeout(timer);
      reject(
        headerTimer.signal.aborted && !init.signal.aborted
          ? new HeaderTimeout('headers', { cause: err })
          : err,
      );
    });
    req.end();
  });
}
