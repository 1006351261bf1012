/* CSV as spreadsheets write it (src/util/csv.c): uploads parsed into rows (quotes, "" inside,
 * CRLF, a BOM, blank lines, what is refused and on which line), and cells written for a download
 * with formulas neutralised. */
#include <string.h>

#include "tap.h"
#include "util/csv.h"

/* Parses s; want is the rows as "a|b|c" joined by "/", or NULL for a refusal at bad. */
static void parses(const char *what, const char *s, const char *want, int bad)
{
	size_t n = 0;
	int bad_line = 0;
	struct csv_row *rows = csv_parse(s, strlen(s), &n, &bad_line);
	if (!want) {
		tap_ok(rows == NULL && bad_line == bad, "%s: refused at line %d (got %s, line %d)", what, bad,
		       rows ? "rows" : "NULL", bad_line);
		return;
	}
	struct buf got = BUF_INIT;
	for (size_t k = 0; k < n; k++)
		for (int c = 0; c < rows[k].ncells; c++)
			buf_printf(&got, "%s%s%s", c ? "|" : (k ? "/" : ""), rows[k].cells[c], "");
	tap_ok(rows && strcmp(buf_str(&got), want) == 0, "%s: \"%s\" (got \"%s\")", what, want, buf_str(&got));
	buf_free(&got);
	csv_free(rows, n);
}

static void writes(const char *cell, const char *want)
{
	struct buf out = BUF_INIT;
	csv_write_cell(&out, cell, true);
	tap_ok(strcmp(buf_str(&out), want) == 0, "cell \"%s\" is written %s (got %s)", cell, want, buf_str(&out));
	buf_free(&out);
}

int main(void)
{
	parses("plain rows, LF", "sku,delta,reason\nA-1,3,입고\n", "sku|delta|reason/A-1|3|입고", 0);
	parses("CRLF and no final break", "a,b\r\nc,d", "a|b/c|d", 0);
	parses("a BOM is skipped", "\xEF\xBB\xBFsku,delta\n", "sku|delta", 0);
	parses("quoted cells with commas, quotes and line breaks", "\"a,b\",\"say \"\"hi\"\"\",\"x\ny\"\n",
	       "a,b|say \"hi\"|x\ny", 0);
	parses("blank lines are left out", "a\n\n\nb\n", "a/b", 0);
	parses("empty cells stay", "a,,c\n", "a||c", 0);
	parses("empty text: no rows", "", "", 0);
	parses("a quote inside an unquoted cell", "a,b\nc,d\"e\n", NULL, 2);
	parses("text after a closing quote", "\"a\"b,c\n", NULL, 1);
	parses("an unterminated quote", "a\n\"b,c\n", NULL, 2);
	parses("too many cells", "1,2,3,4,5,6,7,8,9\n", NULL, 1);
	const char nul[] = {'a', ',', 'b', '\n', 'c', '\0', 'd', '\n'};
	size_t n;
	int bad = 0;
	tap_ok(csv_parse(nul, sizeof nul, &n, &bad) == NULL && bad == 2, "a NUL byte is refused on its line (%d)", bad);
	struct buf many = BUF_INIT;
	for (int i = 0; i <= CSV_MAX_ROWS; i++)
		buf_puts(&many, "x\n");
	tap_ok(csv_parse(many.data, many.len, &n, &bad) == NULL && bad == CSV_MAX_ROWS + 1,
	       "more than %d rows are refused at the first too many (%d)", CSV_MAX_ROWS, bad);
	buf_free(&many);

	writes("plain", "plain\r\n");
	writes("a,b", "\"a,b\"\r\n");
	writes("say \"hi\"", "\"say \"\"hi\"\"\"\r\n");
	writes("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"\r\n");
	writes("+82", "\"'+82\"\r\n");
	writes("-1", "\"'-1\"\r\n");
	writes("@SUM(A1)", "\"'@SUM(A1)\"\r\n");
	writes("", "\r\n");
	return tap_done();
}
