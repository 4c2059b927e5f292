/**
 * The request-field building blocks of every route. They live in src/shared/schemas/fields.ts, so
 * the web's forms check the same rules; the server keeps importing them from here.
 */
export * from '../shared/schemas/fields.js';
