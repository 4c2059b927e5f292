import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../platform/db/client.js';
import { staffContext } from '../../platform/request-context.js';
import { AppError } from '../../platform/errors.js';
import { pickLocale } from '../../platform/i18n.js';
import { ErrorResponse, IdParams } from '../../platform/validation.js';
import {
  CertificationList,
  CertificationsQuery,
  DonationImportBody,
  ImportList,
  ImportListQuery,
  ImportPreview,
  ImportQuery,
  ImportReport,
  type SpooledUpload,
} from './donations.schemas.js';
import {
  getDonationImport,
  listCertifications,
  listDonationImports,
  startDonationImport,
} from './donations.service.js';
import { prepareUploadDir, removeFile, spoolUpload } from './donations.upload.js';
import { DONOR_IMPORTERS } from './donations.policy.js';

/** Largest donor file accepted (a few million rows). */
export const DONOR_FILE_LIMIT_BYTES = 200 * 1024 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    /** Files spooled from this request's upload; removed when the request ends, however it ends. */
    spooledUploads: string[] | null;
    /** The import is running on the spooled files: it removes them when it ends. */
    importingUploads: boolean;
  }
}

const personalData = { personalData: true } as const;
const locale = (request: FastifyRequest) => pickLocale(request.headers['accept-language']);

async function removeSpooledUploads(request: FastifyRequest) {
  const files = request.spooledUploads;
  request.spooledUploads = null;
  for (const file of files ?? []) await removeFile(file);
}

/**
 * Reads the multipart body into `request.body` for schema validation: fields as strings, the file
 * spooled to disk (as a SpooledUpload); a field sent twice becomes a list (and fails validation).
 * A body that is not well-formed multipart is a 400, not a server error; limits answer 413.
 */
async function readUpload(request: FastifyRequest, uploadDir: string) {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { messageKey: 'MULTIPART_REQUIRED' });
  const body: Record<string, unknown> = {};
  const put = (name: string, value: unknown) => {
    body[name] = name in body ? [body[name], value].flat() : value;
  };
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const spooled = await spoolUpload(part.file, uploadDir);
        request.spooledUploads ??= [];
        request.spooledUploads.push(spooled.path);
        put(part.fieldname, {
          kind: 'kankei-upload',
          fileName: part.filename ?? '',
          ...spooled,
        } satisfies SpooledUpload);
      } else {
        put(part.fieldname, typeof part.value === 'string' ? part.value : String(part.value));
      }
    }
  } catch (err) {
    await removeSpooledUploads(request);
    const status = (err as { statusCode?: number }).statusCode;
    if (err instanceof AppError || (status && status >= 400 && status < 500)) throw err;
    throw new AppError('BAD_REQUEST', { messageKey: 'MULTIPART_MALFORMED' });
  }
  request.body = body;
}

export type DonationRouteOptions = {
  db: Db;
  /** Kankei's own folder for uploaded files (KANKEI_DATA_DIR/uploads); leftovers are swept at start. */
  uploadDir: string;
};

export async function donationRoutes(appBase: FastifyInstance, { db, uploadDir }: DonationRouteOptions) {
  // Multipart only here, and files go to disk as they arrive (never buffered in memory).
  await appBase.register(fastifyMultipart, {
    limits: { fileSize: DONOR_FILE_LIMIT_BYTES, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 20 },
  });
  appBase.addHook('onReady', async () => {
    const swept = await prepareUploadDir(uploadDir);
    if (swept) appBase.log.warn({ swept, uploadDir }, 'removed upload files left by an earlier process');
  });
  appBase.decorateRequest('spooledUploads', null);
  appBase.decorateRequest('importingUploads', false);
  // Every way a request ends removes its files, before any answer leaves (onSend): a refusal
  // before the import, the upload failing or cut off (readUpload), the import ending in any way
  // (the handler), the client gone before the import started (onRequestAbort). While the import
  // runs it owns the files: a client leaving then must not pull the file from under it.
  appBase.addHook('onSend', async (request) => {
    await removeSpooledUploads(request);
  });
  appBase.addHook('onRequestAbort', async (request) => {
    if (!request.importingUploads) await removeSpooledUploads(request);
  });

  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/imports/donations',
    {
      config: { ...personalData, roles: DONOR_IMPORTERS },
      preValidation: (request) => readUpload(request, uploadDir),
      schema: {
        tags: ['donations'],
        summary: 'Import a ふるさと納税 donor CSV (multipart: file, municipalityCode, mapping?, dryRun?)',
        description:
          'Rows become people (deduplicated by email or phone with existing people and within the file) and donation records; ' +
          'idempotent (re-importing the same file adds nothing; a fixed file adds only the rows refused before). ' +
          'dryRun=true previews without writing. Donors with donations in consecutive years per the prefecture rule are certified.',
        consumes: ['multipart/form-data'],
        body: DonationImportBody,
        response: {
          200: ImportPreview,
          201: ImportReport,
          400: ErrorResponse,
          404: ErrorResponse,
          413: ErrorResponse,
          415: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const { file, municipalityCode, mapping, dryRun } = request.body;
      request.importingUploads = true;
      // The file is gone before the answer leaves, whether the import succeeded or not.
      const result = await startDonationImport(
        db,
        staffContext(request),
        { file: file as SpooledUpload, municipalityCode, mapping, dryRun },
        locale(request),
      ).finally(() => removeSpooledUploads(request));
      return reply.status(result.status).send(result.body);
    },
  );

  app.get(
    '/imports',
    {
      config: { roles: DONOR_IMPORTERS },
      schema: {
        tags: ['donations'],
        summary: 'Donor imports of your municipalities, newest first',
        querystring: ImportListQuery,
        response: { 200: ImportList, 400: ErrorResponse },
      },
    },
    (request) => listDonationImports(db, staffContext(request), request.query),
  );

  app.get(
    '/imports/:id',
    {
      config: { ...personalData, roles: DONOR_IMPORTERS },
      schema: {
        tags: ['donations'],
        summary: 'A donor import with its totals and a page of its row report (?outcome=refused)',
        params: IdParams,
        querystring: ImportQuery,
        response: { 200: ImportReport, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    (request) => getDonationImport(db, staffContext(request), request.params.id, request.query, locale(request)),
  );

  app.get(
    '/certifications',
    {
      config: personalData,
      schema: {
        tags: ['donations'],
        summary: 'Certified people within your scope (山形 心のふるさと県民: donations in 3 consecutive years)',
        querystring: CertificationsQuery,
        response: { 200: CertificationList, 400: ErrorResponse },
      },
    },
    (request) => listCertifications(db, staffContext(request), request.query),
  );
}
