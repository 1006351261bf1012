#include "seed/draw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "media/media.h"
#include "media/store.h"
#include "util/buf.h"
#include "util/config.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define DESIGN_W   1000.0
#define DESIGN_H   1250.0
#define SUBSAMPLES 4 /* sub-scanlines per pixel row */

/* ---- PRNG ------------------------------------------------------------------------------------ */

void rng_seed(struct rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

long rng_range(struct rng *r, long lo, long hi)
{
	if (hi <= lo)
		return lo;
	return lo + (long)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0; /* 2^53 */
}

/* ---- paths ----------------------------------------------------------------------------------- */

void path_free(struct path *p)
{
	free(p->pts);
	free(p->ring_end);
	memset(p, 0, sizeof *p);
}

void path_reset(struct path *p)
{
	p->n = 0;
	p->nrings = 0;
}

static void push_pt(struct path *p, double x, double y)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->pts = xrealloc(p->pts, p->cap * sizeof *p->pts);
	}
	p->pts[p->n++] = (struct pt){x, y};
	p->ring_end[p->nrings - 1] = p->n;
}

void path_move(struct path *p, double x, double y)
{
	if (p->nrings == p->rcap) {
		p->rcap = p->rcap ? p->rcap * 2 : 8;
		p->ring_end = xrealloc(p->ring_end, p->rcap * sizeof *p->ring_end);
	}
	p->ring_end[p->nrings++] = p->n;
	push_pt(p, x, y);
}

void path_line(struct path *p, double x, double y)
{
	if (p->nrings == 0)
		path_move(p, x, y);
	else
		push_pt(p, x, y);
}

static struct pt current(const struct path *p)
{
	return p->n ? p->pts[p->n - 1] : (struct pt){0, 0};
}

void path_quad(struct path *p, double cx, double cy, double x, double y)
{
	struct pt a = current(p);
	const int steps = 16;
	for (int i = 1; i <= steps; i++) {
		double t = (double)i / steps, u = 1 - t;
		path_line(p, u * u * a.x + 2 * u * t * cx + t * t * x, u * u * a.y + 2 * u * t * cy + t * t * y);
	}
}

void path_cubic(struct path *p, double c1x, double c1y, double c2x, double c2y, double x, double y)
{
	struct pt a = current(p);
	const int steps = 24;
	for (int i = 1; i <= steps; i++) {
		double t = (double)i / steps, u = 1 - t;
		double b0 = u * u * u, b1 = 3 * u * u * t, b2 = 3 * u * t * t, b3 = t * t * t;
		path_line(p, b0 * a.x + b1 * c1x + b2 * c2x + b3 * x, b0 * a.y + b1 * c1y + b2 * c2y + b3 * y);
	}
}

void path_rect(struct path *p, double x0, double y0, double x1, double y1)
{
	path_move(p, x0, y0);
	path_line(p, x1, y0);
	path_line(p, x1, y1);
	path_line(p, x0, y1);
}

static void arc_points(struct path *p, double cx, double cy, double rx, double ry, double a0, double a1, int steps)
{
	for (int i = 0; i <= steps; i++) {
		double a = a0 + (a1 - a0) * i / steps;
		path_line(p, cx + rx * cos(a), cy + ry * sin(a));
	}
}

void path_round_rect(struct path *p, double x0, double y0, double x1, double y1, double r)
{
	double m = fmin(x1 - x0, y1 - y0) / 2;
	if (r > m)
		r = m;
	path_move(p, x0 + r, y0);
	arc_points(p, x1 - r, y0 + r, r, r, -M_PI / 2, 0, 8);
	arc_points(p, x1 - r, y1 - r, r, r, 0, M_PI / 2, 8);
	arc_points(p, x0 + r, y1 - r, r, r, M_PI / 2, M_PI, 8);
	arc_points(p, x0 + r, y0 + r, r, r, M_PI, 1.5 * M_PI, 8);
}

void path_ellipse(struct path *p, double cx, double cy, double rx, double ry)
{
	int steps = (int)(fmax(rx, ry) * 0.6) + 16;
	if (steps > 160)
		steps = 160;
	path_move(p, cx + rx, cy);
	for (int i = 1; i < steps; i++) {
		double a = 2 * M_PI * i / steps;
		path_line(p, cx + rx * cos(a), cy + ry * sin(a));
	}
}

void path_polygon(struct path *p, const struct pt *pts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i == 0)
			path_move(p, pts[i].x, pts[i].y);
		else
			path_line(p, pts[i].x, pts[i].y);
	}
}

void path_stroke(struct path *p, const struct pt *pts, size_t n, double width)
{
	if (n < 2)
		return;
	double h = width / 2;
	struct pt *left = xmalloc(n * sizeof *left), *right = xmalloc(n * sizeof *right);
	for (size_t i = 0; i < n; i++) {
		/* the normal at a vertex: the mean of its segments' normals, lengthened at corners */
		double nx = 0, ny = 0;
		for (int s = -1; s <= 0; s++) {
			size_t a = i + (size_t)s, b = a + 1;
			if (i == 0 && s == -1)
				continue;
			if (b >= n)
				continue;
			double dx = pts[b].x - pts[a].x, dy = pts[b].y - pts[a].y, len = hypot(dx, dy);
			if (len > 0) {
				nx += -dy / len;
				ny += dx / len;
			}
		}
		double len = hypot(nx, ny);
		if (len < 1e-9) {
			nx = 0;
			ny = 1;
			len = 1;
		}
		nx /= len;
		ny /= len;
		/* miter length: 1 / cos(half the turn), limited */
		double scale = 1;
		if (i > 0 && i + 1 < n) {
			double dx = pts[i + 1].x - pts[i].x, dy = pts[i + 1].y - pts[i].y, l2 = hypot(dx, dy);
			if (l2 > 0) {
				double c = (-dy / l2) * nx + (dx / l2) * ny;
				scale = c > 0.5 ? 1 / c : 2;
			}
		}
		left[i] = (struct pt){pts[i].x + nx * h * scale, pts[i].y + ny * h * scale};
		right[i] = (struct pt){pts[i].x - nx * h * scale, pts[i].y - ny * h * scale};
	}
	path_move(p, left[0].x, left[0].y);
	for (size_t i = 1; i < n; i++)
		path_line(p, left[i].x, left[i].y);
	for (size_t i = n; i-- > 0;)
		path_line(p, right[i].x, right[i].y);
	free(left);
	free(right);
}

/* ---- canvas and rasteriser ------------------------------------------------------------------- */

void canvas_init(struct canvas *cv, unsigned w, unsigned h, struct rgb bg)
{
	memset(cv, 0, sizeof *cv);
	cv->img.w = cv->img.src_w = w;
	cv->img.h = cv->img.src_h = h;
	cv->img.channels = 3;
	cv->img.format = IMAGE_NONE;
	cv->img.px = xmalloc((size_t)w * h * 3);
	for (size_t i = 0; i < (size_t)w * h; i++) {
		cv->img.px[i * 3] = bg.r;
		cv->img.px[i * 3 + 1] = bg.g;
		cv->img.px[i * 3 + 2] = bg.b;
	}
	cv->ax = w / DESIGN_W;
	cv->ay = h / DESIGN_H;
	cv->bx = cv->by = 0;
}

void canvas_free(struct canvas *cv)
{
	free(cv->img.px);
	free(cv->clip);
	memset(cv, 0, sizeof *cv);
}

void canvas_take(struct canvas *cv, struct image *out)
{
	*out = cv->img;
	cv->img.px = NULL;
	canvas_free(cv);
}

struct edge {
	double x0, y0, y1, dxdy;
};

static int edge_cmp(const void *a, const void *b)
{
	const struct edge *x = a, *y = b;
	return x->y0 < y->y0 ? -1 : x->y0 > y->y0 ? 1 : 0;
}

/* Called with the coverage (0..1) of pixels x0..x1 of row y; cov[x] is zeroed by the caller after. */
typedef void (*row_fn)(struct canvas *cv, unsigned y, const float *cov, unsigned x0, unsigned x1, void *ctx);

static void add_span(float *cov, unsigned w, double xa, double xb, unsigned *lo, unsigned *hi)
{
	const float wt = 1.0f / SUBSAMPLES;
	if (xa < 0)
		xa = 0;
	if (xb > w)
		xb = w;
	if (xb <= xa)
		return;
	unsigned ia = (unsigned)xa, ib = (unsigned)xb;
	if (ia >= w)
		return;
	if (ia == ib) {
		cov[ia] += (float)(xb - xa) * wt;
	} else {
		cov[ia] += (float)(ia + 1 - xa) * wt;
		for (unsigned i = ia + 1; i < ib; i++)
			cov[i] += wt;
		if (ib < w)
			cov[ib] += (float)(xb - ib) * wt;
	}
	if (ia < *lo)
		*lo = ia;
	unsigned top = ib < w ? ib : w - 1;
	if (top > *hi)
		*hi = top;
}

/* Rasterises p (even-odd) row by row into fn. */
static void rasterize(struct canvas *cv, const struct path *p, row_fn fn, void *ctx)
{
	unsigned w = cv->img.w, h = cv->img.h;
	struct edge *edges = xmalloc((p->n + 1) * sizeof *edges);
	size_t ne = 0;
	double ymin = INFINITY, ymax = -INFINITY;
	for (size_t r = 0; r < p->nrings; r++) {
		size_t start = r ? p->ring_end[r - 1] : 0, end = p->ring_end[r];
		if (end - start < 3)
			continue;
		for (size_t i = start; i < end; i++) {
			struct pt a = p->pts[i], b = p->pts[i + 1 < end ? i + 1 : start];
			double ax = cv->ax * a.x + cv->bx, ay = cv->ay * a.y + cv->by;
			double bx = cv->ax * b.x + cv->bx, by = cv->ay * b.y + cv->by;
			if (ay == by)
				continue;
			if (ay > by) {
				double t = ax;
				ax = bx;
				bx = t;
				t = ay;
				ay = by;
				by = t;
			}
			edges[ne++] = (struct edge){ax, ay, by, (bx - ax) / (by - ay)};
			if (ay < ymin)
				ymin = ay;
			if (by > ymax)
				ymax = by;
		}
	}
	if (ne == 0) {
		free(edges);
		return;
	}
	qsort(edges, ne, sizeof *edges, edge_cmp);
	long y0 = (long)floor(ymin), y1 = (long)ceil(ymax);
	if (y0 < 0)
		y0 = 0;
	if (y1 > (long)h)
		y1 = (long)h;
	size_t *active = xmalloc(ne * sizeof *active);
	double *xs = xmalloc(ne * sizeof *xs);
	float *cov = xcalloc((size_t)w + 1, sizeof *cov);
	size_t na = 0, next = 0;
	for (long y = y0; y < y1; y++) {
		while (next < ne && edges[next].y0 < (double)y + 1)
			active[na++] = next++;
		size_t k = 0;
		for (size_t i = 0; i < na; i++)
			if (edges[active[i]].y1 > (double)y)
				active[k++] = active[i];
		na = k;
		unsigned lo = w, hi = 0;
		for (int s = 0; s < SUBSAMPLES; s++) {
			double sy = (double)y + (s + 0.5) / SUBSAMPLES;
			size_t nx = 0;
			for (size_t i = 0; i < na; i++) {
				const struct edge *e = &edges[active[i]];
				if (e->y0 <= sy && sy < e->y1) {
					double x = e->x0 + (sy - e->y0) * e->dxdy;
					size_t j = nx++;
					while (j > 0 && xs[j - 1] > x) { /* insertion sort: few crossings per line */
						xs[j] = xs[j - 1];
						j--;
					}
					xs[j] = x;
				}
			}
			for (size_t i = 0; i + 1 < nx; i += 2)
				add_span(cov, w, xs[i], xs[i + 1], &lo, &hi);
		}
		if (lo <= hi) {
			fn(cv, (unsigned)y, cov, lo, hi, ctx);
			memset(cov + lo, 0, (hi - lo + 1) * sizeof *cov);
		}
	}
	free(cov);
	free(xs);
	free(active);
	free(edges);
}

struct blend_ctx {
	struct rgb c;
	double alpha;
};

static unsigned char mix_byte(unsigned char from, unsigned char to, double a)
{
	double v = from + (to - from) * a;
	return (unsigned char)(v + 0.5);
}

static void blend_row(struct canvas *cv, unsigned y, const float *cov, unsigned x0, unsigned x1, void *ctx)
{
	const struct blend_ctx *b = ctx;
	unsigned w = cv->img.w;
	unsigned char *row = cv->img.px + (size_t)y * w * 3;
	const unsigned char *clip = cv->clip ? cv->clip + (size_t)y * w : NULL;
	for (unsigned x = x0; x <= x1; x++) {
		double a = cov[x];
		if (a <= 0)
			continue;
		if (a > 1)
			a = 1;
		a *= b->alpha;
		if (clip)
			a *= clip[x] / 255.0;
		if (a <= 0)
			continue;
		unsigned char *px = row + (size_t)x * 3;
		if (a >= 1) {
			px[0] = b->c.r;
			px[1] = b->c.g;
			px[2] = b->c.b;
		} else {
			px[0] = mix_byte(px[0], b->c.r, a);
			px[1] = mix_byte(px[1], b->c.g, a);
			px[2] = mix_byte(px[2], b->c.b, a);
		}
	}
}

void canvas_fill(struct canvas *cv, const struct path *p, struct rgb c, double alpha)
{
	struct blend_ctx b = {c, alpha};
	rasterize(cv, p, blend_row, &b);
}

static void clip_row(struct canvas *cv, unsigned y, const float *cov, unsigned x0, unsigned x1, void *ctx)
{
	(void)ctx;
	unsigned char *row = cv->clip + (size_t)y * cv->img.w;
	for (unsigned x = x0; x <= x1; x++) {
		float a = cov[x] > 1 ? 1 : cov[x];
		row[x] = (unsigned char)(a * 255 + 0.5f);
	}
}

void canvas_clip(struct canvas *cv, const struct path *p)
{
	if (!p) {
		free(cv->clip);
		cv->clip = NULL;
		return;
	}
	size_t n = (size_t)cv->img.w * cv->img.h;
	if (!cv->clip)
		cv->clip = xmalloc(n);
	memset(cv->clip, 0, n);
	rasterize(cv, p, clip_row, NULL);
}

void canvas_gradient(struct canvas *cv, struct rgb top, struct rgb bottom)
{
	unsigned w = cv->img.w, h = cv->img.h;
	for (unsigned y = 0; y < h; y++) {
		double t = h > 1 ? (double)y / (h - 1) : 0;
		unsigned char r = mix_byte(top.r, bottom.r, t), g = mix_byte(top.g, bottom.g, t),
		              b = mix_byte(top.b, bottom.b, t);
		unsigned char *row = cv->img.px + (size_t)y * w * 3;
		for (unsigned x = 0; x < w; x++) {
			row[x * 3] = r;
			row[x * 3 + 1] = g;
			row[x * 3 + 2] = b;
		}
	}
}

/* ---- colour helpers -------------------------------------------------------------------------- */

static const struct rgb WHITE = {255, 255, 255}, BLACK = {0, 0, 0};

static struct rgb mix(struct rgb a, struct rgb b, double t)
{
	return (struct rgb){mix_byte(a.r, b.r, t), mix_byte(a.g, b.g, t), mix_byte(a.b, b.b, t)};
}

static struct rgb darker(struct rgb c, double t)
{
	return mix(c, BLACK, t);
}

static struct rgb lighter(struct rgb c, double t)
{
	return mix(c, WHITE, t);
}

static double luma(struct rgb c)
{
	return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;
}

/* Seams, ribs and shadows: darker on a light garment, lighter on a near-black one. */
static struct rgb seam(struct rgb c)
{
	return luma(c) < 60 ? lighter(c, 0.2) : darker(c, 0.22);
}

/* ---- drawing helpers ------------------------------------------------------------------------- */

/* A scratch path per drawing, reset before each shape. */
struct pen {
	struct canvas *cv;
	struct path p;
	struct rng rng;
	const struct draw_spec *spec;
	int details; /* spec->details unless this is the back view */
};

static struct path *fresh(struct pen *pen)
{
	path_reset(&pen->p);
	return &pen->p;
}

static void fill(struct pen *pen, struct rgb c, double alpha)
{
	canvas_fill(pen->cv, &pen->p, c, alpha);
}

static void rect(struct pen *pen, double x0, double y0, double x1, double y1, struct rgb c, double alpha)
{
	path_rect(fresh(pen), x0, y0, x1, y1);
	fill(pen, c, alpha);
}

static void circle(struct pen *pen, double cx, double cy, double r, struct rgb c, double alpha)
{
	path_ellipse(fresh(pen), cx, cy, r, r);
	fill(pen, c, alpha);
}

static void line(struct pen *pen, double x0, double y0, double x1, double y1, double width, struct rgb c, double alpha)
{
	struct pt pts[2] = {{x0, y0}, {x1, y1}};
	path_stroke(fresh(pen), pts, 2, width);
	fill(pen, c, alpha);
}

/* Strokes a quadratic curve. */
static void curve(struct pen *pen, double x0, double y0, double cx, double cy, double x1, double y1, double width,
                  struct rgb c, double alpha)
{
	struct pt pts[17];
	for (int i = 0; i <= 16; i++) {
		double t = i / 16.0, u = 1 - t;
		pts[i] =
		    (struct pt){u * u * x0 + 2 * u * t * cx + t * t * x1, u * u * y0 + 2 * u * t * cy + t * t * y1};
	}
	path_stroke(fresh(pen), pts, 17, width);
	fill(pen, c, alpha);
}

/* Closes a symmetric shape: the left half (from the top of the centre line round to its bottom)
 * is in half; this appends it and its mirror image as one ring of out. */
static void mirror_ring(struct path *out, const struct path *half)
{
	size_t n = half->n;
	for (size_t i = 0; i < n; i++) {
		if (i == 0)
			path_move(out, half->pts[i].x, half->pts[i].y);
		else
			path_line(out, half->pts[i].x, half->pts[i].y);
	}
	for (size_t i = n; i-- > 0;) {
		double x = DESIGN_W - half->pts[i].x;
		if ((i == n - 1 || i == 0) && fabs(x - half->pts[i].x) < 1e-6)
			continue; /* on the centre line: already there */
		path_line(out, x, half->pts[i].y);
	}
}

/* Soft lighting over the current clip: a highlight on the left, a shade on the right. */
static void volume(struct pen *pen, double x0, double x1, double y0, double y1)
{
	double third = (x1 - x0) / 3;
	rect(pen, x0, y0, x0 + third * 0.8, y1, WHITE, 0.06);
	rect(pen, x1 - third, y0, x1, y1, BLACK, 0.07);
	rect(pen, x1 - third * 0.45, y0, x1, y1, BLACK, 0.05);
}

/* A few soft creases inside the clip. */
static void folds(struct pen *pen, double x0, double x1, double y0, double y1, int n, struct rgb c)
{
	for (int i = 0; i < n; i++) {
		double x = x0 + rng_unit(&pen->rng) * (x1 - x0), y = y0 + rng_unit(&pen->rng) * (y1 - y0);
		double len = 60 + rng_unit(&pen->rng) * 120, tilt = (rng_unit(&pen->rng) - 0.5) * 60;
		curve(pen, x, y, x + tilt / 2 + 10, y + len / 2, x + tilt, y + len, 10, seam(c), 0.22);
	}
}

static void stripes_h(struct pen *pen, double y0, double y1, double step, double width, struct rgb c, double alpha)
{
	for (double y = y0; y < y1; y += step)
		rect(pen, 0, y, DESIGN_W, y + width, c, alpha);
}

static void stripes_v(struct pen *pen, double x0, double x1, double step, double width, struct rgb c, double alpha)
{
	for (double x = x0; x < x1; x += step)
		rect(pen, x, 0, x + width, DESIGN_H, c, alpha);
}

static void dots(struct pen *pen, double x0, double y0, double x1, double y1, double step, double r, struct rgb c)
{
	int row = 0;
	for (double y = y0; y < y1; y += step, row++)
		for (double x = x0 + (row % 2) * step / 2; x < x1; x += step)
			circle(pen, x, y, r, c, 1);
}

/* A logo block: a bar of "lettering" on a patch, or a round badge. */
static void logo(struct pen *pen, double cx, double cy, double size, struct rgb bg)
{
	const struct draw_spec *s = pen->spec;
	if (rng_unit(&pen->rng) < 0.5) {
		path_round_rect(fresh(pen), cx - size, cy - size * 0.45, cx + size, cy + size * 0.45, size * 0.12);
		fill(pen, s->accent, 1);
		for (int i = 0; i < 3; i++) {
			double w = size * (1.4 - 0.35 * i);
			rect(pen, cx - w / 2, cy - size * 0.28 + i * size * 0.22, cx + w / 2,
			     cy - size * 0.16 + i * size * 0.22, bg, 0.9);
		}
	} else {
		circle(pen, cx, cy, size * 0.6, s->accent, 1);
		circle(pen, cx, cy, size * 0.38, bg, 1);
		circle(pen, cx, cy, size * 0.22, s->accent, 1);
	}
}

/* ---- the garments ---------------------------------------------------------------------------- */

static void draw_tee(struct pen *pen)
{
	const struct draw_spec *s = pen->spec;
	struct rgb c = s->main, sc = seam(c);
	int longs = s->style == 1 || s->style == 2 || s->style == 3;
	double neck_y = s->back ? 262 : 300;
	struct path half = PATH_INIT, body = PATH_INIT;
	path_move(&half, 500, neck_y);
	path_quad(&half, 445, neck_y - 5, 425, 232);
	path_line(&half, 300, 268);
	if (longs) {
		path_quad(&half, 230, 420, 180, 900);
		path_line(&half, 268, 915);
		path_line(&half, 322, 470);
	} else {
		path_line(&half, 170, 500);
		path_line(&half, 262, 548);
		path_line(&half, 318, 455);
	}
	path_line(&half, 328, 1010);
	path_quad(&half, 410, 1016, 500, 1018);
	mirror_ring(&body, &half);

	if (s->style == 2) { /* the hood, behind the body */
		path_ellipse(fresh(pen), 500, 245, 140, 110);
		fill(pen, darker(c, 0.12), 1);
	}
	canvas_fill(pen->cv, &body, c, 1);
	canvas_clip(pen->cv, &body);
	if (pen->details & DRAW_STRIPES)
		stripes_h(pen, 320, 1020, 74, 26, s->accent, 1);
	if (s->style == 3) /* knit ribs */
		stripes_v(pen, 150, 860, 18, 5, sc, 0.18);
	folds(pen, 340, 640, 520, 850, 3, c);
	rect(pen, 0, 960, DESIGN_W, 1030, sc, s->style >= 2 ? 0.45 : 0.18); /* hem */
	if (longs) {
		line(pen, 160, 880, 290, 895, 60, sc, 0.4); /* cuffs */
		line(pen, 840, 880, 710, 895, 60, sc, 0.4);
	}
	volume(pen, 170, 830, 200, 1030);
	canvas_clip(pen->cv, NULL);
	/* neck rib */
	{
		struct pt pts[33];
		for (int i = 0; i <= 32; i++) {
			double t = i / 32.0, x, y;
			if (t <= 0.5) {
				double u = t * 2, v = 1 - u;
				x = v * v * 425 + 2 * v * u * 445 + u * u * 500;
				y = v * v * 232 + 2 * v * u * (neck_y - 5) + u * u * neck_y;
			} else {
				double u = (t - 0.5) * 2, v = 1 - u;
				x = v * v * 500 + 2 * v * u * 555 + u * u * 575;
				y = v * v * neck_y + 2 * v * u * (neck_y - 5) + u * u * 232;
			}
			pts[i] = (struct pt){x, y + 8};
		}
		path_stroke(fresh(pen), pts, 33, s->style == 2 ? 10 : 18);
		fill(pen, sc, 0.8);
	}
	if (s->back) {
		rect(pen, 485, 268, 515, 290, s->accent, 1); /* the label */
	} else {
		if (s->style == 2) { /* hoodie: drawstrings and the kangaroo pocket */
			line(pen, 468, 305, 462, 470, 9, lighter(s->accent, 0.3), 1);
			line(pen, 532, 305, 538, 470, 9, lighter(s->accent, 0.3), 1);
			path_move(fresh(pen), 380, 740);
			path_line(&pen->p, 620, 740);
			path_line(&pen->p, 665, 930);
			path_line(&pen->p, 335, 930);
			fill(pen, sc, 0.25);
		}
		if ((pen->details & DRAW_POCKET) && s->style != 2) {
			rect(pen, 560, 400, 650, 500, sc, 0.3);
			rect(pen, 560, 400, 650, 412, sc, 0.5);
		}
		if (pen->details & DRAW_LOGO) {
			if (rng_unit(&pen->rng) < 0.5)
				logo(pen, 405, 420, 40, c);
			else
				logo(pen, 500, 520, 95, c);
		}
	}
	path_free(&half);
	path_free(&body);
}

static void draw_shirt(struct pen *pen)
{
	const struct draw_spec *s = pen->spec;
	struct rgb c = s->main, sc = seam(c);
	struct path half = PATH_INIT, body = PATH_INIT;
	path_move(&half, 500, 262);
	path_line(&half, 430, 222);
	path_line(&half, 305, 262);
	path_quad(&half, 240, 420, 192, 925);
	path_line(&half, 272, 935);
	path_line(&half, 325, 470);
	path_line(&half, 330, 1000);
	path_quad(&half, 420, 1075, 500, 1060);
	mirror_ring(&body, &half);
	canvas_fill(pen->cv, &body, c, 1);
	canvas_clip(pen->cv, &body);
	if (pen->details & DRAW_STRIPES) {
		stripes_v(pen, 150, 860, 34, 7, s->accent, 0.85);
		if (pen->details & DRAW_DOTS) /* a check */
			stripes_h(pen, 200, 1100, 34, 7, s->accent, 0.5);
	}
	folds(pen, 340, 640, 480, 900, 3, c);
	line(pen, 180, 890, 285, 900, 60, sc, 0.35); /* cuffs */
	line(pen, 820, 890, 715, 900, 60, sc, 0.35);
	volume(pen, 180, 820, 200, 1080);
	canvas_clip(pen->cv, NULL);
	if (!s->back) {
		rect(pen, 488, 268, 512, 1060, sc, 0.25); /* placket */
		for (int i = 0; i < 7; i++)
			circle(pen, 500, 320 + i * 105, 8, luma(c) > 128 ? darker(c, 0.35) : lighter(c, 0.5), 1);
		if ((pen->details & DRAW_POCKET) && s->style == 0) {
			path_move(fresh(pen), 345, 400);
			path_line(&pen->p, 430, 400);
			path_line(&pen->p, 430, 480);
			path_line(&pen->p, 387, 495);
			path_line(&pen->p, 345, 480);
			fill(pen, sc, 0.22);
		}
		if (pen->details & DRAW_LOGO)
			logo(pen, 390, 420, 26, c);
	}
	/* the collar, over everything */
	struct rgb cc = lighter(c, 0.06);
	for (int side = 0; side < 2; side++) {
		double m = side ? -1 : 1, o = side ? DESIGN_W : 0;
		path_reset(&pen->p);
		if (s->style == 1) {
			path_ellipse(&pen->p, o + m * 458, 262, 52, 34);
		} else {
			path_move(&pen->p, o + m * 432, 216);
			path_line(&pen->p, o + m * 500, 264);
			path_line(&pen->p, o + m * 460, 338);
			path_line(&pen->p, o + m * 402, 252);
		}
		fill(pen, cc, 1);
		fill(pen, sc, 0.12);
	}
	path_free(&half);
	path_free(&body);
}

static void draw_pants(struct pen *pen)
{
	const struct draw_spec *s = pen->spec;
	struct rgb c = s->main, sc = seam(c);
	static const double outer[4] = {318, 240, 300, 345}, inner[4] = {470, 488, 475, 462};
	int st = s->style & 3;
	double hem = st == 3 ? 1140 : 1150;
	struct path half = PATH_INIT, body = PATH_INIT;
	path_move(&half, 500, 180);
	path_line(&half, 330, 180);
	path_line(&half, 322, 240);
	path_quad(&half, 300, 330, 300, 440);
	path_line(&half, outer[st], hem);
	path_line(&half, inner[st], hem);
	path_line(&half, 500, 505);
	mirror_ring(&body, &half);
	canvas_fill(pen->cv, &body, c, 1);
	canvas_clip(pen->cv, &body);
	if (pen->details & DRAW_STRIPES) { /* track stripes down the sides */
		struct pt l[2] = {{318, 240}, {outer[st] + 22, hem}},
		          r[2] = {{682, 240}, {DESIGN_W - outer[st] - 22, hem}};
		path_stroke(fresh(pen), l, 2, 30);
		path_stroke(&pen->p, r, 2, 30);
		fill(pen, s->accent, 1);
	}
	rect(pen, 0, 180, DESIGN_W, 236, sc, 0.35); /* waistband */
	folds(pen, 330, 670, 560, 1000, 4, c);
	if (st == 1) { /* pressed creases */
		line(pen, 405, 250, 365, 1150, 6, sc, 0.25);
		line(pen, 595, 250, 635, 1150, 6, sc, 0.25);
	}
	if (st == 3)
		rect(pen, 0, hem - 60, DESIGN_W, hem, sc, 0.4); /* cuffs */
	volume(pen, 230, 770, 150, 1160);
	canvas_clip(pen->cv, NULL);
	for (int i = 0; i < 4; i++) { /* belt loops */
		double x = i < 2 ? 365 + i * 85 : 550 + (i - 2) * 85;
		rect(pen, x, 176, x + 16, 246, sc, 0.5);
	}
	if (s->back) {
		if (st == 0 || st == 2) { /* back pockets */
			for (int side = 0; side < 2; side++) {
				double x = side ? 540 : 370;
				path_move(fresh(pen), x, 300);
				path_line(&pen->p, x + 90, 300);
				path_line(&pen->p, x + 88, 400);
				path_line(&pen->p, x + 45, 425);
				path_line(&pen->p, x + 2, 400);
				fill(pen, sc, 0.2);
			}
		}
	} else {
		circle(pen, 500, 208, 10, lighter(sc, 0.5), 1);       /* button */
		curve(pen, 530, 240, 532, 430, 500, 460, 6, sc, 0.5); /* fly */
		curve(pen, 405, 238, 400, 320, 306, 335, 6, sc, 0.5); /* front pockets */
		curve(pen, 595, 238, 600, 320, 694, 335, 6, sc, 0.5);
		if (st == 0) { /* contrast stitching */
			curve(pen, 542, 240, 544, 440, 505, 475, 3, s->accent, 0.8);
			curve(pen, 417, 238, 412, 330, 306, 348, 3, s->accent, 0.8);
			curve(pen, 583, 238, 588, 330, 694, 348, 3, s->accent, 0.8);
		}
		if (st == 2 || (pen->details & DRAW_POCKET)) { /* cargo pockets */
			for (int side = 0; side < 2; side++) {
				double x = side ? 620 : 300;
				path_round_rect(fresh(pen), x, 610, x + 85, 790, 8);
				fill(pen, sc, 0.25);
				rect(pen, x - 3, 600, x + 88, 640, sc, 0.4);
			}
		}
		if (st == 3) { /* drawstrings */
			line(pen, 490, 236, 470, 340, 8, s->accent, 1);
			line(pen, 510, 236, 530, 340, 8, s->accent, 1);
		}
		if (pen->details & DRAW_LOGO)
			logo(pen, 370, 330, 22, c);
	}
	path_free(&half);
	path_free(&body);
}

static void draw_jacket(struct pen *pen)
{
	const struct draw_spec *s = pen->spec;
	struct rgb c = s->main, sc = seam(c);
	int st = s->style % 3;
	double hem = st == 1 ? 1200 : st == 2 ? 1050 : 1070, shoulder_x = st == 2 ? 262 : 275;
	struct path half = PATH_INIT, body = PATH_INIT;
	path_move(&half, 500, 262);
	path_line(&half, 420, 212);
	path_line(&half, shoulder_x, 250);
	path_quad(&half, 205, 420, 160, 955);
	path_line(&half, st == 2 ? 268 : 258, 968);
	path_line(&half, 318, 470);
	path_line(&half, st == 1 ? 292 : 308, hem);
	path_line(&half, 500, hem);
	mirror_ring(&body, &half);
	canvas_fill(pen->cv, &body, c, 1);
	canvas_clip(pen->cv, &body);
	if (st == 2) { /* quilting */
		for (double y = 330; y < hem; y += 95)
			curve(pen, 0, y, 500, y + 22, DESIGN_W, y, 7, sc, 0.55);
		for (double y = 380; y < hem; y += 95)
			rect(pen, 0, y - 30, DESIGN_W, y + 10, WHITE, 0.06);
	}
	if (pen->details & DRAW_STRIPES)
		stripes_h(pen, 560, 620, 40, 18, s->accent, 1);
	folds(pen, 330, 670, 520, hem - 150, 3, c);
	if (st != 1) {
		rect(pen, 0, hem - 50, DESIGN_W, hem, sc, 0.45); /* rib hem */
		line(pen, 150, 930, 280, 945, 55, sc, 0.45);
		line(pen, 850, 930, 720, 945, 55, sc, 0.45);
	}
	volume(pen, 160, 840, 200, hem);
	canvas_clip(pen->cv, NULL);
	if (st == 1 && !s->back) { /* the coat: what it is worn over, then lapels and buttons */
		struct rgb inner = luma(c) > 110 ? (struct rgb){40, 40, 44} : (struct rgb){238, 234, 226};
		path_move(fresh(pen), 430, 214);
		path_line(&pen->p, 570, 214);
		path_line(&pen->p, 500, 520);
		fill(pen, inner, 1);
		for (int side = 0; side < 2; side++) {
			double m = side ? -1 : 1, o = side ? DESIGN_W : 0;
			path_move(fresh(pen), o + m * 422, 212);
			path_line(&pen->p, o + m * 500, 520);
			path_line(&pen->p, o + m * 448, 505);
			path_line(&pen->p, o + m * 372, 330);
			path_line(&pen->p, o + m * 408, 288);
			path_line(&pen->p, o + m * 384, 258);
			fill(pen, lighter(c, 0.05), 1);
			fill(pen, sc, 0.15);
			rect(pen, o + m * 340, 860, o + m * 440, 892, sc, 0.45); /* pocket flaps */
		}
		line(pen, 500, 520, 500, hem, 4, sc, 0.6);
		for (int i = 0; i < 2; i++) {
			circle(pen, 455, 620 + i * 140, 13, darker(sc, 0.3), 1);
			circle(pen, 545, 620 + i * 140, 13, darker(sc, 0.3), 1);
		}
	} else if (!s->back) {
		path_round_rect(fresh(pen), 412, 190, 588, 262, 20); /* stand collar */
		fill(pen, sc, 1);
		line(pen, 500, 262, 500, hem, 9, (struct rgb){196, 196, 200}, 1); /* zip */
		circle(pen, 500, 300, 11, (struct rgb){160, 160, 166}, 1);
		if (pen->details & DRAW_POCKET) {
			line(pen, 360, 700, 385, 860, 10, sc, 0.7); /* welt pockets */
			line(pen, 640, 700, 615, 860, 10, sc, 0.7);
		}
		if (pen->details & DRAW_LOGO)
			logo(pen, 400, 400, 28, c);
	} else {
		path_round_rect(fresh(pen), 412, 190, 588, 250, 20);
		fill(pen, sc, 1);
	}
	path_free(&half);
	path_free(&body);
}

static void draw_dress(struct pen *pen)
{
	const struct draw_spec *s = pen->spec;
	struct rgb c = s->main, sc = seam(c);
	double flare = 200 + rng_unit(&pen->rng) * 60;
	struct path half = PATH_INIT, body = PATH_INIT;
	path_move(&half, 500, s->back ? 250 : 320);
	path_quad(&half, 432, s->back ? 250 : 312, 418, 212);
	if (s->style == 1) {
		path_line(&half, 352, 228);
		path_line(&half, 262, 395);
		path_line(&half, 318, 430);
		path_line(&half, 352, 380);
	} else {
		path_line(&half, 385, 212);
		path_quad(&half, 390, 320, 352, 345);
	}
	path_quad(&half, 372, 470, 388, 580);
	path_quad(&half, 300, 880, flare, 1180);
	path_quad(&half, 360, 1205, 500, 1205);
	mirror_ring(&body, &half);
	canvas_fill(pen->cv, &body, c, 1);
	canvas_clip(pen->cv, &body);
	if (pen->details & DRAW_DOTS)
		dots(pen, 200, 260, 820, 1220, 70, 13, s->accent);
	else if (pen->details & DRAW_STRIPES)
		stripes_h(pen, 300, 1220, 60, 20, s->accent, 1);
	for (int i = -3; i <= 3; i++) /* skirt folds */
		curve(pen, 500 + i * 30, 600, 500 + i * 50, 850, 500 + i * 95, 1190, 9, sc, 0.18);
	if (!s->back && (pen->details & DRAW_LOGO))
		rect(pen, 0, 560, DESIGN_W, 605, s->accent, 1); /* a belt */
	else
		rect(pen, 0, 572, DESIGN_W, 590, sc, 0.3);
	volume(pen, flare, DESIGN_W - flare, 200, 1210);
	canvas_clip(pen->cv, NULL);
	path_free(&half);
	path_free(&body);
}

static void draw_skirt(struct pen *pen)
{
	const struct draw_spec *s = pen->spec;
	struct rgb c = s->main, sc = seam(c);
	static const double hem_x[3] = {250, 215, 338}, hem_y[3] = {790, 1080, 1010};
	int st = s->style % 3;
	struct path half = PATH_INIT, body = PATH_INIT;
	path_move(&half, 500, 300);
	path_line(&half, 345, 300);
	path_line(&half, 340, 355);
	path_quad(&half, st == 2 ? 325 : 300, 500, hem_x[st], hem_y[st]);
	path_quad(&half, 380, hem_y[st] + 18, 500, hem_y[st] + 18);
	mirror_ring(&body, &half);
	canvas_fill(pen->cv, &body, c, 1);
	canvas_clip(pen->cv, &body);
	if (pen->details & DRAW_STRIPES) { /* a check */
		stripes_v(pen, 200, 800, 60, 14, s->accent, 0.6);
		stripes_h(pen, 360, 1100, 60, 14, s->accent, 0.6);
	} else if (pen->details & DRAW_DOTS) {
		dots(pen, 230, 400, 780, 1100, 66, 12, s->accent);
	}
	if (st == 1) { /* pleats */
		for (int i = -8; i <= 8; i++) {
			double x0 = 500 + i * 19, x1 = 500 + i * 34;
			line(pen, x0, 355, x1, hem_y[st] + 20, 5, sc, 0.35);
			line(pen, x0 + 6, 355, x1 + 10, hem_y[st] + 20, 6, WHITE, 0.08);
		}
	} else {
		folds(pen, 380, 620, 450, hem_y[st] - 160, 3, c);
	}
	rect(pen, 0, 300, DESIGN_W, 355, sc, 0.4); /* waistband */
	if (st == 2)
		line(pen, 500, hem_y[st] - 170, 500, hem_y[st] + 20, 5, sc, 0.7); /* slit */
	volume(pen, hem_x[st], DESIGN_W - hem_x[st], 300, hem_y[st] + 20);
	canvas_clip(pen->cv, NULL);
	if (!s->back && (pen->details & DRAW_LOGO))
		circle(pen, 380, 328, 12, lighter(sc, 0.4), 1);
	path_free(&half);
	path_free(&body);
}

static void draw_sneaker(struct pen *pen)
{
	const struct draw_spec *s = pen->spec;
	struct rgb c = s->main, sc = seam(c);
	int st = s->style % 3;
	double top = st == 1 ? 830 : 860;
	struct rgb sole = st == 2         ? (struct rgb){40, 34, 30}
	                  : luma(c) > 215 ? (struct rgb){196, 146, 88}
	                                  : (struct rgb){246, 244, 238};
	if (st == 1)
		sole = lighter(s->accent, 0.55);
	struct path upper = PATH_INIT;
	if (st == 2) { /* loafer: lower collar, no laces */
		path_move(&upper, 175, top + 2);
		path_line(&upper, 174, 720);
		path_quad(&upper, 180, 650, 250, 640);
		path_quad(&upper, 420, 660, 560, 640);
		path_quad(&upper, 760, 690, 860, 790);
		path_quad(&upper, 910, 830, 895, top + 2);
	} else {
		path_move(&upper, 175, top + 2);
		path_line(&upper, 172, 720);
		path_quad(&upper, 170, 610, 250, 585);
		path_line(&upper, 330, 565);
		path_quad(&upper, 370, 600, 420, 588);
		path_line(&upper, 470, 520);
		path_quad(&upper, 520, 505, 540, 540);
		path_line(&upper, 560, 580);
		path_quad(&upper, 700, 700, 830, 770);
		path_quad(&upper, 905, 805, 892, top + 2);
	}
	canvas_fill(pen->cv, &upper, c, 1);
	canvas_clip(pen->cv, &upper);
	if (st == 1)
		dots(pen, 180, 560, 900, top, 22, 4, sc);
	path_ellipse(fresh(pen), 880, top - 30, 150, 90); /* toe cap */
	fill(pen, st == 2 ? sc : WHITE, st == 2 ? 0.25 : 0.3);
	rect(pen, 150, 580, 218, top + 5, s->accent, st == 2 ? 0.35 : 1); /* heel tab */
	if (st != 2)
		curve(pen, 300, 815, 520, 780, 720, 640, 34, s->accent, 1); /* side band */
	if (pen->details & DRAW_STRIPES)
		for (int i = 0; i < 3; i++)
			line(pen, 430 + i * 60, 820, 520 + i * 60, 600, 22, s->accent, 1);
	volume(pen, 160, 920, 500, top);
	canvas_clip(pen->cv, NULL);
	/* collar opening */
	path_ellipse(fresh(pen), st == 2 ? 400 : 360, st == 2 ? 648 : 585, st == 2 ? 150 : 75, 20);
	fill(pen, darker(sc, 0.45), 1);
	if (st == 2) {
		line(pen, 560, 690, 720, 735, 28, darker(c, 0.25), 1); /* penny strap */
		curve(pen, 560, 700, 640, 655, 740, 700, 5, sc, 0.6);
	} else {
		for (int i = 0; i < 5; i++) { /* laces */
			double t = i / 4.0, x = 480 + t * 215, y = 600 + t * 150;
			line(pen, x - 30, y + 24, x + 22, y - 12, 11,
			     luma(c) > 200 ? darker(c, 0.12) : lighter(c, 0.85), 1);
			circle(pen, x - 30, y + 24, 6, sc, 1);
		}
	}
	/* sole */
	path_reset(fresh(pen));
	path_move(&pen->p, 160, top);
	path_line(&pen->p, 860, top);
	path_quad(&pen->p, 935, top + 8, 925, top + 45);
	path_quad(&pen->p, 915, 945, 860, 945);
	path_line(&pen->p, 200, 945);
	path_quad(&pen->p, 150, 943, 152, (top + 945) / 2);
	path_quad(&pen->p, 153, top + 2, 160, top);
	fill(pen, sole, 1);
	line(pen, 170, top + 28, 905, top + 28, 5, darker(sole, 0.25), 0.6);
	rect(pen, 150, 925, 940, 950, BLACK, 0.12);
	path_free(&upper);
}

static void draw_cap(struct pen *pen)
{
	const struct draw_spec *s = pen->spec;
	struct rgb c = s->main, sc = seam(c);
	int st = s->style % 3;
	struct path crown = PATH_INIT;
	if (st == 0) {
		path_move(&crown, 230, 720);
		path_cubic(&crown, 230, 470, 360, 380, 500, 380);
		path_cubic(&crown, 640, 380, 770, 470, 770, 720);
		path_quad(&crown, 500, 800, 230, 720);
		canvas_fill(pen->cv, &crown, c, 1);
		canvas_clip(pen->cv, &crown);
		if (pen->details & DRAW_STRIPES)
			stripes_h(pen, 420, 720, 60, 20, s->accent, 1);
		volume(pen, 230, 770, 380, 720);
		canvas_clip(pen->cv, NULL);
		curve(pen, 500, 392, 500, 550, 500, 716, 5, sc, 0.4); /* panel seams */
		curve(pen, 500, 392, 385, 450, 345, 716, 5, sc, 0.4);
		curve(pen, 500, 392, 615, 450, 655, 716, 5, sc, 0.4);
		circle(pen, 500, 386, 20, sc, 1);
		circle(pen, 390, 500, 7, sc, 1);
		circle(pen, 610, 500, 7, sc, 1);
		if (!s->back && (pen->details & DRAW_LOGO))
			logo(pen, 500, 600, 62, c);
		path_reset(fresh(pen)); /* the brim */
		path_move(&pen->p, 200, 705);
		path_quad(&pen->p, 500, 950, 800, 705);
		path_quad(&pen->p, 500, 790, 200, 705);
		fill(pen, (pen->details & DRAW_POCKET) ? s->accent : darker(c, 0.06), 1);
		fill(pen, BLACK, 0.08);
	} else if (st == 1) { /* bucket hat: brim, then crown and band */
		path_reset(fresh(pen));
		path_move(&pen->p, 330, 690);
		path_line(&pen->p, 670, 690);
		path_quad(&pen->p, 760, 740, 820, 810);
		path_quad(&pen->p, 500, 880, 180, 810);
		path_quad(&pen->p, 240, 740, 330, 690);
		fill(pen, darker(c, 0.05), 1);
		for (int i = 1; i <= 3; i++)
			curve(pen, 330 - i * 40, 700 + i * 30, 500, 760 + i * 30, 670 + i * 40, 700 + i * 30, 4, sc,
			      0.35);
		path_move(&crown, 330, 700);
		path_line(&crown, 362, 470);
		path_quad(&crown, 500, 420, 638, 470);
		path_line(&crown, 670, 700);
		canvas_fill(pen->cv, &crown, c, 1);
		canvas_clip(pen->cv, &crown);
		if (pen->details & DRAW_STRIPES)
			stripes_v(pen, 330, 680, 50, 18, s->accent, 1);
		rect(pen, 0, 640, DESIGN_W, 700, (pen->details & DRAW_LOGO) ? s->accent : sc, 0.8);
		volume(pen, 330, 670, 420, 700);
		canvas_clip(pen->cv, NULL);
	} else { /* beanie */
		path_move(&crown, 300, 830);
		path_line(&crown, 300, 600);
		path_cubic(&crown, 300, 380, 700, 380, 700, 600);
		path_line(&crown, 700, 830);
		canvas_fill(pen->cv, &crown, c, 1);
		canvas_clip(pen->cv, &crown);
		if (pen->details & DRAW_STRIPES)
			stripes_h(pen, 470, 700, 70, 30, s->accent, 1);
		stripes_v(pen, 300, 700, 20, 6, sc, 0.2);
		volume(pen, 300, 700, 380, 830);
		canvas_clip(pen->cv, NULL);
		path_round_rect(fresh(pen), 285, 690, 715, 845, 24); /* cuff */
		fill(pen, darker(c, 0.08), 1);
		for (double x = 300; x < 710; x += 20)
			rect(pen, x, 695, x + 6, 840, sc, 0.25);
		if (!s->back && (pen->details & DRAW_LOGO))
			logo(pen, 500, 765, 45, c);
		if (pen->details & DRAW_POCKET) { /* pom-pom */
			circle(pen, 500, 390, 62, s->accent, 1);
			circle(pen, 480, 370, 25, WHITE, 0.15);
		}
	}
	path_free(&crown);
}

static void draw_bag(struct pen *pen)
{
	const struct draw_spec *s = pen->spec;
	struct rgb c = s->main, sc = seam(c);
	int st = s->style % 3;
	struct path body = PATH_INIT;
	if (st == 0) { /* tote */
		curve(pen, 395, 560, 500, 240, 605, 560, 26, darker(c, 0.25), 1);
		path_move(&body, 320, 540);
		path_line(&body, 680, 540);
		path_line(&body, 718, 1060);
		path_line(&body, 282, 1060);
	} else if (st == 1) { /* crossbody */
		curve(pen, 330, 660, 500, 60, 670, 660, 18, darker(c, 0.3), 1);
		path_round_rect(&body, 300, 620, 700, 960, 40);
	} else { /* backpack */
		curve(pen, 445, 345, 500, 255, 555, 345, 18, darker(c, 0.3), 1);
		path_round_rect(&body, 310, 330, 690, 1060, 130);
	}
	canvas_fill(pen->cv, &body, c, 1);
	canvas_clip(pen->cv, &body);
	if (pen->details & DRAW_STRIPES)
		stripes_h(pen, st == 2 ? 420 : 640, 1060, 90, 28, s->accent, 1);
	volume(pen, 280, 720, 300, 1060);
	rect(pen, 0, st == 1 ? 930 : 1020, DESIGN_W, 1070, BLACK, 0.1);
	canvas_clip(pen->cv, NULL);
	if (st == 0) {
		curve(pen, 372, 560, 500, 290, 628, 560, 26, darker(c, 0.12), 1);
		rect(pen, 355, 540, 395, 600, darker(c, 0.2), 1);
		rect(pen, 605, 540, 645, 600, darker(c, 0.2), 1);
		if (!s->back && (pen->details & DRAW_POCKET))
			rect(pen, 400, 800, 600, 960, sc, 0.3);
		if (!s->back && (pen->details & DRAW_LOGO))
			logo(pen, 500, 720, 70, c);
	} else if (st == 1) {
		path_reset(fresh(pen)); /* flap */
		path_move(&pen->p, 300, 640);
		path_line(&pen->p, 700, 640);
		path_line(&pen->p, 700, 780);
		path_quad(&pen->p, 700, 830, 650, 830);
		path_line(&pen->p, 350, 830);
		path_quad(&pen->p, 300, 830, 300, 780);
		fill(pen, darker(c, 0.1), 1);
		rect(pen, 478, 790, 522, 860, (struct rgb){200, 180, 120}, 1);
		rect(pen, 490, 805, 510, 845, darker(c, 0.1), 1);
		if (!s->back && (pen->details & DRAW_LOGO))
			logo(pen, 500, 710, 45, darker(c, 0.1));
	} else {
		curve(pen, 340, 480, 500, 360, 660, 480, 6, sc, 0.6); /* zip */
		if (!s->back) {
			path_round_rect(fresh(pen), 360, 700, 640, 990, 50);
			fill(pen, sc, 0.35);
			line(pen, 385, 740, 615, 740, 5, darker(sc, 0.2), 0.8);
			if (pen->details & DRAW_LOGO)
				logo(pen, 500, 860, 55, seam(c));
		} else {
			line(pen, 380, 360, 350, 1000, 40, darker(c, 0.25), 1); /* straps */
			line(pen, 620, 360, 650, 1000, 40, darker(c, 0.25), 1);
		}
	}
	path_free(&body);
}

static void draw_necklace(struct pen *pen)
{
	const struct draw_spec *s = pen->spec;
	struct rgb metal = s->main, hi = lighter(metal, 0.5), lo = darker(metal, 0.3);
	const double p0x = 230, p0y = 150, p1x = 260, p1y = 900, p2x = 740, p2y = 900, p3x = 770, p3y = 150;
	for (int i = 0; i <= 70; i++) {
		double t = i / 70.0, u = 1 - t;
		double x = u * u * u * p0x + 3 * u * u * t * p1x + 3 * u * t * t * p2x + t * t * t * p3x;
		double y = u * u * u * p0y + 3 * u * u * t * p1y + 3 * u * t * t * p2y + t * t * t * p3y;
		path_reset(fresh(pen));
		if (i % 2) {
			path_ellipse(&pen->p, x, y, 12, 7);
			path_ellipse(&pen->p, x, y, 6, 3);
		} else {
			path_ellipse(&pen->p, x, y, 7, 12);
			path_ellipse(&pen->p, x, y, 3, 6);
		}
		fill(pen, metal, 1);
		circle(pen, x - 3, y - 3, 2.5, hi, 0.8);
	}
	line(pen, 500, 712, 500, 760, 8, lo, 1); /* bail */
	if (s->style % 2 == 0) {
		circle(pen, 500, 820, 62, metal, 1);
		circle(pen, 500, 820, 62, BLACK, 0.06);
		circle(pen, 500, 820, 36, s->accent, 1);
		circle(pen, 488, 806, 12, WHITE, 0.6);
	} else {
		path_move(fresh(pen), 500, 755);
		path_cubic(&pen->p, 575, 815, 570, 920, 500, 930);
		path_cubic(&pen->p, 430, 920, 425, 815, 500, 755);
		fill(pen, metal, 1);
		path_move(fresh(pen), 500, 790);
		path_cubic(&pen->p, 545, 830, 540, 895, 500, 902);
		path_cubic(&pen->p, 460, 895, 455, 830, 500, 790);
		fill(pen, s->accent, 1);
		circle(pen, 485, 835, 10, WHITE, 0.6);
	}
}

static void draw_glasses(struct pen *pen)
{
	const struct draw_spec *s = pen->spec;
	struct rgb frame = s->main;
	int sun = s->style % 2;
	double hw = sun ? 150 : 135, hh = sun ? 115 : 100, r = sun ? 90 : 70, t = 20;
	struct path lens = PATH_INIT;
	for (int side = 0; side < 2; side++) {
		double cx = side ? 680 : 320, cy = 640;
		path_round_rect(&lens, cx - hw + t, cy - hh + t, cx + hw - t, cy + hh - t, r - t);
	}
	canvas_fill(pen->cv, &lens, sun ? darker(s->accent, 0.5) : (struct rgb){225, 235, 242}, sun ? 0.88 : 0.35);
	canvas_clip(pen->cv, &lens);
	line(pen, 150, 760, 420, 500, 40, WHITE, 0.25); /* reflections */
	line(pen, 510, 760, 780, 500, 40, WHITE, 0.25);
	canvas_clip(pen->cv, NULL);
	for (int side = 0; side < 2; side++) {
		double cx = side ? 680 : 320, cy = 640;
		path_reset(fresh(pen));
		path_round_rect(&pen->p, cx - hw, cy - hh, cx + hw, cy + hh, r);
		path_round_rect(&pen->p, cx - hw + t, cy - hh + t, cx + hw - t, cy + hh - t, r - t);
		fill(pen, frame, 1);
		circle(pen, cx + (side ? -1 : 1) * (hw - 30), cy + 40, 9, lighter(frame, 0.4), 1); /* nose pads */
	}
	curve(pen, 320 + hw - 8, 600, 500, 560, 680 - hw + 8, 600, 18, frame, 1); /* bridge */
	line(pen, 320 - hw + 5, 590, 110, 570, 20, darker(frame, 0.2), 1);        /* temples */
	line(pen, 680 + hw - 5, 590, 890, 570, 20, darker(frame, 0.2), 1);
	path_free(&lens);
}

static void draw_ball(struct pen *pen)
{
	const struct draw_spec *s = pen->spec;
	const double cx = 500, cy = 620, R = 300;
	struct path ball = PATH_INIT;
	path_ellipse(&ball, cx, cy, R, R);
	struct rgb c = s->style % 2 ? (struct rgb){222, 110, 40} : s->main;
	canvas_fill(pen->cv, &ball, c, 1);
	canvas_clip(pen->cv, &ball);
	if (s->style % 2 == 0) { /* football: pentagons */
		struct rgb dark = s->accent;
		for (int k = 0; k < 6; k++) {
			double px = cx, py = cy, rr = 82, rot = -M_PI / 2;
			if (k > 0) {
				double a = -M_PI / 2 + (k - 1) * 2 * M_PI / 5 + M_PI / 5;
				px = cx + cos(a) * 235;
				py = cy + sin(a) * 235;
				rot = a;
				line(pen, cx + cos(a) * 80, cy + sin(a) * 80, px - cos(a) * 70, py - sin(a) * 70, 5,
				     BLACK, 0.35);
			}
			struct pt pts[5];
			for (int i = 0; i < 5; i++)
				pts[i] = (struct pt){px + cos(rot + i * 2 * M_PI / 5) * rr,
				                     py + sin(rot + i * 2 * M_PI / 5) * rr};
			path_reset(fresh(pen));
			path_polygon(&pen->p, pts, 5);
			fill(pen, dark, 1);
		}
	} else { /* basketball: seams */
		struct rgb dark = {40, 26, 20};
		line(pen, cx, cy - R, cx, cy + R, 9, dark, 1);
		line(pen, cx - R, cy, cx + R, cy, 9, dark, 1);
		curve(pen, cx - 190, cy - 230, cx - 60, cy, cx - 190, cy + 230, 9, dark, 1);
		curve(pen, cx + 190, cy - 230, cx + 60, cy, cx + 190, cy + 230, 9, dark, 1);
	}
	/* shading: a crescent of shadow and a highlight */
	path_reset(fresh(pen));
	path_ellipse(&pen->p, cx, cy, R, R);
	path_ellipse(&pen->p, cx - 40, cy - 45, R - 10, R - 10);
	fill(pen, BLACK, 0.22);
	path_ellipse(fresh(pen), cx - 110, cy - 130, 80, 45);
	fill(pen, WHITE, 0.35);
	canvas_clip(pen->cv, NULL);
	path_free(&ball);
}

/* ---- the picture ----------------------------------------------------------------------------- */

static const char *const kind_names[DRAW_NKINDS] = {
    "tee", "shirt", "pants", "jacket", "dress", "skirt", "sneaker", "cap", "bag", "necklace", "glasses", "ball",
};

const char *draw_kind_name(enum draw_kind kind)
{
	return (unsigned)kind < DRAW_NKINDS ? kind_names[kind] : "?";
}

static const struct rgb backgrounds[] = {
    {238, 236, 232}, {244, 240, 231}, {231, 237, 243}, {243, 233, 234},
    {231, 241, 235}, {238, 234, 244}, {236, 236, 236}, {245, 238, 228},
};

/* Where the item stands (its lowest design y) and how wide its shadow is. */
static void ground(enum draw_kind k, int style, double *y, double *rx)
{
	switch (k) {
	case DRAW_TEE:
		*y = 1040;
		*rx = 300;
		break;
	case DRAW_SHIRT:
		*y = 1080;
		*rx = 300;
		break;
	case DRAW_PANTS:
		*y = 1170;
		*rx = 260;
		break;
	case DRAW_JACKET:
		*y = style % 3 == 1 ? 1220 : 1090;
		*rx = 320;
		break;
	case DRAW_DRESS:
		*y = 1225;
		*rx = 290;
		break;
	case DRAW_SKIRT:
		*y = style % 3 == 1 ? 1110 : 1040;
		*rx = 250;
		break;
	case DRAW_SNEAKER:
		*y = 955;
		*rx = 400;
		break;
	case DRAW_CAP:
		*y = 870;
		*rx = 300;
		break;
	case DRAW_BAG:
		*y = 1075;
		*rx = 240;
		break;
	case DRAW_NECKLACE:
		*y = 960;
		*rx = 120;
		break;
	case DRAW_GLASSES:
		*y = 790;
		*rx = 330;
		break;
	case DRAW_BALL:
		*y = 930;
		*rx = 220;
		break;
	default:
		*y = 1100;
		*rx = 300;
		break;
	}
}

void draw_product(const struct draw_spec *spec, unsigned w, unsigned h, struct image *out)
{
	struct canvas cv;
	struct pen pen = {&cv, PATH_INIT, {0}, spec, spec->back ? 0 : (int)spec->details};
	rng_seed(&pen.rng, spec->seed * 0x2545F4914F6CDD1Dull + (uint64_t)spec->back);

	struct rgb bg = backgrounds[rng_range(&pen.rng, 0, (long)(sizeof backgrounds / sizeof *backgrounds) - 1)];
	if (luma(spec->main) > 205)
		bg = darker(bg, 0.14); /* a white garment needs a background it stands out from */
	canvas_init(&cv, w, h, bg);
	canvas_gradient(&cv, lighter(bg, 0.45), darker(bg, 0.04));

	/* a little variety in size and placement; the back view of shoes and caps is mirrored */
	double k = 0.93 + rng_unit(&pen.rng) * 0.08, dx = (rng_unit(&pen.rng) - 0.5) * 40;
	int mirror = spec->back && (spec->kind == DRAW_SNEAKER || spec->kind == DRAW_GLASSES);
	cv.ax = (mirror ? -k : k) * w / DESIGN_W;
	cv.bx = (500 + dx - (mirror ? -k : k) * 500) * w / DESIGN_W;
	cv.ay = k * h / DESIGN_H;
	cv.by = (640 - k * 640) * h / DESIGN_H;

	double gy, grx;
	ground(spec->kind, spec->style, &gy, &grx);
	for (int i = 0; i < 3; i++) { /* a soft shadow on the floor */
		path_ellipse(fresh(&pen), 500, gy, grx * (1.05 - i * 0.12), 26 - i * 6);
		fill(&pen, darker(bg, 0.5), 0.1);
	}

	switch (spec->kind) {
	case DRAW_TEE: draw_tee(&pen); break;
	case DRAW_SHIRT: draw_shirt(&pen); break;
	case DRAW_PANTS: draw_pants(&pen); break;
	case DRAW_JACKET: draw_jacket(&pen); break;
	case DRAW_DRESS: draw_dress(&pen); break;
	case DRAW_SKIRT: draw_skirt(&pen); break;
	case DRAW_SNEAKER: draw_sneaker(&pen); break;
	case DRAW_CAP: draw_cap(&pen); break;
	case DRAW_BAG: draw_bag(&pen); break;
	case DRAW_NECKLACE: draw_necklace(&pen); break;
	case DRAW_GLASSES: draw_glasses(&pen); break;
	case DRAW_BALL: draw_ball(&pen); break;
	default: break;
	}
	path_free(&pen.p);
	canvas_take(&cv, out);
}

int draw_store(struct image *img, int quality, char key[65], char *err, size_t errlen)
{
	unsigned char *jpg = NULL;
	size_t len = 0;
	int rc = store_encode_jpeg(img, quality, &jpg, &len, err, errlen);
	image_free(img);
	if (rc != 0)
		return -1;
	struct media_result res;
	rc = media_ingest(config.media_dir, jpg, len, NULL, &res, err, errlen);
	free(jpg);
	if (rc != 0)
		return -1;
	memcpy(key, res.hash, 65);
	return 0;
}
