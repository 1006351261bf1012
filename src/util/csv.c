#include "util/csv.h"

#include <stdlib.h>
#include <string.h>

/* Reads the cell at s[*i] into cell, up to the comma or line break after it (not consumed); *line
 * counts the line breaks inside quotes. Returns false for what is not CSV. */
static bool read_cell(const char *s, size_t len, size_t *i, int *line, struct buf *cell)
{
	buf_reset(cell);
	if (*i < len && s[*i] == '"') {
		for (++*i;; ++*i) {
			if (*i >= len || s[*i] == '\0')
				return false; /* unterminated, or a NUL byte */
			if (s[*i] == '"' && *i + 1 < len && s[*i + 1] == '"')
				++*i; /* "" is a quote */
			else if (s[*i] == '"')
				break;
			else if (s[*i] == '\n')
				++*line;
			buf_putc(cell, s[*i]);
		}
		++*i;
		return *i >= len || s[*i] == ',' || s[*i] == '\n' || s[*i] == '\r';
	}
	for (; *i < len && s[*i] != ',' && s[*i] != '\n' && s[*i] != '\r'; ++*i) {
		if (s[*i] == '\0' || s[*i] == '"')
			return false;
		buf_putc(cell, s[*i]);
	}
	return true;
}

static void row_free(struct csv_row *r)
{
	for (int c = 0; c < r->ncells; c++)
		free(r->cells[c]);
}

/* Reads the row at s[*i], through its line break. Returns false for what is not CSV. */
static bool read_row(const char *s, size_t len, size_t *i, int *line, struct csv_row *r)
{
	struct buf cell = BUF_INIT;
	*r = (struct csv_row){.line = *line};
	bool ok = true;
	for (;;) {
		ok = read_cell(s, len, i, line, &cell) && r->ncells < CSV_MAX_CELLS;
		if (!ok)
			break;
		r->cells[r->ncells++] = xstrdup(buf_str(&cell));
		if (*i < len && s[*i] == ',') {
			++*i;
			continue;
		}
		if (*i < len && s[*i] == '\r')
			++*i;
		if (*i < len && s[*i] == '\n')
			++*i;
		break;
	}
	buf_free(&cell);
	++*line;
	if (!ok)
		row_free(r);
	return ok;
}

struct csv_row *csv_parse(const char *s, size_t len, size_t *nrows, int *bad_line)
{
	struct csv_row *rows = NULL, r;
	size_t n = 0, i = 0;
	int line = 1;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3; /* a BOM, as spreadsheets write it */
	while (i < len) {
		if (!read_row(s, len, &i, &line, &r) || n >= CSV_MAX_ROWS) {
			if (n >= CSV_MAX_ROWS)
				row_free(&r);
			*bad_line = r.line;
			csv_free(rows, n);
			*nrows = 0;
			return NULL;
		}
		if (r.ncells == 1 && r.cells[0][0] == '\0') { /* a blank line */
			row_free(&r);
			continue;
		}
		rows = xgrow(rows, n, sizeof *rows);
		rows[n++] = r;
	}
	*nrows = n;
	return rows ? rows : xmalloc(sizeof *rows);
}

void csv_free(struct csv_row *rows, size_t n)
{
	for (size_t k = 0; k < n; k++)
		row_free(&rows[k]);
	free(rows);
}

void csv_write_cell(struct buf *out, const char *s, bool last)
{
	bool formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r';
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		buf_putc(out, '"');
	if (formula)
		buf_putc(out, '\'');
	for (const char *c = s; *c; c++) {
		if (*c == '"')
			buf_putc(out, '"');
		buf_putc(out, *c);
	}
	if (quote)
		buf_putc(out, '"');
	buf_puts(out, last ? "\r\n" : ",");
}
