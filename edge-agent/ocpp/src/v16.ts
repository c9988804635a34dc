/** OCPP 1.6J wire types (generated) and the version's action lists. */
export type * from './generated/v16.js';
export { ACTIONS_16 } from './generated/v16.js';
export { CHARGER_ACTIONS_16, type ChargerAction16, type Request16, type Response16 } from './actions.js';
