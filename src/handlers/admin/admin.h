/* The admin's side (SPEC §4 admin console, §5 /api/v1/admin/…). For now the money an admin
 * records: bank transfers received and refunds sent. The console pages come with the admin
 * console work. */
#ifndef LONUA_HANDLERS_ADMIN_ADMIN_H
#define LONUA_HANDLERS_ADMIN_ADMIN_H

#include "util/status.h"

struct request;
struct response;

/* payments.c */
enum status api_admin_orders(struct request *req, struct response *res);
enum status api_admin_order(struct request *req, struct response *res);
enum status api_admin_order_payment(struct request *req, struct response *res);
enum status api_admin_refunds(struct request *req, struct response *res);
enum status api_admin_refund_record(struct request *req, struct response *res);

#endif
