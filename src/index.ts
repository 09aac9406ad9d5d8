/** drover as a library: the typed Nomad client today; plan, apply and the model types as they land. */
export * from './nomad/index.js';
export { DroverError, UserError, InternalError, CancelledError, isDroverError } from './errors.js';
export { resolveNomadSettings, type NomadSettings, type NomadFlagValues } from './config/nomad-settings.js';
export { createLogger, type Logger, type LogLevel } from './util/logger.js';
