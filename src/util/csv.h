/* CSV as spreadsheets write and read it (RFC 4180): parsing an upload into rows of cells, and
 * writing cells for a download, neutralising what a spreadsheet would run as a formula. */
#ifndef LONUA_UTIL_CSV_H
#define LONUA_UTIL_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

#define CSV_MAX_ROWS  2000
#define CSV_MAX_CELLS 8

struct csv_row {
	int line; /* where the row starts, from 1 */
	int ncells;
	char *cells[CSV_MAX_CELLS];
};

/* Splits s[0..len) into rows: quoted cells with "" inside, CRLF or LF, a leading UTF-8 BOM
 * skipped, blank lines left out. Returns the rows (csv_free them; an empty text gives an empty,
 * non-NULL list), or NULL with *bad_line set: a NUL byte, a quote inside an unquoted cell, text
 * after a closing quote, an unterminated quote, more than CSV_MAX_CELLS cells in a row, or more
 * than CSV_MAX_ROWS rows (then *bad_line is the first row too many). */
struct csv_row *csv_parse(const char *s, size_t len, size_t *nrows, int *bad_line);
void csv_free(struct csv_row *rows, size_t n);

/* Appends one cell and, after it, a comma or (last) CRLF: quoted when it holds a comma, a quote or
 * a line break; a cell a spreadsheet would run as a formula (starting with = + - @, a tab or a
 * carriage return) is quoted and prefixed with '. */
void csv_write_cell(struct buf *out, const char *s, bool last);

#endif
