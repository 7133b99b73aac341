// The notifier port: tell people what happened. Never blocks or fails a reboot.
// May import: core.

import type { RunEvent } from '../core/events.js';

export interface Notifier {
  notify(event: RunEvent): Promise<void>;
}
