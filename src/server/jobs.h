/* `lonua jobs`: the process that works outside requests. It delivers the outbox (mails now, chat
 * notifications later) with retries and backoff, and purges expired sessions. It keeps the
 * master's signal discipline: signals are blocked while it works and taken only while it waits, so
 * SIGTERM never cuts a delivery in half and no claimed row is lost (a claim is a row lock inside
 * a transaction: a process that dies leaves the row pending for the next one). */
#ifndef LONUA_SERVER_JOBS_H
#define LONUA_SERVER_JOBS_H

/* Seconds before the next attempt after `attempts` failed ones: config.outbox_retry_seconds,
 * doubling each time, at most six hours. */
long jobs_retry_seconds(int attempts);

/* Runs until SIGTERM or SIGINT. Returns the process exit status. */
int jobs_run(void);

#endif
