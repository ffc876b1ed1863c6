/**
 * The leisure-parks back office simulator: a deterministic operator's booking system (parks,
 * activities, customers, bookings, payments, cancellations) with a simulated clock, served as a
 * REST API with API-key and OAuth2 auth and injectable faults. See examples/leisure-parks/SIMULATOR.md.
 */
export { createSimulator, simulatorOptionsSchema } from './simulator.ts';
export type { AdvanceResult, ListResult, Simulator, SimulatorOptions } from './simulator.ts';
export { buildSimulatorApp, startSimulatorServer } from './server.ts';
export type { SimulatorServer, SimulatorServerOptions } from './server.ts';
export { Authenticator, DEFAULT_CREDENTIALS } from './auth.ts';
export type { Credentials } from './auth.ts';
export { NO_FAULTS, UNKNOWN_PARK_ID, faultPatchSchema, faultSettingsSchema } from './faults.ts';
export type { FaultPatch, FaultSettings } from './faults.ts';
export { DEFAULT_LIMIT, MAX_LIMIT } from './page.ts';
export type { ListQuery } from './page.ts';
export { SimulatorError, SimulatorErrorCodes } from './errors.ts';
export type { SimulatorErrorCode } from './errors.ts';
export { ACTIVITY_KINDS, ENTITY_NAMES } from './records.ts';
export type {
  Activity,
  ActivityKind,
  BaseRecord,
  Booking,
  BookingStatus,
  Cancellation,
  CancellationReason,
  Customer,
  EntityName,
  EntityRecords,
  Park,
  Payment,
  PaymentMethod,
} from './records.ts';
export { PARK_SITES } from './catalog.ts';
export { CATCHMENTS, VISITOR_ORIGINS } from './geography.ts';
export type { Commune } from './geography.ts';
