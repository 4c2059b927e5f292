/**
 * Who may read the plan's figures and who may add plans (platform/policy.ts). For which
 * municipality the figures are computed is the scope's question (kpi.scope.ts).
 */
import { roleList } from '../../platform/policy.js';

/** The figures and their drill-down: staff who work with the records; partners see only their referrals. */
export const KPI_READERS = roleList('prefecture_admin', 'center_staff', 'municipality_staff');

/** The prefecture owns the plan and its evaluation. */
export const PLAN_EDITORS = roleList('prefecture_admin');

/** Who writes the yearly evaluation (commentary, the committee's opinions) and reads its report: the prefecture and the center. */
export const EVALUATION_WRITERS = roleList('prefecture_admin', 'center_staff');

/** The prefecture approves the evaluation and with it what is published. */
export const EVALUATION_APPROVERS = roleList('prefecture_admin');
