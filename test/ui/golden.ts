// Golden files: compare rendered text with test/ui/golden/<name>; UPDATE_GOLDEN=1 rewrites them instead.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';

export function assertGolden(name: string, actual: string): void {
  const url = new URL(`./golden/${name}`, import.meta.url);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(url, actual);
  assert.equal(actual, readFileSync(url, 'utf8'));
}

/** Collects what a renderer writes. */
export function bufferStream(isTTY = false): {
  write(s: string): boolean;
  text(): string;
  readonly isTTY: boolean;
} {
  const chunks: string[] = [];
  return {
    isTTY,
    write(s: string) {
      chunks.push(s);
      return true;
    },
    text: () => chunks.join(''),
  };
}
