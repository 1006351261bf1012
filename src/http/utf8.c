/* UTF-8 checking and counting, strict per RFC 3629. */
#include "http/input.h"
#include "http/input_parse.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- UTF-8 ------------------------------------------------------------------------------ */

/* Length of the well-formed UTF-8 sequence at s, of which n > 0 bytes are available, or 0
 * when it is ill-formed (Unicode table 3-7: no overlongs, no surrogates, nothing above
 * U+10FFFF, no truncated sequence). */
size_t utf8_seq_length(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	unsigned lo = 0x80, hi = 0xBF;

	if (c < 0x80)
		return 1;
	if (c < 0xC2) /* a stray continuation byte, or an overlong two-byte form */
		return 0;
	if (c < 0xE0)
		return n >= 2 && s[1] >= 0x80 && s[1] <= 0xBF ? 2 : 0;
	if (c < 0xF0) {
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		else if (c == 0xED)
			hi = 0x9F; /* UTF-16 surrogates */
		if (n < 3 || s[1] < lo || s[1] > hi || s[2] < 0x80 || s[2] > 0xBF)
			return 0;
		return 3;
	}
	if (c < 0xF5) {
		if (c == 0xF0)
			lo = 0x90; /* overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
		if (n < 4 || s[1] < lo || s[1] > hi || s[2] < 0x80 || s[2] > 0xBF || s[3] < 0x80 || s[3] > 0xBF)
			return 0;
		return 4;
	}
	return 0;
}

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		if (p[i] < 0x80) { /* the common case, without the call */
			i++;
			continue;
		}
		size_t n = utf8_seq_length(p + i, len - i);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

/* Every code point has exactly one byte that is not a continuation byte. */
size_t utf8_length(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}
