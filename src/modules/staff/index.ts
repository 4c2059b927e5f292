/** The staff module's public entry: what other modules and the app may use of it. */
export { staffRoutes } from './staff.routes.js';
export { createStaff } from './staff.service.js';
