import { type SecurityConfig } from '../config-types';
import {
  defineSecretProperty,
  developmentFallback,
  providedSecret,
  type BuildContext,
} from './build-context';

/** Token settings and secrets; the refresh token must outlive the access token. */
export function buildSecurityConfig(context: BuildContext): SecurityConfig {
  const { settings, problems } = context;
  const accessTokenTtlSeconds = settings.read('ACCESS_TOKEN_TTL');
  const refreshTokenTtlSeconds = settings.read('REFRESH_TOKEN_TTL');
  if (refreshTokenTtlSeconds <= accessTokenTtlSeconds) {
    problems.add(
      'REFRESH_TOKEN_TTL',
      `must be longer than ACCESS_TOKEN_TTL (${refreshTokenTtlSeconds} s is not more than ${accessTokenTtlSeconds} s)`,
    );
  }
  const security = {
    jwtIssuer: settings.read('JWT_ISSUER'),
    accessTokenTtlSeconds,
    refreshTokenTtlSeconds,
    rateLimit: {
      windowSeconds: settings.read('RATE_LIMIT_WINDOW_SECONDS'),
      maxRequests: settings.read('RATE_LIMIT_MAX_REQUESTS'),
    },
    apiKeyCacheTtlSeconds: settings.read('API_KEY_CACHE_TTL'),
  };
  const jwtSecret =
    providedSecret(context, 'jwt_secret') ?? developmentFallback(context.env, 'jwt_secret') ?? '';
  const apiKeyPepper =
    providedSecret(context, 'api_key_pepper') ?? developmentFallback(context.env, 'api_key_pepper');
  defineSecretProperty(security, 'jwtSecret', jwtSecret);
  defineSecretProperty(security, 'apiKeyPepper', apiKeyPepper);
  return security as SecurityConfig;
}
