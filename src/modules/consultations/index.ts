/** The consultations module's public entry: what other modules and the app may use of it. */
export { seedDemoConsultations } from './consultations.demo.js';
export { consultationRoutes } from './consultations.routes.js';
export { MyConsultationData } from './consultations.schemas.js';
export { consultationSince, myConsultationData } from './consultations.service.js';
export { isMoveSql, type MoveCondition } from './consultations.moves.js';
export { followupRoutes } from './followups.routes.js';
export { seedFollowupRule } from './followups.service.js';
export { RUNG } from './pipeline.js';
export { referralRoutes } from './referrals.routes.js';
export { type ConsultingDay, consultingDay } from './consultations.today.js';
