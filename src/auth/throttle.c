#include "auth/throttle.h"

#include <stdio.h>
#include <string.h>

#include "util/crypto.h"

static const struct {
	long free_failures; /* failures that block nothing */
	long first_block;   /* seconds, doubling with each further failure */
	long max_block;
} rules[] = {
    [THROTTLE_IP] = {50, 60, 900},
    [THROTTLE_ACCOUNT] = {20, 30, 300},
    [THROTTLE_ACCOUNT_IP] = {5, 30, 900},
};

long throttle_block_seconds(enum throttle_scope scope, long failures)
{
	long over = failures - rules[scope].free_failures;
	if (over <= 0)
		return 0;
	long s = rules[scope].first_block;
	while (--over > 0 && s < rules[scope].max_block)
		s *= 2;
	return s < rules[scope].max_block ? s : rules[scope].max_block;
}

void throttle_keys(const char *realm, const char *email, const char *ip, struct throttle_key keys[3])
{
	char name[300], material[400];
	size_t n = 0;
	for (const char *c = email ? email : ""; *c && n < sizeof name - 1; c++)
		name[n++] = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
	name[n] = '\0';
	ip = ip ? ip : "";
	keys[0].scope = THROTTLE_IP;
	int len = snprintf(material, sizeof material, "ip\n%s", ip);
	crypto_sha256(material, (size_t)len, keys[0].hash);
	keys[1].scope = THROTTLE_ACCOUNT;
	len = snprintf(material, sizeof material, "account\n%s\n%s", realm, name);
	crypto_sha256(material, (size_t)len, keys[1].hash);
	keys[2].scope = THROTTLE_ACCOUNT_IP;
	len = snprintf(material, sizeof material, "account_ip\n%s\n%s\n%s", realm, name, ip);
	crypto_sha256(material, (size_t)len, keys[2].hash);
}

enum status throttle_check(const struct throttle_key keys[3], long *retry_after)
{
	enum status st = db_throttle_blocked(keys, 3, retry_after);
	if (st != ST_OK)
		return st;
	return *retry_after > 0 ? ST_RATE_LIMITED : ST_OK;
}

enum status throttle_failed(const struct throttle_key keys[3])
{
	for (int i = 0; i < 3; i++) {
		long failures = 0;
		enum status st = db_throttle_fail(&keys[i], THROTTLE_WINDOW_SECONDS, &failures);
		long block = st == ST_OK ? throttle_block_seconds(keys[i].scope, failures) : 0;
		if (st == ST_OK && block > 0)
			st = db_throttle_block(&keys[i], block);
		if (st != ST_OK)
			return st;
	}
	return ST_OK;
}

enum status throttle_succeeded(const struct throttle_key keys[3])
{
	return db_throttle_clear(&keys[2]);
}
