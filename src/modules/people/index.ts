/**
 * The people module's public entry: what other modules may use. (Only the person intake goes
 * through here so far; other modules still import people files directly.)
 */
export {
  INTAKE_FILLABLE,
  normalizeIntake,
  resolveOrCreatePerson,
  type IntakeField,
  type PersonIntakeInput,
  type PersonIntakeResult,
} from './people.intake.js';
