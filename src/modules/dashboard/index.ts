/** The dashboard module's public entry: the day's figures, each from the module that owns them. */
export { dashboardRoutes } from './dashboard.routes.js';
