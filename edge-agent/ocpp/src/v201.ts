/** OCPP 2.0.1 wire types (generated) and the version's action lists. */
export type * from './generated/v201.js';
export { ACTIONS_201 } from './generated/v201.js';
export { CHARGER_ACTIONS_201, type ChargerAction201, type Request201, type Response201 } from './actions.js';
