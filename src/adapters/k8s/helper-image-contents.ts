// What the pinned helper image (DEFAULT_HELPER_IMAGE: busybox 1.36.1) ships, and what the helper scripts
// need from the host. test/adapters/helper-scripts.test.ts reads every helper pod's script and checks each
// program it calls against these lists.
// May import: nothing.

/**
 * Programs in the pinned image that the scripts may call: busybox 1.36.1 applets (the official image is
 * built by docker-library/busybox with `make defconfig`, which enables each of these; see busybox's
 * include/applets.src.h and each applet's `//config:` default y), each linked in /bin, plus the shell
 * built-ins of busybox ash (shell/ash.c builtintab), which need no file at all.
 */
export const HELPER_IMAGE_APPLETS: ReadonlySet<string> = new Set([
  'sh',
  'ash',
  'cat',
  'date',
  'echo',
  'false',
  'head',
  'kill',
  'ls',
  'nsenter',
  'printf',
  'sleep',
  'test',
  '[',
  'true',
]);

export const ASH_BUILTINS: ReadonlySet<string> = new Set([
  ':',
  '[',
  'cd',
  'command',
  'echo',
  'exec',
  'exit',
  'export',
  'false',
  'kill',
  'printf',
  'read',
  'shift',
  'test',
  'true',
]);

/**
 * What the scripts run on the host through `nsenter -t 1 -m`: the host requirements (README, "Host
 * requirements"). `true` only proves the namespaces could be entered; a host without it still works. The
 * reboot command (default /bin/systemctl) and a sentinel command are the user's choice; without them the
 * pod says so (exit 14) and nothing is rebooted.
 */
export const HOST_PROGRAMS: ReadonlySet<string> = new Set(['true', '/bin/systemctl']);
