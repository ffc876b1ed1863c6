/** Error codes of the simulator; a closed set, each with the HTTP status the API answers with. */
export const SimulatorErrorCodes = {
  /** Options given to createSimulator or startSimulatorServer are invalid; the message names the option. */
  SIM_INVALID_OPTIONS: { status: 500 },
  /** A query parameter (limit, cursor, updated_since) or request body is invalid. */
  SIM_INVALID_REQUEST: { status: 400 },
  /** The requested park or route does not exist. */
  SIM_NOT_FOUND: { status: 404 },
  /** The clock was asked to move backwards or by something that is not a number of days. */
  SIM_CLOCK: { status: 400 },
} as const;

export type SimulatorErrorCode = keyof typeof SimulatorErrorCodes;

/** The one error type of the simulator. The message always says what was wrong and where. */
export class SimulatorError extends Error {
  override readonly name = 'SimulatorError';
  readonly code: SimulatorErrorCode;

  constructor(code: SimulatorErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  get status(): number {
    return SimulatorErrorCodes[this.code].status;
  }
}
