/* The Cookie header parser (input_parse_cookies, as pipeline_parse calls it) and the language
 * choice that reads the lang cookie and Accept-Language (request_choose_lang). The first line is
 * the Cookie header, the second Accept-Language; a header cannot hold a NUL byte (FastCGI
 * parameters are C strings), so each is cut at its first one. */
#include <stdlib.h>
#include <string.h>

#include "http/input.h"
#include "fuzz.h"
#include "http/request.h"

FUZZ_TARGET(cookies)
{
	const uint8_t *p = data, *end = data + size;
	char *cookie = fuzz_line(&p, end);
	char *accept = fuzz_line(&p, end);
	struct field_list cookies = {0};
	input_parse_cookies(cookie, &cookies);
	fuzz_check_fields(&cookies, 0);
	/* A cookie's name is a token and its value holds no control character. */
	for (size_t i = 0; i < cookies.count; i++) {
		for (const char *c = cookies.items[i].name; *c; c++)
			if (!strchr("!#$%&'*+-.^_`|~", *c) &&
			    !((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')))
				abort();
		for (size_t k = 0; k < cookies.items[i].len; k++)
			if ((unsigned char)cookies.items[i].value[k] < 0x20 || cookies.items[i].value[k] == 0x7F)
				abort();
	}
	const struct field *lang = field_list_get(&cookies, "lang");
	const char *l = request_choose_lang(NULL, lang ? lang->value : NULL, accept);
	if (strcmp(l, "ko") != 0 && strcmp(l, "en") != 0)
		abort();
	field_list_free(&cookies);
	free(cookie);
	free(accept);
	return 0;
}
