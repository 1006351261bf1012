/* The image decoders (JPEG through libjpeg-turbo, PNG through libpng, WebP through libwebp) the way
 * media_ingest uses them on an upload: image_sniff, image_probe (header and limits before any
 * pixel), image_decode at the detail box's reduction, image_flatten, and a cover-crop resize like
 * the thumbnail's. The limits are the production side limit with fewer pixels (2 megapixels), so
 * the fuzzer spends its time on the decoders' parsing rather than on allocating big canvases. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "media/image.h"
#include "media/media.h"
#include "media/resize.h"

FUZZ_TARGET(image)
{
	/* The upload's bytes in an allocation of exactly their size, as the multipart parser leaves them. */
	unsigned char *bytes = malloc(size ? size : 1);
	memcpy(bytes, data, size);
	const struct image_limits lim = {2000000ull, MEDIA_DEFAULT_MAX_SIDE};
	char err[256];
	const char *what = NULL;
	struct image img;
	image_sniff(bytes, size, &what);
	if (image_probe(bytes, size, &lim, &img, err, sizeof err) == 0 &&
	    image_decode(bytes, size, &lim, media_sizes[MEDIA_DETAIL].w, media_sizes[MEDIA_DETAIL].h, &img, err,
	                 sizeof err) == 0) {
		if (!img.px || img.w == 0 || img.h == 0 || (img.channels != 3 && img.channels != 4))
			abort();
		image_flatten(&img);
		struct image thumb;
		resize_cover(&img, 16, 20, &thumb);
		image_free(&thumb);
		image_free(&img);
	}
	free(bytes);
	return 0;
}
