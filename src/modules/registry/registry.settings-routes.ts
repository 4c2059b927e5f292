/** `/api/settings/registry` (staff read, prefecture admins change) and the public privacy notice. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { pickLocale } from '../../platform/i18n.js';
import { staffContext } from '../../platform/request-context.js';
import { ErrorResponse } from '../../platform/validation.js';
import { REGISTRY_SETTINGS_EDITORS, REGISTRY_SETTINGS_READERS } from './registry.policy.js';
import { PrivacyNotice, RegistrySettings, UpdateRegistrySettings } from './registry.schemas.js';
import { getRegistrySettings, updateRegistrySettings } from './registry.settings.js';

export async function registrySettingsRoutes(appBase: FastifyInstance, options: { db: Db }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const { db } = options;

  app.get(
    '/settings/registry',
    {
      config: { roles: REGISTRY_SETTINGS_READERS },
      schema: {
        tags: ['settings'],
        summary: "The prefecture's registration settings: the cap on municipalities per person and the privacy notice",
        response: { 200: RegistrySettings },
      },
    },
    async () => getRegistrySettings(db),
  );

  app.put(
    '/settings/registry',
    {
      config: { roles: REGISTRY_SETTINGS_EDITORS },
      schema: {
        tags: ['settings'],
        summary: 'Change the registration settings (prefecture admins; audited with the fields changed)',
        body: UpdateRegistrySettings,
        response: { 200: RegistrySettings, 400: ErrorResponse },
      },
    },
    async (request) => updateRegistrySettings(db, staffContext(request), request.body),
  );

  app.get(
    '/public/privacy-notice',
    {
      config: { public: true },
      schema: {
        tags: ['public registry'],
        summary: 'The privacy notice every public form links to, in the asked language (?lang= or Accept-Language)',
        querystring: z.object({ lang: z.enum(['ja', 'en']).optional() }).strict(),
        response: { 200: PrivacyNotice },
      },
    },
    async (request) => {
      const locale = request.query.lang ?? pickLocale(request.headers['accept-language']);
      const settings = await getRegistrySettings(db);
      return {
        locale,
        text: locale === 'en' ? settings.privacyNoticeEn : settings.privacyNoticeJa,
        registrationCap: settings.registrationCap,
      };
    },
  );
}
