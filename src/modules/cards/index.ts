/** The cards module's public entry: what other modules and the app may use of it. */
export { cardPublicRoutes, cardRoutes } from './cards.routes.js';
export { CurrentCardView } from './cards.schemas.js';
export {
  DEFAULT_ISSUER,
  getCurrentCardView,
  issueCardOnSignUp,
  recordErasedCards,
  reissueCardIfStale,
} from './cards.service.js';
