/** Freezes an object and everything reachable from it, hidden (non-enumerable) properties included. */
export function deepFreeze<T>(value: T): T {
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
    if (Object.isFrozen(value)) return value;
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && 'value' in descriptor) deepFreeze(descriptor.value as unknown);
    }
  }
  return value;
}
