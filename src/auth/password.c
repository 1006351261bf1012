#include "auth/password.h"

#include <stdio.h>
#include <string.h>

#include <argon2.h>

#include "util/config.h"
#include "util/crypto.h"
#include "util/log.h"

#define SALT_LEN 16
#define HASH_LEN 32

enum status password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	unsigned char salt[SALT_LEN];
	crypto_random(salt, sizeof salt);
	int rc = argon2id_hash_encoded((uint32_t)config.argon2_iterations, (uint32_t)config.argon2_memory_kib, 1,
	                               password, strlen(password), salt, sizeof salt, HASH_LEN, out, PASSWORD_HASH_MAX);
	if (rc != ARGON2_OK) {
		log_error("argon2id failed: %s", argon2_error_message(rc));
		return ST_ERROR;
	}
	return ST_OK;
}

bool password_verify(const char *encoded, const char *password)
{
	if (!encoded || strncmp(encoded, "$argon2id$", 10) != 0)
		return false;
	return argon2id_verify(encoded, password, strlen(password)) == ARGON2_OK;
}

void password_verify_nobody(const char *password)
{
	static char dummy[PASSWORD_HASH_MAX];
	if (!dummy[0] && password_hash("not a password of anyone", dummy) != ST_OK)
		return;
	password_verify(dummy, password);
}

bool password_needs_rehash(const char *encoded)
{
	unsigned version, m, t, p;
	if (!encoded || sscanf(encoded, "$argon2id$v=%u$m=%u,t=%u,p=%u$", &version, &m, &t, &p) != 4)
		return true;
	return version != ARGON2_VERSION_NUMBER || m != (unsigned)config.argon2_memory_kib ||
	       t != (unsigned)config.argon2_iterations || p != 1;
}
