/** The events module's public entry: what other modules and the app may use of it. */
export { seedDemoEvents } from './events.demo.js';
export { defineEventJobs } from './events.mailing.js';
export { eventRoutes } from './events.routes.js';
export { MyEventData, myEventData } from './events.self.js';
export { eventBooths, eventHeadcounts, events } from './events.tables.js';
export { listEvents } from './events.service.js';
