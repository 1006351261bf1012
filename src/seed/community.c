/* The demo shop's community (SPEC §7): after the demo orders, the demo shoppers review the lines
 * delivered to them (a rating, fit feedback, their build when they share it, photos through the
 * media pipeline), like products, and ask the brands questions, some secret, which the brands'
 * sellers answer. All of it through the writers the pages use (src/db/reviews.c, likes.c,
 * questions.c, src/shop/qna.c), so every count and summary is what those rows say. Deterministic
 * (the seed's PRNG with a seed of its own) and done once: a demo shopper with reviews means the
 * community is there. */
#include "seed/community.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/likes.h"
#include "db/orders.h"
#include "db/questions.h"
#include "db/reviews.h"
#include "db/sellers.h"
#include "db/users.h"
#include "seed/draw.h"
#include "shop/order_rules.h"
#include "shop/qna.h"

/* "COMMUNITY" */
static struct rng rng = {0x434F4D4D554E4954ull};

#define MAX_PRODUCTS 400

static const char *const quality[5][2] = {
    {"마감이 아쉽고 한 번 빨았더니 보풀이 생겼어요.", "사진과 색이 많이 달라서 아쉬워요."},
    {"생각했던 재질이 아니라 조금 아쉬워요.", "실밥이 조금 보였어요. 입는 데 문제는 없어요."},
    {"무난하게 입기 좋아요. 세탁 후에 어떨지 지켜볼게요.", "사진보다 색이 살짝 어두워요."},
    {"전체적으로 만족해요. 배송도 빨랐어요.", "가격 대비 괜찮아요. 데일리로 잘 입을 것 같아요."},
    {"재질이 부드럽고 마감이 깔끔해요. 다른 색도 살게요!", "색감이 사진이랑 똑같아요. 정말 만족합니다."},
};
static const char *const fit_words[3][2] = {
    {"한 치수 작게 나온 느낌이라 한 사이즈 크게 추천해요.", "어깨가 조금 끼고 기장이 짧아요."},
    {"평소 입는 사이즈로 주문했는데 딱 맞아요.", "실측 보고 골랐더니 정사이즈예요."},
    {"생각보다 넉넉해서 한 치수 작게 주문해도 될 것 같아요.", "오버핏으로 입기 좋게 크게 나왔어요."},
};

static const struct demo_question {
	int type;
	const char *title, *content, *answer;
} questions[] = {
    {0, "사이즈 문의", "키 170cm에 65kg인데 어떤 사이즈가 맞을까요?",
     "실측 기준으로 한 치수 작은 쪽을 추천드려요. 넉넉한 핏을 원하시면 평소 사이즈도 괜찮습니다."},
    {0, "정사이즈인가요?", "평소 입는 사이즈 그대로 사면 될까요? 상세 실측이 궁금해요.",
     "정사이즈로 나와서 평소 사이즈 그대로 주문하시면 됩니다. 실측은 상품 페이지 표를 참고해 주세요."},
    {1, "배송 언제 되나요?", "오늘 주문하면 언제쯤 받을 수 있을까요?",
     "평일 오후 2시 전 주문은 당일 출고되어 보통 다음 날 받으세요."},
    {2, "재입고 예정 있나요?", "품절된 사이즈 재입고 되나요? 알림 받고 싶어요.", "다음 주 중 재입고 예정입니다."},
    {3, "관리 방법 문의", "세탁이나 손질은 어떻게 하면 되나요?",
     "상품 라벨의 관리 방법을 따라 주시고, 처음엔 단독 세탁을 권해 드려요."},
    {3, "색상 문의", "화면보다 실제 색이 밝은 편인가요?", "실제 색이 사진보다 약간 밝은 편이에요."},
};

/* A review photo: the item laid flat on a floor, in a colour of its own, as a phone would take it. */
static int review_photo(char key[65], char *err, size_t errlen)
{
	static const struct rgb floors[][2] = {
	    {{214, 196, 170}, {176, 150, 118}}, {{236, 234, 230}, {200, 198, 194}}, {{120, 96, 78}, {84, 64, 50}}};
	static const struct rgb items[] = {{30, 30, 34}, {232, 228, 218}, {52, 72, 120}, {150, 40, 44}, {96, 110, 70}};
	const struct rgb *f = floors[rng_range(&rng, 0, 2)];
	struct rgb c = items[rng_range(&rng, 0, 4)];
	struct canvas cv;
	canvas_init(&cv, 720, 900, f[0]);
	canvas_gradient(&cv, f[0], f[1]);
	struct path p = PATH_INIT;
	double w = (double)rng_range(&rng, 420, 600), h = (double)rng_range(&rng, 560, 820);
	path_round_rect(&p, 500 - w / 2 + 24, 625 - h / 2 + 30, 500 + w / 2 + 24, 625 + h / 2 + 30, 60);
	canvas_fill(&cv, &p, (struct rgb){0, 0, 0}, 0.25); /* its shadow */
	path_reset(&p);
	path_round_rect(&p, 500 - w / 2, 625 - h / 2, 500 + w / 2, 625 + h / 2, 60);
	canvas_fill(&cv, &p, c, 1.0);
	path_free(&p);
	struct image img;
	canvas_take(&cv, &img);
	return draw_store(&img, 88, key, err, errlen);
}

/* Weighted: most reviews are 4 or 5 stars, most sizes fit. */
static int draw_rating(void)
{
	double x = rng_unit(&rng);
	return x < 0.45 ? 5 : x < 0.75 ? 4 : x < 0.9 ? 3 : x < 0.96 ? 2 : 1;
}

static enum review_fit draw_fit(void)
{
	double x = rng_unit(&rng);
	return x < 0.65 ? REVIEW_FIT_TRUE : x < 0.85 ? REVIEW_FIT_SMALL : REVIEW_FIT_LARGE;
}

/* One review of a delivered or confirmed line: 0, or -1 with err set. */
static int review_line(long long user_id, long long line_id, char *err, size_t errlen)
{
	struct review_input in = {.rating = draw_rating(), .fit = draw_fit(), .share_profile = rng_unit(&rng) < 0.7};
	char body[512], keys[2][65];
	snprintf(body, sizeof body, "%s %s", quality[in.rating - 1][rng_range(&rng, 0, 1)],
	         fit_words[in.fit - 1][rng_range(&rng, 0, 1)]);
	in.body = body;
	long nphotos = rng_unit(&rng) < 0.3 ? rng_range(&rng, 1, 2) : 0;
	for (long i = 0; i < nphotos; i++) {
		if (review_photo(keys[i], err, errlen) != 0)
			return -1;
		in.photo_keys[in.nphotos++] = keys[i];
	}
	long long id;
	const char *why = NULL;
	enum status st = db_review_create(user_id, line_id, &in, &id, &why);
	if (st != ST_OK) {
		snprintf(err, errlen, "review of line %lld: %s", line_id, why ? why : status_code(st));
		return -1;
	}
	return 0;
}

/* The products of the demo orders (each once), the pool the shoppers like and ask about. */
struct pool {
	long long product[MAX_PRODUCTS], brand[MAX_PRODUCTS];
	size_t n;
};

static void pool_add(struct pool *p, long long product, long long brand)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->product[i] == product)
			return;
	if (p->n < MAX_PRODUCTS) {
		p->product[p->n] = product;
		p->brand[p->n++] = brand;
	}
}

/* The shopper's reviews of three in four of their delivered lines; their products join the pool. */
static int reviews_of(long long user_id, struct pool *pool, int *written, char *err, size_t errlen)
{
	struct order *orders;
	size_t n;
	long long total;
	enum status st = db_orders_of_user(user_id, 1, 100, &orders, &n, &total);
	if (st != ST_OK) {
		snprintf(err, errlen, "orders of shopper %lld: %s", user_id, status_code(st));
		return -1;
	}
	int rc = 0;
	for (size_t i = n; i-- > 0 && rc == 0;) /* oldest first: the newest review is the last written */
		for (size_t k = 0; k < orders[i].nlines && rc == 0; k++) {
			const struct order_line *l = &orders[i].lines[k];
			pool_add(pool, l->product_id, l->brand_id);
			if (order_line_can_review(l) && rng_unit(&rng) < 0.75 &&
			    (rc = review_line(user_id, l->id, err, errlen)) == 0)
				(*written)++;
		}
	orders_free(orders, n);
	return rc;
}

/* The seller who answers for brand_id (the first demo seller of it), or 0. */
static long long seller_of(const struct seed_seller *sellers, size_t nsellers, long long brand_id)
{
	for (size_t i = 0; i < nsellers; i++) {
		struct seller s;
		if (sellers[i].brand_id == brand_id && db_seller_by_email(sellers[i].email, &s) == ST_OK)
			return s.id;
	}
	return 0;
}

/* The shopper likes about a quarter of the pool, and asks four questions; the brands answer two. */
static int likes_and_questions(long long user_id, const struct pool *pool, const struct seed_seller *sellers,
                               size_t nsellers, int counts[3], char *err, size_t errlen)
{
	enum status st = ST_OK;
	for (size_t i = 0; i < pool->n && st == ST_OK; i++) {
		long long like_count;
		if (rng_unit(&rng) < 0.25 && (st = db_like_set(user_id, pool->product[i], true, &like_count)) == ST_OK)
			counts[0]++;
		if (st == ST_NOT_FOUND) /* a product no longer shown cannot be liked */
			st = ST_OK;
	}
	for (int q = 0; q < 4 && st == ST_OK && pool->n > 0; q++) {
		size_t at = (size_t)rng_range(&rng, 0, (long)pool->n - 1);
		const struct demo_question *d =
		    &questions[rng_range(&rng, 0, sizeof questions / sizeof *questions - 1)];
		struct question_input in = {d->type, d->title, d->content, rng_unit(&rng) < 0.3};
		long long id, seller = seller_of(sellers, nsellers, pool->brand[at]);
		st = db_question_create(user_id, pool->product[at], &in, &id);
		if (st == ST_NOT_FOUND) {
			st = ST_OK;
			continue;
		}
		counts[1]++;
		if (st == ST_OK && seller && q % 2 == 0) {
			st = qna_answer(id, pool->brand[at], seller, d->answer, "ko");
			counts[2] += st == ST_OK;
		}
	}
	if (st != ST_OK) {
		snprintf(err, errlen, "likes and questions of shopper %lld: %s", user_id, status_code(st));
		return -1;
	}
	return 0;
}

int seed_community(const char *const *shopper_emails, size_t nshoppers, const struct seed_seller *sellers,
                   size_t nsellers, FILE *out)
{
	char err[256] = "";
	struct user *u = malloc(sizeof *u);
	struct pool *pool = calloc(1, sizeof *pool);
	long long *ids = calloc(nshoppers, sizeof *ids);
	int rc = 0, reviews = 0, counts[3] = {0};
	for (size_t i = 0; i < nshoppers && rc == 0; i++) {
		rc = db_user_by_email(shopper_emails[i], u) == ST_OK ? 0 : -1;
		ids[i] = u->id;
	}
	struct review *mine = NULL;
	size_t n = 0;
	long long total = 0;
	if (rc == 0 && nshoppers > 0 && db_reviews_of_user(ids[0], 1, 1, &mine, &n, &total) == ST_OK && total > 0) {
		free(mine);
		free(u), free(pool), free(ids);
		return 0; /* done before */
	}
	free(mine);
	for (size_t i = 0; i < nshoppers && rc == 0; i++)
		rc = reviews_of(ids[i], pool, &reviews, err, sizeof err);
	for (size_t i = 0; i < nshoppers && rc == 0; i++)
		rc = likes_and_questions(ids[i], pool, sellers, nsellers, counts, err, sizeof err);
	free(u), free(pool), free(ids);
	if (rc != 0) {
		fprintf(stderr, "lonua seed: community: %s\n", err[0] ? err : "a demo shopper is missing");
		return -1;
	}
	fprintf(out, "seeded %d reviews, %d likes, %d questions (%d answered)\n", reviews, counts[0], counts[1],
	        counts[2]);
	return 0;
}
