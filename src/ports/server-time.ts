// The server-time port: the API server's clock, as this process estimates it from the responses it gets. Every
// time written into the Lease or a node's record, and every expiry judged from them, is on this clock, so
// two runners whose own clocks disagree by hours still agree on whether a hold is alive.
// May import: nothing.

export interface ServerTime {
  /** The API server's time now (epoch ms), estimated: local time plus the offset last observed. */
  now(): number;
  /**
   * How far the local clock is ahead of the server's (local minus server, ms), once a response has been
   * seen; undefined before. Used to report a large skew, never to decide anything.
   */
  skewMs(): number | undefined;
}
