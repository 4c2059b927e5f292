/** The KPI module's public entry: what other modules and the app may use of it. */
export { kpiRoutes } from './kpi.routes.js';
export { seedKpiPlans } from './kpi.plans.js';
export { seedDemoKpi } from './kpi.demo.js';
