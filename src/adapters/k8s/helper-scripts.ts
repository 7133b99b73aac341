// The helper pods' shell scripts and their exit codes. Values travel in env vars or argv, never in the
// script text. Every program a script calls must be in the pinned image (helper-image-contents.ts) or be
// run on the host through nsenter; test/adapters/helper-scripts.test.ts checks it.
// May import: nothing.

/** Exit codes of the check scripts. */
export const CheckExit = { NotRequired: 0, Required: 10 } as const;

/** Exit codes shared by the scripts for a program that is missing: nothing was run. */
export const MissingExit = {
  /** The helper image has no nsenter (a custom --image). */
  NoNsenter: 13,
  /** nsenter ran, but the host has no such program (exit 127 or 126 from nsenter's exec). */
  HostLacks: 14,
  /** nsenter could not enter the host's namespaces (not privileged, not hostPID). */
  CannotEnter: 3,
} as const;

/** The reboot pod's exit code when its deadline had passed: it did nothing. */
export const REBOOT_TOO_LATE_EXIT = 12;

const NEEDS_NSENTER =
  'if ! command -v nsenter > /dev/null; then echo "the helper image has no nsenter" > /dev/termination-log; exit 13; fi; ';

export const FILE_CHECK_SCRIPT =
  'if [ -e "$SENTINEL" ]; then if [ -r "$SENTINEL.pkgs" ]; then head -c 2048 "$SENTINEL.pkgs" > /dev/termination-log; fi; exit 10; fi; exit 0';

/**
 * Runs "$@" on the host. First a probe that needs no host program: nsenter's own exec of `true` fails
 * with 126/127 on a host without it, which still proves the namespaces could be entered; any other
 * failure means they could not (exit 3). Then the command: 0 means required (kured's convention), 127
 * means the host has no such program (exit 14), 126+ is an error, anything else means not required.
 */
export const COMMAND_CHECK_SCRIPT =
  NEEDS_NSENTER +
  'nsenter -t 1 -m -- true; rc=$?; if [ "$rc" -ne 0 ] && [ "$rc" -lt 126 ]; then exit 3; fi; ' +
  'nsenter -t 1 -m -- "$@" > /dev/termination-log 2>&1; rc=$?; if [ "$rc" -eq 0 ]; then exit 10; fi; ' +
  'if [ "$rc" -eq 127 ]; then exit 14; fi; if [ "$rc" -ge 126 ]; then exit "$rc"; fi; exit 0';

/**
 * The reboot's last checks, on the host, just before the command: the boot ID (a run after the boot does
 * nothing, exit 0), the program the argv starts with (nsenter for the command method: exit 13 without it),
 * and the deadline, NOT_AFTER in epoch seconds (past it, or with no readable clock, exit 12 and do nothing:
 * the node may have been uncordoned and filled with pods since the last look). When nsenter cannot exec the
 * host's program (127 or 126: e.g. no systemctl on the host), exit 14 with nsenter's words: nothing ran.
 */
export const REBOOT_SCRIPT =
  'read -r cur < /proc/sys/kernel/random/boot_id; if [ "$cur" != "$EXPECTED_BOOT_ID" ]; then echo "boot id changed: $cur; not rebooting again" > /dev/termination-log; exit 0; fi; ' +
  'if ! command -v "$1" > /dev/null; then echo "the helper image has no $1" > /dev/termination-log; exit 13; fi; ' +
  'if date +%s > /tmp/now && read -r now < /tmp/now && [ "$now" -le "$NOT_AFTER" ]; then "$@" 2> /tmp/err; rc=$?; ' +
  'if [ "$rc" -ne 0 ]; then head -c 1024 /tmp/err > /dev/termination-log; fi; ' +
  'if [ "$rc" -eq 127 ] || [ "$rc" -eq 126 ]; then exit 14; fi; exit "$rc"; fi; ' +
  'echo "too late: the clock reads \'$now\', past the deadline $NOT_AFTER (epoch seconds); not rebooting" > /dev/termination-log; exit 12';
