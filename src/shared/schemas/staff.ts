/**
 * What an admin sends to create a staff account. Pure (zod and src/shared only): the staff route
 * validates with it and the web's staff form checks the same before sending.
 */
import { z } from 'zod';
import { STAFF_ROLES } from '../domain.js';
import { emailText, MunicipalityCode, passwordText, requiredText } from './fields.js';

export const CreateStaff = z
  .object({
    email: emailText(),
    name: requiredText(100),
    role: z.enum(STAFF_ROLES),
    municipalityCode: MunicipalityCode.nullable().optional(),
    organizationId: z.uuid().nullable().optional(),
    password: passwordText(12),
  })
  .strict();
