#include "util/crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "util/buf.h"
#include "util/log.h"

/* The algorithms are fetched once per process: OpenSSL 3's one-shot calls (EVP_Digest with
 * EVP_sha256(), HMAC()) look them up in its provider tables on every call, which cost a signed-in
 * page about 5 % of a worker's time (one token hash and one CSRF token a request). */
static EVP_MD *sha256_md(void)
{
	static EVP_MD *md;
	if (!md && !(md = EVP_MD_fetch(NULL, "SHA256", NULL))) {
		log_error("OpenSSL has no SHA-256");
		abort();
	}
	return md;
}

/* An HMAC context set to SHA-256 and not yet keyed: each MAC starts from a copy of it. */
static const EVP_MAC_CTX *hmac_sha256_ctx(void)
{
	static EVP_MAC_CTX *ctx;
	if (ctx)
		return ctx;
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	EVP_MAC_free(mac); /* the context holds its own reference */
	OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
	                       OSSL_PARAM_construct_end()};
	if (!ctx || EVP_MAC_CTX_set_params(ctx, params) != 1) {
		log_error("OpenSSL has no HMAC-SHA-256");
		abort();
	}
	return ctx;
}

void crypto_sha256(const void *data, size_t len, unsigned char out[CRYPTO_SHA256_LEN])
{
	unsigned int n = 0;
	if (EVP_Digest(data, len, out, &n, sha256_md(), NULL) != 1 || n != CRYPTO_SHA256_LEN) {
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
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_dup(hmac_sha256_ctx());
	size_t n = 0;
	if (!ctx || EVP_MAC_init(ctx, key, keylen, NULL) != 1 || EVP_MAC_update(ctx, data, len) != 1 ||
	    EVP_MAC_final(ctx, out, &n, CRYPTO_SHA256_LEN) != 1 || n != CRYPTO_SHA256_LEN) {
		log_error("HMAC-SHA-256 failed");
		abort();
	}
	EVP_MAC_CTX_free(ctx);
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
