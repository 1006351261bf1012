/* The seed's rasteriser and product pictures: areas and anti-aliasing of filled paths, the
 * even-odd rule, clipping and opacity, colours landing where they should, every kind drawing
 * something, and the same spec giving the same pixels. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seed/draw.h"
#include "tap.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static const struct rgb BLACK = {0, 0, 0}, WHITE = {255, 255, 255}, RED = {200, 20, 30};

/* A canvas whose design units are pixels. */
static void pixel_canvas(struct canvas *cv, unsigned w, unsigned h, struct rgb bg)
{
	canvas_init(cv, w, h, bg);
	cv->ax = cv->ay = 1;
	cv->bx = cv->by = 0;
}

/* Painted area, in pixels, of white over black (channel 0). */
static double ink(const struct canvas *cv)
{
	double sum = 0;
	for (size_t i = 0; i < (size_t)cv->img.w * cv->img.h; i++)
		sum += cv->img.px[i * 3] / 255.0;
	return sum;
}

static const unsigned char *at(const struct image *img, unsigned x, unsigned y)
{
	return img->px + ((size_t)y * img->w + x) * 3;
}

static int is(const unsigned char *px, struct rgb c, int tol)
{
	return abs(px[0] - c.r) <= tol && abs(px[1] - c.g) <= tol && abs(px[2] - c.b) <= tol;
}

static int near(double got, double want, double rel)
{
	return fabs(got - want) <= want * rel;
}

static void test_rng(void)
{
	struct rng a, b;
	rng_seed(&a, 42);
	rng_seed(&b, 42);
	int same = 1, in_range = 1, lo_seen = 0, hi_seen = 0;
	for (int i = 0; i < 10000; i++) {
		long x = rng_range(&a, 3, 9), y = rng_range(&b, 3, 9);
		same &= x == y;
		in_range &= x >= 3 && x <= 9;
		lo_seen |= x == 3;
		hi_seen |= x == 9;
	}
	tap_ok(same, "the PRNG repeats its sequence for the same seed");
	tap_ok(in_range && lo_seen && hi_seen, "rng_range stays within [lo, hi] and reaches both ends");
	rng_seed(&b, 43);
	tap_ok(rng_next(&a) != rng_next(&b), "another seed gives another sequence");
	double u = 0;
	for (int i = 0; i < 10000; i++)
		u += rng_unit(&a);
	tap_ok(fabs(u / 10000 - 0.5) < 0.02, "rng_unit averages 1/2 (%.3f)", u / 10000);
}

static void test_areas(void)
{
	struct canvas cv;
	struct path p = PATH_INIT;

	pixel_canvas(&cv, 200, 250, BLACK);
	path_move(&p, 10.3, 10.7);
	path_line(&p, 190.2, 30.1);
	path_line(&p, 60.6, 240.4);
	double want = fabs((190.2 - 10.3) * (240.4 - 10.7) - (60.6 - 10.3) * (30.1 - 10.7)) / 2;
	canvas_fill(&cv, &p, WHITE, 1);
	tap_ok(near(ink(&cv), want, 0.005), "a triangle fills its area (%.1f of %.1f pixels)", ink(&cv), want);
	canvas_free(&cv);

	pixel_canvas(&cv, 200, 200, BLACK);
	path_reset(&p);
	path_ellipse(&p, 100, 100, 70, 70);
	canvas_fill(&cv, &p, WHITE, 1);
	want = M_PI * 70 * 70;
	tap_ok(near(ink(&cv), want, 0.01), "a circle fills pi r^2 within 1%% (%.1f of %.1f)", ink(&cv), want);
	canvas_free(&cv);

	pixel_canvas(&cv, 200, 200, BLACK);
	path_reset(&p);
	path_rect(&p, 20, 20, 180, 180);
	path_rect(&p, 60, 60, 140, 140);
	canvas_fill(&cv, &p, WHITE, 1);
	tap_ok(near(ink(&cv), 160.0 * 160 - 80 * 80, 0.001), "even-odd: a ring of two rectangles has a hole (%.1f)",
	       ink(&cv));
	tap_ok(at(&cv.img, 100, 100)[0] == 0 && at(&cv.img, 30, 30)[0] == 255,
	       "the hole stays empty, the ring is full");
	canvas_free(&cv);

	/* a concave, self-intersecting star: even-odd leaves its pentagon empty */
	pixel_canvas(&cv, 200, 200, BLACK);
	path_reset(&p);
	for (int i = 0; i < 5; i++) {
		double a = -M_PI / 2 + i * 4 * M_PI / 5;
		if (i == 0)
			path_move(&p, 100 + 90 * cos(a), 100 + 90 * sin(a));
		else
			path_line(&p, 100 + 90 * cos(a), 100 + 90 * sin(a));
	}
	canvas_fill(&cv, &p, WHITE, 1);
	tap_ok(at(&cv.img, 100, 100)[0] == 0 && at(&cv.img, 100, 25)[0] == 255,
	       "even-odd: a pentagram's centre is empty, its points full");
	canvas_free(&cv);

	pixel_canvas(&cv, 200, 100, BLACK);
	struct pt line[2] = {{20, 50}, {120, 50}};
	path_reset(&p);
	path_stroke(&p, line, 2, 10);
	canvas_fill(&cv, &p, WHITE, 1);
	tap_ok(near(ink(&cv), 1000, 0.005), "a stroke 100 long and 10 wide covers 1000 pixels (%.1f)", ink(&cv));
	canvas_free(&cv);

	/* a shape partly off the canvas is clipped to it */
	pixel_canvas(&cv, 100, 100, BLACK);
	path_reset(&p);
	path_rect(&p, -50, -50, 50, 50);
	canvas_fill(&cv, &p, WHITE, 1);
	tap_ok(near(ink(&cv), 2500, 0.001), "a rectangle half off the canvas paints the part inside (%.1f)", ink(&cv));
	canvas_free(&cv);
	path_free(&p);
}

static void test_colours(void)
{
	struct canvas cv;
	struct path p = PATH_INIT;
	pixel_canvas(&cv, 100, 100, WHITE);
	path_rect(&p, 20, 20, 60.5, 60);
	canvas_fill(&cv, &p, RED, 1);
	tap_ok(is(at(&cv.img, 40, 40), RED, 0), "a filled rectangle takes the colour exactly inside");
	tap_ok(is(at(&cv.img, 19, 40), WHITE, 0) && is(at(&cv.img, 61, 40), WHITE, 0) &&
	           is(at(&cv.img, 40, 60), WHITE, 0),
	       "and leaves the pixels outside alone");
	const unsigned char *edge = at(&cv.img, 60, 40);
	tap_ok(abs(edge[1] - (255 + 20) / 2) <= 2, "an edge through the middle of a pixel blends it half (g=%d)",
	       edge[1]);
	canvas_free(&cv);

	pixel_canvas(&cv, 100, 100, BLACK);
	path_reset(&p);
	path_rect(&p, 0, 0, 100, 100);
	canvas_fill(&cv, &p, WHITE, 0.5);
	tap_ok(abs(at(&cv.img, 50, 50)[0] - 128) <= 1, "opacity 0.5 of white over black gives mid grey");
	canvas_free(&cv);

	pixel_canvas(&cv, 100, 100, BLACK);
	path_reset(&p);
	path_rect(&p, 0, 0, 50, 100);
	canvas_clip(&cv, &p);
	path_reset(&p);
	path_rect(&p, 0, 0, 100, 100);
	canvas_fill(&cv, &p, WHITE, 1);
	tap_ok(at(&cv.img, 25, 50)[0] == 255 && at(&cv.img, 75, 50)[0] == 0, "a fill stays inside the clip");
	canvas_clip(&cv, NULL);
	canvas_fill(&cv, &p, RED, 1);
	tap_ok(is(at(&cv.img, 75, 50), RED, 0), "and covers everything once the clip is removed");
	canvas_free(&cv);

	pixel_canvas(&cv, 10, 100, BLACK);
	canvas_gradient(&cv, BLACK, WHITE);
	tap_ok(at(&cv.img, 5, 0)[0] == 0 && at(&cv.img, 5, 99)[0] == 255 && abs(at(&cv.img, 5, 50)[0] - 129) <= 2,
	       "the background gradient runs from top to bottom");
	canvas_free(&cv);
	path_free(&p);
}

/* Share of pixels that differ from their row's background (column 0 is always background). */
static double drawn_share(const struct image *img)
{
	size_t n = 0;
	for (unsigned y = 0; y < img->h; y++) {
		const unsigned char *bg = at(img, 0, y);
		for (unsigned x = 0; x < img->w; x++) {
			const unsigned char *px = at(img, x, y);
			if (abs(px[0] - bg[0]) + abs(px[1] - bg[1]) + abs(px[2] - bg[2]) > 40)
				n++;
		}
	}
	return (double)n / ((double)img->w * img->h);
}

static void test_pictures(void)
{
	const struct rgb navy = {31, 43, 76}, orange = {232, 122, 42};
	int all = 1;
	for (int k = 0; k < DRAW_NKINDS; k++) {
		for (int style = 0; style < 3; style++) {
			for (int back = 0; back < 2; back++) {
				struct draw_spec s = {
				    (enum draw_kind)k,        style, navy, orange, DRAW_STRIPES | DRAW_LOGO, back,
				    (uint64_t)(k * 7 + style)};
				struct image img;
				draw_product(&s, 200, 250, &img);
				double share = drawn_share(&img);
				if (!(img.w == 200 && img.h == 250 && img.channels == 3 && share > 0.03 &&
				      share < 0.7)) {
					all = 0;
					tap_diag("%s style %d back %d: %.1f%% drawn", draw_kind_name(s.kind), style,
					         back, share * 100);
				}
				image_free(&img);
			}
		}
	}
	tap_ok(all, "every kind, style and view draws a garment (3-70%% of the picture) on its background");

	/* the product's colour is where the garment is: the chest of a plain T-shirt */
	struct draw_spec tee = {DRAW_TEE, 0, {192, 40, 46}, orange, 0, 0, 7};
	struct image img;
	draw_product(&tee, 1000, 1250, &img);
	int found = 0; /* the picture is placed with a little jitter: look around the design point */
	for (int dx = -25; dx <= 25 && !found; dx += 5)
		found = is(at(&img, (unsigned)(500 + dx), 430), tee.main, 3);
	tap_ok(found, "a plain T-shirt's chest has the product's colour");
	tap_ok(!is(at(&img, 20, 20), tee.main, 60) && !is(at(&img, 980, 1230), tee.main, 60),
	       "the corners are background, not garment");
	image_free(&img);

	struct draw_spec ball = {DRAW_BALL, 0, {242, 242, 238}, {30, 30, 33}, 0, 0, 1};
	draw_product(&ball, 1000, 1250, &img);
	found = 0;
	for (int dx = -25; dx <= 25 && !found; dx += 5)
		found = is(at(&img, (unsigned)(500 + dx), 620), ball.accent, 12);
	tap_ok(found, "a football has its black pentagon in the middle");
	image_free(&img);

	/* deterministic */
	struct draw_spec s = {DRAW_JACKET, 1, {190, 140, 86}, {30, 30, 33}, DRAW_STRIPES | DRAW_POCKET, 0, 12345};
	struct image a, b;
	draw_product(&s, 400, 500, &a);
	draw_product(&s, 400, 500, &b);
	tap_ok(memcmp(a.px, b.px, 400 * 500 * 3) == 0, "the same spec draws the same pixels");
	image_free(&b);
	s.seed = 12346;
	draw_product(&s, 400, 500, &b);
	tap_ok(memcmp(a.px, b.px, 400 * 500 * 3) != 0, "another seed draws another picture");
	image_free(&b);
	s.seed = 12345;
	s.back = 1;
	draw_product(&s, 400, 500, &b);
	tap_ok(memcmp(a.px, b.px, 400 * 500 * 3) != 0, "the back view differs from the front");
	image_free(&a);
	image_free(&b);
	tap_ok(strcmp(draw_kind_name(DRAW_SNEAKER), "sneaker") == 0 && strcmp(draw_kind_name(DRAW_NKINDS), "?") == 0,
	       "kinds have names");
}

int main(void)
{
	test_rng();
	test_areas();
	test_colours();
	test_pictures();
	return tap_done();
}
