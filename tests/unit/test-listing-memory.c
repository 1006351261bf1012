/* What a process remembers of listing statements (src/db/total_cache.c, src/db/search_cache.c),
 * keyed by the statement's text address and its parameters (src/db/statement_key.c): a total only
 * at the version it was counted at, a searched page's ids at their version and only as long as the
 * caller allows. */
#include <math.h>
#include <string.h>

#include "db/search_cache.h"
#include "db/statement_key.h"
#include "db/total_cache.h"
#include "tap.h"

static const char sql_a[] = "SELECT a ?";
static const char sql_b[] = "SELECT a ?"; /* the same text at another address: another statement */

int main(void)
{
	struct db_param p[] = {DB_TEXT("팬츠"), DB_INT(24)};
	struct db_param other[] = {DB_TEXT("팬츠"), DB_INT(25)};
	unsigned char k1[STATEMENT_KEY_MAX], k2[STATEMENT_KEY_MAX], k3[STATEMENT_KEY_MAX];
	size_t n1 = statement_key(sql_a, p, 2, k1), n2 = statement_key(sql_a, other, 2, k2),
	       n3 = statement_key(sql_b, p, 2, k3);
	tap_ok(n1 > 0 && (n1 != n2 || memcmp(k1, k2, n1) != 0) && (n1 != n3 || memcmp(k1, k3, n1) != 0),
	       "keys differ by a parameter's value and by the text's address");
	char long_text[600];
	memset(long_text, 'x', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	struct db_param too_long[] = {DB_TEXT(long_text)};
	tap_ok(statement_key(sql_a, too_long, 1, k1) == 0, "a key that does not fit is refused");

	long long total = -1;
	total_cache_put(sql_a, p, 2, 7, 1234);
	tap_ok(total_cache_get(sql_a, p, 2, 7, &total) && total == 1234, "a total is remembered at its version");
	tap_ok(!total_cache_get(sql_a, p, 2, 8, &total) && !total_cache_get(sql_a, other, 2, 7, &total),
	       "not at another version, nor for other parameters");

	long long ids[SEARCH_CACHE_IDS] = {5, 3, 9}, got[SEARCH_CACHE_IDS];
	size_t n = 0;
	unsigned long long version = 0;
	search_cache_put(sql_a, p, 2, ids, 3, 7);
	tap_ok(search_cache_get(sql_a, p, 2, INFINITY, got, &n, &version) && n == 3 && version == 7 &&
	           memcmp(got, ids, 3 * sizeof *ids) == 0,
	       "a searched page's ids are remembered in order, with their version");
	tap_ok(search_cache_get(sql_a, p, 2, SEARCH_CACHE_SECONDS, got, &n, &version),
	       "and kept for the orders the version does not follow, for a while");
	tap_ok(!search_cache_get(sql_a, p, 2, 0, got, &n, &version), "but not past the age the caller allows");
	tap_ok(!search_cache_get(sql_a, other, 2, INFINITY, got, &n, &version) &&
	           !search_cache_get(sql_b, p, 2, INFINITY, got, &n, &version),
	       "another page or statement is not served from it");
	search_cache_put(sql_a, other, 2, ids, SEARCH_CACHE_IDS + 1, 7);
	search_cache_put(sql_a, too_long, 1, ids, 3, 7);
	tap_ok(!search_cache_get(sql_a, other, 2, INFINITY, got, &n, &version) &&
	           !search_cache_get(sql_a, too_long, 1, INFINITY, got, &n, &version),
	       "more ids than a page holds, or a key that does not fit, are not remembered");
	return tap_done();
}
