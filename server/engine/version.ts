/**
 * The engine's version, returned with every analysis (engine.md §9). Bump the minor version when an
 * output field is added and the major version when a published number can change for the same inputs.
 *
 * @example ENGINE_VERSION // '2.0.0' (2.0: automatic exponential smoothing baseline, interval floor, rounded outputs)
 */
export const ENGINE_VERSION = '2.0.0';
