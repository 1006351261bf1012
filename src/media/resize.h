/* Scaling decoded images for the pages: "fit within" (detail) and "cover-crop" (cards, thumbnails).
 *
 * Shrinking averages the exact area each output pixel covers (a box filter with fractional
 * coverage at the edges); enlarging, which only "cover" does and only for an image smaller than
 * its target, interpolates bilinearly. Both work in linear light (sRGB decoded through a table,
 * re-encoded after averaging), so fine black-and-white patterns (stripes, houndstooth, knit) keep
 * their brightness instead of turning dark. Alpha, when present, is averaged as is (straight, not
 * premultiplied): flatten first (image_flatten) when that matters, as media_ingest does. */
#ifndef LONUA_MEDIA_RESIZE_H
#define LONUA_MEDIA_RESIZE_H

#include "media/image.h"

/* The size of src fitted within tw x th keeping its aspect, never larger than src itself (a small
 * image stays small rather than getting blurry); each side at least 1. */
void resize_fit_size(unsigned w, unsigned h, unsigned tw, unsigned th, unsigned *dw, unsigned *dh);

/* The centred region of a w x h image that has the aspect of tw x th and is as large as possible:
 * scaling it to tw x th fills the target with nothing stretched. */
void resize_cover_rect(unsigned w, unsigned h, unsigned tw, unsigned th, unsigned *x, unsigned *y, unsigned *cw,
                       unsigned *ch);

/* Scales the region (x, y, cw, ch) of src to exactly dw x dh into out (same channels, format and
 * src_w/src_h as src); the caller frees out with image_free. The region must lie inside src and
 * be non-empty, and dw, dh must be at least 1. */
void resize_region(const struct image *src, unsigned x, unsigned y, unsigned cw, unsigned ch, unsigned dw, unsigned dh,
                   struct image *out);

/* Fits src within tw x th (never enlarging). */
void resize_fit(const struct image *src, unsigned tw, unsigned th, struct image *out);

/* Fills exactly tw x th with the centre of src: shrinks, or enlarges an image smaller than the
 * target, then crops what overflows. */
void resize_cover(const struct image *src, unsigned tw, unsigned th, struct image *out);

#endif
