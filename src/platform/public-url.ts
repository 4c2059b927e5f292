/**
 * Where the links Kankei sends out point: sign-in and confirmation links in mails, ticket pages,
 * card QR codes. Only configuration decides it — `PUBLIC_URL`, or else the address Kankei itself
 * listens on — never a request header. A Host or X-Forwarded-Host header is chosen by whoever sends
 * the request: taken into a mailed sign-in link, it would send the supporter's one-time token to
 * the sender's host, and with it the supporter's self-service (view, export, delete).
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** The origin links are built on, without a trailing slash. */
export type PublicUrl = () => string;

/** `http://host:port` of a listening socket; wildcard addresses become `localhost`. */
export function listenOrigin(address: AddressInfo): string {
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * The configured `PUBLIC_URL`, or the app's own listening address once it listens. Resolved on
 * each call because the port may be chosen by the system (`PORT=0`) after the routes are built.
 */
export function publicUrlOf(app: FastifyInstance, configured: string | undefined): PublicUrl {
  if (configured) {
    const fixed = configured.replace(/\/+$/, '');
    return () => fixed;
  }
  return () => {
    const address = app.server.address();
    if (!address || typeof address === 'string') {
      throw new Error('PUBLIC_URL is not set and Kankei is not listening on a TCP port: no address to put in links');
    }
    return listenOrigin(address);
  };
}
