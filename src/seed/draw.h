/* A tiny rasteriser for the demo catalogue's product pictures, and the pictures themselves.
 *
 * Paths are closed rings of straight segments (curves are flattened when added), filled with the
 * even-odd rule by a scanline rasteriser that samples four sub-scanlines per pixel row and takes the
 * exact horizontal coverage of each span, so edges are anti-aliased at little cost. A fill can be
 * clipped by the coverage mask of another path (stripes inside a T-shirt), and blended with an
 * opacity (shading, shadows).
 *
 * Shapes are designed in a 1000 x 1250 unit space (4:5, like the product images) that the canvas
 * maps onto its pixels, so the same drawing renders at 1080 x 1350 for the shop and at a small size
 * for fast tests. Everything is deterministic: the same spec gives the same pixels, byte for byte. */
#ifndef LONUA_SEED_DRAW_H
#define LONUA_SEED_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include "media/image.h"

/* ---- a fixed-seed PRNG (splitmix64): the seed's only source of variety ----------------------- */

struct rng {
	uint64_t s;
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [lo, hi] (inclusive); lo when hi <= lo. */
long rng_range(struct rng *r, long lo, long hi);
/* Uniform in [0, 1). */
double rng_unit(struct rng *r);

/* ---- colours, paths, canvas ------------------------------------------------------------------ */

struct rgb {
	unsigned char r, g, b;
};

struct pt {
	double x, y;
};

/* One or more closed rings (the last point of a ring joins its first). */
struct path {
	struct pt *pts;
	size_t n, cap;
	size_t *ring_end; /* ring i is pts[ring_end[i-1] (or 0) .. ring_end[i]) */
	size_t nrings, rcap;
};

#define PATH_INIT                                                                                                      \
	{                                                                                                              \
		NULL, 0, 0, NULL, 0, 0                                                                                 \
	}

void path_free(struct path *p);
void path_reset(struct path *p);
void path_move(struct path *p, double x, double y); /* starts a new ring */
void path_line(struct path *p, double x, double y);
void path_quad(struct path *p, double cx, double cy, double x, double y);
void path_cubic(struct path *p, double c1x, double c1y, double c2x, double c2y, double x, double y);
void path_rect(struct path *p, double x0, double y0, double x1, double y1);
void path_round_rect(struct path *p, double x0, double y0, double x1, double y1, double r);
void path_ellipse(struct path *p, double cx, double cy, double rx, double ry);
void path_polygon(struct path *p, const struct pt *pts, size_t n);
/* Appends one ring outlining the open polyline pts[0..n) at the given width (butt ends). */
void path_stroke(struct path *p, const struct pt *pts, size_t n, double width);

struct canvas {
	struct image img;      /* RGB, img.px owned by the canvas until canvas_take */
	unsigned char *clip;   /* NULL, or w * h coverage (0..255) that every fill is multiplied by */
	double ax, bx, ay, by; /* design units to pixels: px = ax * x + bx, py = ay * y + by */
};

/* A w x h RGB canvas filled with bg, mapping the 1000 x 1250 design space onto it. */
void canvas_init(struct canvas *cv, unsigned w, unsigned h, struct rgb bg);
void canvas_free(struct canvas *cv);
/* Hands the pixels over (the caller frees out->px with image_free) and frees the rest. */
void canvas_take(struct canvas *cv, struct image *out);

/* Fills p (even-odd) with c at opacity alpha (0..1), within the clip. */
void canvas_fill(struct canvas *cv, const struct path *p, struct rgb c, double alpha);
/* Sets the clip to the coverage of p (NULL: no clip). */
void canvas_clip(struct canvas *cv, const struct path *p);
/* Fills the whole canvas with a vertical gradient from top to bottom (ignores the clip). */
void canvas_gradient(struct canvas *cv, struct rgb top, struct rgb bottom);

/* ---- the product pictures -------------------------------------------------------------------- */

enum draw_kind {
	DRAW_TEE,      /* style: 0 short sleeves, 1 long sleeves, 2 hoodie, 3 knit (ribbed) */
	DRAW_SHIRT,    /* style: 0 plain, 1 blouse (no pocket, rounded collar) */
	DRAW_PANTS,    /* style: 0 straight (jeans stitching when accent is light), 1 wide, 2 cargo, 3 jogger */
	DRAW_JACKET,   /* style: 0 zip blouson, 1 long coat with lapels, 2 quilted padding */
	DRAW_DRESS,    /* style: 0 sleeveless, 1 short sleeves */
	DRAW_SKIRT,    /* style: 0 A-line mini, 1 pleated midi, 2 pencil */
	DRAW_SNEAKER,  /* style: 0 sneaker, 1 runner, 2 loafer */
	DRAW_CAP,      /* style: 0 ball cap, 1 bucket hat, 2 beanie */
	DRAW_BAG,      /* style: 0 tote, 1 crossbody, 2 backpack */
	DRAW_NECKLACE, /* style: 0 round pendant, 1 drop pendant */
	DRAW_GLASSES,  /* style: 0 glasses (clear lenses), 1 sunglasses */
	DRAW_BALL,     /* style: 0 football, 1 basketball */
	DRAW_NKINDS
};

/* Details, as bits of draw_spec.details (each kind uses those that suit it). */
#define DRAW_STRIPES 1u /* bands in the accent colour */
#define DRAW_POCKET  2u
#define DRAW_LOGO    4u /* a logo block in the accent colour */
#define DRAW_DOTS    8u /* polka dots in the accent colour */

struct draw_spec {
	enum draw_kind kind;
	int style;         /* kind-specific shape variant, see enum draw_kind */
	struct rgb main;   /* the product's colour */
	struct rgb accent; /* stripes, logo, stitching */
	unsigned details;  /* DRAW_* bits */
	int back;          /* 1: the second picture (back view or mirrored, details left out) */
	uint64_t seed;     /* background and small variations of size and position */
};

const char *draw_kind_name(enum draw_kind kind);

/* Draws spec on a fresh w x h RGB image (4:5 pictures look right; 1080 x 1350 for the shop).
 * The caller frees out->px with image_free. */
void draw_product(const struct draw_spec *spec, unsigned w, unsigned h, struct image *out);

/* Stores a drawn picture as an upload would be: encoded as a JPEG at quality, then through the
 * media pipeline into LONUA_MEDIA_DIR; key gets its content name. Frees img's pixels either way.
 * Returns 0, or -1 with err set. */
int draw_store(struct image *img, int quality, char key[65], char *err, size_t errlen);

#endif
