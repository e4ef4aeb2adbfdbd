/**
 * `attune/rasa`: Attune as a Rasa action server.
 *
 * ```ts
 * import { rasaActionServer, rasaAuthFromEnv, slotSet } from 'attune/rasa';
 * app.use('/rasa', rasaActionServer(attune, { auth: rasaAuthFromEnv(process.env), actions: { action_size: (ctx) => [slotSet('size', 42)] } }));
 * // endpoints.yml: action_endpoint: { url: "http://localhost:3978/rasa/webhook", token: "<ATTUNE_RASA_TOKEN>" }
 * ```
 */
export { rasaActionServer, rasaRoute } from './router';
export type { RasaActionServerOptions } from './router';
export { rasaAuthFromEnv } from './auth';
export type { RasaAuth } from './auth';
export { ActionRejection, ATTUNE_SLOTS, BUILT_IN_ACTIONS, builtInActions } from './actions';
export type { BuiltInOptions, RasaAction, RasaActionContext, RasaUtterance } from './actions';
export { RasaActionCallSchema, RasaEventSchema, RasaTrackerSchema, slotSet } from './schema';
export type { RasaActionCall, RasaActionResult, RasaButton, RasaEvent, RasaResponse, RasaResultEvent, RasaTracker } from './schema';
export { defaultButton, SENT_MARK } from './translate';
export type { ButtonFor } from './translate';
