/* The crypto wrappers over libcrypto: SHA-256 against FIPS 180-4 examples, HMAC-SHA-256 against
 * RFC 4231, base64url both ways (only the canonical text of a byte string decodes), random tokens
 * and their hashes, and the constant-time comparison. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/buf.h"
#include "util/crypto.h"

static void hex(const unsigned char *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

static void test_sha256(void)
{
	static const struct {
		const char *name, *msg, *digest;
	} vectors[] = {
	    {"empty string", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	    {"\"abc\"", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	    {"the 448-bit message", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	    {"56 bytes (padding needs a block)", "01234567890123456789012345678901234567890123456789012345",
	     "83aa034bda83e458a0dc9cbce0d4e354716aa0ff770ed37ac0ed2b292052e4af"},
	};
	char h[CRYPTO_SHA256_HEX + 1];
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		crypto_sha256_hex(vectors[i].msg, strlen(vectors[i].msg), h);
		tap_ok(strcmp(h, vectors[i].digest) == 0, "SHA-256 of %s", vectors[i].name);
	}
	char *a = xmalloc(1000000);
	memset(a, 'a', 1000000);
	crypto_sha256_hex(a, 1000000, h);
	tap_ok(strcmp(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0,
	       "SHA-256 of one million 'a'");
	free(a);
}

static void test_hmac(void)
{
	/* RFC 4231 test cases 1 and 2. */
	unsigned char key1[20], mac[CRYPTO_SHA256_LEN];
	char h[65];
	memset(key1, 0x0b, sizeof key1);
	crypto_hmac_sha256(key1, sizeof key1, "Hi There", 8, mac);
	hex(mac, sizeof mac, h);
	tap_ok(strcmp(h, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7") == 0,
	       "HMAC-SHA-256, RFC 4231 case 1");
	crypto_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
	hex(mac, sizeof mac, h);
	tap_ok(strcmp(h, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843") == 0,
	       "HMAC-SHA-256, RFC 4231 case 2");
	/* A key longer than SHA-256's block is hashed first. */
	unsigned char key6[131];
	memset(key6, 0xaa, sizeof key6);
	const char *msg6 = "Test Using Larger Than Block-Size Key - Hash Key First";
	crypto_hmac_sha256(key6, sizeof key6, msg6, strlen(msg6), mac);
	hex(mac, sizeof mac, h);
	tap_ok(strcmp(h, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54") == 0,
	       "HMAC-SHA-256, RFC 4231 case 6");
	/* Each MAC starts from an unkeyed context: case 1 again, after other keys, is unchanged. */
	crypto_hmac_sha256(key1, sizeof key1, "Hi There", 8, mac);
	hex(mac, sizeof mac, h);
	tap_ok(strcmp(h, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7") == 0,
	       "HMAC-SHA-256, RFC 4231 case 1 after cases 2 and 6");
}

static void test_base64url(void)
{
	static const struct {
		const char *bytes, *text;
	} cases[] = {
	    {"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"foob", "Zm9vYg"}, {"\xfb\xff", "-_8"},
	};
	char out[16];
	unsigned char back[8];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t n = strlen(cases[i].bytes);
		crypto_base64url((const unsigned char *)cases[i].bytes, n, out);
		tap_ok(strcmp(out, cases[i].text) == 0, "base64url of %zu bytes is \"%s\" (got \"%s\")", n,
		       cases[i].text, out);
		bool ok = crypto_base64url_decode(cases[i].text, strlen(cases[i].text), back, n);
		tap_ok(ok && memcmp(back, cases[i].bytes, n) == 0, "\"%s\" decodes back", cases[i].text);
	}
	tap_ok(!crypto_base64url_decode("Zh", 2, back, 1), "a text whose unused bits are set does not decode");
	tap_ok(!crypto_base64url_decode("Zm9", 3, back, 3), "a text of the wrong length does not decode");
	tap_ok(!crypto_base64url_decode("Zm+v", 4, back, 3), "'+' (plain base64) is not base64url");
	tap_ok(!crypto_base64url_decode("Zm9v", 4, back, 2), "3 bytes of text are not 2 bytes");
}

static void test_tokens(void)
{
	char a[CRYPTO_TOKEN_LEN + 1], b[CRYPTO_TOKEN_LEN + 1];
	unsigned char ha[CRYPTO_SHA256_LEN], hb[CRYPTO_SHA256_LEN], again[CRYPTO_SHA256_LEN];
	crypto_token(a, ha);
	crypto_token(b, hb);
	tap_ok(strlen(a) == CRYPTO_TOKEN_LEN && strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                                                  "0123456789-_") == CRYPTO_TOKEN_LEN,
	       "a token is 43 base64url characters");
	tap_ok(strcmp(a, b) != 0 && memcmp(ha, hb, sizeof ha) != 0, "two tokens differ, and so do their hashes");
	tap_ok(crypto_token_hash(a, again) && memcmp(again, ha, sizeof ha) == 0,
	       "the hash of a token's text is the hash handed out with it");
	char bad[CRYPTO_TOKEN_LEN + 2];
	memcpy(bad, a, sizeof a);
	bad[5] = '!';
	tap_ok(!crypto_token_hash(bad, again), "a token with a foreign character has no hash");
	tap_ok(!crypto_token_hash("short", again) && !crypto_token_hash(NULL, again),
	       "a short or missing token has none");
	strcat(memcpy(bad, a, sizeof a), "A");
	tap_ok(!crypto_token_hash(bad, again), "a token one character too long has none");
}

static void test_equal(void)
{
	tap_ok(crypto_equal("abcdef", "abcdef", 6), "equal bytes compare equal");
	tap_ok(!crypto_equal("abcdef", "abcdeg", 6) && !crypto_equal("xbcdef", "abcdef", 6),
	       "a difference at either end is found");
	unsigned char r1[32] = {0}, r2[32] = {0};
	crypto_random(r1, sizeof r1);
	crypto_random(r2, sizeof r2);
	tap_ok(!crypto_equal(r1, r2, sizeof r1), "two random 32-byte strings differ");
}

int main(void)
{
	test_sha256();
	test_hmac();
	test_base64url();
	test_tokens();
	test_equal();
	return tap_done();
}
