import { readConfigJson } from '../core/config-file';
import { ConfigError, ValidationError } from '../core/errors';
import { parsePropensityArtifact } from './artifact';
import { PropensityModel } from './model';

/**
 * A propensity model from a file written by `attune predict train --out`, validated field by
 * field. Read synchronously: it runs once, while the app is configured.
 *
 * ```ts
 * const attune = createAttune({ catalog, predict: { model: loadPropensityFile('propensity.json') } });
 * ```
 * @throws ConfigError when the file cannot be read, is not JSON, or is not a propensity model
 * this version of Attune reads; the message names the file and the field.
 */
export function loadPropensityFile(path: string): PropensityModel {
  const json = readConfigJson(path, 'propensity model file', 'write one with attune predict train --out');
  try {
    return new PropensityModel(parsePropensityArtifact(json));
  } catch (err) {
    if (err instanceof ValidationError) throw new ConfigError(`propensity model file ${path}: ${err.message}`);
    throw err;
  }
}
