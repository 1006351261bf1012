/* Shared by the database test programs: a direct client query for one number, outside the
 * db layer under test, and the count of statements the server has executed. */
#ifndef LONUA_TESTS_DB_MYSQL_FIRST_INT_H
#define LONUA_TESTS_DB_MYSQL_FIRST_INT_H

#include <mysql.h>
#include <stdlib.h>

/* The first column of the first row of sql on connection m as a number, or -1. */
__attribute__((unused)) static long long mysql_first_int(MYSQL *m, const char *sql)
{
	long long v = -1;
	if (mysql_query(m, sql) == 0) {
		MYSQL_RES *r = mysql_store_result(m);
		MYSQL_ROW row = r ? mysql_fetch_row(r) : NULL;
		if (row && row[0])
			v = atoll(row[0]);
		if (r)
			mysql_free_result(r);
	}
	return v;
}

/* Prepared statements executed on the server so far (a test that counts them is the database's only
 * client). */
__attribute__((unused)) static long long mysql_statements_executed(MYSQL *m)
{
	return mysql_first_int(m, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
	                          " WHERE VARIABLE_NAME = 'COM_STMT_EXECUTE'");
}

#endif
