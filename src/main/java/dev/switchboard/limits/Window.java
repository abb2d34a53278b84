package dev.switchboard.limits;

/**
 * One client's counts in its current window, as seen when a request asked to be let in.
 *
 * @param admitted whether this request was let in (and counted)
 * @param requests requests counted in the window, this one included when admitted
 * @param tokens   tokens counted in the window (answers that ended)
 * @param resetMs  milliseconds until the window ends and both counts start again from zero
 */
record Window(boolean admitted, long requests, long tokens, long resetMs) {
}
