/**
 * The embeddings endpoint under an OpenAI-style base URL (`http://host:port/v1` →
 * `http://host:port/v1/embeddings`). A URL already ending in `/embeddings` is kept.
 */
export function embeddingsEndpoint(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError('The embeddings URL is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`The embeddings URL must use http or https, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new TypeError('The embeddings URL must not contain credentials; configure the API key instead');
  }
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith('/embeddings') ? path : `${path}/embeddings`;
  return url;
}

/** The endpoint as shown in messages and logs: origin and path, never the query. */
export function describeEndpoint(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
