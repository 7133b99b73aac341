// Paged lists: every list goes through here, 500 items a page with the continue token, never one unpaged list.
// May import: sibling k8s adapter files.

import { apiCode } from './api-errors.js';

export const PAGE_SIZE = 500;

export interface Page<T> {
  readonly items: T[];
  readonly metadata?: { readonly _continue?: string; readonly resourceVersion?: string };
}

export interface Listed<T> {
  readonly items: T[];
  /** The resourceVersion of the list: a watch started from it misses nothing. */
  readonly resourceVersion: string;
}

/**
 * Fetches every page. An expired continue token (410) restarts the list once from the beginning,
 * as the first page's snapshot is gone.
 */
export async function listAll<T>(
  fetchPage: (args: { limit: number; _continue?: string }) => Promise<Page<T>>,
  limit: number = PAGE_SIZE,
): Promise<Listed<T>> {
  for (let attempt = 0; ; attempt++) {
    const items: T[] = [];
    let token: string | undefined;
    let resourceVersion = '';
    try {
      do {
        const page = await fetchPage(token === undefined ? { limit } : { limit, _continue: token });
        items.push(...page.items);
        if (!resourceVersion) resourceVersion = page.metadata?.resourceVersion ?? '';
        token = page.metadata?._continue || undefined;
      } while (token !== undefined);
      return { items, resourceVersion };
    } catch (err) {
      if (apiCode(err) !== 410 || token === undefined || attempt > 0) throw err;
    }
  }
}
