/**
 * `instanceof` breaks when a package is bundled twice (two copies of the class). Every error carries
 * the kinds of its whole class chain, so a guard can also recognise an error made by another copy.
 */
export const KINDS = Symbol.for("courier-ts.error.kinds");

interface Kinded {
  readonly [KINDS]?: readonly string[];
}

/** True when `value` is an error (of any copy of this package) whose class chain includes `kind`. */
export function hasKind(value: unknown, kind: string): boolean {
  return !!(value as Kinded | undefined)?.[KINDS]?.includes(kind);
}

/** Builds `isXError(value)` for an error class: `instanceof`, which also recognises other copies' errors. */
export function createErrorTypeGuard<T extends abstract new (...args: never[]) => unknown>(
  ErrorClass: T,
): (value: unknown) => value is InstanceType<T> {
  return (value: unknown): value is InstanceType<T> => value instanceof ErrorClass;
}
