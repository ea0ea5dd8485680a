/** The guide's container test categories (its test_containers.py), plus graceful shutdown. */
export const CATEGORIES = [
  '1. Docker environment',
  '2. Image building',
  '3. Container security',
  '4. Startup',
  '5. Configuration integration',
  '6. Size analysis',
  '7. Health endpoints',
  '8. Volume mounts',
  '9. Graceful shutdown',
] as const;
export type Category = (typeof CATEGORIES)[number];
