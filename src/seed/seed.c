#include "seed/seed.h"
#include "seed/community.h"
#include "seed/orders.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "auth/password.h"
#include "db/brands.h"
#include "db/catalog.h"
#include "db/db.h"
#include "db/sellers.h"
#include "db/users.h"
#include "db/products.h"
#include "db/search.h"
#include "util/crypto.h"
#include "seed/draw.h"
#include "util/buf.h"
#include "util/config.h"

#define SEED            0x4C4F4E5541ull /* "LONUA" */
#define IMAGE_W         1080
#define IMAGE_H         1350
#define IMAGE_QUALITY   90 /* what the "upload" is; the pipeline stores its own renditions at 82 */
#define MAX_VARIANTS    5
#define ADMIN_EMAIL     "admin@example.com"
#define ADMIN_PASSWORD  "demo-Admin-1234"
#define SELLER_PASSWORD "demo-Seller-1234"

/* ---- colours --------------------------------------------------------------------------------- */

/* clang-format off */
enum {
	C_BLACK, C_WHITE, C_IVORY, C_NAVY, C_CHARCOAL, C_GRAY, C_MELANGE, C_BEIGE, C_KHAKI, C_OLIVE,
	C_BROWN, C_CAMEL, C_BURGUNDY, C_RED, C_ORANGE, C_MUSTARD, C_MINT, C_SKY, C_BLUE, C_LAVENDER,
	C_PINK, C_CORAL, C_PURPLE, C_GREEN, C_LIGHT_DENIM, C_MID_DENIM, C_DARK_DENIM, C_BLACK_DENIM,
	C_SILVER, C_GOLD, C_ROSE_GOLD, C_TORTOISE, C_NCOLOURS
};
/* clang-format on */

struct colour {
	const char *ko, *en;
	struct rgb rgb;
};

static const struct colour colours[C_NCOLOURS] = {
    [C_BLACK] = {"블랙", "Black", {30, 30, 33}},
    [C_WHITE] = {"화이트", "White", {242, 242, 238}},
    [C_IVORY] = {"아이보리", "Ivory", {236, 228, 208}},
    [C_NAVY] = {"네이비", "Navy", {31, 43, 76}},
    [C_CHARCOAL] = {"차콜", "Charcoal", {62, 64, 68}},
    [C_GRAY] = {"그레이", "Gray", {138, 140, 144}},
    [C_MELANGE] = {"멜란지", "Melange", {178, 178, 180}},
    [C_BEIGE] = {"베이지", "Beige", {212, 190, 158}},
    [C_KHAKI] = {"카키", "Khaki", {118, 116, 76}},
    [C_OLIVE] = {"올리브", "Olive", {94, 98, 52}},
    [C_BROWN] = {"브라운", "Brown", {108, 72, 48}},
    [C_CAMEL] = {"카멜", "Camel", {190, 140, 86}},
    [C_BURGUNDY] = {"버건디", "Burgundy", {112, 30, 44}},
    [C_RED] = {"레드", "Red", {192, 40, 46}},
    [C_ORANGE] = {"오렌지", "Orange", {232, 122, 42}},
    [C_MUSTARD] = {"머스타드", "Mustard", {212, 162, 44}},
    [C_MINT] = {"민트", "Mint", {160, 214, 192}},
    [C_SKY] = {"스카이블루", "Sky blue", {144, 190, 228}},
    [C_BLUE] = {"블루", "Blue", {42, 92, 172}},
    [C_LAVENDER] = {"라벤더", "Lavender", {186, 172, 222}},
    [C_PINK] = {"핑크", "Pink", {236, 172, 186}},
    [C_CORAL] = {"코랄", "Coral", {238, 130, 112}},
    [C_PURPLE] = {"퍼플", "Purple", {102, 62, 132}},
    [C_GREEN] = {"그린", "Green", {42, 110, 72}},
    [C_LIGHT_DENIM] = {"연청", "Light blue", {132, 162, 200}},
    [C_MID_DENIM] = {"중청", "Mid blue", {78, 110, 156}},
    [C_DARK_DENIM] = {"진청", "Dark blue", {38, 54, 92}},
    [C_BLACK_DENIM] = {"흑청", "Washed black", {48, 50, 58}},
    [C_SILVER] = {"실버", "Silver", {194, 196, 200}},
    [C_GOLD] = {"골드", "Gold", {214, 176, 62}},
    [C_ROSE_GOLD] = {"로즈골드", "Rose gold", {218, 150, 130}},
    [C_TORTOISE] = {"호피", "Tortoise", {118, 70, 34}},
};

#define B(c) (1ull << (c))
#define BASICS                                                                                                         \
	(B(C_BLACK) | B(C_WHITE) | B(C_IVORY) | B(C_NAVY) | B(C_CHARCOAL) | B(C_GRAY) | B(C_MELANGE) | B(C_BEIGE))
#define EARTH  (B(C_KHAKI) | B(C_OLIVE) | B(C_BROWN) | B(C_CAMEL))
#define BRIGHT (B(C_RED) | B(C_ORANGE) | B(C_MUSTARD) | B(C_BLUE) | B(C_GREEN) | B(C_BURGUNDY))
#define SOFT   (B(C_MINT) | B(C_SKY) | B(C_LAVENDER) | B(C_PINK) | B(C_CORAL))
#define DENIM  (B(C_LIGHT_DENIM) | B(C_MID_DENIM) | B(C_DARK_DENIM) | B(C_BLACK_DENIM))

static const int accents[] = {C_ORANGE, C_WHITE, C_BLACK, C_RED, C_MUSTARD, C_NAVY, C_SKY, C_IVORY, C_GREEN};

static double luma(struct rgb c)
{
	return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;
}

/* ---- what is sold ---------------------------------------------------------------------------- */

static const char *const TOP_SIZES[] = {"XS", "S", "M", "L", "XL", "XXL", NULL};
static const char *const WAIST_SIZES[] = {"26", "28", "30", "32", "34", NULL};
static const char *const ALPHA_SIZES[] = {"S", "M", "L", "XL", NULL};
static const char *const SHOE_SIZES[] = {"230", "240", "250", "260", "270", "280", "290", NULL};
static const char *const FREE_SIZE[] = {"FREE", NULL};
static const char *const FOOTBALL_SIZES[] = {"3호", "4호", "5호", NULL};
static const char *const BASKETBALL_SIZES[] = {"5호", "6호", "7호", NULL};

/* Measurement columns, in this order everywhere. */
enum { M_SHOULDER, M_CHEST, M_SLEEVE, M_WAIST, M_HIP, M_THIGH, M_RISE, M_HEM, M_LENGTH, M_N };

/* clang-format off */
enum material_set {
	MAT_TOPS, MAT_BOTTOMS, MAT_DENIM, MAT_OUTER, MAT_DRESS, MAT_SHOES, MAT_HATS, MAT_BAGS, MAT_ACC, MAT_SPORTS
};

static const char *const materials[][8] = {
	[MAT_TOPS] = {"코튼", "헤비코튼", "피그먼트", "슬럽", "린넨", "울", "모달", NULL},
	[MAT_BOTTOMS] = {"스트레치", "코튼", "울", "나일론", "린넨", "코듀로이", "트윌", NULL},
	[MAT_DENIM] = {"원워싱", "스톤워싱", "생지", "빈티지워싱", "셀비지", NULL},
	[MAT_OUTER] = {"울", "나일론", "코튼", "캐시미어 블렌드", "립스탑", "스웨이드", NULL},
	[MAT_DRESS] = {"플라워", "린넨", "새틴", "쉬폰", "코튼", "니트", NULL},
	[MAT_SHOES] = {"레더", "캔버스", "스웨이드", "메쉬", "니트", NULL},
	[MAT_HATS] = {"코튼", "워싱", "울", "나일론", "코듀로이", NULL},
	[MAT_BAGS] = {"캔버스", "레더", "나일론", "코튼", "비건 레더", NULL},
	[MAT_ACC] = {"스털링 실버", "데일리", "미니멀", "클래식", "빈티지", NULL},
	[MAT_SPORTS] = {"드라이", "쿨링", "경량", "프로", "매치", NULL},
};
/* clang-format on */

struct kind {
	const char *code;
	int category; /* categories.id of migration 001 */
	enum draw_kind draw;
	int draw_style;
	int count;
	const char *const *nouns; /* Korean; NULL-terminated */
	const char *noun_en;
	const char *const *labels;       /* sizes; FREE_SIZE: the variants are colours */
	int ref;                         /* the label the base measurements are for */
	int min_sizes, max_sizes, first; /* how many consecutive labels, from label >= first mostly */
	short m[M_N];                    /* base measurements in mm (0: not measured) */
	short step[M_N];                 /* per label */
	int price_lo, price_hi;          /* thousands of won */
	uint64_t colours;
	unsigned details; /* DRAW_* bits a product may have */
	unsigned styles;  /* bit i: styles.id i */
	enum material_set material;
	int fits; /* 1: the name may say 오버핏, 슬림핏, ... */
};

#define S(x) (1u << (x))
enum { ST_CASUAL = 1, ST_CHIC, ST_DANDY, ST_STREET, ST_BUSINESS, ST_HIPHOP, ST_FEMININE, ST_OFFICE, ST_SPORTS };

#define N(...) ((const char *const[]){__VA_ARGS__, NULL})
/* clang-format off */
#define TOP_STEP {20, 25, 10, 0, 0, 0, 0, 0, 20}
#define TOP_LONG_STEP {20, 25, 15, 0, 0, 0, 0, 0, 20}
#define BOTTOM_STEP {0, 0, 0, 25, 25, 12, 5, 5, 10}

static const struct kind kinds[] = {
	{"tee", 1, DRAW_TEE, 0, 18, N("반팔 티셔츠", "라운드넥 티셔츠", "포켓 티셔츠", "그래픽 티셔츠"), "T-Shirt",
	 TOP_SIZES, 2, 3, 5, 1, {480, 540, 210, 0, 0, 0, 0, 0, 700}, TOP_STEP, 19, 49, BASICS | SOFT | BRIGHT,
	 DRAW_STRIPES | DRAW_POCKET | DRAW_LOGO, S(ST_CASUAL) | S(ST_STREET) | S(ST_HIPHOP), MAT_TOPS, 1},
	{"sweatshirt", 1, DRAW_TEE, 1, 10, N("긴팔 티셔츠", "맨투맨", "스웨트셔츠"), "Sweatshirt", TOP_SIZES, 2, 3, 5, 1,
	 {480, 550, 600, 0, 0, 0, 0, 0, 690}, TOP_LONG_STEP, 29, 79, BASICS | EARTH | SOFT, DRAW_STRIPES | DRAW_LOGO,
	 S(ST_CASUAL) | S(ST_STREET) | S(ST_HIPHOP), MAT_TOPS, 1},
	{"hoodie", 1, DRAW_TEE, 2, 8, N("후드 티셔츠", "후디", "오버 후드"), "Hoodie", TOP_SIZES, 2, 3, 5, 1,
	 {560, 620, 590, 0, 0, 0, 0, 0, 720}, TOP_LONG_STEP, 39, 99, BASICS | EARTH | BRIGHT, DRAW_LOGO,
	 S(ST_CASUAL) | S(ST_STREET) | S(ST_HIPHOP), MAT_TOPS, 1},
	{"knit", 1, DRAW_TEE, 3, 6, N("니트", "라운드 니트", "케이블 니트", "스웨터"), "Knit Sweater", TOP_SIZES, 2, 3, 4, 1,
	 {470, 540, 600, 0, 0, 0, 0, 0, 660}, {15, 20, 15, 0, 0, 0, 0, 0, 15}, 39, 129, BASICS | EARTH | SOFT,
	 DRAW_STRIPES, S(ST_CASUAL) | S(ST_CHIC) | S(ST_DANDY) | S(ST_FEMININE), MAT_TOPS, 1},
	{"shirt", 1, DRAW_SHIRT, 0, 12, N("셔츠", "옥스포드 셔츠", "린넨 셔츠", "데일리 셔츠"), "Shirt", TOP_SIZES, 2, 3, 5, 1,
	 {460, 550, 610, 0, 0, 0, 0, 0, 760}, TOP_LONG_STEP, 39, 119, BASICS | SOFT | B(C_SKY) | B(C_BLUE),
	 DRAW_STRIPES | DRAW_DOTS | DRAW_POCKET | DRAW_LOGO, S(ST_DANDY) | S(ST_BUSINESS) | S(ST_OFFICE) | S(ST_CASUAL),
	 MAT_TOPS, 1},
	{"blouse", 1, DRAW_SHIRT, 1, 5, N("블라우스", "프릴 블라우스", "라운드 칼라 블라우스"), "Blouse", TOP_SIZES, 2, 2, 4, 1,
	 {380, 480, 580, 0, 0, 0, 0, 0, 640}, {15, 20, 10, 0, 0, 0, 0, 0, 10}, 39, 99, BASICS | SOFT, DRAW_STRIPES,
	 S(ST_FEMININE) | S(ST_OFFICE) | S(ST_CHIC), MAT_TOPS, 0},
	{"jeans", 2, DRAW_PANTS, 0, 12, N("청바지", "스트레이트 청바지", "와이드 청바지", "부츠컷 청바지", "데님 팬츠"),
	 "Denim Jeans", WAIST_SIZES, 2, 3, 5, 0, {0, 0, 0, 381, 510, 310, 290, 205, 1020}, BOTTOM_STEP, 49, 139, DENIM,
	 DRAW_LOGO, S(ST_CASUAL) | S(ST_STREET) | S(ST_HIPHOP), MAT_DENIM, 1},
	{"slacks", 2, DRAW_PANTS, 1, 9, N("슬랙스", "와이드 슬랙스", "치노 팬츠", "턱 팬츠"), "Slacks", WAIST_SIZES, 2, 3, 5,
	 0, {0, 0, 0, 381, 520, 330, 300, 240, 1030}, BOTTOM_STEP, 39, 119, BASICS | EARTH, 0,
	 S(ST_DANDY) | S(ST_BUSINESS) | S(ST_OFFICE) | S(ST_CHIC), MAT_BOTTOMS, 1},
	{"cargo", 2, DRAW_PANTS, 2, 6, N("카고 팬츠", "카고 와이드 팬츠", "파라슈트 카고 팬츠"), "Cargo Pants", ALPHA_SIZES, 1, 2,
	 4, 0, {0, 0, 0, 380, 530, 340, 310, 250, 1040}, {0, 0, 0, 20, 25, 12, 5, 5, 10}, 49, 129, BASICS | EARTH,
	 DRAW_LOGO, S(ST_STREET) | S(ST_HIPHOP), MAT_BOTTOMS, 1},
	{"jogger", 2, DRAW_PANTS, 3, 6, N("조거 팬츠", "스웨트 팬츠", "트레이닝 조거"), "Jogger Pants", ALPHA_SIZES, 1, 2, 4, 0,
	 {0, 0, 0, 360, 510, 320, 290, 140, 980}, {0, 0, 0, 20, 25, 12, 5, 5, 10}, 29, 89, BASICS | EARTH | SOFT,
	 DRAW_STRIPES | DRAW_LOGO, S(ST_CASUAL) | S(ST_STREET) | S(ST_SPORTS), MAT_BOTTOMS, 1},
	{"jacket", 3, DRAW_JACKET, 0, 10, N("블루종", "자켓", "워크 자켓", "트러커 자켓", "봄버 자켓"), "Jacket", TOP_SIZES, 2,
	 3, 5, 1, {490, 590, 620, 0, 0, 0, 0, 0, 700}, TOP_LONG_STEP, 79, 259, BASICS | EARTH | B(C_BURGUNDY),
	 DRAW_STRIPES | DRAW_POCKET | DRAW_LOGO, S(ST_CASUAL) | S(ST_STREET) | S(ST_DANDY), MAT_OUTER, 1},
	{"coat", 3, DRAW_JACKET, 1, 7, N("코트", "롱 코트", "더블 코트", "발마칸 코트"), "Coat", TOP_SIZES, 2, 3, 4, 1,
	 {470, 580, 620, 0, 0, 0, 0, 0, 1150}, {20, 25, 15, 0, 0, 0, 0, 0, 15}, 129, 389,
	 B(C_BLACK) | B(C_CHARCOAL) | B(C_NAVY) | B(C_CAMEL) | B(C_BEIGE) | B(C_IVORY) | B(C_GRAY) | B(C_BROWN), 0,
	 S(ST_CHIC) | S(ST_DANDY) | S(ST_BUSINESS) | S(ST_OFFICE), MAT_OUTER, 0},
	{"padding", 3, DRAW_JACKET, 2, 7, N("패딩", "숏패딩", "경량 패딩", "푸퍼 자켓"), "Puffer Jacket", TOP_SIZES, 2, 3, 5, 1,
	 {520, 640, 640, 0, 0, 0, 0, 0, 720}, TOP_LONG_STEP, 99, 329, BASICS | EARTH | BRIGHT | SOFT, DRAW_STRIPES,
	 S(ST_CASUAL) | S(ST_STREET) | S(ST_SPORTS), MAT_OUTER, 0},
	{"dress", 4, DRAW_DRESS, 0, 10, N("원피스", "슬리브리스 원피스", "플레어 원피스", "미디 원피스"), "Dress", ALPHA_SIZES, 1,
	 2, 4, 0, {320, 440, 0, 370, 0, 0, 0, 0, 1150}, {10, 20, 0, 20, 0, 0, 0, 0, 10}, 49, 189,
	 BASICS | SOFT | BRIGHT, DRAW_DOTS | DRAW_STRIPES | DRAW_LOGO, S(ST_FEMININE) | S(ST_CHIC) | S(ST_CASUAL),
	 MAT_DRESS, 0},
	{"tee-dress", 4, DRAW_DRESS, 1, 9, N("반팔 원피스", "셔링 원피스", "롱 원피스"), "Short-sleeve Dress", ALPHA_SIZES, 1, 2,
	 4, 0, {360, 450, 180, 380, 0, 0, 0, 0, 1180}, {10, 20, 5, 20, 0, 0, 0, 0, 10}, 49, 169, BASICS | SOFT | EARTH,
	 DRAW_DOTS | DRAW_LOGO, S(ST_FEMININE) | S(ST_CASUAL) | S(ST_OFFICE), MAT_DRESS, 0},
	{"mini-skirt", 5, DRAW_SKIRT, 0, 6, N("미니 스커트", "A라인 스커트", "랩 스커트"), "Mini Skirt", ALPHA_SIZES, 1, 2, 4, 0,
	 {0, 0, 0, 340, 470, 0, 0, 560, 420}, {0, 0, 0, 20, 20, 0, 0, 20, 5}, 29, 89, BASICS | SOFT | BRIGHT,
	 DRAW_STRIPES | DRAW_DOTS | DRAW_LOGO, S(ST_FEMININE) | S(ST_CASUAL) | S(ST_CHIC), MAT_DRESS, 0},
	{"pleated", 5, DRAW_SKIRT, 1, 6, N("플리츠 스커트", "롱 플리츠 스커트", "미디 플리츠 스커트"), "Pleated Skirt",
	 ALPHA_SIZES, 1, 2, 4, 0, {0, 0, 0, 340, 0, 0, 0, 760, 800}, {0, 0, 0, 20, 0, 0, 0, 20, 10}, 39, 109,
	 BASICS | SOFT | EARTH, DRAW_STRIPES | DRAW_LOGO, S(ST_FEMININE) | S(ST_OFFICE) | S(ST_CHIC), MAT_DRESS, 0},
	{"pencil", 5, DRAW_SKIRT, 2, 5, N("펜슬 스커트", "H라인 스커트", "슬릿 스커트"), "Pencil Skirt", ALPHA_SIZES, 1, 2, 4, 0,
	 {0, 0, 0, 340, 460, 0, 0, 460, 650}, {0, 0, 0, 20, 20, 0, 0, 15, 10}, 39, 119, BASICS | B(C_BURGUNDY) | B(C_RED),
	 DRAW_STRIPES | DRAW_LOGO, S(ST_OFFICE) | S(ST_CHIC) | S(ST_FEMININE), MAT_DRESS, 0},
	{"sneakers", 6, DRAW_SNEAKER, 0, 12, N("스니커즈", "캔버스 스니커즈", "로우탑 스니커즈", "코트 스니커즈"), "Sneakers",
	 SHOE_SIZES, 2, 3, 5, 0, {0}, {0}, 59, 189, BASICS | SOFT | BRIGHT | EARTH, DRAW_STRIPES,
	 S(ST_CASUAL) | S(ST_STREET) | S(ST_HIPHOP), MAT_SHOES, 0},
	{"runners", 6, DRAW_SNEAKER, 1, 7, N("러닝화", "운동화", "트레이닝화"), "Running Shoes", SHOE_SIZES, 2, 3, 5, 0, {0},
	 {0}, 79, 259, BASICS | SOFT | BRIGHT, 0, S(ST_SPORTS) | S(ST_CASUAL), MAT_SHOES, 0},
	{"loafers", 6, DRAW_SNEAKER, 2, 6, N("로퍼", "페니 로퍼", "태슬 로퍼"), "Loafers", SHOE_SIZES, 2, 3, 5, 0, {0}, {0}, 89,
	 229, B(C_BLACK) | B(C_BROWN) | B(C_BURGUNDY) | B(C_CAMEL) | B(C_NAVY), 0,
	 S(ST_DANDY) | S(ST_BUSINESS) | S(ST_OFFICE), MAT_SHOES, 0},
	{"cap", 7, DRAW_CAP, 0, 7, N("볼캡", "베이스볼 캡", "6패널 캡", "로고 캡"), "Ball Cap", FREE_SIZE, 0, 2, 4, 0, {0}, {0}, 19,
	 49, BASICS | EARTH | BRIGHT | SOFT, DRAW_STRIPES | DRAW_LOGO | DRAW_POCKET,
	 S(ST_STREET) | S(ST_HIPHOP) | S(ST_CASUAL) | S(ST_SPORTS), MAT_HATS, 0},
	{"bucket", 7, DRAW_CAP, 1, 4, N("버킷햇", "벙거지 모자"), "Bucket Hat", FREE_SIZE, 0, 2, 3, 0, {0}, {0}, 25, 59,
	 BASICS | EARTH, DRAW_STRIPES | DRAW_LOGO, S(ST_CASUAL) | S(ST_STREET), MAT_HATS, 0},
	{"beanie", 7, DRAW_CAP, 2, 4, N("비니", "니트 비니", "숏 비니"), "Beanie", FREE_SIZE, 0, 2, 4, 0, {0}, {0}, 19, 45,
	 BASICS | EARTH | BRIGHT, DRAW_STRIPES | DRAW_LOGO | DRAW_POCKET, S(ST_CASUAL) | S(ST_STREET) | S(ST_HIPHOP),
	 MAT_HATS, 0},
	{"tote", 8, DRAW_BAG, 0, 5, N("토트백", "캔버스 토트백", "에코백"), "Tote Bag", FREE_SIZE, 0, 2, 3, 0, {0}, {0}, 29, 129,
	 BASICS | EARTH, DRAW_STRIPES | DRAW_POCKET | DRAW_LOGO, S(ST_CASUAL) | S(ST_FEMININE), MAT_BAGS, 0},
	{"crossbody", 8, DRAW_BAG, 1, 5, N("크로스백", "미니 크로스백", "숄더백"), "Crossbody Bag", FREE_SIZE, 0, 2, 3, 0, {0},
	 {0}, 59, 289, BASICS | EARTH | B(C_BURGUNDY), DRAW_STRIPES | DRAW_LOGO,
	 S(ST_CHIC) | S(ST_FEMININE) | S(ST_CASUAL), MAT_BAGS, 0},
	{"backpack", 8, DRAW_BAG, 2, 5, N("백팩", "데이팩", "스쿨 백팩"), "Backpack", FREE_SIZE, 0, 2, 3, 0, {0}, {0}, 49, 169,
	 BASICS | EARTH | BRIGHT, DRAW_STRIPES | DRAW_LOGO, S(ST_CASUAL) | S(ST_STREET) | S(ST_SPORTS), MAT_BAGS, 0},
	{"necklace", 9, DRAW_NECKLACE, 0, 6, N("목걸이", "펜던트 목걸이", "체인 목걸이"), "Necklace", FREE_SIZE, 0, 2, 3, 0, {0},
	 {0}, 19, 159, B(C_SILVER) | B(C_GOLD) | B(C_ROSE_GOLD), 0, S(ST_CHIC) | S(ST_FEMININE), MAT_ACC, 0},
	{"glasses", 9, DRAW_GLASSES, 0, 4, N("안경", "뿔테 안경", "메탈 안경"), "Glasses", FREE_SIZE, 0, 2, 3, 0, {0}, {0}, 39,
	 129, B(C_BLACK) | B(C_TORTOISE) | B(C_SILVER) | B(C_GOLD) | B(C_NAVY), 0,
	 S(ST_DANDY) | S(ST_BUSINESS) | S(ST_CHIC), MAT_ACC, 0},
	{"sunglasses", 9, DRAW_GLASSES, 1, 4, N("선글라스", "스퀘어 선글라스", "라운드 선글라스"), "Sunglasses", FREE_SIZE, 0, 2,
	 3, 0, {0}, {0}, 49, 159, B(C_BLACK) | B(C_TORTOISE) | B(C_SILVER) | B(C_GOLD), 0, S(ST_CHIC) | S(ST_STREET),
	 MAT_ACC, 0},
	{"football", 10, DRAW_BALL, 0, 4, N("축구공", "풋살공", "트레이닝 축구공"), "Football", FOOTBALL_SIZES, 1, 2, 3, 0, {0},
	 {0}, 19, 69, B(C_WHITE), 0, S(ST_SPORTS), MAT_SPORTS, 0},
	{"basketball", 10, DRAW_BALL, 1, 3, N("농구공", "실내외 겸용 농구공"), "Basketball", BASKETBALL_SIZES, 1, 2, 3, 0, {0},
	 {0}, 29, 79, B(C_ORANGE), 0, S(ST_SPORTS), MAT_SPORTS, 0},
	{"sports-tee", 10, DRAW_TEE, 0, 4, N("트레이닝 티셔츠", "기능성 반팔 티셔츠", "드라이핏 티셔츠"), "Training Tee",
	 TOP_SIZES, 2, 3, 5, 1, {460, 520, 220, 0, 0, 0, 0, 0, 700}, TOP_STEP, 29, 79, BASICS | BRIGHT | SOFT,
	 DRAW_STRIPES | DRAW_LOGO, S(ST_SPORTS), MAT_SPORTS, 0},
	{"track-pants", 10, DRAW_PANTS, 3, 4, N("트랙 팬츠", "트레이닝 팬츠", "러닝 팬츠"), "Track Pants", ALPHA_SIZES, 1, 2, 4,
	 0, {0, 0, 0, 360, 500, 310, 290, 130, 990}, {0, 0, 0, 20, 25, 12, 5, 5, 10}, 39, 99, BASICS | B(C_NAVY),
	 DRAW_STRIPES, S(ST_SPORTS) | S(ST_HIPHOP), MAT_SPORTS, 0},
};
/* clang-format on */
#define NKINDS (sizeof kinds / sizeof *kinds)

static const char *const category_ko[] = {"",     "상의", "하의", "아우터",   "원피스",     "스커트",
                                          "신발", "모자", "가방", "액세서리", "스포츠/용품"};

/* ---- brands ---------------------------------------------------------------------------------- */

struct brand {
	int id;
	const char *name, *code, *style_label, *intro;
	const char *postal, *address, *phone, *brn, *bank, *account, *holder;
	long shipping_fee, free_threshold; /* free_threshold -1: never free */
	const char *return_postal, *return_address;
	long return_cost;
	const char *courier;
	unsigned categories; /* bit i: categories.id i */
	const char *seller_name;
};

/* Seller-entered text of the hostile demo brand (O'Rourke & Kim) that every page showing the
 * brand's introduction or terms, and the API, must give back escaped exactly once
 * (tests/integration/pages.test.mjs, tests/browser/catalog.test.mjs). */
#define BRAND5_INTRO "Tailored in Dublin, finished in Seoul: 출근길의 단정함. <script>alert(1)</script>"
#define BRAND5_RETURN_ADDRESS                                                                                          \
	"서울특별시 영등포구 여의대로 108, 지하 2층 \"><img src=x onerror=alert(1)> & <script>alert(1)</script>"
#define BRAND5_COURIER "우체국택배 ' onfocus='x' &amp; <i>"

/* clang-format off */
static const struct brand brands[] = {
	{1, "Haneul Studio", "HNS", "캐주얼", "매일 입는 옷을 더 편하게. 하늘 스튜디오의 데일리 베이직.", "04778",
	 "서울특별시 성동구 성수이로 113, 3층", "0215440001", "2118800011", "국민은행", "00123456789012", "(주)하늘스튜디오",
	 3000, 50000, "04778", "서울특별시 성동구 성수이로 113, 1층 물류", 3000, "CJ대한통운",
	 S(1) | S(2) | S(3) | S(7), "김하늘"},
	{2, "서울 데님 컴퍼니", "SDC", "스트릿", "원단부터 워싱까지, 서울에서 만드는 데님.", "03997",
	 "서울특별시 마포구 양화로 45, 2층", "0232100002", "1058700022", "신한은행", "110234567890", "서울데님컴퍼니",
	 3000, 70000, "03997", "서울특별시 마포구 양화로 45, 지하 1층", 4000, "한진택배", S(1) | S(2) | S(3) | S(8),
	 "박서울"},
	{3, "Maison Byeol", "MBY", "페미닌", "별처럼 반짝이는 하루를 위한 원피스와 스커트.", "06018",
	 "서울특별시 강남구 도산대로 318, 5층", "025430003", "2208100033", "우리은행", "1002345678901", "메종별",
	 2500, 30000, "06018", "경기도 김포시 고촌읍 아라육로 57, 메종별 물류센터", 3000, "CJ대한통운",
	 S(1) | S(4) | S(5) | S(8) | S(9), "이별"},
	{4, "댄디랩", "DDL", "댄디", "셔츠 한 장도 실험실처럼 정밀하게.", "04524", "서울특별시 중구 을지로 170, 7층",
	 "0277800004", "1208600044", "하나은행", "35791024681357", "(주)댄디랩", 3500, 100000, "04524",
	 "서울특별시 중구 을지로 170, 1층 반품실", 5000, "롯데택배", S(1) | S(2) | S(3) | S(6), "정댄디"},
	/* The hostile demo brand: its introduction and return terms are markup too (see hostile[]). */
	{5, "O'Rourke & Kim", "ORK", "비지니스 캐주얼", BRAND5_INTRO, "07327",
	 "서울특별시 영등포구 여의대로 108, 12층", "15880005", "1078100055", "기업은행", "01098765432101", "오로크앤킴",
	 3000, 80000, "07327", BRAND5_RETURN_ADDRESS, 6000, BRAND5_COURIER,
	 S(1) | S(2) | S(3) | S(6) | S(9), "Sean O'Rourke"},
	{6, "Runway Nine", "RN9", "스포츠", "달리는 사람을 위한 가장 가벼운 장비.", "13487", "경기도 성남시 분당구 판교역로 235, 4층",
	 "0317000006", "1298700066", "농협은행", "3021234567811", "러닝웨이나인", 0, -1, "13487",
	 "경기도 성남시 분당구 판교역로 235, 물류동", 3000, "CJ대한통운", S(1) | S(2) | S(6) | S(7) | S(10),
	 "최러너"},
	{7, "Noir Atelier", "NOA", "시크", "검은색 하나로 완성하는 실루엣.", "06035", "서울특별시 강남구 압구정로 165, 2층",
	 "025110007", "2118700077", "국민은행", "00987654321098", "느와르아뜰리에", 4000, 150000, "06035",
	 "서울특별시 강남구 압구정로 165, 지하 1층", 6000, "한진택배", S(3) | S(4) | S(5) | S(8) | S(9), "윤느와르"},
	{8, "스트릿 블룸", "STB", "힙합", "거리에서 피어나는 그래픽과 컬러.", "04043", "서울특별시 마포구 와우산로 94, 1층",
	 "01098760008", "1098100088", "카카오뱅크", "3333012345678", "스트릿블룸", 3000, -1, "04043",
	 "서울특별시 마포구 와우산로 94, 1층", 3000, "CJ대한통운", S(1) | S(2) | S(7) | S(6), "한블룸"},
	{9, "Petit Pas", "PTP", "페미닌", "작은 걸음, 작은 가방, 작은 반짝임.", "48058", "부산광역시 해운대구 센텀중앙로 79, 9층",
	 "0517400009", "6178100099", "부산은행", "1122334455667", "쁘띠빠", 2500, 40000, "48058",
	 "부산광역시 해운대구 센텀중앙로 79, 물류실", 3000, "롯데택배", S(7) | S(8) | S(9) | S(6), "오쁘띠"},
	{10, "산들 아웃도어", "SDO", "캐주얼", "산들바람 부는 날, 어디든 나서는 아웃도어.", "24232", "강원특별자치도 춘천시 중앙로 12, 2층",
	 "0332500010", "2218100100", "신한은행", "140012345678", "산들아웃도어", 3000, 60000, "24232",
	 "강원특별자치도 춘천시 중앙로 12, 창고", 4000, "우체국택배", S(3) | S(10) | S(8) | S(7), "강산들"},
};
/* clang-format on */
#define NBRANDS (sizeof brands / sizeof *brands)

/* Names that prove every page and the API escape what sellers type. */
static const struct {
	const char *kind, *name;
} hostile[] = {
    {"shirt", "<script>alert(\"x\")</script> 셔츠"},
    {"hoodie", "O'Neil \"Quote\" 후드"},
    {"tee", "이모지 👕✨ 티셔츠"},
    {"slacks", "&amp; 앰퍼샌드 팬츠"},
    {"pleated", "{{title}} 중괄호 스커트"},
};

/* ---- the plan -------------------------------------------------------------------------------- */

enum product_state { ACTIVE, DRAFT, HIDDEN };

struct variant {
	const char *size;
	int colour; /* -1: the product's one colour (color column '') */
	int stock;
	int m[M_N]; /* 0: NULL */
};

struct product {
	int id;          /* number in the plan, 1..n: drives its PRNG stream, status, sold-out and SKU */
	long long db_id; /* products.id, once inserted */
	const struct kind *kind;
	const struct brand *brand;
	int style_id, colour, accent;
	enum product_state status;
	char name[200];
	char description[1400];
	long list_price, sale_price;
	long created_ago; /* seconds before the seed ran */
	int nvariants;
	struct variant v[MAX_VARIANTS];
	int nimages;
	unsigned details;
	char image_key[2][CRYPTO_SHA256_HEX + 1];
};

static size_t count_of(const char *const *list)
{
	size_t n = 0;
	while (list[n])
		n++;
	return n;
}

static const char *pick(struct rng *r, const char *const *list)
{
	return list[rng_range(r, 0, (long)count_of(list) - 1)];
}

static int pick_colour(struct rng *r, uint64_t mask, uint64_t exclude)
{
	int options[C_NCOLOURS], n = 0;
	for (int c = 0; c < C_NCOLOURS; c++)
		if ((mask & B(c)) && !(exclude & B(c)))
			options[n++] = c;
	if (n == 0)
		return -1;
	return options[rng_range(r, 0, n - 1)];
}

static int round5(double v)
{
	return (int)((v + 2.5) / 5) * 5;
}

static void make_variants(struct product *p, struct rng *r)
{
	const struct kind *k = p->kind;
	if (k->labels == FREE_SIZE) { /* one size in 2-4 colours; the first is the picture's */
		int n = (int)rng_range(r, k->min_sizes, k->max_sizes);
		uint64_t used = B(p->colour);
		p->v[0] = (struct variant){"FREE", p->colour, 0, {0}};
		p->nvariants = 1;
		for (int i = 1; i < n; i++) {
			int c = pick_colour(r, k->colours, used);
			if (c < 0)
				break;
			used |= B(c);
			p->v[p->nvariants++] = (struct variant){"FREE", c, 0, {0}};
		}
		if (p->nvariants < 2) /* necklaces: three metals at most */
			p->v[p->nvariants++] = (struct variant){"FREE", pick_colour(r, BASICS, used), 0, {0}};
	} else {
		int nl = (int)count_of(k->labels);
		int hi = k->max_sizes < nl ? k->max_sizes : nl;
		int n = (int)rng_range(r, k->min_sizes, hi);
		int first = k->first <= nl - n ? k->first : nl - n;
		int start = rng_unit(r) < 0.7 ? first : (int)rng_range(r, 0, nl - n);
		/* the product's cut: one offset for every size */
		int off[M_N] = {0};
		for (int j = 0; j < M_N; j++)
			off[j] = (int)rng_range(r, -3, 3) * 5;
		if (strstr(p->name, "오버") || strstr(p->name, "박시")) {
			off[M_SHOULDER] += 50;
			off[M_CHEST] += 45;
			off[M_LENGTH] += 20;
		} else if (strstr(p->name, "슬림")) {
			off[M_CHEST] -= 25;
			off[M_THIGH] -= 25;
			off[M_HEM] -= 20;
		}
		if (strstr(p->name, "와이드")) {
			off[M_THIGH] += 35;
			off[M_HEM] += 45;
		}
		if (strstr(p->name, "크롭"))
			off[M_LENGTH] -= 120;
		for (int i = 0; i < n; i++) {
			struct variant *v = &p->v[i];
			int idx = start + i;
			v->size = k->labels[idx];
			v->colour = -1;
			for (int j = 0; j < M_N; j++)
				v->m[j] = k->m[j] ? round5(k->m[j] + (idx - k->ref) * k->step[j] + off[j]) : 0;
		}
		p->nvariants = n;
	}
	for (int i = 0; i < p->nvariants; i++) /* some sizes run out */
		p->v[i].stock = rng_unit(r) < 0.13 ? 0 : (int)rng_range(r, 1, 40);
	if (p->id % 29 == 11) { /* and a few whole products */
		for (int i = 0; i < p->nvariants; i++)
			p->v[i].stock = 0;
	} else {
		int any = 0;
		for (int i = 0; i < p->nvariants; i++)
			any |= p->v[i].stock > 0;
		if (!any)
			p->v[p->nvariants - 1].stock = (int)rng_range(r, 1, 12);
	}
}

static void make_name(struct product *p, struct rng *r)
{
	static const char *const fits[] = {"오버핏", "세미오버핏", "레귤러핏", "슬림핏", "릴렉스드핏", "박시", NULL};
	static const char *const tags[] = {"단독", "리오더", "NEW", "BEST", "한정", NULL};
	static const char *const adjectives_en[] = {"Essential", "Relaxed",   "Classic",     "Vintage",
	                                            "Daily",     "Signature", "Heavyweight", "Light",
	                                            "Urban",     "Everyday",  NULL};
	const struct kind *k = p->kind;
	const char *noun = pick(r, k->nouns), *mat = pick(r, materials[k->material]);
	const char *fit = k->fits && rng_unit(r) < 0.6 ? pick(r, fits) : NULL;
	int multi = k->labels == FREE_SIZE;
	const struct colour *c = &colours[p->colour];
	char fitsp[40] = "";
	if (fit)
		snprintf(fitsp, sizeof fitsp, "%s ", fit);
	int format = (int)rng_range(r, 0, 9);
	if (strcmp(k->code, "jeans") == 0 && format >= 8)
		format = 0; /* jeans keep a Korean name: search for 바지 must find 청바지 */
	if (format <= 4) {
		if (multi)
			snprintf(p->name, sizeof p->name, "%s%s %s", fitsp, mat, noun);
		else
			snprintf(p->name, sizeof p->name, "%s%s %s %s", fitsp, mat, noun, c->ko);
	} else if (format <= 6) {
		char en[32];
		size_t i = 0;
		for (; c->en[i] && i + 1 < sizeof en; i++)
			en[i] = (char)toupper((unsigned char)c->en[i]);
		en[i] = '\0';
		if (multi)
			snprintf(p->name, sizeof p->name, "%s %s", mat, noun);
		else
			snprintf(p->name, sizeof p->name, "%s %s (%s)", mat, noun, en);
	} else if (format == 7) {
		snprintf(p->name, sizeof p->name, "[%s] %s%s", pick(r, tags), fitsp, noun);
	} else {
		if (multi)
			snprintf(p->name, sizeof p->name, "%s %s", pick(r, adjectives_en), k->noun_en);
		else
			snprintf(p->name, sizeof p->name, "%s %s - %s", pick(r, adjectives_en), k->noun_en, c->en);
	}
}

static void make_description(struct product *p, struct rng *r)
{
	static const char *const lines[] = {
	    "매일 손이 가는 기본 아이템입니다.",
	    "여유 있는 실루엣으로 편안하게 착용할 수 있습니다.",
	    "탄탄한 원단으로 오래 두고 쓸 수 있습니다.",
	    "어떤 스타일에도 잘 어울리는 컬러입니다.",
	    "가볍고 부드러운 착용감이 특징입니다.",
	    "시즌을 타지 않는 디자인으로 활용도가 높습니다.",
	    NULL,
	};
	static const char *const care[] = {
	    "30도 이하 물에서 뒤집어 세탁해 주세요.",
	    "드라이클리닝을 권장합니다.",
	    "찬물에 단독 손세탁해 주세요.",
	    "물세탁을 피하고 마른 천으로 닦아 주세요.",
	    NULL,
	};
	struct buf b = BUF_INIT;
	const struct kind *k = p->kind;
	buf_printf(&b, "%s의 %s 제품입니다. %s\n\n", p->brand->name, category_ko[k->category], pick(r, lines));
	buf_printf(&b, "· 소재: %s\n· 색상: ", pick(r, materials[k->material]));
	if (p->v[0].colour >= 0) {
		for (int i = 0; i < p->nvariants; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", colours[p->v[i].colour].ko);
	} else {
		buf_puts(&b, colours[p->colour].ko);
	}
	buf_puts(&b, "\n· 사이즈: ");
	for (int i = 0; i < p->nvariants; i++) {
		if (i && strcmp(p->v[i].size, p->v[i - 1].size) == 0)
			continue;
		buf_printf(&b, "%s%s", i ? ", " : "", p->v[i].size);
	}
	buf_printf(&b, "\n· 세탁: %s", pick(r, care));
	if (p->v[0].m[M_CHEST] || p->v[0].m[M_WAIST])
		buf_puts(&b, "\n\n실측 사이즈는 재는 방법에 따라 1~3cm 차이가 있을 수 있습니다.");
	snprintf(p->description, sizeof p->description, "%s", buf_str(&b));
	buf_free(&b);
}

/* Fills p (id, kind and brand set) from its own stream of the PRNG. */
static void make_product(struct product *p, int *hostile_done)
{
	const struct kind *k = p->kind;
	struct rng r;
	rng_seed(&r, SEED ^ ((uint64_t)p->id * 0x9E3779B97F4A7C15ull));

	int styles[10], ns = 0;
	for (int s = 1; s <= 9; s++)
		if (k->styles & S(s))
			styles[ns++] = s;
	p->style_id = styles[rng_range(&r, 0, ns - 1)];
	p->colour = pick_colour(&r, k->colours, 0);
	p->status = p->id % 41 == 7 ? DRAFT : p->id % 53 == 20 ? HIDDEN : ACTIVE;
	make_name(p, &r);
	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		if (p->status == ACTIVE && !(*hostile_done & (1 << i)) && strcmp(hostile[i].kind, k->code) == 0) {
			snprintf(p->name, sizeof p->name, "%s", hostile[i].name);
			*hostile_done |= 1 << i;
			break;
		}
	}
	make_variants(p, &r);
	make_description(p, &r);

	/* price: whole thousands, mostly ending in 9 */
	long kp = rng_range(&r, k->price_lo, k->price_hi);
	if (rng_unit(&r) < 0.6) {
		kp = kp / 10 * 10 + 9;
		if (kp > k->price_hi)
			kp -= 10;
	} else {
		kp = kp / 5 * 5;
	}
	if (kp < k->price_lo)
		kp = k->price_lo;
	p->list_price = kp * 1000;
	p->sale_price = p->list_price;
	if (rng_unit(&r) < 0.4) {
		long pct = rng_range(&r, 10, 50);
		p->sale_price = (p->list_price * (100 - pct) / 100 + 50) / 100 * 100;
		if (p->sale_price >= p->list_price)
			p->sale_price = p->list_price - 100;
	}

	p->created_ago = rng_range(&r, 3600, 120L * 86400);
	/* No counter is made up here: the demo orders sell (src/seed/orders.c), and the demo shoppers
	 * like and review (src/seed/community.c). The draws of the retired invented likes and ratings
	 * stay, so that the rest of the plan and the pictures stay as they were. */
	(void)rng_unit(&r);
	if (p->status != DRAFT) {
		(void)rng_range(&r, 0, 6);
		(void)rng_unit(&r);
		(void)rng_range(&r, 0, 40);
		(void)rng_unit(&r);
		(void)rng_unit(&r);
	}
	/* The draws of the retired invented body-type counters, kept so that the pictures below stay
	 * as they were. */
	(void)rng_range(&r, 2, 5);
	for (int i = 0; i < 6; i++)
		(void)rng_unit(&r);

	/* the pictures: the accent must stand out from the colour */
	p->accent = accents[0];
	for (int tries = 0; tries < 12; tries++) {
		int a = accents[rng_range(&r, 0, (long)(sizeof accents / sizeof *accents) - 1)];
		double d = luma(colours[a].rgb) - luma(colours[p->colour].rgb);
		if (a != p->colour && (d > 60 || d < -60)) {
			p->accent = a;
			break;
		}
	}
	p->details = 0;
	for (unsigned bit = 1; bit <= DRAW_DOTS; bit <<= 1)
		if ((k->details & bit) && rng_unit(&r) < 0.35)
			p->details |= bit;
	p->nimages = rng_unit(&r) < 0.2 ? 2 : 1;
}

struct plan {
	struct product *products;
	size_t n;
};

/* Every product, its id, kind and brand: kinds in table order, shuffled, numbered 1..n. */
static void make_plan(struct plan *plan)
{
	size_t n = 0;
	for (size_t k = 0; k < NKINDS; k++)
		n += (size_t)kinds[k].count;
	plan->products = xcalloc(n, sizeof *plan->products);
	plan->n = n;
	size_t i = 0;
	for (size_t k = 0; k < NKINDS; k++) {
		const struct brand *carry[NBRANDS];
		size_t nc = 0;
		for (size_t b = 0; b < NBRANDS; b++)
			if (brands[b].categories & S(kinds[k].category))
				carry[nc++] = &brands[b];
		for (int j = 0; j < kinds[k].count; j++, i++) {
			plan->products[i].kind = &kinds[k];
			plan->products[i].brand = carry[((size_t)j + k) % nc];
		}
	}
	struct rng r;
	rng_seed(&r, SEED);
	for (size_t j = n - 1; j > 0; j--) {
		size_t o = (size_t)rng_range(&r, 0, (long)j);
		struct product t = plan->products[j];
		plan->products[j] = plan->products[o];
		plan->products[o] = t;
	}
	int hostile_done = 0;
	for (size_t j = 0; j < n; j++) {
		plan->products[j].id = (int)j + 1;
		make_product(&plan->products[j], &hostile_done);
	}
}

/* ---- pictures -------------------------------------------------------------------------------- */

static int make_images(struct product *p, char *err, size_t errlen)
{
	const struct kind *k = p->kind;
	for (int i = 0; i < p->nimages; i++) {
		struct draw_spec spec = {
		    k->draw, k->draw_style,         colours[p->colour].rgb, colours[p->accent].rgb, p->details,
		    i,       SEED ^ (uint64_t)p->id};
		if (k->draw == DRAW_BALL && k->draw_style == 0)
			spec.accent = colours[C_BLACK].rgb;
		if (strcmp(k->code, "jeans") == 0)
			spec.accent = (struct rgb){214, 150, 62}; /* stitching */
		struct image img;
		draw_product(&spec, IMAGE_W, IMAGE_H, &img);
		if (draw_store(&img, IMAGE_QUALITY, p->image_key[i], err, errlen) != 0)
			return -1;
	}
	return 0;
}

/* ---- the database ---------------------------------------------------------------------------- */

/* The demo brand's key: 32 bytes from the seed's PRNG (so the printed demo keys stay the same run
 * after run), as text and as the SHA-256 the table keeps. */
static void brand_key(const struct brand *b, unsigned char key[32], char text[44], unsigned char hash[32])
{
	struct rng r;
	rng_seed(&r, SEED ^ 0xB4A2D0000ull ^ (uint64_t)b->id);
	for (int i = 0; i < 32; i += 8) {
		uint64_t v = rng_next(&r);
		for (int j = 0; j < 8; j++)
			key[i + j] = (unsigned char)(v >> (8 * j));
	}
	crypto_base64url(key, 32, text);
	crypto_sha256(key, 32, hash);
}

struct brand_tx {
	const struct brand *b;
	struct plan *plan;
	long long brand_id; /* brands.id, once inserted */
	const unsigned char *key_hash;
	const char *seller_hash;
	char seller_email[64];
	char err[200];
};

static enum status brand_tx_run(void *ctx)
{
	struct brand_tx *t = ctx;
	const struct brand *b = t->b;
	struct brand_new nb = {
	    .name = b->name,
	    .key_hash = t->key_hash,
	    .introduction = b->intro,
	    .style_label = b->style_label,
	    .business_postal_code = b->postal,
	    .business_address = b->address,
	    .phone = b->phone,
	    .business_registration_number = b->brn,
	    .bank_name = b->bank,
	    .bank_account_number = b->account,
	    .bank_account_holder = b->holder,
	    .shipping_fee = b->shipping_fee,
	    .free_shipping_threshold = b->free_threshold,
	    .return_postal_code = b->return_postal,
	    .return_address = b->return_address,
	    .return_courier = b->courier,
	    .return_shipping_cost = b->return_cost,
	};
	long long seller_id;
	enum status rc = db_brand_create(&nb, &t->brand_id);
	if (rc != ST_OK) {
		snprintf(t->err, sizeof t->err, "cannot insert the brand");
		return rc;
	}
	rc = db_seller_create(t->brand_id, t->seller_email, t->seller_hash, b->seller_name, NULL, &seller_id);
	if (rc != ST_OK) {
		snprintf(t->err, sizeof t->err, "cannot insert the seller");
		return rc;
	}
	for (size_t i = 0; i < t->plan->n; i++) {
		struct product *p = &t->plan->products[i];
		if (p->brand != b)
			continue;
		struct product_fields pf = {
		    .category_id = p->kind->category,
		    .style_id = p->style_id,
		    .name = p->name,
		    .description = p->description,
		    .list_price = p->list_price,
		    .sale_price = p->sale_price,
		    .status = p->status == ACTIVE  ? PRODUCT_ACTIVE
		              : p->status == DRAFT ? PRODUCT_DRAFT
		                                   : PRODUCT_HIDDEN,
		    .created_ago = p->created_ago,
		};
		rc = db_product_insert(t->brand_id, &pf, &p->db_id);
		if (rc != ST_OK) {
			snprintf(t->err, sizeof t->err, "cannot insert product %d of the plan", p->id);
			return rc;
		}
		for (int j = 0; j < p->nimages; j++) {
			struct product_image img = {.width = IMAGE_W, .height = IMAGE_H};
			snprintf(img.key, sizeof img.key, "%s", p->image_key[j]);
			rc = db_product_image_insert(p->db_id, IMAGE_GALLERY, j, &img, p->created_ago);
			if (rc != ST_OK) {
				snprintf(t->err, sizeof t->err, "cannot insert an image of product %lld", p->db_id);
				return rc;
			}
		}
		for (int j = 0; j < p->nvariants; j++) {
			const struct variant *v = &p->v[j];
			char sku[64];
			snprintf(sku, sizeof sku, "%s-%05d-%02d", b->code, p->id, j + 1);
			struct variant_fields vf = {
			    .size_label = v->size,
			    .color = v->colour >= 0 ? colours[v->colour].ko : "",
			    .sku = sku,
			    .stock = v->stock,
			    .sort_order = j,
			    .created_ago = p->created_ago,
			};
			for (int m = 0; m < M_N; m++)
				vf.mm[m] = (int)v->m[m]; /* the same order as enum measure */
			rc = db_variant_insert(p->db_id, t->brand_id, &vf, NULL);
			if (rc != ST_OK) {
				snprintf(t->err, sizeof t->err, "cannot insert a variant of product %lld", p->db_id);
				return rc;
			}
		}
	}
	return ST_OK;
}

/* brands.id of the demo brand b when it is there (seeded before), 0 when not, -1 on error. */
static long long brand_id_of(const struct brand *b)
{
	long long id = 0;
	enum status st = db_brand_id_by_name(b->name, &id);
	return st == ST_OK ? id : st == ST_NOT_FOUND ? 0 : -1;
}

/* The demo shoppers: each body type and style the recommendations and size advice tell apart,
 * active (as if they had opened their verification mail), created through the sign-up's writers. */
static const struct demo_shopper {
	const char *email, *name, *gender, *birth, *phone, *address;
	int style, upper, lower, height, weight;
} shoppers[] = {
    {"shopper1@example.com", "김민지", "W", "1996-04-12", "01020000001", "서울특별시 마포구 월드컵북로 21", 8, 1, 1,
     162, 48},
    {"shopper2@example.com", "이준호", "M", "1991-09-30", "01020000002", "서울특별시 강남구 테헤란로 152", 3, 2, 2, 176,
     72},
    {"shopper3@example.com", "박서연", "W", "1988-01-05", "01020000003", "부산광역시 해운대구 해운대로 570", 5, 2, 3,
     158, 60},
    {"shopper4@example.com", "최도윤", "M", "1999-07-21", "01020000004", "경기도 성남시 분당구 판교로 242", 4, 3, 3,
     183, 95},
    {"shopper5@example.com", "정하은", "W", "2001-11-02", "01020000005", "대구광역시 중구 동성로 10", 1, 1, 2, 167, 52},
    {"shopper6@example.com", "한지우", "M", "1985-03-17", "01020000006", "인천광역시 연수구 센트럴로 160", 9, 3, 2, 171,
     84},
    /* builds close to the first two: "reviews from people like me" has someone to show them */
    {"shopper7@example.com", "윤서아", "W", "1998-06-09", "01020000007", "서울특별시 성동구 왕십리로 83", 8, 1, 1, 160,
     47},
    {"shopper8@example.com", "강태민", "M", "1993-12-24", "01020000008", "광주광역시 서구 상무중앙로 7", 3, 2, 2, 178,
     74},
};
#define SHOPPER_PASSWORD "demo-Shopper-1234"

struct shopper_tx {
	const struct demo_shopper *d;
	const char *hash;
};

static enum status shopper_tx_run(void *ctx)
{
	struct shopper_tx *t = ctx;
	const struct demo_shopper *d = t->d;
	long long birth = atoll(d->birth) * 10000 + atoll(d->birth + 5) * 100 + atoll(d->birth + 8), id;
	struct user_profile p = {
	    .name = d->name,
	    .birth_date = birth,
	    .gender = d->gender,
	    .phone = d->phone,
	    .postal_code = "04524",
	    .address = d->address,
	    .preferred_style_id = d->style,
	    .upper_body_type = d->upper,
	    .lower_body_type = d->lower,
	    .height_cm = d->height,
	    .weight_kg = d->weight,
	};
	enum status st = db_user_create(d->email, t->hash, &p, &id);
	return st == ST_OK ? db_user_activate(id, true) : st;
}

/* The admin and the demo shoppers, unless they are there already. Returns 0 or -1 (err says why). */
static int seed_people(char *err, size_t errlen)
{
	char hash[PASSWORD_HASH_MAX];
	struct user u;
	long long id;
	enum status st = db_user_by_email(ADMIN_EMAIL, &u);
	if (st == ST_NOT_FOUND) {
		st = password_hash(ADMIN_PASSWORD, hash);
		if (st == ST_OK)
			st = db_user_create_admin(ADMIN_EMAIL, hash, "데모 관리자", &id);
	}
	if (st != ST_OK) {
		snprintf(err, errlen, "cannot add the demo admin (%s)", status_code(st));
		return -1;
	}
	if (password_hash(SHOPPER_PASSWORD, hash) != ST_OK) {
		snprintf(err, errlen, "argon2 failed");
		return -1;
	}
	for (size_t i = 0; i < sizeof shoppers / sizeof *shoppers; i++) {
		st = db_user_by_email(shoppers[i].email, &u);
		if (st == ST_NOT_FOUND) {
			struct shopper_tx t = {&shoppers[i], hash};
			st = db_transaction(shopper_tx_run, &t, 3);
		}
		if (st != ST_OK) {
			snprintf(err, errlen, "cannot add the demo shopper %s (%s)", shoppers[i].email,
			         status_code(st));
			return -1;
		}
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* mkdir -p */
static int make_dirs(const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s", path);
	for (char *s = tmp + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return mkdir(tmp, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

int seed_run(FILE *out)
{
	double t0 = now_s();
	char err[256];
	if (make_dirs(config.media_dir) != 0) {
		fprintf(stderr, "lonua seed: cannot create LONUA_MEDIA_DIR %s: %s\n", config.media_dir,
		        strerror(errno));
		return -1;
	}
	long ref[3] = {0};
	int qrc = catalog_reference_counts(ref);
	if (qrc == ST_UNAVAILABLE) {
		fprintf(stderr, "lonua seed: cannot connect to the database (LONUA_DB_*)\n");
		return -1;
	}
	if (qrc != ST_OK) {
		fprintf(stderr,
		        "lonua seed: cannot read the reference data: is the database migrated (lonua migrate)?\n");
		return -1;
	}
	if (ref[0] < 10 || ref[1] < 9 || ref[2] < 4) {
		fprintf(stderr, "lonua seed: categories, styles or grades are missing: run lonua migrate first\n");
		return -1;
	}

	struct plan plan;
	make_plan(&plan);
	int rc = 0, new_brands = 0;
	size_t done = 0, new_products = 0, new_images = 0;
	char seller_hash[PASSWORD_HASH_MAX];
	if (password_hash(SELLER_PASSWORD, seller_hash) != ST_OK) {
		fprintf(stderr, "lonua seed: argon2 failed\n");
		free(plan.products);
		return -1;
	}
	long long ids[NBRANDS] = {0};
	for (size_t bi = 0; bi < NBRANDS && rc == 0; bi++) {
		const struct brand *b = &brands[bi];
		ids[bi] = brand_id_of(b);
		if (ids[bi] < 0) {
			rc = -1;
			break;
		}
		if (ids[bi] == 0) {
			for (size_t i = 0; i < plan.n; i++) {
				if (plan.products[i].brand != b)
					continue;
				if (make_images(&plan.products[i], err, sizeof err) != 0) {
					fprintf(stderr, "lonua seed: picture of product %d: %s\n", plan.products[i].id,
					        err);
					rc = -1;
					break;
				}
				new_images += (size_t)plan.products[i].nimages;
				new_products++;
				if (++done % 50 == 0) {
					fprintf(out, "seed: %zu/%zu products\n", done, plan.n);
					fflush(out);
				}
			}
			if (rc)
				break;
			unsigned char key[32], key_hash[32];
			char key_text[44];
			brand_key(b, key, key_text, key_hash);
			struct brand_tx t = {b, &plan, 0, key_hash, seller_hash, "", ""};
			snprintf(t.seller_email, sizeof t.seller_email, "seller%d@example.com", b->id);
			int trc = db_transaction(brand_tx_run, &t, 3);
			if (trc != ST_OK) {
				fprintf(stderr, "lonua seed: brand %s: %s\n", b->name,
				        t.err[0] ? t.err : "transaction failed");
				rc = -1;
				break;
			}
			ids[bi] = t.brand_id;
			new_brands++;
			/* After the commit: the search table is not transactional (a crash in between is
			 * mended by `lonua search reindex`). */
			if (search_index_brand(ids[bi]) != ST_OK) {
				fprintf(stderr, "lonua seed: cannot index the products of brand %s for search\n",
				        b->name);
				rc = -1;
			}
		} else {
			for (size_t i = 0; i < plan.n; i++) {
				if (plan.products[i].brand == b && ++done % 50 == 0) {
					fprintf(out, "seed: %zu/%zu products\n", done, plan.n);
					fflush(out);
				}
			}
		}
	}
	if (rc == 0 && seed_people(err, sizeof err) != 0) {
		fprintf(stderr, "lonua seed: %s\n", err);
		rc = -1;
	}
	if (rc == 0) {
		const char *emails[sizeof shoppers / sizeof *shoppers];
		for (size_t i = 0; i < sizeof shoppers / sizeof *shoppers; i++)
			emails[i] = shoppers[i].email;
		rc = seed_orders(emails, sizeof shoppers / sizeof *shoppers, ADMIN_EMAIL, out);
		struct seed_seller sellers[NBRANDS];
		char seller_emails[NBRANDS][48];
		for (size_t bi = 0; bi < NBRANDS; bi++) {
			snprintf(seller_emails[bi], sizeof seller_emails[bi], "seller%d@example.com", brands[bi].id);
			sellers[bi] = (struct seed_seller){ids[bi], seller_emails[bi]};
		}
		if (rc == 0)
			rc = seed_community(emails, sizeof shoppers / sizeof *shoppers, sellers, NBRANDS, out);
	}
	free(plan.products);
	if (rc != 0)
		return -1;

	long c[8] = {0};
	catalog_shop_counts(c);
	if (new_brands == 0)
		fprintf(out, "already seeded: nothing to add\n");
	else
		fprintf(out, "seeded %d brands, %zu products, %zu images in %.1f s\n", new_brands, new_products,
		        new_images, now_s() - t0);
	fprintf(out,
	        "the shop holds %ld brands, %ld products (%ld active, %ld on sale, %ld sold out), %ld variants,"
	        " %ld images, %ld search rows\n",
	        c[0], c[1], c[2], c[5], c[6], c[3], c[4], c[7]);
	fprintf(out, "demo brands (brand id, brand key for seller sign-up, seller login, name):\n");
	for (size_t bi = 0; bi < NBRANDS; bi++) {
		unsigned char key[32], key_hash[32];
		char key_text[44];
		brand_key(&brands[bi], key, key_text, key_hash);
		fprintf(out, "  %3lld  %s  seller%d@example.com  %s\n", ids[bi], key_text, brands[bi].id,
		        brands[bi].name);
	}
	fprintf(out, "demo shoppers (password %s):\n", SHOPPER_PASSWORD);
	for (size_t i = 0; i < sizeof shoppers / sizeof *shoppers; i++)
		fprintf(out, "  %s  %s  (upper body %d, lower body %d, %d cm)\n", shoppers[i].email, shoppers[i].name,
		        shoppers[i].upper, shoppers[i].lower, shoppers[i].height);
	fprintf(out,
	        "demo logins: admin %s / %s; every seller's password is %s; shoppers log in at /login,\n"
	        "sellers at /seller/login\n",
	        ADMIN_EMAIL, ADMIN_PASSWORD, SELLER_PASSWORD);
	fflush(out);
	return 0;
}
