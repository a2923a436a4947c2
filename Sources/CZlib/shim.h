#define ZLIB_CONST
#include <zlib.h>

/* inflateInit2 and deflateInit2 are macros (they pass the library version and the stream size),
   which Swift does not import; these wrappers make them callable. */
static inline int floe_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

static inline int floe_deflateInit2(z_streamp strm, int level, int windowBits, int memLevel, int strategy) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, memLevel, strategy);
}
