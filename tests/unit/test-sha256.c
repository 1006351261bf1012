/* SHA-256 against the FIPS 180-4 examples (empty, "abc", 448 and 896 bits, a million a), plus the
 * padding edge lengths 55, 56 and 64 (digests from Python hashlib), one-shot and streamed. */
#include <stdlib.h>
#include <string.h>

#include "media/sha256.h"
#include "tap.h"
#include "util/buf.h"

/* Hashes s fed in pieces of chunk bytes, so block boundaries fall everywhere. */
static void hex_streamed(const char *s, size_t len, size_t chunk, char hex[SHA256_HEX_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	struct sha256 c;
	unsigned char d[SHA256_DIGEST_LEN];
	sha256_init(&c);
	for (size_t i = 0; i < len; i += chunk)
		sha256_update(&c, s + i, len - i < chunk ? len - i : chunk);
	sha256_final(&c, d);
	for (int i = 0; i < SHA256_DIGEST_LEN; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[SHA256_HEX_LEN] = '\0';
}

int main(void)
{
	static const struct {
		const char *name, *msg, *digest;
	} vectors[] = {
	    {"empty string", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	    {"\"abc\"", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	    {"the 448-bit message", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	    {"the 896-bit message",
	     "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopq"
	     "rstnopqrstu",
	     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
	    {"55 bytes (padding fits the block)", "0123456789012345678901234567890123456789012345678901234",
	     "f34d5a0f80c0cbf84c8c0b90218c22637abd199965249da736a20143c8c9c9d9"},
	    {"56 bytes (padding needs a block)", "01234567890123456789012345678901234567890123456789012345",
	     "83aa034bda83e458a0dc9cbce0d4e354716aa0ff770ed37ac0ed2b292052e4af"},
	    {"64 bytes (one whole block)", "0123456789012345678901234567890123456789012345678901234567890123",
	     "9674d9e078535b7cec43284387a6ee39956188e735a85452b0050b55341cda56"},
	};
	char hex[SHA256_HEX_LEN + 1];
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		sha256_hex(vectors[i].msg, strlen(vectors[i].msg), hex);
		tap_ok(strcmp(hex, vectors[i].digest) == 0, "SHA-256 of %s", vectors[i].name);
		hex_streamed(vectors[i].msg, strlen(vectors[i].msg), 7, hex);
		tap_ok(strcmp(hex, vectors[i].digest) == 0, "SHA-256 of %s, fed 7 bytes at a time", vectors[i].name);
	}

	const char *million = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	char *a = xmalloc(1000000);
	memset(a, 'a', 1000000);
	sha256_hex(a, 1000000, hex);
	tap_ok(strcmp(hex, million) == 0, "SHA-256 of one million 'a'");
	hex_streamed(a, 1000000, 4099, hex);
	tap_ok(strcmp(hex, million) == 0, "SHA-256 of one million 'a', fed 4099 bytes at a time");
	free(a);
	return tap_done();
}
