/**
 * The server's messages in Japanese and English. They live in src/shared/messages.ts, so the web's
 * forms word field problems as the server does; the server keeps importing them from here.
 */
export * from '../shared/messages.js';
