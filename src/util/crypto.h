/* Hashes, MACs, random tokens and constant-time comparison, from OpenSSL's libcrypto: the one
 * place the program touches cryptography (passwords are src/auth/password.c, over libargon2). */
#ifndef LONUA_UTIL_CRYPTO_H
#define LONUA_UTIL_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#define CRYPTO_SHA256_LEN 32
#define CRYPTO_SHA256_HEX 64 /* hex digits, without the NUL */
/* A token is 32 random bytes written as 43 base64url characters (no padding). */
#define CRYPTO_TOKEN_BYTES 32
#define CRYPTO_TOKEN_LEN   43

void crypto_sha256(const void *data, size_t len, unsigned char out[CRYPTO_SHA256_LEN]);
/* SHA-256 as 64 lower-case hex digits and a NUL. */
void crypto_sha256_hex(const void *data, size_t len, char hex[CRYPTO_SHA256_HEX + 1]);
void crypto_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
                        unsigned char out[CRYPTO_SHA256_LEN]);
/* Fills buf with len bytes from the system's CSPRNG; aborts the process if it cannot (a secret
 * that is not random must never be handed out). */
void crypto_random(void *buf, size_t len);
/* True when a and b hold the same len bytes, in time that does not depend on where they differ. */
bool crypto_equal(const void *a, const void *b, size_t len);
/* Writes in[0..len) as base64url without padding and a NUL into out (4 * len / 3 + 2 bytes at
 * least); returns the characters written. */
size_t crypto_base64url(const unsigned char *in, size_t len, char *out);
/* Decodes exactly outlen bytes of base64url (no padding) from text[0..len); false when text is not
 * the encoding of outlen bytes. */
bool crypto_base64url_decode(const char *text, size_t len, unsigned char *out, size_t outlen);
/* A new token (text, NUL-terminated) and the SHA-256 of its bytes, which is all a table stores. */
void crypto_token(char text[CRYPTO_TOKEN_LEN + 1], unsigned char hash[CRYPTO_SHA256_LEN]);
/* The SHA-256 of the token written as text; false (hash untouched) when text is not a token. */
bool crypto_token_hash(const char *text, unsigned char hash[CRYPTO_SHA256_LEN]);

#endif
