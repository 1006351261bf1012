/* Answering product questions (SPEC §3 Answer): one answer per question by a seller of the
 * product's brand, editable; the first answer tells the asker by mail through the outbox. */
#ifndef LONUA_SHOP_QNA_H
#define LONUA_SHOP_QNA_H

#include "util/status.h"

/* Writes (or rewrites) the answer to question_id as seller_id of brand_id, in one transaction
 * that also sets questions.answered_at and, the first time, queues the asker's mail (in lang).
 * ST_NOT_FOUND when there is no such question or it is about another brand's product. */
enum status qna_answer(long long question_id, long long brand_id, long long seller_id, const char *content,
                       const char *lang);

#endif
