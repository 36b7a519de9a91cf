/**
 * The engine's version, returned with every analysis (engine.md §9). Bump the minor version when an
 * output field is added and the major version when a published number can change for the same inputs.
 *
 * @example ENGINE_VERSION // '3.1.0' (3.1: a break in series, OBS_STATUS B, starts the baseline history; `fittedOn.breakAt`)
 */
export const ENGINE_VERSION = '3.1.0';
