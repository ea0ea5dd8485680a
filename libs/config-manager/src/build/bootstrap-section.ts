import { type BootstrapConfig } from '../config-types';
import { defineSecretProperty, providedSecret, type BuildContext } from './build-context';

/** What `npm run bootstrap` needs; every field is optional until that command checks it. */
export function buildBootstrapConfig(context: BuildContext): BootstrapConfig {
  const { settings } = context;
  const bootstrap = {
    tenantSlug: settings.read('XORB_BOOTSTRAP_TENANT'),
    tenantName: settings.read('XORB_BOOTSTRAP_TENANT_NAME'),
    adminEmail: settings.read('XORB_BOOTSTRAP_ADMIN_EMAIL'),
  };
  defineSecretProperty(bootstrap, 'adminPassword', providedSecret(context, 'bootstrap_admin_password'));
  return bootstrap as BootstrapConfig;
}
