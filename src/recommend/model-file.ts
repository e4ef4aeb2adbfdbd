import { readConfigJson } from '../core/config-file';
import { ConfigError } from '../core/errors';
import type { ModelArtifact, Recommender } from './recommender';
import { loadRecommender } from './models';

/**
 * A trained model from a file written by `attune train --out` (one model artifact as JSON), to
 * serve without training at start-up. Read synchronously: it runs once, while the app is
 * configured, like reading the catalog.
 *
 * ```ts
 * const attune = createAttune({ recommender: loadModelFile('models/als.json'), catalog });
 * ```
 * @throws ConfigError when the file cannot be read, is not JSON, or is not a model artifact
 * Attune can load (unknown kind or format, a damaged field); the message names the file.
 */
export function loadModelFile(path: string): Recommender {
  const artifact = readConfigJson(path, 'model file', 'write one with attune train --out');
  try {
    // loadRecommender checks the shape field by field; the cast only names what it expects.
    return loadRecommender(artifact as ModelArtifact);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`model file ${path}: ${err.message}`);
    throw err;
  }
}
