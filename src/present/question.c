#include "present/question.h"

#include <string.h>

#include <json-c/json.h>

#include "db/questions.h"
#include "present/common.h"
#include "view/view.h"

bool question_visible(const struct question *q, const struct question_viewer *viewer)
{
	return !q->secret || viewer->admin || (viewer->user_id && viewer->user_id == q->user_id) ||
	       (viewer->brand_id && viewer->brand_id == q->brand_id);
}

static json_object *answer_of(const struct question *q, bool visible, const char *lang)
{
	if (!q->answer_id)
		return NULL;
	json_object *a = json_object_new_object();
	json_object_object_add(a, "content",
	                       json_object_new_string(visible ? q->answer : view_message(lang, "qna.private")));
	json_object_object_add(a, "created_at", present_timestamp(q->answer_created_at));
	json_object_object_add(a, "created_text", present_kst_text(q->answer_created_at));
	json_object_object_add(a, "updated_at", present_timestamp(q->answer_updated_at));
	return a;
}

json_object *present_question(const struct question *q, const struct question_viewer *viewer, const char *lang)
{
	bool visible = question_visible(q, viewer), mine = viewer->user_id && viewer->user_id == q->user_id;
	const char *private_text = view_message(lang, "qna.private");
	char asker[256];
	present_masked_name(q->asker_name, asker, sizeof asker);
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(q->id));
	json_object_object_add(o, "product_id", json_object_new_int64(q->product_id));
	json_object_object_add(o, "product_name", json_object_new_string(q->product_name));
	present_coded(o, "type", "qna.type", question_type_names[q->type], lang);
	json_object_object_add(o, "secret", json_object_new_boolean(q->secret));
	json_object_object_add(o, "masked", json_object_new_boolean(!visible));
	json_object_object_add(o, "title", json_object_new_string(visible ? q->title : private_text));
	json_object_object_add(o, "content", json_object_new_string(visible ? q->content : private_text));
	json_object_object_add(o, "asker", json_object_new_string(asker));
	json_object_object_add(o, "mine", json_object_new_boolean(mine));
	json_object_object_add(o, "answered", json_object_new_boolean(q->answered_at[0] != '\0'));
	json_object_object_add(o, "editable", json_object_new_boolean(mine && !q->answered_at[0]));
	json_object_object_add(o, "created_at", present_timestamp(q->created_at));
	json_object_object_add(o, "created_text", present_kst_text(q->created_at));
	json_object_object_add(o, "updated_at", present_timestamp(q->updated_at));
	json_object_object_add(o, "answered_at", present_timestamp(q->answered_at));
	json_object_object_add(o, "answer", answer_of(q, visible, lang));
	return o;
}
