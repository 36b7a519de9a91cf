/**
 * The engine's version, returned with every analysis (engine.md §9). Bump the minor version when an
 * output field is added and the major version when a published number can change for the same inputs.
 *
 * @example ENGINE_VERSION // '3.0.0' (3.0: multiplicative exponential smoothing models in `auto`, class-2/3 intervals)
 */
export const ENGINE_VERSION = '3.0.0';
