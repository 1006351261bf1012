/* Separable scaling in linear light; see resize.h.
 *
 * Each axis gets a table of contributions: output pixel i is the weighted sum of source pixels
 * start .. start+n-1 (weights summing to 1). Rows are filtered horizontally on demand into a small
 * ring that holds just the rows one output row needs, then combined vertically, so memory stays
 * a few rows wide whatever the image size. */
#include "media/resize.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

/* Linear values are re-encoded through a table this fine: with 16384 steps a flat colour comes
 * back as exactly the same byte (the steepest part of the sRGB curve moves < 0.2 of a step). */
#define LIN_STEPS 16384

static float lin_of_srgb[256];
static unsigned char srgb_of_lin[LIN_STEPS];

/* Fills the sRGB <-> linear tables once (workers are single-threaded). */
static void tables_init(void)
{
	static int ready;
	if (ready)
		return;
	for (int i = 0; i < 256; i++) {
		double c = i / 255.0;
		lin_of_srgb[i] = (float)(c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4));
	}
	for (int i = 0; i < LIN_STEPS; i++) {
		double l = (double)i / (LIN_STEPS - 1);
		double c = l <= 0.0031308 ? l * 12.92 : 1.055 * pow(l, 1 / 2.4) - 0.055;
		srgb_of_lin[i] = (unsigned char)lrint(c * 255);
	}
	ready = 1;
}

struct axis {
	unsigned *start, *n; /* per output pixel: first source pixel (absolute) and how many */
	float *w;            /* per output pixel: max_n weights */
	unsigned max_n;
};

/* Builds the contributions of source pixels off .. off+sn-1 to dn output pixels: exact area
 * coverage when shrinking (or keeping the size), bilinear taps when enlarging. */
static void axis_init(struct axis *a, unsigned off, unsigned sn, unsigned dn)
{
	a->max_n = dn <= sn ? (sn + dn - 1) / dn + 1 : 2;
	a->start = xmalloc(dn * sizeof *a->start);
	a->n = xmalloc(dn * sizeof *a->n);
	a->w = xcalloc((size_t)dn * a->max_n, sizeof *a->w);
	for (unsigned i = 0; i < dn; i++) {
		float *w = a->w + (size_t)i * a->max_n;
		if (dn <= sn) {
			/* In units of 1/dn source pixel, output i spans [i*sn, (i+1)*sn): integers, so
			 * the coverage of each source pixel is exact. */
			uint64_t lo = (uint64_t)i * sn, hi = lo + sn;
			unsigned j0 = (unsigned)(lo / dn), j1 = (unsigned)((hi + dn - 1) / dn);
			a->start[i] = off + j0;
			a->n[i] = j1 - j0;
			for (unsigned j = j0; j < j1; j++) {
				uint64_t l = (uint64_t)j * dn > lo ? (uint64_t)j * dn : lo;
				uint64_t r = (uint64_t)(j + 1) * dn < hi ? (uint64_t)(j + 1) * dn : hi;
				w[j - j0] = (float)((double)(r - l) / sn);
			}
		} else {
			double pos = (i + 0.5) * sn / dn - 0.5; /* centre of output i, in source pixels */
			if (pos < 0)
				pos = 0;
			unsigned j0 = (unsigned)pos;
			double f = pos - j0;
			if (j0 + 1 >= sn) {
				a->start[i] = off + sn - 1;
				a->n[i] = 1;
				w[0] = 1;
			} else {
				a->start[i] = off + j0;
				a->n[i] = 2;
				w[0] = (float)(1 - f);
				w[1] = (float)f;
			}
		}
	}
}

static void axis_free(struct axis *a)
{
	free(a->start);
	free(a->n);
	free(a->w);
}

/* Filters source row y horizontally into dst (dw * c linear floats). */
static void filter_row(const struct image *src, unsigned y, const struct axis *ax, unsigned dw, float *dst)
{
	unsigned c = src->channels;
	const unsigned char *row = src->px + (size_t)y * src->w * c;
	for (unsigned i = 0; i < dw; i++, dst += c) {
		const float *w = ax->w + (size_t)i * ax->max_n;
		const unsigned char *p = row + (size_t)ax->start[i] * c;
		float r = 0, g = 0, b = 0, a = 0;
		for (unsigned k = 0; k < ax->n[i]; k++, p += c) {
			r += w[k] * lin_of_srgb[p[0]];
			g += w[k] * lin_of_srgb[p[1]];
			b += w[k] * lin_of_srgb[p[2]];
			if (c == 4)
				a += w[k] * p[3];
		}
		dst[0] = r;
		dst[1] = g;
		dst[2] = b;
		if (c == 4)
			dst[3] = a;
	}
}

/* Linear light (0..1, clamped) to an sRGB byte. */
static unsigned char to_srgb(float v)
{
	v = v < 0 ? 0 : v > 1 ? 1 : v;
	return srgb_of_lin[(unsigned)(v * (LIN_STEPS - 1) + 0.5f)];
}

static unsigned char to_byte(float v)
{
	return (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v + 0.5f);
}

void resize_region(const struct image *src, unsigned x, unsigned y, unsigned cw, unsigned ch, unsigned dw, unsigned dh,
                   struct image *out)
{
	tables_init();
	unsigned c = src->channels;
	struct axis ax, ay;
	axis_init(&ax, x, cw, dw);
	axis_init(&ay, y, ch, dh);
	size_t stride = (size_t)dw * c; /* floats per filtered row */
	unsigned ring_n = ay.max_n;
	float *ring = xmalloc(ring_n * stride * sizeof *ring);
	long *tag = xmalloc(ring_n * sizeof *tag); /* source row held by each ring slot, or -1 */
	float *acc = xmalloc(stride * sizeof *acc);
	for (unsigned k = 0; k < ring_n; k++)
		tag[k] = -1;

	*out = *src;
	out->w = dw;
	out->h = dh;
	out->px = xmalloc((size_t)dh * stride);
	for (unsigned i = 0; i < dh; i++) {
		const float *w = ay.w + (size_t)i * ay.max_n;
		memset(acc, 0, stride * sizeof *acc);
		for (unsigned k = 0; k < ay.n[i]; k++) {
			unsigned sy = ay.start[i] + k, slot = sy % ring_n;
			float *row = ring + slot * stride;
			/* Output rows use non-decreasing runs of at most ring_n source rows, so each
			 * source row is filtered once and never evicted while still needed. */
			if (tag[slot] != (long)sy) {
				filter_row(src, sy, &ax, dw, row);
				tag[slot] = sy;
			}
			for (size_t j = 0; j < stride; j++)
				acc[j] += w[k] * row[j];
		}
		unsigned char *o = out->px + i * stride;
		for (size_t j = 0; j < stride; j++)
			o[j] = c == 4 && j % 4 == 3 ? to_byte(acc[j]) : to_srgb(acc[j]);
	}
	free(acc);
	free(tag);
	free(ring);
	axis_free(&ax);
	axis_free(&ay);
}

void resize_fit_size(unsigned w, unsigned h, unsigned tw, unsigned th, unsigned *dw, unsigned *dh)
{
	uint64_t W = w, H = h;
	if (w <= tw && h <= th) {
		*dw = w, *dh = h;
	} else if (W * th >= H * tw) { /* relatively wider: the width limits */
		*dw = tw;
		*dh = (unsigned)((H * tw + W / 2) / W);
	} else {
		*dh = th;
		*dw = (unsigned)((W * th + H / 2) / H);
	}
	if (*dw == 0)
		*dw = 1;
	if (*dh == 0)
		*dh = 1;
}

void resize_cover_rect(unsigned w, unsigned h, unsigned tw, unsigned th, unsigned *x, unsigned *y, unsigned *cw,
                       unsigned *ch)
{
	uint64_t W = w, H = h;
	if (W * th > H * tw) { /* relatively wider than the target: trim the sides */
		*ch = h;
		*cw = (unsigned)((H * tw + th / 2) / th);
	} else { /* relatively taller: trim top and bottom */
		*cw = w;
		*ch = (unsigned)((W * th + tw / 2) / tw);
	}
	if (*cw == 0)
		*cw = 1;
	if (*ch == 0)
		*ch = 1;
	if (*cw > w)
		*cw = w;
	if (*ch > h)
		*ch = h;
	*x = (w - *cw) / 2;
	*y = (h - *ch) / 2;
}

void resize_fit(const struct image *src, unsigned tw, unsigned th, struct image *out)
{
	unsigned dw, dh;
	resize_fit_size(src->w, src->h, tw, th, &dw, &dh);
	resize_region(src, 0, 0, src->w, src->h, dw, dh, out);
}

void resize_cover(const struct image *src, unsigned tw, unsigned th, struct image *out)
{
	unsigned x, y, cw, ch;
	resize_cover_rect(src->w, src->h, tw, th, &x, &y, &cw, &ch);
	resize_region(src, x, y, cw, ch, tw, th, out);
}
