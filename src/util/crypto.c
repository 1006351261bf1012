#include "util/crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "util/buf.h"
#include "util/log.h"

void crypto_sha256(const void *data, size_t len, unsigned char out[CRYPTO_SHA256_LEN])
{
	unsigned int n = 0;
	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 || n != CRYPTO_SHA256_LEN) {
		log_error("SHA-256 failed");
		abort();
	}
}

void crypto_sha256_hex(const void *data, size_t len, char hex[CRYPTO_SHA256_HEX + 1])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char d[CRYPTO_SHA256_LEN];
	crypto_sha256(data, len, d);
	for (size_t i = 0; i < CRYPTO_SHA256_LEN; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[CRYPTO_SHA256_HEX] = '\0';
}

void crypto_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
                        unsigned char out[CRYPTO_SHA256_LEN])
{
	unsigned int n = 0;
	if (!HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &n) || n != CRYPTO_SHA256_LEN) {
		log_error("HMAC-SHA-256 failed");
		abort();
	}
}

void crypto_random(void *buf, size_t len)
{
	if (RAND_bytes(buf, (int)len) != 1) {
		log_error("the random generator failed");
		abort();
	}
}

bool crypto_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t crypto_base64url(const unsigned char *in, size_t len, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		size_t n = len - i < 3 ? len - i : 3;
		unsigned long v = (unsigned long)in[i] << 16;
		if (n > 1)
			v |= (unsigned long)in[i + 1] << 8;
		if (n > 2)
			v |= in[i + 2];
		for (size_t j = 0; j <= n; j++)
			out[o++] = alphabet[(v >> (18 - 6 * j)) & 63];
	}
	out[o] = '\0';
	return o;
}

static int sextet(char c)
{
	const char *p = c ? strchr(alphabet, c) : NULL;
	return p ? (int)(p - alphabet) : -1;
}

bool crypto_base64url_decode(const char *text, size_t len, unsigned char *out, size_t outlen)
{
	if (len != outlen / 3 * 4 + (outlen % 3 ? outlen % 3 + 1 : 0))
		return false;
	size_t o = 0;
	for (size_t i = 0; i < len; i += 4) {
		size_t n = len - i < 4 ? len - i : 4;
		unsigned long v = 0;
		for (size_t j = 0; j < 4; j++) {
			int s = j < n ? sextet(text[i + j]) : 0;
			if (s < 0)
				return false;
			v = v << 6 | (unsigned long)s;
		}
		for (size_t j = 0; j + 1 < n; j++)
			out[o++] = (unsigned char)(v >> (16 - 8 * j));
	}
	/* One text per byte string: the unused low bits of the last character must be zero, which
	 * encoding the bytes again shows. */
	char *again = xmalloc(len + 2);
	crypto_base64url(out, outlen, again);
	bool same = memcmp(again, text, len) == 0;
	free(again);
	return same;
}

void crypto_token(char text[CRYPTO_TOKEN_LEN + 1], unsigned char hash[CRYPTO_SHA256_LEN])
{
	unsigned char raw[CRYPTO_TOKEN_BYTES];
	crypto_random(raw, sizeof raw);
	crypto_base64url(raw, sizeof raw, text);
	crypto_sha256(raw, sizeof raw, hash);
	OPENSSL_cleanse(raw, sizeof raw);
}

bool crypto_token_hash(const char *text, unsigned char hash[CRYPTO_SHA256_LEN])
{
	unsigned char raw[CRYPTO_TOKEN_BYTES];
	if (!text || !crypto_base64url_decode(text, strlen(text), raw, sizeof raw))
		return false;
	crypto_sha256(raw, sizeof raw, hash);
	return true;
}
