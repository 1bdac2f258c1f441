// Catching what the AFT! client throws, for tests that read the error the person is shown.
import { expect } from 'vitest';
import { AftError } from '../../app/core/aft/errors.ts';

/** The AftError the promise rejects with; the test fails if it resolves or throws anything else. */
export async function aftErrorFrom(promise: Promise<unknown>): Promise<AftError> {
  const caught = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(AftError);
  return caught as AftError;
}
