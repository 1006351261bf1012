/* The Mustache engine. Parsing runs in three passes over one template:
 *   1. lex: split the source into text and tag tokens (following set-delimiter tags) and pair
 *      every opening tag with its closing tag; all syntax errors are found here;
 *   2. whitespace: decide which tags stand alone on their line and trim the neighbouring text,
 *      and record indentation for partials, parents and blocks (spec rules, see below);
 *   3. build: turn the tokens into a tree of nodes that owns its text.
 * Rendering walks the tree with a context stack; it never looks at the source again.
 *
 * Whitespace rules beyond the classic "a tag alone on its line vanishes with its line"
 * (specs/whitespace.md of the spec repository):
 *   - a parent element {{<p}}...{{/p}} is standalone when its opening tag starts its line and
 *     its closing tag ends one; its indentation then prefixes every line of p, like a partial;
 *   - an argument block (a block directly inside a parent) whose opening tag ends its line loses
 *     the newline, and the indentation of its first content line ("intrinsic indentation") is
 *     removed from each of its lines: arguments are stored unindented;
 *   - a parameter block (any other block) whose opening tag starts its line and whose closing
 *     tag ends one re-indents the argument that overrides it: with the intrinsic indentation
 *     if its opening tag also ends its line, else with the whitespace before that tag (which
 *     stays in the output as text, so only the argument's later lines get it). */
#include "view/mustache.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "util/buf.h"

#define MAX_DELIM 16
#define NOPOS     SIZE_MAX

/* ---- the parsed tree ------------------------------------------------------------------------ */

enum node_type {
	N_TEXT,     /* template text */
	N_VAR,      /* {{name}}: escaped */
	N_RAW,      /* {{{name}}} or {{&name}} */
	N_SECTION,  /* {{#name}}kids{{/name}} */
	N_INVERTED, /* {{^name}}kids{{/name}} */
	N_PARTIAL,  /* {{>name}} */
	N_PARENT,   /* {{<name}}argument blocks{{/name}} */
	N_BLOCK,    /* {{$name}}default or argument{{/name}} */
};

struct node {
	enum node_type type;
	int dynamic;           /* partial or parent named by a context value: {{>*name}} */
	int nparts;            /* looked-up names: dot-separated parts stored NUL-separated; 0 for "." */
	int indent_bol;        /* indent is also due before the first line (the tag's line was removed) */
	char *str;             /* the text, or the name */
	unsigned long *hashes; /* json-c's hash of each part (hashed_with), computed once: lookup() */
	size_t len;            /* text length */
	char *indent;          /* standalone indentation of a partial, parent or parameter block, or NULL */
	struct node *kids;
	struct node *next;
};

struct entry {
	char *name;
	struct node *root;
};

/* Entries sorted by name, for binary search. */
struct mustache_set {
	struct entry *v;
	size_t n, cap;
};

/* Frees a list of nodes and everything below them. */
static void free_nodes(struct node *n)
{
	while (n) {
		struct node *next = n->next;
		free_nodes(n->kids);
		free(n->str);
		free(n->hashes);
		free(n->indent);
		free(n);
		n = next;
	}
}

/* ---- pass 1: lexing ------------------------------------------------------------------------- */

enum tok_type {
	T_TEXT,
	T_VAR,
	T_RAW,
	T_SECTION,
	T_INVERTED,
	T_CLOSE,
	T_COMMENT,
	T_DELIM,
	T_PARTIAL,
	T_PARENT,
	T_BLOCK,
};

struct token {
	enum tok_type type;
	int line;
	int arg;                  /* block directly inside a parent */
	int indent_bol;           /* the tag's line is removed: indent its expansion's first line too */
	size_t start, end;        /* text, or the whole tag, as source offsets */
	size_t name, namelen;     /* the tag's trimmed name */
	size_t match;             /* opening tag <-> its closing tag */
	size_t indent, indentlen; /* standalone indentation (source span); indentlen NOPOS if none */
	size_t dedent, dedentlen; /* argument blocks: intrinsic indentation (source span) */
};

struct parser {
	const char *src;
	size_t len;
	char otag[MAX_DELIM + 1], ctag[MAX_DELIM + 1];
	size_t olen, clen;
	size_t linepos; /* line counting: `line` is the line of offset linepos */
	int line;
	struct token *tok;
	size_t ntok, cap;
	char *err;
	size_t errlen;
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Formats a parse error into the caller's buffer; always returns -1. */
__attribute__((format(printf, 3, 4))) static int parse_error(struct parser *p, int line, const char *fmt, ...)
{
	if (p->err && p->errlen) {
		int n = snprintf(p->err, p->errlen, "line %d: ", line);
		if (n >= 0 && (size_t)n < p->errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return -1;
}

/* The line number of source offset pos (offsets are asked in increasing order). */
static int line_at(struct parser *p, size_t pos)
{
	for (; p->linepos < pos; p->linepos++)
		if (p->src[p->linepos] == '\n')
			p->line++;
	return p->line;
}

static struct token *add_token(struct parser *p, enum tok_type type, size_t start, size_t end)
{
	if (p->ntok == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->tok = xrealloc(p->tok, p->cap * sizeof *p->tok);
	}
	struct token *t = &p->tok[p->ntok++];
	memset(t, 0, sizeof *t);
	t->type = type;
	t->start = start;
	t->end = end;
	t->indentlen = NOPOS;
	t->line = line_at(p, start);
	return t;
}

/* Applies a set-delimiter tag whose content between the '=' signs is s (n bytes): two
 * delimiters separated by whitespace, without whitespace or '=' inside. */
static int set_delimiters(struct parser *p, const char *s, size_t n, int line)
{
	size_t i = 0, a, alen, b, blen;
	while (i < n && is_space(s[i]))
		i++;
	for (a = i; i < n && !is_space(s[i]) && s[i] != '='; i++)
		;
	alen = i - a;
	while (i < n && is_space(s[i]))
		i++;
	for (b = i; i < n && !is_space(s[i]) && s[i] != '='; i++)
		;
	blen = i - b;
	while (i < n && is_space(s[i]))
		i++;
	if (i != n || alen == 0 || blen == 0 || alen > MAX_DELIM || blen > MAX_DELIM)
		return parse_error(p, line, "bad set-delimiter tag (want {{=<open> <close>=}})");
	memcpy(p->otag, s + a, alen);
	p->otag[alen] = '\0';
	p->olen = alen;
	memcpy(p->ctag, s + b, blen);
	p->ctag[blen] = '\0';
	p->clen = blen;
	return 0;
}

static const char *sigil_name(enum tok_type type)
{
	switch (type) {
	case T_INVERTED: return "inverted section";
	case T_PARENT: return "parent";
	case T_BLOCK: return "block";
	default: return "section";
	}
}

/* Splits the source into tokens and pairs opening and closing tags. */
static int lex(struct parser *p)
{
	size_t stack[MUSTACHE_MAX_NESTING];
	size_t depth = 0, pos = 0;

	while (pos < p->len) {
		const char *o = memmem(p->src + pos, p->len - pos, p->otag, p->olen);
		size_t tag = o ? (size_t)(o - p->src) : p->len;
		if (tag > pos)
			add_token(p, T_TEXT, pos, tag);
		if (!o)
			break;

		/* Find the end of the tag; a triple mustache ends with '}' before the closing delimiter. */
		size_t cs = tag + p->olen, ce;
		int triple = cs < p->len && p->src[cs] == '{';
		char close[MAX_DELIM + 2];
		close[0] = '}';
		memcpy(close + 1, p->ctag, p->clen + 1);
		const char *c = memmem(p->src + cs + triple, p->len - cs - triple, triple ? close : p->ctag,
		                       p->clen + (size_t)triple);
		int line = line_at(p, tag);
		if (!c)
			return parse_error(p, line, "unterminated tag");
		ce = (size_t)(c - p->src);
		pos = ce + p->clen + (size_t)triple;

		/* Trim the content and read its sigil. */
		cs += (size_t)triple;
		while (cs < ce && is_space(p->src[cs]))
			cs++;
		while (ce > cs && is_space(p->src[ce - 1]))
			ce--;
		if (cs == ce)
			return parse_error(p, line, "empty tag");
		enum tok_type type = T_VAR;
		if (triple) {
			type = T_RAW;
		} else {
			switch (p->src[cs]) {
			case '!': type = T_COMMENT; break;
			case '#': type = T_SECTION; break;
			case '^': type = T_INVERTED; break;
			case '/': type = T_CLOSE; break;
			case '>': type = T_PARTIAL; break;
			case '<': type = T_PARENT; break;
			case '$': type = T_BLOCK; break;
			case '&': type = T_RAW; break;
			case '=': type = T_DELIM; break;
			default: break;
			}
			if (type != T_VAR)
				cs++;
		}
		struct token *t = add_token(p, type, tag, pos);
		if (type == T_COMMENT)
			continue;
		if (type == T_DELIM) {
			if (ce == cs || p->src[ce - 1] != '=')
				return parse_error(p, line, "bad set-delimiter tag (want {{=<open> <close>=}})");
			if (set_delimiters(p, p->src + cs, ce - 1 - cs, line) < 0)
				return -1;
			continue;
		}
		while (cs < ce && is_space(p->src[cs]))
			cs++;
		if (cs == ce)
			return parse_error(p, line, "tag without a name");
		t->name = cs;
		t->namelen = ce - cs;

		size_t i = p->ntok - 1;
		switch (type) {
		case T_SECTION:
		case T_INVERTED:
		case T_PARENT:
		case T_BLOCK:
			if (depth == MUSTACHE_MAX_NESTING)
				return parse_error(p, line, "sections nested more than %d deep", MUSTACHE_MAX_NESTING);
			t->arg = type == T_BLOCK && depth > 0 && p->tok[stack[depth - 1]].type == T_PARENT;
			stack[depth++] = i;
			break;
		case T_CLOSE: {
			if (depth == 0)
				return parse_error(p, line, "closing tag \"%.*s\" without an opening tag",
				                   (int)t->namelen, p->src + t->name);
			struct token *open = &p->tok[stack[--depth]];
			if (open->namelen != t->namelen ||
			    memcmp(p->src + open->name, p->src + t->name, t->namelen) != 0)
				return parse_error(p, line,
				                   "closing tag \"%.*s\" does not match %s \"%.*s\" opened on line %d",
				                   (int)t->namelen, p->src + t->name, sigil_name(open->type),
				                   (int)open->namelen, p->src + open->name, open->line);
			open->match = i;
			t->match = stack[depth];
			break;
		}
		default: break;
		}
	}
	if (depth > 0) {
		const struct token *open = &p->tok[stack[depth - 1]];
		return parse_error(p, open->line, "unclosed %s \"%.*s\"", sigil_name(open->type), (int)open->namelen,
		                   p->src + open->name);
	}
	return 0;
}

/* ---- pass 2: standalone lines and indentation ----------------------------------------------- */

/* Start of the line holding pos if only blanks precede pos on it, else NOPOS. */
static size_t clear_left(const char *s, size_t pos)
{
	while (pos > 0 && is_blank(s[pos - 1]))
		pos--;
	return pos == 0 || s[pos - 1] == '\n' ? pos : NOPOS;
}

/* Offset after the line ending (or the end of the source) if only blanks follow pos, else NOPOS. */
static size_t clear_right(const char *s, size_t len, size_t pos)
{
	while (pos < len && is_blank(s[pos]))
		pos++;
	if (pos == len)
		return len;
	if (s[pos] == '\n')
		return pos + 1;
	if (s[pos] == '\r' && pos + 1 < len && s[pos + 1] == '\n')
		return pos + 2;
	return NOPOS;
}

static size_t count_blanks(const char *s, size_t len, size_t pos)
{
	size_t n = 0;
	while (pos + n < len && is_blank(s[pos + n]))
		n++;
	return n;
}

/* Removes the blanks before token i back to line start ls (they sit in the text token before). */
static void trim_before(struct parser *p, size_t i, size_t ls)
{
	if (i > 0 && p->tok[i - 1].type == T_TEXT && ls < p->tok[i].start)
		p->tok[i - 1].end = ls;
}

/* Removes the blanks and line ending after token i up to le (they sit in the text token after). */
static void trim_after(struct parser *p, size_t i, size_t le)
{
	if (i + 1 < p->ntok && p->tok[i + 1].type == T_TEXT && le > p->tok[i].end)
		p->tok[i + 1].start = le;
}

/* Decides, for every tag, whether it stands alone, trims the text around the ones that do and
 * records indentation (see the rules at the top of this file). */
static void whitespace(struct parser *p)
{
	for (size_t i = 0; i < p->ntok; i++) {
		struct token *t = &p->tok[i];
		if (t->type == T_TEXT || t->type == T_VAR || t->type == T_RAW)
			continue;
		size_t ls = clear_left(p->src, t->start), le = clear_right(p->src, p->len, t->end);

		if (t->type == T_PARENT) {
			size_t ce = clear_right(p->src, p->len, p->tok[t->match].end);
			if (ls != NOPOS && ce != NOPOS) {
				trim_before(p, i, ls);
				trim_after(p, t->match, ce);
				t->indent = ls;
				t->indentlen = t->start - ls;
				t->indent_bol = 1;
			}
			continue; /* what lies inside a parent is not output */
		}
		if (t->type == T_BLOCK && t->arg) {
			if (le != NOPOS) {
				trim_after(p, i, le);
				t->dedent = le;
				t->dedentlen = count_blanks(p->src, p->len, le);
			}
			continue;
		}
		if (t->type == T_CLOSE && p->tok[t->match].type == T_PARENT)
			continue;
		if (t->type == T_CLOSE && p->tok[t->match].arg) {
			if (ls != NOPOS)
				trim_before(p, i, ls);
			continue;
		}
		if (t->type == T_BLOCK && ls != NOPOS && clear_right(p->src, p->len, p->tok[t->match].end) != NOPOS) {
			/* A standalone parameter block. */
			if (le != NOPOS) {
				t->indent = le;
				t->indentlen = count_blanks(p->src, p->len, le);
				t->indent_bol = 1;
			} else {
				t->indent = ls;
				t->indentlen = t->start - ls;
			}
		}
		if (ls != NOPOS && le != NOPOS) {
			trim_before(p, i, ls);
			trim_after(p, i, le);
			if (t->type == T_PARTIAL) {
				t->indent = ls;
				t->indentlen = t->start - ls;
				t->indent_bol = 1;
			}
		}
	}
}

/* ---- pass 3: building the tree -------------------------------------------------------------- */

struct level {
	struct node *node;  /* the open section, parent or block; NULL at the top */
	struct node **tail; /* where the next child goes */
	struct node *last;  /* the last child, to merge text into */
	const char *dedent; /* intrinsic indentation removed from the lines here */
	size_t dedentlen;
};

/* Appends a new node to the open level. */
static struct node *new_node(struct level *l, enum node_type type)
{
	struct node *n = xcalloc(1, sizeof *n);
	n->type = type;
	*l->tail = n;
	l->tail = &n->next;
	l->last = n;
	return n;
}

/* Length of the part of s (n bytes) that repeats the dedent prefix. */
static size_t dedent_len(const struct level *l, const char *s, size_t n)
{
	size_t k = 0;
	while (k < n && k < l->dedentlen && s[k] == l->dedent[k])
		k++;
	return k;
}

/* Adds source text [start, end) with the dedent prefix removed from each line start. */
static void add_text(struct parser *p, struct level *l, size_t start, size_t end)
{
	struct buf b = BUF_INIT;
	size_t pos = start;
	while (pos < end) {
		if (l->dedentlen && (pos == 0 || p->src[pos - 1] == '\n'))
			pos += dedent_len(l, p->src + pos, end - pos);
		const char *nl = memchr(p->src + pos, '\n', end - pos);
		size_t stop = nl ? (size_t)(nl - p->src) + 1 : end;
		buf_append(&b, p->src + pos, stop - pos);
		pos = stop;
	}
	if (b.len == 0) { /* only a dedent prefix, though appending nothing may have allocated */
		buf_free(&b);
		return;
	}
	if (l->last && l->last->type == N_TEXT) { /* text around a comment: one node */
		struct node *n = l->last;
		n->str = xrealloc(n->str, n->len + b.len + 1);
		memcpy(n->str + n->len, b.data, b.len + 1);
		n->len += b.len;
		buf_free(&b);
		return;
	}
	struct node *n = new_node(l, N_TEXT);
	n->str = b.data;
	n->len = b.len;
}

/* The hash function of json-c's object tables when the names' hashes were computed (the process's
 * tables all share it); lookup() uses the hashes only with tables that still hash the same way. */
static lh_hash_fn *hashed_with;

/* Copies a name to look up in the context: dots become NULs, "." has no parts. Each part's hash is
 * computed here, once: a page looks up thousands of names, and hashing them was a third of the
 * lookups' cost. */
static void set_path(struct node *n, const char *s, size_t len)
{
	n->str = xstrndup(s, len);
	if (len == 1 && s[0] == '.')
		return;
	n->nparts = 1;
	for (size_t i = 0; i < len; i++)
		if (n->str[i] == '.') {
			n->str[i] = '\0';
			n->nparts++;
		}
	struct json_object *probe = json_object_new_object(); /* a table, for its hash function */
	struct lh_table *t = json_object_get_object(probe);
	hashed_with = t->hash_fn;
	n->hashes = xmalloc((size_t)n->nparts * sizeof *n->hashes);
	const char *part = n->str;
	for (int k = 0; k < n->nparts; k++, part += strlen(part) + 1)
		n->hashes[k] = lh_get_hash(t, part);
	json_object_put(probe);
}

/* Sets the name of a partial or parent; a leading '*' makes it dynamic. */
static void set_include_name(struct node *n, const char *s, size_t len)
{
	if (len > 0 && s[0] == '*') {
		s++;
		len--;
		while (len > 0 && is_space(*s)) {
			s++;
			len--;
		}
		n->dynamic = 1;
		set_path(n, s, len);
	} else {
		n->str = xstrndup(s, len);
	}
}

/* Stores a token's indentation, less the surrounding dedent prefix. */
static void set_indent(struct parser *p, const struct level *l, struct node *n, const struct token *t)
{
	if (t->indentlen == NOPOS)
		return;
	const char *s = p->src + t->indent;
	size_t len = t->indentlen, k = dedent_len(l, s, len);
	if (len > k)
		n->indent = xstrndup(s + k, len - k);
	n->indent_bol = t->indent_bol;
}

static int is_opener(enum tok_type type)
{
	return type == T_SECTION || type == T_INVERTED || type == T_PARENT || type == T_BLOCK;
}

/* Builds the node tree from the paired, trimmed tokens. */
static struct node *build(struct parser *p)
{
	struct node *root = NULL;
	struct level stack[MUSTACHE_MAX_NESTING + 1];
	size_t depth = 0;
	stack[0] = (struct level){NULL, &root, NULL, NULL, 0};

	for (size_t i = 0; i < p->ntok; i++) {
		const struct token *t = &p->tok[i];
		struct level *l = &stack[depth];
		const char *name = p->src + t->name;
		struct node *n;
		/* Inside a parent only argument blocks count: skip text and whole other elements. */
		if (l->node && l->node->type == N_PARENT && t->type != T_BLOCK && t->type != T_CLOSE) {
			if (is_opener(t->type))
				i = t->match;
			continue;
		}
		switch (t->type) {
		case T_TEXT: add_text(p, l, t->start, t->end); break;
		case T_VAR:
		case T_RAW:
			n = new_node(l, t->type == T_VAR ? N_VAR : N_RAW);
			set_path(n, name, t->namelen);
			break;
		case T_PARTIAL:
			n = new_node(l, N_PARTIAL);
			set_include_name(n, name, t->namelen);
			set_indent(p, l, n, t);
			break;
		case T_SECTION:
		case T_INVERTED:
		case T_PARENT:
		case T_BLOCK: {
			static const enum node_type types[] = {
			    [T_SECTION] = N_SECTION,
			    [T_INVERTED] = N_INVERTED,
			    [T_PARENT] = N_PARENT,
			    [T_BLOCK] = N_BLOCK,
			};
			n = new_node(l, types[t->type]);
			if (t->type == T_PARENT)
				set_include_name(n, name, t->namelen);
			else if (t->type == T_BLOCK)
				n->str = xstrndup(name, t->namelen);
			else
				set_path(n, name, t->namelen);
			set_indent(p, l, n, t);
			struct level *in = &stack[++depth];
			*in = (struct level){n, &n->kids, NULL, l->dedent, l->dedentlen};
			if (t->arg) { /* an argument is unindented by its own intrinsic indentation only */
				in->dedent = p->src + t->dedent;
				in->dedentlen = t->dedentlen;
			}
			break;
		}
		case T_CLOSE: depth--; break;
		case T_COMMENT:
		case T_DELIM: break;
		}
	}
	return root;
}

/* Parses a whole template; returns 0 with the tree in *root, or -1 with a message. */
static int parse(const char *src, size_t len, struct node **root, char *err, size_t errlen)
{
	struct parser p = {.src = src, .len = len, .line = 1, .err = err, .errlen = errlen};
	set_delimiters(&p, "{{ }}", 5, 1);
	int rc = lex(&p);
	if (rc == 0) {
		whitespace(&p);
		*root = build(&p);
	}
	free(p.tok);
	return rc;
}

/* ---- the set -------------------------------------------------------------------------------- */

struct mustache_set *mustache_set_new(void)
{
	return xcalloc(1, sizeof(struct mustache_set));
}

void mustache_set_free(struct mustache_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++) {
		free(set->v[i].name);
		free_nodes(set->v[i].root);
	}
	free(set->v);
	free(set);
}

/* Index of name in the set, or of where it would go (with *found 0). */
static size_t set_index(const struct mustache_set *set, const char *name, int *found)
{
	size_t lo = 0, hi = set->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, set->v[mid].name);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*found = 0;
	return lo;
}

static const struct entry *set_find(const struct mustache_set *set, const char *name)
{
	int found;
	size_t i = set_index(set, name, &found);
	return found ? &set->v[i] : NULL;
}

int mustache_set_add(struct mustache_set *set, const char *name, const char *src, size_t len, char *err, size_t errlen)
{
	struct node *root = NULL;
	if (!set || !name) {
		if (err && errlen)
			snprintf(err, errlen, "no set or name");
		return -1;
	}
	if (!src)
		len = 0;
	if (parse(src ? src : "", len, &root, err, errlen) < 0)
		return -1;
	int found;
	size_t i = set_index(set, name, &found);
	if (found) {
		free_nodes(set->v[i].root);
		set->v[i].root = root;
		return 0;
	}
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->v = xrealloc(set->v, set->cap * sizeof *set->v);
	}
	memmove(&set->v[i + 1], &set->v[i], (set->n - i) * sizeof *set->v);
	set->v[i] = (struct entry){xstrdup(name), root};
	set->n++;
	return 0;
}

int mustache_set_has(const struct mustache_set *set, const char *name)
{
	return set && name && set_find(set, name) != NULL;
}

/* ---- rendering ------------------------------------------------------------------------------ */

/* The argument blocks of one parent tag being expanded, and those of the tags around it. */
struct frame {
	const struct node *args;
	const struct frame *outer;
};

struct render {
	const struct mustache_set *set;
	struct buf *out;
	struct json_object **ctx; /* the context stack, top last */
	size_t nctx, capctx;
	struct buf indent; /* indentation of the enclosing standalone partials and blocks */
	int bol;           /* a template line just ended: indentation is due before more output */
	int depth;
	long expansions;
};

/* What indentation looked like before a push, to restore it. */
struct indent_mark {
	size_t len, outlen;
	int bol;
};

/* Adds the standalone indentation of n (if any) for the lines of its expansion. */
static void push_indent(struct render *r, const struct node *n, struct indent_mark *m)
{
	m->len = r->indent.len;
	m->outlen = r->out->len;
	m->bol = r->bol;
	if (n->indent) {
		buf_puts(&r->indent, n->indent);
		r->bol = n->indent_bol;
	}
}

/* Ends an expansion's indentation. */
static void pop_indent(struct render *r, const struct indent_mark *m)
{
	r->indent.len = m->len;
	if (r->indent.data)
		r->indent.data[m->len] = '\0';
	if (r->out->len == m->outlen) /* nothing written: the line state is the one from before */
		r->bol = m->bol;
}

/* Writes template text, indenting each line that follows a newline when indentation is due. */
static void put_text(struct render *r, const char *s, size_t n)
{
	if (r->indent.len == 0) {
		buf_append(r->out, s, n);
		return;
	}
	while (n > 0) {
		if (r->bol) {
			buf_append(r->out, r->indent.data, r->indent.len);
			r->bol = 0;
		}
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) + 1 : n;
		buf_append(r->out, s, k);
		r->bol = nl != NULL;
		s += k;
		n -= k;
	}
}

/* Writes an interpolated value: newlines inside data are not indented (spec). */
static void put_value_text(struct render *r, const char *s, size_t n, int escape)
{
	if (n == 0)
		return;
	if (r->bol && r->indent.len)
		buf_append(r->out, r->indent.data, r->indent.len);
	r->bol = 0;
	if (escape)
		buf_put_html(r->out, s, n);
	else
		buf_append(r->out, s, n);
}

/* Formats a double with the fewest digits that read back as the same value (1.5, not 1.50000). */
static int format_double(char *tmp, size_t size, double d)
{
	int n = 0;
	for (int prec = 15; prec <= 17; prec++) {
		n = snprintf(tmp, size, "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	return n;
}

/* Interpolates a value: strings as they are, numbers and booleans as JSON writes them. */
static void put_value(struct render *r, struct json_object *v, int escape)
{
	char tmp[64];
	switch (json_object_get_type(v)) {
	case json_type_null: return;
	case json_type_string:
		put_value_text(r, json_object_get_string(v), (size_t)json_object_get_string_len(v), escape);
		return;
	case json_type_double: {
		int n = format_double(tmp, sizeof tmp, json_object_get_double(v));
		if (n > 0 && (size_t)n < sizeof tmp)
			put_value_text(r, tmp, (size_t)n, escape);
		return;
	}
	case json_type_int: { /* digits by hand: json-c would print them through its own buffer */
		long long i = (long long)json_object_get_int64(v);
		unsigned long long u = i < 0 ? 0ull - (unsigned long long)i : (unsigned long long)i;
		char *end = tmp + sizeof tmp, *p = end;
		do
			*--p = (char)('0' + u % 10);
		while (u /= 10);
		if (i < 0)
			*--p = '-';
		put_value_text(r, p, (size_t)(end - p), escape);
		return;
	}
	case json_type_boolean:
		put_value_text(r, json_object_get_boolean(v) ? "true" : "false", json_object_get_boolean(v) ? 4 : 5,
		               escape);
		return;
	case json_type_object:
	case json_type_array: {
		const char *s =
		    json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		put_value_text(r, s, strlen(s), escape);
		return;
	}
	}
}

static int truthy(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null: return 0;
	case json_type_boolean: return json_object_get_boolean(v);
	case json_type_array: return json_object_array_length(v) > 0;
	default: return 1;
	}
}

/* Pushes a context; -1 past the limit, which also bounds the C stack (render_section recurses). */
static int push_ctx(struct render *r, struct json_object *v)
{
	if (r->nctx > MUSTACHE_MAX_CONTEXTS)
		return -1;
	if (r->nctx == r->capctx) {
		r->capctx = r->capctx ? r->capctx * 2 : 16;
		r->ctx = xrealloc(r->ctx, r->capctx * sizeof *r->ctx);
	}
	r->ctx[r->nctx++] = v;
	return 0;
}

/* Member k of n's name in object o (an object): by the hash computed at parse time. json-c's own
 * lookup (lh_table_lookup_entry_w_hash) walks the open-addressed slots from the hash and calls
 * strcmp on every key it passes, and most lookups pass several (a name of the layout asked inside
 * a card misses in every object below the root): comparing the first byte first skips most of those
 * calls, which were a tenth of a worker's time on a listing. */
static bool get_member(struct json_object *o, const struct node *n, int k, const char *part, struct json_object **v)
{
	struct lh_table *t = json_object_get_object(o);
	if (t->hash_fn != hashed_with)
		return json_object_object_get_ex(o, part, v);
	unsigned long slot = n->hashes[k] % (unsigned long)t->size;
	for (int count = 0; count < t->size; count++) {
		const char *key = lh_entry_k(&t->table[slot]);
		if (key == LH_EMPTY)
			break;
		if (key != LH_FREED && key[0] == part[0] && strcmp(key, part) == 0) {
			*v = (struct json_object *)lh_entry_v(&t->table[slot]);
			return true;
		}
		if (++slot == (unsigned long)t->size)
			slot = 0;
	}
	*v = NULL;
	return false;
}

/* Resolves a name: "." is the top of the stack; the first part is looked up down the stack,
 * the others only inside the value found. NULL for null and for misses alike. */
static struct json_object *lookup(const struct render *r, const struct node *n)
{
	if (n->nparts == 0)
		return r->ctx[r->nctx - 1];
	const char *part = n->str;
	struct json_object *v = NULL;
	size_t i = r->nctx;
	while (i > 0 &&
	       !(json_object_is_type(r->ctx[i - 1], json_type_object) && get_member(r->ctx[i - 1], n, 0, part, &v)))
		i--;
	if (i == 0)
		return NULL;
	for (int k = 1; k < n->nparts; k++) {
		part += strlen(part) + 1;
		if (!json_object_is_type(v, json_type_object) || !get_member(v, n, k, part, &v))
			return NULL;
	}
	return v;
}

static int render_nodes(struct render *r, const struct node *n, const struct frame *chain);

/* Counts one partial, parent or block expansion against the limits. */
static int enter(struct render *r)
{
	if (r->depth >= MUSTACHE_MAX_DEPTH || r->expansions >= MUSTACHE_MAX_EXPANSIONS)
		return -1;
	r->depth++;
	r->expansions++;
	return 0;
}

/* Renders a section once per list item, or once with a truthy value on the stack. */
static int render_section(struct render *r, const struct node *n, const struct frame *chain)
{
	struct json_object *v = lookup(r, n);
	int rc = 0;
	if (json_object_is_type(v, json_type_array)) {
		size_t len = json_object_array_length(v);
		for (size_t i = 0; i < len && rc == 0; i++) {
			if (push_ctx(r, json_object_array_get_idx(v, i)) < 0)
				return -1;
			rc = render_nodes(r, n->kids, chain);
			r->nctx--;
		}
	} else if (truthy(v)) {
		if (push_ctx(r, v) < 0)
			return -1;
		rc = render_nodes(r, n->kids, chain);
		r->nctx--;
	}
	return rc;
}

/* Expands a partial or a parent. A partial is a parent without arguments: both see the
 * arguments of the parents around them. */
static int render_include(struct render *r, const struct node *n, const struct frame *chain)
{
	const char *name = n->str;
	if (n->dynamic) {
		struct json_object *v = lookup(r, n);
		if (!json_object_is_type(v, json_type_string))
			return 0;
		name = json_object_get_string(v);
	}
	const struct entry *e = set_find(r->set, name);
	if (!e)
		return 0;
	if (enter(r) < 0)
		return -1;
	struct frame f = {n->kids, chain};
	struct indent_mark m;
	push_indent(r, n, &m);
	int rc = render_nodes(r, e->root, n->type == N_PARENT ? &f : chain);
	pop_indent(r, &m);
	r->depth--;
	return rc;
}

/* Renders a block: the outermost argument of that name wins over inner ones and over the
 * default. An argument renders with the arguments that were around its own parent tag. */
static int render_block(struct render *r, const struct node *n, const struct frame *chain)
{
	const struct node *arg = NULL;
	const struct frame *owner = NULL;
	for (const struct frame *f = chain; f; f = f->outer)
		for (const struct node *a = f->args; a; a = a->next)
			if (a->type == N_BLOCK && strcmp(a->str, n->str) == 0) {
				arg = a;
				owner = f;
				break;
			}
	if (!arg)
		return render_nodes(r, n->kids, chain);
	if (enter(r) < 0)
		return -1;
	struct indent_mark m;
	push_indent(r, n, &m);
	int rc = render_nodes(r, arg->kids, owner->outer);
	pop_indent(r, &m);
	r->depth--;
	return rc;
}

/* Renders a list of nodes; -1 when a limit was hit. */
static int render_nodes(struct render *r, const struct node *n, const struct frame *chain)
{
	int rc = 0;
	for (; n && rc == 0; n = n->next) {
		switch (n->type) {
		case N_TEXT: put_text(r, n->str, n->len); break;
		case N_VAR:
		case N_RAW: put_value(r, lookup(r, n), n->type == N_VAR); break;
		case N_SECTION: rc = render_section(r, n, chain); break;
		case N_INVERTED:
			if (!truthy(lookup(r, n)))
				rc = render_nodes(r, n->kids, chain);
			break;
		case N_PARTIAL:
		case N_PARENT: rc = render_include(r, n, chain); break;
		case N_BLOCK: rc = render_block(r, n, chain); break;
		}
	}
	return rc;
}

int mustache_render(const struct mustache_set *set, const char *name, struct json_object *data, struct buf *out)
{
	const struct entry *e = set && name && out ? set_find(set, name) : NULL;
	if (!e)
		return -1;
	struct render r = {.set = set, .out = out};
	size_t start = out->len;
	push_ctx(&r, data);
	int rc = render_nodes(&r, e->root, NULL);
	free(r.ctx);
	buf_free(&r.indent);
	if (rc < 0) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
	}
	return rc;
}
