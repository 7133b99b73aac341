// Error texts name the remedy; the inline form keeps them on one line for events and log lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatError, formatErrorInline, InputError, PermissionError } from '../../src/core/errors.js';

test('an input error formats with its hint on a second line, or inline for events', () => {
  const err = new InputError('--window "25:00-1am": hour out of range', 'use e.g. 3am-5am');
  assert.equal(formatError(err), '--window "25:00-1am": hour out of range\n  hint: use e.g. 3am-5am');
  assert.equal(formatErrorInline(err), '--window "25:00-1am": hour out of range (hint: use e.g. 3am-5am)');
  assert.equal(err.exitCode, 2);
});

test('a permission error names the verb, the resource and the rbac command', () => {
  const err = new PermissionError('create', 'pods/eviction', 'User "ci" cannot create');
  assert.match(err.message, /cannot create pods\/eviction/);
  assert.match(formatErrorInline(err), /reboot-daemon rbac/);
  assert.doesNotMatch(formatErrorInline(err), /\n/);
});

test('a plain error formats as its message', () => {
  assert.equal(formatErrorInline(new Error('boom')), 'boom');
  assert.equal(formatErrorInline('text'), 'text');
});
