#include "util/status.h"

static const struct {
	int http;
	const char *code, *detail;
} table[] = {
    [ST_OK] = {200, "OK", "Done."},
    [ST_NOT_FOUND] = {404, "NOT_FOUND", "Nothing is here."},
    [ST_CONFLICT] = {409, "CONFLICT", "That cannot be done in the current state."},
    [ST_FORBIDDEN] = {403, "FORBIDDEN", "This is not open to your account."},
    [ST_UNAUTHENTICATED] = {401, "NOT_AUTHENTICATED", "Log in first."},
    [ST_INVALID] = {422, "VALIDATION_FAILED", "Some fields are invalid."},
    [ST_RATE_LIMITED] = {429, "RATE_LIMITED", "Too many attempts; wait a little and try again."},
    [ST_BAD_REQUEST] = {400, "MALFORMED_REQUEST", "The request could not be parsed."},
    [ST_WRONG_METHOD] = {405, "METHOD_NOT_ALLOWED", "This path does not answer that method."},
    [ST_URI_TOO_LONG] = {414, "URI_TOO_LONG", "The query string is too long."},
    [ST_TOO_LARGE] = {413, "BODY_TOO_LARGE", "The request body or one of its parts is too large."},
    [ST_UNSUPPORTED] = {415, "UNSUPPORTED_MEDIA_TYPE",
                        "Send application/json, application/x-www-form-urlencoded or multipart/form-data."},
    [ST_UNAVAILABLE] = {503, "SERVICE_UNAVAILABLE", "The service is unavailable; try again shortly."},
    [ST_RETRY] = {503, "SERVICE_UNAVAILABLE", "The service is busy; try again shortly."},
    [ST_ERROR] = {500, "INTERNAL_ERROR", "Something went wrong on our side."},
};

static unsigned index_of(enum status st)
{
	return (unsigned)st < sizeof table / sizeof table[0] ? (unsigned)st : (unsigned)ST_ERROR;
}

int status_http(enum status st)
{
	return table[index_of(st)].http;
}

const char *status_code(enum status st)
{
	return table[index_of(st)].code;
}

const char *status_detail(enum status st)
{
	return table[index_of(st)].detail;
}
