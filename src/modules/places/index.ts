/** The places module's public entry: what other modules and the app may use of it. */
export { placesRoutes } from './places.routes.js';
export { loadYamagataMunicipalities, seedYamagataPlaces } from './places.service.js';
