// Every test must leave OpenSSL's error queue empty: a call that returns with errors still queued
// would blame the next, unrelated call.
import { afterEach, expect } from 'vitest';
import { native } from '@ossl/native';

afterEach(() => {
  expect(native.errorQueueEmpty(), 'the OpenSSL error queue must be empty after each test').toBe(true);
});
