import { type EmbeddingsConfig } from '../config-types';
import { defineSecretProperty, providedSecret, type BuildContext } from './build-context';

/** The embeddings provider; a URL is required for the remote ones. */
export function buildEmbeddingsConfig(context: BuildContext): EmbeddingsConfig {
  const { settings, problems } = context;
  const provider = settings.read('EMBEDDINGS_PROVIDER');
  const url = settings.read('EMBEDDINGS_URL');
  if (provider !== 'none' && provider !== 'local' && url === undefined) {
    problems.add('EMBEDDINGS_URL', `is required when EMBEDDINGS_PROVIDER is ${provider}`);
  }
  const embeddings = {
    provider,
    model: settings.read('EMBEDDINGS_MODEL'),
    dimensions: settings.read('EMBEDDINGS_DIMENSIONS'),
    url,
  };
  return defineSecretProperty(
    embeddings,
    'apiKey',
    providedSecret(context, 'embeddings_api_key'),
  ) as EmbeddingsConfig;
}
