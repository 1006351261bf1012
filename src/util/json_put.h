/* Adding members to the JSON objects built on hot paths (a page's cards). */
#ifndef LONUA_UTIL_JSON_PUT_H
#define LONUA_UTIL_JSON_PUT_H

#include <json-c/json.h>

/* Adds v under key to o, for a key that is a string literal and not yet in o: json-c then neither
 * copies the key nor looks for an earlier member of that name (json_object_object_add does both). */
static inline void json_put(json_object *o, const char *key, json_object *v)
{
	json_object_object_add_ex(o, key, v, JSON_C_OBJECT_ADD_KEY_IS_NEW | JSON_C_OBJECT_KEY_IS_CONSTANT);
}

#endif
