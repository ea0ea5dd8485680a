/** The value of an environment variable, or undefined when it is unset or blank (compose passes `FOO=`). */
export function environmentValue(
  environment: Record<string, string | undefined>,
  name: string,
): string | undefined {
  const value = environment[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}
