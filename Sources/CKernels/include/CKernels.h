#ifndef QUIRE_CKERNELS_H
#define QUIRE_CKERNELS_H

#include <stdint.h>

/// Scores of 8-bit vectors against a 16-bit query:
/// out[r - row_start] = (codes[r] · query) * scales[r] * query_scale for r in [row_start, row_end),
/// rows of `dimension` codes each. Uses AVX2 when the CPU has it (checked at run time),
/// else plain C: the binary stays portable to any x86-64 or ARM machine.
void quire_int8_scores(const int8_t *codes, const int16_t *query, const float *scales, float query_scale,
                       long dimension, long row_start, long row_end, float *out);

/// Whether the AVX2 path is taken on this machine (for the benchmark's report).
int quire_int8_scores_uses_avx2(void);

#endif
